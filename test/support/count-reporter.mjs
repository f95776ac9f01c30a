/**
 * A web-test-runner reporter that writes pass/fail counts to a JSON file, so `npm test` can print one
 * honest total line over browser and Node tests. A test file that fails to load counts as a failure.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

function countSuite(suite, counts, prefix) {
  for (const test of suite.tests ?? []) {
    if (test.skipped) counts.skipped++;
    else if (test.passed) counts.passed++;
    else {
      counts.failed++;
      counts.failures.push(`${prefix}${test.name}`);
    }
  }
  for (const child of suite.suites ?? []) countSuite(child, counts, `${prefix}${child.name} > `);
}

export function countReporter(file) {
  return {
    onTestRunFinished({ sessions }) {
      const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
      for (const session of sessions) {
        if (session.testResults) countSuite(session.testResults, counts, `${session.testFile}: `);
        const errors = session.errors ?? [];
        const loadFailed = errors.length > 0 || (!session.passed && counts.failed === 0 && !session.testResults);
        if (loadFailed) {
          counts.failed++;
          counts.failures.push(`${session.testFile}: ${errors.map((e) => e.message).join('; ') || 'the file did not run'}`);
        }
      }
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(counts, null, 2));
    },
  };
}
