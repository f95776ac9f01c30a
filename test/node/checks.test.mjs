// Self-tests of the source checks: each rule must fire on a violation and stay quiet on allowed code.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { findBanned } from '../checks/banned.mjs';
import { importsOf, violation } from '../checks/boundaries.mjs';

test('banned: flags HTML sinks and code evaluation in code', () => {
  const text = [
    'el.innerHTML = value;',
    "sel.html('<b>x</b>');",
    'eval(code);',
    'const f = new Function("a", "return a");',
    "setTimeout('alert(1)', 10);",
    'html`${unsafeHTML(x)}`;',
  ].join('\n');
  const found = findBanned(text);
  assert.deepEqual(found.map((f) => f.line), [1, 2, 3, 4, 5, 6]);
});

test('banned: flags style attributes, which a strict CSP refuses, and allows CSSOM', () => {
  const text = [
    'html`<span style=${styleMap({ color })}></span>`;',
    'html`<span style="color: red"></span>`;',
    "sel.attr('style', 'fill: red');",
    "sel.style('fill', color); el.style.setProperty('color', c); html`<rect fill=${c}></rect>`;",
  ].join('\n');
  assert.deepEqual(findBanned(text).map((f) => f.line), [1, 1, 2, 3]);
});

test('banned: ignores comments, and strings that merely contain a slash pair', () => {
  const text = "// never use innerHTML here\n/* eval( is banned */\nconst url = 'http://x/y'; el.textContent = url; retrieval(1);";
  assert.deepEqual(findBanned(text), []);
});

test('boundaries: reads static, dynamic, re-export and worker-URL imports', () => {
  const text = "import { a } from './a.js';\nexport * from '../b.js';\nimport 'lit';\nconst m = import('./c.js');\nnew Worker(new URL('../../workers/crm.worker.ts', import.meta.url));";
  assert.deepEqual(importsOf(text).map((i) => i.spec).sort(), ['../../workers/crm.worker.ts', '../b.js', './a.js', './c.js', 'lit']);
});

test('boundaries: workers may not import lit, DOM code, d3-selection or src/ outside core', () => {
  assert.match(violation('workers/ingest/csv.ts', 'lit', false), /workers may import only/);
  assert.match(violation('workers/ingest/csv.ts', 'd3-selection', false), /workers may import only/);
  assert.match(violation('workers/ingest/csv.ts', '../../src/client/sources.ts', false), /workers may import only/);
  assert.match(violation('workers/engine.ts', 'comlink', false), /comlink only in crm.worker.ts/);
  assert.equal(violation('workers/ingest/csv.ts', '../../src/core/errors.ts', false), null);
  assert.equal(violation('workers/crm.worker.ts', 'comlink', false), null);
  assert.equal(violation('workers/kernels/rfm.ts', 'd3-array', false), null);
});

test('boundaries: core stays pure, client names the worker only by URL, components stay apart', () => {
  assert.match(violation('src/core/time.ts', 'comlink', false), /src\/core may import only/);
  assert.match(violation('src/core/time.ts', '../client/sources.ts', false), /src\/core may import only/);
  assert.equal(violation('src/client/engine-client.ts', '../../workers/crm.worker.ts', true), null);
  assert.match(violation('src/client/engine-client.ts', '../../workers/engine.ts', false), /src\/client may import only/);
  assert.match(violation('src/core/x.ts', '../../workers/crm.worker.ts', true), /only allowed in src\/client/);
  assert.match(violation('src/components/crm-rfm/crm-rfm.ts', '../crm-roas/crm-roas.ts', false), /never another component/);
  assert.equal(violation('src/components/crm-rfm/crm-rfm.ts', './crm-rfm.styles.ts', false), null);
  assert.match(violation('src/engine.ts', 'lit', false), /headless/);
  assert.match(violation('demo/main.ts', '../src/core/sample.ts', false), /public entries/);
  assert.equal(violation('demo/main.ts', '../src/sample.ts', false), null);
});

test('package: every one-element entry of src/elements/ is exported, typed and kept as a side effect', () => {
  const root = new URL('../../', import.meta.url);
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
  const names = readdirSync(new URL('src/elements/', root)).map((f) => f.replace(/\.ts$/, ''));
  assert.ok(names.length >= 5, names.join(', '));
  for (const name of names) {
    assert.deepEqual(pkg.exports[`./${name}`], { types: `./dist/types/elements/${name}.d.ts`, default: `./dist/${name}.js` }, name);
    assert.ok(pkg.sideEffects.includes(`./dist/${name}.js`), `sideEffects lacks ./dist/${name}.js`);
  }
});
