/** A node:test reporter that emits pass/fail counts as JSON (for the total line of `npm test`). */
export default async function* countReporter(source) {
  const counts = { passed: 0, failed: 0, skipped: 0, failures: [] };
  for await (const event of source) {
    if (event.type === 'test:pass' && event.data.details?.type !== 'suite') {
      if (event.data.skip || event.data.todo) counts.skipped++;
      else counts.passed++;
    } else if (event.type === 'test:fail' && event.data.details?.type !== 'suite') {
      counts.failed++;
      counts.failures.push(`${event.data.file ?? ''}: ${event.data.name}`);
    }
  }
  yield JSON.stringify(counts);
}
