// The builds' template minifier (vite.config.ts, minifyTemplates): hand cases for the spaces it must
// keep, every css`` literal of the kit read by Chromium into the same rules before and after, and the
// kit's markup free of the places where white space would not collapse.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../../bench/lib/browser.js';
import { minifyTemplates } from '../../vite.config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('minifyTemplates', () => {
  test('drops layout and comments, keeps the spaces that mean something', () => {
    const source = [
      'const a = css`',
      '  /* a comment */',
      '  :host {',
      '    display: block;',
      '  }',
      '  .a :hover,',
      '  .b > .c {',
      '    width: calc(100% - 2 * 8px);',
      '    border: 1px solid ${colour};',
      '    margin: ${gap}px 0;',
      '    font-size: var(--size, 13px);',
      '  }',
      '`;',
      'const b = `  not css  `;',
    ].join('\n');
    const out = minifyTemplates(source);
    assert.equal(
      out,
      'const a = css`:host{display:block}.a :hover, .b > .c{width:calc(100% - 2 * 8px);border:1px solid ${colour};margin:${gap}px 0;font-size:var(--size, 13px)}`' +
        '\n'.repeat(12) +
        ';\nconst b = `  not css  `;',
    );
    assert.equal(out.split('\n').length, source.split('\n').length, 'every line after the literal stays where it was');
  });

  test('interpolations with braces, escapes, nested and several templates, html and svg', () => {
    assert.equal(minifyTemplates('x(css` a { b: ${f({ k: 1 })} } `, css`\\2014 { }`)'), 'x(css`a{b:${f({ k: 1 })}}`, css`\\2014{}`)');
    assert.equal(minifyTemplates('css`a { }`'), 'css`a{}`');
    assert.equal(
      minifyTemplates('html`\n  <p class="a"\n     title=${t}>\n    ${n} <b>${m}</b>\n  </p>\n`'),
      'html` <p class="a" title=${t}> ${n} <b>${m}</b> </p> `' + '\n'.repeat(5),
    );
    assert.equal(minifyTemplates('svg`<g>  ${ok ? svg`<rect  x="1"/>` : nothing}  </g>`'), 'svg`<g> ${ok ? svg`<rect x="1"/>` : nothing} </g>`');
    assert.equal(minifyTemplates('no templates here'), 'no templates here');
  });

  test('quoted text, no-break spaces and line continuations keep their characters', () => {
    assert.equal(minifyTemplates("css`a::after { content: 'Note:  a ; b'; }`"), "css`a::after{content:'Note:  a ; b'}`");
    assert.equal(minifyTemplates("css`/* it's */ a { b: c; }`"), 'css`a{b:c}`');
    assert.equal(minifyTemplates('html`<b title="two\n  lines">EUR\u00a0100  </b>`'), 'html`<b title="two\n  lines">EUR\u00a0100 </b>`');
    assert.equal(minifyTemplates('html`<b>one \\\n  two</b>`'), 'html`<b>one \\\n  two</b>`');
    // quoted text that spans an interpolation, an escaped quote; and the lines after keep their place
    assert.equal(minifyTemplates("css`a::after { content: '${n}:  ; '; }`"), "css`a::after{content:'${n}:  ; '}`");
    assert.equal(minifyTemplates("css`a::after { content: 'it\\'s  ok'; }`"), "css`a::after{content:'it\\'s  ok'}`");
    assert.equal(minifyTemplates('html`<b aria-label="${n}  orders"  class="x">`'), 'html`<b aria-label="${n}  orders" class="x">`');
    const source = 'const a = html`<b title="two\n  lines">\n  x</b>`;\nconst after = 1;';
    assert.equal(minifyTemplates(source), 'const a = html`<b title="two\n  lines"> x</b>`\n;\nconst after = 1;');
    assert.equal(minifyTemplates(source).split('\n').length, source.split('\n').length);
  });

  test('backticks in comments, strings and untagged templates are left alone', () => {
    const code = [
      '// the `css` tag and the `html` one',
      "const s = 'css`  a  `';",
      'const t = `  two  spaces  `;',
      'const u = other`  two  spaces  `;',
      '/* html` */',
    ].join('\n');
    assert.equal(minifyTemplates(code), code);
  });

  test('no element or style of the kit keeps white space as written, which html`` minifying assumes', () => {
    const files = (readdirSync(`${root}src`, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    for (const file of files) {
      const code = readFileSync(`${root}src/${file}`, 'utf8');
      assert.doesNotMatch(code, /white-?space['"]?\s*[:,=]\s*['"]?(pre|break-spaces)|<pre\b|<textarea\b/i, file);
    }
  });
});

describe("the kit's styles, minified, in Chromium", () => {
  let browser: Browser;
  let page: Page;
  before(async () => {
    browser = await launchChromium();
    page = await browser.newPage();
  });
  after(async () => {
    await browser.close();
  });

  test('every css`` literal in src/ gives the same rules before and after', async () => {
    const files = (readdirSync(`${root}src`, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    // the literals' text with interpolations left out (each interpolated literal is checked on its own);
    // a literal of declarations alone (tokens.styles.ts's dark tokens) is read inside a rule
    const literals = (code: string): string[] =>
      [...code.matchAll(/\bcss`([^`]*)`/g)].map((m) => m[1]!.replace(/\$\{[^}]*\}/g, '')).map((text) => (text.includes('{') ? text : `:host{${text}}`));
    let checked = 0;
    for (const file of files) {
      const code = readFileSync(`${root}src/${file}`, 'utf8');
      if (!code.includes('css`')) continue;
      const [before, after] = [literals(code), literals(minifyTemplates(code))];
      assert.equal(after.length, before.length, file);
      for (let i = 0; i < before.length; i++) {
        assert.ok(after[i]!.length < before[i]!.length, `${file}: literal ${i} got no shorter`);
        const rules = await page.evaluate(
          (texts) =>
            texts.map((text) => {
              const sheet = new CSSStyleSheet();
              sheet.replaceSync(text);
              return [...sheet.cssRules].map((rule) => rule.cssText);
            }),
          [before[i]!, after[i]!],
        );
        assert.ok(rules[0]!.length > 0, `${file}: literal ${i} has no rules`);
        assert.deepEqual(rules[1], rules[0], `${file}: literal ${i}`);
        checked++;
      }
    }
    assert.ok(checked >= 6, `only ${checked} literals found`);
  });
});
