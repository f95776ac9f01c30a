// npm run bench:widgets [-- --size 1m --runs 3]
// With the 1m dataset loaded through <crm-data>, a user changes the attribution window of
// <crm-revenue> (and the host passes it on to <crm-roas>): the time from the input to the frame that
// shows both widgets' new results, and the main thread's long tasks meanwhile.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { WidgetsRun } from './pages/widgets.js';
import { launchChromium } from './lib/browser.js';
import { csvFiles, DATA_DIR } from './lib/data.js';
import { buildPage, gitCommit, machine, median, option, quantile, ROOT } from './lib/run.js';
import { serveStatic } from './lib/server.js';

const size = option('size', '1m');
const runs = Number(option('runs', '4'));
/**
 * Window changes per run, from the widget's own window menu (the default 5d is loaded first). Each
 * is new to the fresh page's worker caches, so every one recomputes the credits.
 */
const WINDOWS = ['7d', '3d', '14d', '1d', '30d'];

async function main(): Promise<void> {
  const tables = ['orders', 'touches', 'costs', 'customers'] as const;
  const files = await csvFiles(size, [...tables]);
  const outDir = await buildPage('widgets');
  const server = await serveStatic({ '/data/': DATA_DIR, '/': outDir });
  const browser = await launchChromium();
  const results: WidgetsRun[] = [];
  const urls = Object.fromEntries(tables.map((t) => [t, `${server.origin}/data/${files[t]}`]));
  try {
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(`${server.origin}/widgets.html`);
      await page.waitForFunction(() => typeof window.runWidgets === 'function');
      const result = await page.evaluate(([u, w]) => window.runWidgets(u, w), [urls, WINDOWS] as const);
      results.push(result);
      await page.close();
      console.log(
        `run ${r + 1}: load ${(result.loadMs / 1000).toFixed(2)} s, first render of all four widgets ${result.firstRenderMs.toFixed(0)} ms, input to paint ${result.changes.map((c) => c.inputToPaintMs.toFixed(0)).join('/')} ms, ${result.longTasks.length} long tasks`,
      );
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const all = results.flatMap((r) => r.changes.map((c) => c.inputToPaintMs));
  const summary = {
    size,
    runs,
    machine: machine(),
    commit: gitCommit(),
    loadMs: median(results.map((r) => r.loadMs)),
    firstRenderMs: median(results.map((r) => r.firstRenderMs)),
    inputToPaintMs: { p50: quantile(all, 0.5), p95: quantile(all, 0.95), max: Math.max(...all) },
    longTasks: results.map((r) => r.longTasks),
    measuredAt: new Date().toISOString(),
  };
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/widgets-${size}.json`, JSON.stringify({ summary, results }, null, 2) + '\n');
  console.log(`
load through <crm-data> ${(summary.loadMs / 1000).toFixed(2)} s, then first render of all four widgets ${summary.firstRenderMs.toFixed(0)} ms (medians)
attribution window change in <crm-revenue> + <crm-roas>, ${size}, ${runs} × ${WINDOWS.length} changes
  input to paint  p50 ${summary.inputToPaintMs.p50.toFixed(0)} ms, p95 ${summary.inputToPaintMs.p95.toFixed(0)} ms, max ${summary.inputToPaintMs.max.toFixed(0)} ms
  long tasks      ${summary.longTasks.map((l) => (l.length === 0 ? '0' : `${l.length} (${l.map((t) => `${t.ms} ms during ${t.during}`).join(', ')})`)).join(' / ')}
  written to bench/results/widgets-${size}.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
