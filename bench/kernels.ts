// npm run bench:kernels [-- --size 1m --runs 3 --back-to-back]
// Loads the seeded dataset (orders, touches, costs, customers) into the real worker in headless
// Chromium, then times every kernel cold (first query on the dataset, in the order below) and after
// 20 parameter changes each (p50 / p95), worker-side and as the page's round trip. Between the cold
// queries and the first change the page pauses until the engine's work begun ahead is done (at most
// 5 s), as a person reads a dashboard before changing a control; `--back-to-back` leaves no pause.
import { mkdirSync, writeFileSync } from 'node:fs';
import type { QueryRequest } from '../src/core/queries.js';
import type { KernelsRun, TimedQuery } from './pages/kernels.js';
import { launchChromium } from './lib/browser.js';
import { csvFiles, DATA_DIR } from './lib/data.js';
import { buildPage, gitCommit, machine, median, option, quantile, ROOT } from './lib/run.js';
import { serveStatic } from './lib/server.js';

const size = option('size', '1m');
const runs = Number(option('runs', '3'));
const backToBack = process.argv.includes('--back-to-back');

/** The widgets' default queries (performance.md's result set plus KPIs and a customer page). */
const COLD: QueryRequest[] = [
  { kind: 'kpis', params: {} },
  { kind: 'attribution', params: { model: 'last_touch', window: '5d', period: 'month' } },
  { kind: 'incrementality', params: {} },
  { kind: 'retention', params: { period: 'month' } },
  { kind: 'rfm', params: {} },
  { kind: 'rfm-customers', params: { segment: 'Champions' } },
  { kind: 'roas', params: { period: 'week' } },
];

const MODELS = ['last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'] as const;
const WINDOWS = ['3d', '7d', '14d', '1d'];
const RANGES = [
  { from: '2024-01-01', to: '2024-06-30' },
  { from: '2023-07-01', to: '2024-12-31' },
  { from: '2024-11-01', to: '2024-11-30' },
  { from: '2023-01-01', to: '2023-12-31' },
];

/** 20 distinct parameter changes per kernel: what a user does with the widget's controls. */
function changes(): Record<string, QueryRequest[]> {
  const attribution: QueryRequest[] = [];
  const roas: QueryRequest[] = [];
  const kpis: QueryRequest[] = [];
  for (let i = 0; i < 20; i++) {
    const model = MODELS[i % 5]!;
    const window = WINDOWS[Math.floor(i / 5)]!;
    const period = (['month', 'week', 'day', 'quarter'] as const)[i % 4]!;
    attribution.push({ kind: 'attribution', params: { model, window, period: i % 2 === 0 ? 'month' : 'week', dimension: i % 3 === 0 ? 'campaign' : 'channel' } });
    roas.push({ kind: 'roas', params: { model, window, period: period === 'quarter' ? 'month' : period, byCampaign: i % 4 === 3 } });
    kpis.push({ kind: 'kpis', params: { model, window, range: RANGES[i % 4] } });
  }
  const incrementality: QueryRequest[] = [];
  for (let i = 0; i < 20; i++) {
    incrementality.push({ kind: 'incrementality', params: { liftWindow: `${7 + i}d`, minHoldout: i % 2 === 0 ? 100 : 50, range: i % 3 === 0 ? RANGES[i % 4] : undefined } });
  }
  const retention: QueryRequest[] = [];
  const measures = ['customers', 'rolling', 'revenue', 'cumulative_revenue', 'revenue_retention'] as const;
  for (let i = 0; i < 20; i++) {
    retention.push({
      kind: 'retention',
      params: { period: (['month', 'week', 'quarter', 'month'] as const)[i % 4], measure: measures[i % 5], offsets: 8 + (i % 5), breakdown: i % 4 === 3 ? 'country' : undefined },
    });
  }
  const rfm: QueryRequest[] = [];
  const customers: QueryRequest[] = [];
  for (let i = 0; i < 20; i++) {
    const bins = [5, 4, 3][i % 3]!;
    rfm.push({ kind: 'rfm', params: { bins, scoring: i % 2 === 0 ? 'percentile' : 'ntile', monetary: i % 4 < 2 ? 'net' : 'aov', range: i >= 10 ? RANGES[i % 4] : undefined } });
    customers.push({
      kind: 'rfm-customers',
      params: { cell: { r: 1 + (i % 5), f: 1 + ((i * 2) % 5) }, sort: { by: (['monetary', 'recency', 'frequency', 'customer'] as const)[i % 4] }, offset: 50 * (i % 3) },
    });
  }
  return { kpis, attribution, incrementality, retention, rfm, 'rfm-customers': customers, roas };
}

