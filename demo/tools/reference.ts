/**
 * Writes docs/reference.md from custom-elements.json (made by `npm run manifest`): every element's
 * attributes, properties, methods, events, CSS custom properties and parts, as documented in the
 * source's JSDoc. `--check` fails when the committed file is out of date (npm test runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Item {
  name: string;
  kind?: string;
  description?: string;
  summary?: string;
  type?: { text: string };
  default?: string;
  attribute?: string;
  fieldName?: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  parameters?: { name: string; type?: { text: string } }[];
  return?: { type?: { text: string } };
}
interface Declaration {
  name: string;
  tagName?: string;
  customElement?: boolean;
  description?: string;
  summary?: string;
  attributes?: Item[];
  members?: Item[];
  events?: Item[];
  cssProperties?: Item[];
  cssParts?: Item[];
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const ORDER = ['crm-data', 'crm-revenue', 'crm-retention', 'crm-rfm', 'crm-roas'];

const cell = (text: string | undefined): string => (text ?? '').replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim();
const code = (text: string | undefined): string => (text === undefined || text === '' ? '' : `\`${cell(text).replace(/`/g, "'")}\``);

function table(header: string[], rows: string[][]): string {
  if (rows.length === 0) return '';
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n') + '\n';
}

export function reference(manifest: { modules: { declarations?: Declaration[] }[] }): string {
  const elements = manifest.modules
    .flatMap((m) => m.declarations ?? [])
    .filter((d) => d.customElement === true && d.tagName !== undefined)
    .sort((a, b) => ORDER.indexOf(a.tagName!) - ORDER.indexOf(b.tagName!));
  const out: string[] = [
    '# Element reference',
    '',
    'Generated from `custom-elements.json` (the JSDoc in `src/components/`) by `npm run manifest`; do not edit by hand.',
    'How the elements work together, with examples: [widgets.md](widgets.md).',
    '',
  ];
  for (const el of elements) {
    out.push(`## \`<${el.tagName}>\``, '', cell(el.summary ?? ''), '', cell(el.description ?? ''), '');
    const attributes = el.attributes ?? [];
    out.push('### Attributes', '', table(['attribute', 'property', 'type', 'default', 'description'], attributes.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), cell(a.description)])));
    const properties = (el.members ?? []).filter((m) => m.kind === 'field' && m.privacy === undefined && m.static !== true && m.attribute === undefined);
    if (properties.length > 0) out.push('### Properties (no attribute)', '', table(['property', 'type', 'description'], properties.map((p) => [code(p.name), code(p.type?.text), cell(p.description)])));
    const methods = (el.members ?? []).filter((m) => m.kind === 'method' && m.privacy === undefined && m.static !== true);
    if (methods.length > 0) out.push('### Methods', '', table(['method', 'description'], methods.map((m) => [code(`${m.name}(${(m.parameters ?? []).map((p) => `${p.name}: ${p.type?.text ?? 'unknown'}`).join(', ')})`), cell(m.description)])));
    out.push('### Events', '', table(['event', 'description'], (el.events ?? []).map((e) => [code(e.name), cell(e.description)])));
    out.push('### CSS custom properties', '', table(['property', 'description'], (el.cssProperties ?? []).map((p) => [code(p.name), cell(p.description)])));
    out.push('### Parts', '', table(['part', 'description'], (el.cssParts ?? []).map((p) => [code(p.name), cell(p.description)])));
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8')) as { modules: { declarations?: Declaration[] }[] };
const text = reference(manifest);
const target = `${root}docs/reference.md`;
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error('docs/reference.md is out of date with the JSDoc of the elements: run "npm run manifest" and commit it.');
    process.exit(1);
  }
  console.log('docs/reference.md is up to date');
} else {
  writeFileSync(target, text);
  console.log(`wrote docs/reference.md (${text.length} characters)`);
}
