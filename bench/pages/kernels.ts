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
  longTasks: number[];
}

declare global {
  interface Window {
    runKernels(urls: Record<string, string>, cold: QueryRequest[], changes: Record<string, QueryRequest[]>): Promise<KernelsRun>;
  }
}

window.runKernels = async (urls, cold, changes): Promise<KernelsRun> => {
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
    longTasks,
  };
};
document.getElementById('status')!.textContent = 'loaded';
