/**
 * Layer check (architecture.md, "Allowed imports"): every import of every file must point where its
 * layer may point. Workers and `src/core` never reach Lit, d3-selection, DOM code or components.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineOf, listFiles, stripComments } from './source-text.mjs';

/** d3 modules without DOM access, allowed in pure layers. */
export const PURE_D3 = ['d3-array', 'd3-time', 'd3-time-format', 'd3-format', 'd3-interpolate', 'd3-color', 'd3-scale', 'd3-scale-chromatic', 'd3-shape', 'd3-path'];

const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** The public entries: the kit, the headless engine, the sample data, and the one-element entries of src/elements/. */
const ENTRIES = ['src/index.ts', 'src/engine.ts', 'src/sample.ts', ...listFiles(`${REPO}src/elements`, /\.ts$/).map((p) => relative(REPO, p).replaceAll('\\', '/'))];

/** The layer of a repository-relative path, or null when unchecked. */
export function layerOf(path) {
  if (path.startsWith('workers/')) return 'workers';
  if (path.startsWith('src/core/')) return 'core';
  if (path.startsWith('src/client/')) return 'client';
  if (path.startsWith('src/charts/')) return 'charts';
  if (path.startsWith('src/controllers/')) return 'controllers';
  if (path.startsWith('src/components/')) return 'components';
  if (path === 'src/engine.ts') return 'engine-entry';
  if (path.startsWith('src/')) return 'entry';
  // demo/tools: Node-side build tooling of the demo site (it runs the engine in-process); not page code
  if (path.startsWith('demo/tools/')) return null;
  if (path.startsWith('demo/')) return 'demo';
  if (path.startsWith('bench/pages/')) return 'demo';
  return null;
}

/** Import specifiers in a file's text, with lines. */
export function importsOf(text) {
  const code = stripComments(text);
  const found = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
    /\bnew\s+URL\s*\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g,
  ];
  for (const pattern of patterns) {
    let m;
    while ((m = pattern.exec(code)) !== null) found.push({ spec: m[1], line: lineOf(code, m.index), url: pattern === patterns[3] });
  }
  return found;
}

function bareName(spec) {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Why an import is not allowed, or null. `file` and the resolved target are repository-relative. */
export function violation(file, spec, isUrl) {
  const layer = layerOf(file);
  if (layer === null) return null;
  const relativeSpec = spec.startsWith('.');
  const target = relativeSpec ? relative('.', resolve(dirname(file), spec)).replaceAll('\\', '/') : null;
  const bare = relativeSpec ? null : bareName(spec);
  const inside = (...prefixes) => target !== null && prefixes.some((p) => target === p || target.startsWith(p.endsWith('/') ? p : p + '/'));
  if (isUrl) {
    if (layer === 'client' && target === 'workers/crm.worker.ts') return null;
    if (layer === 'demo') return null;
    return `new URL('${spec}', import.meta.url) is only allowed in src/client, for workers/crm.worker.ts`;
  }
  switch (layer) {
    case 'workers':
      if (inside('workers', 'src/core')) return null;
      if (bare === 'comlink' && file === 'workers/crm.worker.ts') return null;
      if (bare !== null && PURE_D3.includes(bare)) return null;
      return 'workers may import only workers/, src/core/ and pure d3 modules (comlink only in crm.worker.ts)';
    case 'core':
      if (inside('src/core')) return null;
      if (bare !== null && PURE_D3.includes(bare)) return null;
      return 'src/core may import only src/core/ and pure d3 modules';
    case 'client':
      if (inside('src/core', 'src/client')) return null;
      if (bare === 'comlink') return null;
      return 'src/client may import only src/core/, src/client/ and comlink';
    case 'charts':
      if (inside('src/core', 'src/charts')) return null;
      if (bare !== null && bare.startsWith('d3')) return null;
      return 'src/charts may import only src/core/, src/charts/ and d3';
    case 'controllers':
      if (inside('src/core', 'src/client', 'src/controllers')) return null;
      if (bare === 'lit' || (bare !== null && bare.startsWith('@lit/'))) return null;
      return 'src/controllers may import only src/core/, src/client/, src/controllers/ and lit';
    case 'components': {
      // src/components/shared is the widget chrome every element uses (not another element's internals)
      const own = file.split('/').slice(0, 3).join('/');
      if (inside('src/core', 'src/client', 'src/controllers', 'src/charts', 'src/components/shared', own)) return null;
      if (bare === 'lit' || (bare !== null && bare.startsWith('@lit/'))) return null;
      return "components may import core, client, controllers, charts, lit, components/shared and their own folder (never another component's internals)";
    }
    case 'engine-entry':
      if (inside('src/core', 'src/client')) return null;
      return 'src/engine.ts (headless) may import only src/core/ and src/client/';
    case 'entry':
      if (inside('src')) return null;
      if (bare !== null) return null;
      return 'entries may import only src/';
    case 'demo':
      if (target !== null && (ENTRIES.includes(target) || ENTRIES.includes(target + '.ts') || ENTRIES.some((e) => target === e.replace(/\.ts$/, '.js')))) return null;
      if (target !== null && !target.startsWith('src/') && !target.startsWith('workers/')) return null;
      if (bare !== null) return null;
      return `demo and bench pages may import only the public entries (${ENTRIES.join(', ')})`;
    default:
      return null;
  }
}

/** Violations in the repository. */
export function checkBoundaries(root) {
  const problems = [];
  for (const folder of ['src', 'workers', 'demo', 'bench/pages']) {
    for (const path of listFiles(`${root}/${folder}`, /\.(ts|js|mjs)$/)) {
      const file = relative(root, path).replaceAll('\\', '/');
      for (const { spec, line, url } of importsOf(readFileSync(path, 'utf8'))) {
        const why = violation(file, spec.replace(/\.js$/, '.ts'), url);
        if (why !== null) problems.push(`${file}:${line}: import '${spec}' — ${why}`);
      }
    }
  }
  return problems;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const problems = checkBoundaries(REPO);
  for (const p of problems) console.error(p);
  console.log(problems.length === 0 ? 'layer check: clean' : `layer check: ${problems.length} problem(s)`);
  process.exit(problems.length === 0 ? 0 : 1);
}
