/**
 * Security check: no HTML injection sinks or code evaluation in `src/` and `workers/`
 * (reliability.md, "Security rules for the code").
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineOf, listFiles, stripComments } from './source-text.mjs';

/** Banned constructs and why. */
export const BANNED = [
  { pattern: /\binnerHTML\b/g, why: 'innerHTML parses data as HTML; set textContent or render with Lit templates' },
  { pattern: /\bouterHTML\b/g, why: 'outerHTML parses data as HTML' },
  { pattern: /\binsertAdjacentHTML\b/g, why: 'insertAdjacentHTML parses data as HTML' },
  { pattern: /\bunsafeHTML\b/g, why: 'unsafeHTML renders data as HTML' },
  { pattern: /\bunsafeSVG\b/g, why: 'unsafeSVG renders data as markup' },
  { pattern: /\.html\s*\(/g, why: "d3's .html() parses data as HTML; use .text()" },
  { pattern: /\bdocument\.write(ln)?\s*\(/g, why: 'document.write injects markup' },
  { pattern: /(?<![.\w$])eval\s*\(/g, why: 'eval runs strings as code' },
  { pattern: /\bnew\s+Function\s*\(/g, why: 'new Function runs strings as code' },
  { pattern: /\bset(Timeout|Interval)\s*\(\s*['"`]/g, why: 'string timers run strings as code' },
  // a host's CSP without 'unsafe-inline' for styles refuses style attributes (CSSOM is fine)
  { pattern: /\bstyleMap\b/g, why: "Lit's styleMap writes a style attribute on first render, which style-src 'self' refuses; use a class, an SVG fill, or element.style" },
  { pattern: /\sstyle\s*=\s*["'$]/g, why: "a style attribute in a template is refused by style-src 'self'; use a class or element.style" },
  { pattern: /\.attr\(\s*['"]style['"]/g, why: "d3's .attr('style') writes a style attribute, refused by style-src 'self'; use .style()" },
];

/** Violations in one file's text. */
export function findBanned(text) {
  const code = stripComments(text);
  const found = [];
  for (const { pattern, why } of BANNED) {
    pattern.lastIndex = 0;
    let m;
    while ((m = pattern.exec(code)) !== null) found.push({ line: lineOf(code, m.index), match: m[0].trim(), why });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** Violations under the given folders. */
export function checkBanned(root, folders = ['src', 'workers']) {
  const problems = [];
  for (const folder of folders) {
    for (const file of listFiles(`${root}/${folder}`)) {
      for (const v of findBanned(readFileSync(file, 'utf8'))) {
        problems.push(`${relative(root, file)}:${v.line}: ${v.match} — ${v.why}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const problems = checkBanned(root);
  for (const p of problems) console.error(p);
  console.log(problems.length === 0 ? 'banned-API check: clean' : `banned-API check: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
