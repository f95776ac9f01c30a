// Benchmark page: loads one CSV URL into the engine's worker and measures the page while it does.
import { createEngine } from '../../src/engine.js';

/** What one ingest run measured. */
export interface IngestRun {
  bytes: number;
  rows: number;
  /** From the call to the resolved load (download, parse, build). */
  wallMs: number;
  /** From the call to the last chunk acknowledged by the worker. */
  readMs: number;
  /** Worker time spent parsing (sum over chunks). */
  parseMs: number;
  /** Worker time spent building tables and indexes. */
  buildMs: number;
  longTasks: number[];
  /** Longest gap between animation frames on the page. */
  maxFrameGapMs: number;
  progressEvents: number;
  /** Milliseconds from the call to each source's last read progress (by source name), and to the build phase. */
  timeline: Record<string, number>;
}

declare global {
  interface Window {
    /**
     * Loads `url` as orders, or several tables from their URLs; with `keep`, the engine (and its worker)
     * stays alive afterwards, for profiling. With `asFiles`, the page downloads the files first (not
     * timed) and hands them over as Blobs, as a drop of local files does: the worker then reads them.
     */
    runIngest(url: string | Record<string, string>, keep?: boolean, asFiles?: boolean): Promise<IngestRun>;
  }
}

const kept: unknown[] = [];

window.runIngest = async (url: string | Record<string, string>, keep = false, asFiles = false): Promise<IngestRun> => {
  const urls = typeof url === 'string' ? { orders: url } : url;
  const sources: Record<string, string | Blob> = { ...urls };
  if (asFiles) {
    for (const [table, href] of Object.entries(urls)) sources[table] = new Blob([await (await fetch(href)).arrayBuffer()]);
    // the copy into the last Blob is a long task of this page's own (about 100 ms for 140 MB); the
    // observer below reports a task that ends after it starts observing, so let that one end first
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
  });
  observer.observe({ type: 'longtask' });
  let frames = true;
  let last = performance.now();
  let maxGap = 0;
  const frame = (now: number): void => {
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (frames) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const engine = createEngine({ timezone: 'UTC' });
  let readDone = 0;
  let events = 0;
  const timeline: Record<string, number> = {};
  const started = performance.now();
  const { report, sources: loaded } = await engine.load(
    sources,
    {
      onProgress: (p) => {
        events++;
        const now = performance.now();
        if (p.phase === 'read') {
          readDone = now;
          timeline[p.table] = now - started;
        } else {
          timeline[p.phase] = now - started;
        }
      },
    },
  );
  const wallMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 100));
  frames = false;
  observer.disconnect();
  if (keep) kept.push(engine);
  else engine.release();
  return {
    bytes: loaded.reduce((sum, s) => sum + s.bytes, 0),
    rows: loaded.reduce((sum, s) => sum + s.rowsAccepted, 0),
    wallMs,
    readMs: readDone - started,
    parseMs: loaded.reduce((sum, s) => sum + s.parseMs, 0),
    buildMs: report.buildMs,
    longTasks,
    maxFrameGapMs: maxGap,
    progressEvents: events,
    timeline,
  };
};
document.getElementById('status')!.textContent = 'loaded';
