// Benchmark page: loads the four tables into the engine's worker, then times every kernel cold and
// after parameter changes. Times are the worker's own (EngineStats.lastQueryMs) plus the page's round
// trip (query, transfer of the typed arrays, and the promise resolving on the main thread).
import { createEngine, type QueryRequest } from '../../src/engine.js';

/** One timed query. */
export interface TimedQuery {
  label: string;
  workerMs: number;
  roundTripMs: number;
}

/** What one kernels run measured. */
export interface KernelsRun {
  loadMs: number;
  rows: Record<string, number>;
  cold: TimedQuery[];
  changes: Record<string, TimedQuery[]>;
  /**
   * The pause between the cold queries and the first change (null: none, back to back): until the
   * engine's work begun ahead was done, as a reader looks at the widgets before changing one.
   */
  pauseMs: number | null;
  longTasks: number[];
}

declare global {
  interface Window {
    runKernels(urls: Record<string, string>, cold: QueryRequest[], changes: Record<string, QueryRequest[]>, pause: boolean): Promise<KernelsRun>;
  }
}

/** Longest reading pause: work ahead still going after it is left to the queries. */
const MAX_PAUSE_MS = 5000;

window.runKernels = async (urls, cold, changes, pause): Promise<KernelsRun> => {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
  });
  observer.observe({ type: 'longtask' });
  const engine = createEngine({ timezone: 'UTC' });
  const started = performance.now();
  const { report } = await engine.load(urls);
  const loadMs = performance.now() - started;
  const timed = async (request: QueryRequest): Promise<TimedQuery> => {
    const t = performance.now();
    const result = await engine.query(request);
    const roundTripMs = performance.now() - t;
    const stats = await engine.diagnostics();
    if (result.kind !== request.kind) throw new Error(`asked for ${request.kind}, got ${result.kind}`);
    return { label: `${request.kind} ${JSON.stringify(request.params ?? {})}`, workerMs: stats.lastQueryMs, roundTripMs };
  };
  const coldTimes: TimedQuery[] = [];
  for (const request of cold) coldTimes.push(await timed(request));
  let pauseMs: number | null = null;
  if (pause) {
    const t = performance.now();
    while ((await engine.diagnostics()).workingAhead && performance.now() - t < MAX_PAUSE_MS) await new Promise((resolve) => setTimeout(resolve, 50));
    pauseMs = performance.now() - t;
  }
  const changeTimes: Record<string, TimedQuery[]> = {};
  for (const [kind, requests] of Object.entries(changes)) {
    changeTimes[kind] = [];
    for (const request of requests) changeTimes[kind].push(await timed(request));
  }
  observer.disconnect();
  engine.release();
  return {
    loadMs,
    rows: Object.fromEntries(Object.entries(report.tables).map(([table, t]) => [table, t?.rowsAccepted ?? 0])),
    cold: coldTimes,
    changes: changeTimes,
    pauseMs,
    longTasks,
  };
};
document.getElementById('status')!.textContent = 'loaded';