async function main(): Promise<void> {
  const tables = ['orders', 'touches', 'costs', 'customers'] as const;
  const files = await csvFiles(size, [...tables]);
  const outDir = await buildPage('kernels');
  const server = await serveStatic({ '/data/': DATA_DIR, '/': outDir });
  const browser = await launchChromium();
  const browserVersion = browser.version();
  const results: KernelsRun[] = [];
  const urls = Object.fromEntries(tables.map((t) => [t, `${server.origin}/data/${files[t]}`]));
  try {
    for (let r = 0; r < runs; r++) {
      const page = await browser.newPage();
      await page.goto(`${server.origin}/kernels.html`);
      await page.waitForFunction(() => typeof window.runKernels === 'function');
      const result = await page.evaluate(([u, c, ch, p]) => window.runKernels(u, c, ch, p), [urls, COLD, changes(), !backToBack] as const);
      results.push(result);
      await page.close();
      const paused = result.pauseMs === null ? 'no pause' : `pause ${result.pauseMs.toFixed(0)} ms`;
      console.log(`run ${r + 1}: load ${(result.loadMs / 1000).toFixed(2)} s, cold ${result.cold.map((q) => q.workerMs.toFixed(0)).join('/')} ms, ${paused}, ${result.longTasks.length} long tasks`);
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const kinds = COLD.map((q) => q.kind);
  const rows = kinds.map((kind, i) => {
    const cold = results.map((r) => r.cold[i]!.workerMs);
    const warm = results.flatMap((r) => r.changes[kind]!.map((q: TimedQuery) => q.workerMs));
    const trip = results.flatMap((r) => r.changes[kind]!.map((q: TimedQuery) => q.roundTripMs));
    return {
      kind,
      coldMs: median(cold),
      changeP50Ms: quantile(warm, 0.5),
      changeP95Ms: quantile(warm, 0.95),
      changeMaxMs: Math.max(...warm),
      roundTripP95Ms: quantile(trip, 0.95),
      slowest: results.flatMap((r) => r.changes[kind]!).sort((a, b) => b.workerMs - a.workerMs)[0]!.label,
    };
  });
  const summary = {
    size,
    rows: results[0]!.rows,
    runs,
    machine: machine(),
    browser: `Chromium ${browserVersion} (Debian), headless`,
    commit: gitCommit(),
    loadMs: median(results.map((r) => r.loadMs)),
    /** Pause before the first change, per run (null: back to back). */
    pauseMs: results.map((r) => r.pauseMs),
    kernels: rows,
    longTasks: results.map((r) => r.longTasks.length),
    measuredAt: new Date().toISOString(),
  };
  mkdirSync(`${ROOT}bench/results`, { recursive: true });
  writeFileSync(`${ROOT}bench/results/kernels-${size}.json`, JSON.stringify({ summary, results }, null, 2) + '\n');
  const pad = (s: string, n: number): string => s.padEnd(n);
  const num = (v: number): string => v.toFixed(1).padStart(8);
  console.log(`
${Object.entries(summary.rows).map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`).join(', ')}; load ${(summary.loadMs / 1000).toFixed(2)} s; ${runs} runs
worker ms (cold = first query of its kind on the dataset; change = 20 parameter changes per run${backToBack ? ', back to back after the cold queries' : ', after a pause for the work begun ahead'})
${pad('kernel', 16)}${'cold'.padStart(8)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'max'.padStart(8)}  round trip p95
${rows.map((r) => `${pad(r.kind, 16)}${num(r.coldMs)}${num(r.changeP50Ms)}${num(r.changeP95Ms)}${num(r.changeMaxMs)}  ${r.roundTripP95Ms.toFixed(1)}`).join('\n')}
main thread: ${summary.longTasks.join('/')} long tasks
written to bench/results/kernels-${size}.json`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
