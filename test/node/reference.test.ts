// docs/reference.md is generated from the elements' JSDoc (through custom-elements.json); it must
// match the source, so a documented attribute, event, property or part never drifts from the code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('custom-elements.json documents every element, and docs/reference.md is generated from it', { timeout: 120_000 }, () => {
  const cem = spawnSync(process.execPath, ['node_modules/@custom-elements-manifest/analyzer/cem.js', 'analyze', '--config', 'demo/tools/cem.config.mjs'], { cwd: root, encoding: 'utf8' });
  assert.equal(cem.status, 0, cem.stderr);
  const manifest = JSON.parse(readFileSync(`${root}custom-elements.json`, 'utf8')) as { modules: { declarations?: { tagName?: string; attributes?: { name: string; description?: string }[]; events?: { name?: string; description?: string }[]; cssParts?: unknown[] }[] }[] };
  const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName !== undefined);
  assert.deepEqual(elements.map((e) => e.tagName).sort(), ['crm-data', 'crm-retention', 'crm-revenue', 'crm-rfm', 'crm-roas']);
  for (const element of elements) {
    for (const attribute of element.attributes ?? []) assert.ok(attribute.description, `${element.tagName}[${attribute.name}] has no description`);
    for (const event of element.events ?? []) assert.ok(event.name && event.description, `${element.tagName} has an unnamed or undescribed event`);
    assert.ok((element.cssParts ?? []).length > 0, `${element.tagName} documents no parts`);
    // properties declared with `attribute: false` (objects, functions, credentials) have no attribute
    const names = (element.attributes ?? []).map((a) => a.name);
    for (const name of ['data', 'fetchOptions', 'fetcher', 'result']) if (element.tagName === 'crm-data' ? name !== 'result' : name !== 'data') assert.ok(!names.includes(name), `${element.tagName} documents a ${name} attribute`);
  }
  const check = spawnSync(process.execPath, ['--import', 'tsx', 'demo/tools/reference.ts', '--check'], { cwd: root, encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});
