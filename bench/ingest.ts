// npm run bench:ingest [-- --size 1m --runs 3 --files [--tables orders,touches,costs,customers]]
// Loads the seeded orders CSV through the real worker in headless Chromium and prints the throughput,
// plus the main thread's long tasks and longest frame gap during the load. With --files, the CSVs of
// --tables (orders and touches unless told) are handed over as Blobs (what dropping local files does),
// so the worker reads them at once: the largest here, the others forwarded to a helper worker. Each
// run also prints when each table's read ended and when the build began, from the load's progress.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { IngestRun } from './pages/ingest.js';
import { launchChromium } from './lib/browser.js';
import { csvFiles, DATA_DIR, fileSize } from './lib/data.js';
import type { SampleTable } from '../src/sample.js';
import { buildPage, gitCommit, machine, median, option, ROOT } from './lib/run.js';
import { serveStatic } from './lib/server.js';

const size = option('size', '1m');
const runs = Number(option('runs', '3'));
const files = process.argv.includes('--files');
const tables = (files ? option('tables', 'orders,touches') : 'orders').split(',') as SampleTable[];

async function main(): Promise<void> {
  const names = await csvFiles(size, tables);
  const orders = names.orders;
  const bytes = tables.reduce((sum, t) => sum + fileSize(names[t]), 0);
  const outDir = await buildPage('ingest');
  const server = await serveStatic({ '/data/': DATA_DIR, '/': outDir });
  const browser = await launchChromium();
  const browserVersion = browser.version();
  const results: IngestRun[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/ingest.html`);
      await page.waitForFunction(() => typeof window.runIngest === 'function');
      const input = files ? Object.fromEntries(tables.map((t) => [t, `${server.origin}/data/${names[t]}`])) : `${server.origin}/data/${orders}`;
      const result = await page.evaluate(([url, asFiles]) => window.runIngest(url, false, asFiles), [input, files] as const);
      results.push(result);
      await page.close();
      console.log(
        `run ${r + 1}: ${(result.wallMs / 1000).toFixed(2)} s wall, parse ${result.parseMs.toFixed(0)} ms, build ${result.buildMs.toFixed(0)} ms, ` +
          `${result.longTasks.length} long tasks, longest frame gap ${result.maxFrameGapMs.toFixed(0)} ms`,
      );
      if (files) console.log(`  read ended: ${Object.entries(result.timeline).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(2)} s`).join(', ')}`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const mb = bytes / 1e6;
  const summary = {
    size,
    file: files ? tables.map((t) => names[t]) : orders,
    bytes,
    rows: results[0]!.rows,
    runs,
    machine: machine(),
    browser: `Chromium ${browserVersion} (Debian), headless`,
    commit: gitCommit(),
    parseMBps: { median: mb / (median(results.map((x) => x.parseMs)) / 1000), min: mb / (Math.max(...results.map((x) => x.parseMs)) / 1000), max: mb / (Math.min(...results.map((x) => x.parseMs)) / 1000) },
    readMBps: { median: mb / (median(results.map((x) => x.readMs)) / 1000) },
    wallMBps: { median: mb / (median(results.map((x) => x.wallMs)) / 1000) },
    buildMs: { median: median(results.map((x) => x.buildMs)) },
    wallMs: { median: median(results.map((x) => x.wallMs)), min: Math.min(...results.map((x) => x.wallMs)), max: Math.max(...results.map((x) => x.wallMs)) },
    longTasks: results.map((x) => x.longTasks.length),
    longestTaskMs: Math.max(0, ...results.flatMap((x) => x.longTasks)),
    maxFrameGapMs: Math.max(...results.map((x) => x.maxFrameGapMs)),
    measuredAt: new Date().toISOString(),
  };
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  // one name per set of tables, whatever their order (the default pair keeps its short name)
  const set = [...tables].sort().join('-');
  const name = `ingest-${size}${files ? (set === 'orders-touches' ? '-files' : `-files-${set}`) : ''}`;
  writeFileSync(`${ROOT}bench/results/${name}.json`, JSON.stringify({ summary, results }, null, 2) + '\n');
  console.log(`
${files ? `${tables.join(', ')} CSVs as files` : 'orders CSV'}: ${mb.toFixed(1)} MB, ${summary.rows.toLocaleString('en-US')} rows, unquoted, ${runs} runs (median, min–max)
  worker parse throughput   ${summary.parseMBps.median.toFixed(0)} MB/s (${summary.parseMBps.min.toFixed(0)}–${summary.parseMBps.max.toFixed(0)})
  bytes in worker (stream)  ${summary.readMBps.median.toFixed(0)} MB/s  (read, transfer and parse, overlapped)
  end to end incl. build    ${summary.wallMBps.median.toFixed(0)} MB/s  (${(summary.wallMs.median / 1000).toFixed(2)} s; build ${summary.buildMs.median.toFixed(0)} ms)
  main thread               ${summary.longTasks.join('/')} long tasks (longest ${summary.longestTaskMs} ms), longest frame gap ${summary.maxFrameGapMs.toFixed(0)} ms
  written to bench/results/${name}.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
