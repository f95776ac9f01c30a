/**
 * `npm test`: type checks, layer and security checks, Node tests and browser tests, then one line
 * `N passed, N failed` with the real counts. Exits non-zero when anything failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
let passed = 0;
let failed = 0;
const failures = [];

function run(label, command, args, env = {}) {
  console.log(`\n== ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return result.status === 0;
}

function check(label, command, args) {
  if (run(label, command, args)) passed++;
  else {
    failed++;
    failures.push(label);
  }
}

const tsc = 'node_modules/typescript/bin/tsc';
check('type check: src, demo, tests (DOM)', process.execPath, [tsc, '-p', 'tsconfig.json']);
check('type check: workers and src/core (WebWorker, no DOM)', process.execPath, [tsc, '-p', 'tsconfig.workers.json']);
check('type check: Node scripts (bench)', process.execPath, [tsc, '-p', 'tsconfig.node.json']);
check('layer check', process.execPath, ['test/checks/boundaries.mjs']);
check('banned-API check', process.execPath, ['test/checks/banned.mjs']);
// the benchmark harness at the small size, as a smoke test: it fails when the engines' results differ
check('benchmark smoke run (small): every engine and parser agrees with ours', process.execPath, ['--import', 'tsx', 'bench/run.ts', '--size', 'small', '--warm', '3']);

// Node tests
rmSync('.test-results', { recursive: true, force: true });
mkdirSync('.test-results', { recursive: true });
// Node 20 takes no globs: the test files are listed here (TypeScript ones run through tsx)
const nodeTests = readdirSync('test/node')
  .filter((name) => /\.test\.(mjs|ts)$/.test(name))
  .sort()
  .map((name) => `test/node/${name}`);
const nodeOk = run('node tests (incl. the SQL pack oracle in DuckDB)', process.execPath, [
  '--import',
  'tsx',
  '--test',
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./test/support/node-count-reporter.mjs',
  '--test-reporter-destination=.test-results/node.json',
  ...nodeTests,
]);
const nodeCounts = existsSync('.test-results/node.json') ? JSON.parse(readFileSync('.test-results/node.json', 'utf8')) : null;
if (nodeCounts === null) {
  failed++;
  failures.push('node tests did not report');
} else {
  passed += nodeCounts.passed;
  failed += nodeCounts.failed;
  failures.push(...nodeCounts.failures);
  if (!nodeOk && nodeCounts.failed === 0) {
    failed++;
    failures.push('node tests exited with an error');
  }
}

// Browser tests
const browserOk = run('browser tests (web-test-runner, Chromium)', process.execPath, ['node_modules/@web/test-runner/dist/bin.js']);
const browserCounts = existsSync('.test-results/browser.json') ? JSON.parse(readFileSync('.test-results/browser.json', 'utf8')) : null;
if (browserCounts === null) {
  failed++;
  failures.push('browser tests did not report (did Chromium start?)');
} else {
  passed += browserCounts.passed;
  failed += browserCounts.failed;
  failures.push(...browserCounts.failures);
  if (!browserOk && browserCounts.failed === 0) {
    failed++;
    failures.push('web-test-runner exited with an error');
  }
}

if (failures.length > 0) {
  console.log('\nFailed:');
  for (const f of failures) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
