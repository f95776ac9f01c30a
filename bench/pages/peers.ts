// Benchmark page: our engine, DuckDB-Wasm and Arquero on the same bytes, each in its own worker,
// computing the same results (the `sql/` pack is DuckDB's side, bench/lib/arquero-results.ts Arquero's);
// uDSV and PapaParse for the parse stage alone. The page returns timings and every result as a JSON
// payload; the harness (bench/run.ts) compares them.
import * as duckdb from '@duckdb/duckdb-wasm';
import { createEngine, toPayload, type QueryRequest } from '../../src/engine.js';
import setupSql from '../../sql/setup.sql?raw';
import kpisSql from '../../sql/kpis.sql?raw';
import attributionSql from '../../sql/attribution.sql?raw';
import incrementalitySql from '../../sql/incrementality.sql?raw';
import retentionSql from '../../sql/retention.sql?raw';
import rfmSql from '../../sql/rfm.sql?raw';
import roasSql from '../../sql/roas.sql?raw';
import type { ParseRun } from './parse.worker.js';
import type { ArqueroJob } from './arquero.worker.js';
import type { ArqueroRun } from '../lib/arquero-results.js';
import { duckExtensionStatements, duckLoadStatements, duckPayload, duckQuery, headerLine, ORDERS_ONLY, RESULTS, TIMEZONE, warmRequests } from '../lib/results.js';
import { arrowToPlain, corePack, coreQuery } from '../lib/duckdb-core.js';

const PACK: Record<string, string> = { 'kpis.sql': kpisSql, 'attribution.sql': attributionSql, 'incrementality.sql': incrementalitySql, 'retention.sql': retentionSql, 'rfm.sql': rfmSql, 'roas.sql': roasSql };
const TABLES = ['orders', 'touches', 'costs', 'customers'] as const;
type Table = (typeof TABLES)[number];
export interface EngineRun {
  engine: string;
  /** Worker start (DuckDB: instantiate), not part of the comparison. */
  startMs: number;
  /** Bytes in the worker to tables ready. */
  ingestMs: number;
  /** Each result cold, in the order of the requests run (RESULTS, or ORDERS_ONLY for the orders-only pipeline). */
  coldMs: Record<string, number>;
  /** Warm re-queries after a parameter change. */
  warmMs: number[];
  /** Ours: each warm re-query's time inside the worker. */
  warmWorkerMs?: number[];
  /** Ours: each cold result's time inside the worker (the rest of coldMs is messaging and transfer). */
  workerMs?: Record<string, number>;
  /** Ours: the worker's JS heap after ingest (DevTools protocol, asked of the harness). */
  heapBytes?: number | null;
  /** Ours: sources of the load that parsed in a helper worker (on the second core). */
  sourcesInHelpers?: number;
  /** Parse time of each source, in ms: ours where it parsed (and the table build, `buildMs`); Arquero's steps of its ingest. */
  parseMs?: Record<string, number>;
  buildMs?: number;
  /** Ours: the page's main thread while the engine loaded and computed. */
  mainThread?: { longTasks: number[]; maxFrameGapMs: number };
  payloads: Record<string, unknown>;
  /**
   * DuckDB-Wasm past the smoke size: the results it could not compute (out of memory at 5m), by name,
   * with the error's first line; it goes on with the next result. Absent from coldMs and payloads.
   */
  failed?: Record<string, string>;
}

/** Watches the main thread: long tasks, and the longest gap between animation frames. */
function watchMainThread(): () => { longTasks: number[]; maxFrameGapMs: number } {
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(Math.round(entry.duration));
  });
  observer.observe({ type: 'longtask' });
  let last = performance.now();
  let maxGap = 0;
  let running = true;
  const frame = (now: number): void => {
    maxGap = Math.max(maxGap, now - last);
    last = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  return () => {
    running = false;
    observer.disconnect();
    return { longTasks, maxFrameGapMs: Math.round(maxGap) };
  };
}

export interface PeersRun {
  bytes: Record<Table, number>;
  engines: EngineRun[];
  parse: (ParseRun & { engine: string })[];
  /** Our orders parse: cold (the first load in a fresh worker) and warm (the fastest of three more), rows and money read. */
  ourParse: { ms: number; warmMs: number; rows: number; gross: number };
  /** Orders only: parse + monthly revenue + cohort matrix + RFM grid, ours, Arquero's and DuckDB-Wasm's. */
  ordersOnly: {
    ours: { totalMs: number; payloads: Record<string, unknown> };
    /** DuckDB-Wasm and Arquero: the orders file with the other tables empty (their header line alone). */
    duckdb: EngineRun | null;
    arquero: EngineRun | null;
  };
  /** Peers that failed (DuckDB-Wasm out of memory, say), with the error: left out of the tables. */
  failures: string[];
}

declare global {
  interface Window {
    /** Given by the harness: our worker's JS heap in bytes. */
    measureWorkerHeap?: () => Promise<number | null>;
    /** `keepGoing`: DuckDB-Wasm goes on past a result that fails (sizes past the smoke size, where its memory runs out). */
    runPeers(urls: Record<Table, string>, options: { warm: number; duckdb: boolean; duckdbWarm: number; duckdbExtensions: string | null; keepGoing: boolean; parsePeers: boolean; arquero: boolean; arqueroEvery: boolean }): Promise<PeersRun>;
  }
}

async function fetchBytes(urls: Record<Table, string>): Promise<Record<Table, ArrayBuffer>> {
  const out = {} as Record<Table, ArrayBuffer>;
  for (const t of TABLES) out[t] = await (await fetch(urls[t])).arrayBuffer();
  return out;
}

async function ours(bytes: Record<Table, ArrayBuffer>, warm: number): Promise<EngineRun> {
  // the page's input as byte arrays (copied before the watch: the copy is the page's work, not the
  // kit's). Blobs of a gigabyte fail to read back in a worker at 5m; plain buffers do not.
  const files = Object.fromEntries(TABLES.map((table) => [table, new Uint8Array(bytes[table].slice(0))]));
  await new Promise((resolve) => setTimeout(resolve, 200));
  const stopWatching = watchMainThread();
  let t = performance.now();
  const engine = createEngine({ timezone: TIMEZONE });
  await engine.diagnostics(); // the worker is up
  const startMs = performance.now() - t;
  t = performance.now();
  const loaded = await engine.load(files);
  const ingestMs = performance.now() - t;
  const parseMs = Object.fromEntries(loaded.sources.map((s) => [s.table, s.parseMs]));
  const buildMs = loaded.report.buildMs;
  const { sourcesInHelpers } = await engine.diagnostics();
  const coldMs: Record<string, number> = {};
  const workerMs: Record<string, number> = {};
  const payloads: Record<string, unknown> = {};
  for (const [name, request] of Object.entries(RESULTS)) {
    t = performance.now();
    const result = await engine.query(request as never);
    coldMs[name] = performance.now() - t;
    workerMs[name] = (await engine.diagnostics()).lastQueryMs;
    payloads[name] = toPayload(result);
  }
  const warmMs: number[] = [];
  const warmWorkerMs: number[] = [];
  for (const request of warmRequests(warm)) {
    t = performance.now();
    await engine.query(request as never);
    warmMs.push(performance.now() - t);
    warmWorkerMs.push((await engine.diagnostics()).lastQueryMs);
  }
  engine.dispose();
  const mainThread = stopWatching();
  const heapBytes = await settledHeap(bytes);
  return { engine: 'ours', startMs, ingestMs, coldMs, warmMs, warmWorkerMs, workerMs, mainThread, heapBytes, sourcesInHelpers, parseMs, buildMs, payloads };
}

/**
 * Our worker's memory after ingest, once it settles, from a load of its own after the timed run. The
 * holdout lift's scope runs, built in a helper, land after the load returns (76 MB of typed arrays at
 * 1m): read at once, the heap was 1.00× the input or 1.35× by the moment, so the reading waits for
 * them (`runsPending`). The timed run cannot wait, or its first lift query would find the runs made.
 */
async function settledHeap(bytes: Record<Table, ArrayBuffer>): Promise<number | null> {
  if (window.measureWorkerHeap === undefined) return null;
  const engine = createEngine({ timezone: TIMEZONE });
  try {
    await engine.load(Object.fromEntries(TABLES.map((table) => [table, new Uint8Array(bytes[table].slice(0))])));
    const settle = performance.now();
    while ((await engine.diagnostics()).runsPending > 0 && performance.now() - settle < 10_000) await new Promise((resolve) => setTimeout(resolve, 20));
    return await window.measureWorkerHeap();
  } finally {
    engine.dispose();
  }
}

/**
 * DuckDB-Wasm in its own worker. With an extension repository (`extensions`), the pack as written,
 * its json and icu extensions loaded from there; without one, the pack in the core dialect
 * (bench/lib/duckdb-core.ts): no extension is loaded, and each result is read from its Arrow value.
 */
async function duck(bytes: Record<Table, ArrayBuffer>, warm: number, extensions: string | null, keepGoing: boolean, requests: Record<string, QueryRequest> = RESULTS): Promise<EngineRun> {
  let t = performance.now();
  const worker = new Worker(new URL('/duckdb/duckdb-browser-eh.worker.js', location.href));
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  // a failure (out of memory at 5m) ends the worker too, so its heap does not weigh on the next engine
  try {
    await db.instantiate(new URL('/duckdb/duckdb-eh.wasm', location.href).href);
    const raw = await db.connect();
    // errors name the statement that failed
    const conn = {
      query: async (sql: string) => {
        try {
          return await raw.query(sql);
        } catch (error) {
          throw new Error(`DuckDB-Wasm: ${error instanceof Error ? error.message : String(error)} in: ${sql.replace(/\s+/g, ' ').slice(0, 160)}`);
        }
      },
      close: () => raw.close(),
    };
    const core = extensions === null ? corePack({ ...PACK, 'setup.sql': setupSql }) : null;
    if (extensions !== null) {
      // DuckDB-Wasm downloads its json and icu extensions at run time (from extensions.duckdb.org unless
      // told otherwise); the harness points it at the repository it was given
      for (const statement of duckExtensionStatements(extensions)) await conn.query(statement);
    } else {
      // nothing may try to download an extension (a failed autoload aborts the instance)
      await conn.query('SET autoload_known_extensions = false');
      await conn.query('SET autoinstall_known_extensions = false');
    }
    const startMs = performance.now() - t;
    t = performance.now();
    for (const table of TABLES) await db.registerFileBuffer(`${table}.csv`, new Uint8Array(bytes[table].slice(0)));
    for (const statement of duckLoadStatements((table) => `${table}.csv`, core?.files['setup.sql'] ?? setupSql)) await conn.query(statement);
    const ingestMs = performance.now() - t;
    // registerFileBuffer copies each file into the Wasm heap, beside the tables: once loaded they are
    // dropped (as our engine drops its bytes), which leaves the queries that room (about 1 GB at 5m)
    await db.dropFiles(TABLES.map((table) => `${table}.csv`));
    const run = async (request: QueryRequest): Promise<unknown> => {
      if (core === null) return duckPayload((await conn.query(duckQuery(request, PACK))).getChildAt(0)!.get(0));
      return arrowToPlain((await conn.query(coreQuery(request, core, TIMEZONE))).getChildAt(0)!.get(0));
    };
    const coldMs: Record<string, number> = {};
    const payloads: Record<string, unknown> = {};
    const failed: Record<string, string> = {};
    for (const [name, request] of Object.entries(requests)) {
      t = performance.now();
      try {
        payloads[name] = await run(request);
      } catch (error) {
        // an error inside DuckDB leaves the instance usable: the results it can compute are still measured
        // (at 5m none fits in its 3.1 GiB, each on its own: native DuckDB under the same limit agrees)
        if (!keepGoing) throw error;
        failed[name] = (error instanceof Error ? error.message : String(error)).split('\n')[0]!;
        continue;
      }
      coldMs[name] = performance.now() - t;
    }
    const warmMs: number[] = [];
    // the window changes re-run attribution, which must have completed cold
    if (Object.keys(failed).length > 0) return { engine: 'DuckDB-Wasm', startMs, ingestMs, coldMs, warmMs, payloads, failed };
    for (const request of warmRequests(warm)) {
      t = performance.now();
      await run(request);
      warmMs.push(performance.now() - t);
    }
    await conn.close();
    return { engine: 'DuckDB-Wasm', startMs, ingestMs, coldMs, warmMs, payloads };
  } finally {
    await db.terminate();
  }
}

/**
 * Parses after the first in the same worker, for the warm parse times (ours and uDSV): the fastest of
 * the repeats after the first. Our parser in a fresh worker took 284–289 ms on the 1m orders, then 266–281
 * and 244–254 ms on the fourth (bench/README.md, "Where the first parse's extra time goes").
 */
const PARSE_REPEATS = 4;

function parsePeer(engine: ParseRun['engine'], bytes: ArrayBuffer, repeats = 1): Promise<ParseRun> {
  const worker = new Worker(new URL('./parse.worker.ts', import.meta.url), { type: 'module' });
  return new Promise<ParseRun>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<ParseRun>) => resolve(event.data);
    worker.onerror = (event) => reject(new Error(`${engine} failed: ${event.message}`));
    const copy = bytes.slice(0);
    worker.postMessage({ engine, bytes: copy, repeats }, [copy]);
  }).finally(() => worker.terminate());
}

/**
 * Ours on the orders bytes alone: the load report's parse time, rows read and the gross sum (for the
 * parse peers), and the orders-only pipeline time (load + monthly revenue + cohort matrix + RFM grid).
 */
async function ourOrders(bytes: ArrayBuffer): Promise<{ parse: { ms: number; warmMs: number; rows: number; gross: number }; totalMs: number; payloads: Record<string, unknown> }> {
  const engine = createEngine({ timezone: TIMEZONE });
  await engine.diagnostics();
  const blob = new Blob([bytes]);
  const t = performance.now();
  const { sources } = await engine.load({ orders: blob });
  const results: unknown[] = [];
  for (const request of Object.values(ORDERS_ONLY)) results.push(await engine.query(request as never));
  const totalMs = performance.now() - t;
  const payloads = Object.fromEntries(Object.keys(ORDERS_ONLY).map((name, i) => [name, toPayload(results[i] as never)]));
  const kpis = await engine.query({ kind: 'kpis', params: {} });
  // the same bytes again in the same worker, each load replacing the last: the warm parse
  const later: number[] = [];
  for (let k = 1; k < PARSE_REPEATS; k++) later.push((await engine.load({ orders: blob })).sources[0]!.parseMs);
  engine.dispose();
  const source = sources[0]!;
  return { parse: { ms: source.parseMs, warmMs: Math.min(...later), rows: source.rowsRead, gross: kpis.current.netRevenue }, totalMs, payloads };
}

/** How long Arquero may take: every result takes about 45 s at 1m. */
const ARQUERO_LIMIT_MS = 20 * 60_000;

/**
 * Arquero in its own worker on the four files (`bytes`; ordersAlone for the orders-only pipeline), to
 * the results of `requests` by name. Its ingest is the files' decoding and parsing, the merge of line
 * items into orders, and the data's range and channels; each result is its own time in the worker
 * (shared steps, the purchases' last touches, in the first result that needs them). Times inside its
 * worker, where ours are round trips from the page: the comparison leans Arquero's way by our messaging.
 */
async function arquero(bytes: Record<Table, ArrayBuffer>, requests: Record<string, QueryRequest>): Promise<EngineRun> {
  const t = performance.now();
  const worker = new Worker(new URL('./arquero.worker.ts', import.meta.url), { type: 'module' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  // the worker says 'ready' once loaded, then sends the run; a worker the browser ends for its memory
  // may report nothing, so the run gives up after ARQUERO_LIMIT_MS
  const messages: ((value: unknown) => void)[] = [];
  const failed = new Promise<never>((_, reject) => {
    worker.onmessageerror = () => reject(new Error('Arquero failed: its answer could not be read'));
    worker.onerror = (event) => reject(new Error(`Arquero failed: ${event.message}`));
    timer = setTimeout(() => reject(new Error(`Arquero gave no answer in ${ARQUERO_LIMIT_MS / 60_000} minutes (out of memory?)`)), ARQUERO_LIMIT_MS);
  });
  const next = <T>(): Promise<T> => Promise.race([new Promise<T>((resolve) => messages.push(resolve as (value: unknown) => void)), failed]);
  worker.onmessage = (event: MessageEvent) => messages.shift()?.(event.data);
  try {
    await next<'ready'>();
    const startMs = performance.now() - t;
    const tables = Object.fromEntries(TABLES.map((table) => [table, bytes[table].slice(0)])) as Record<Table, ArrayBuffer>;
    const answer = next<ArqueroRun>();
    worker.postMessage({ tables, requests } satisfies ArqueroJob, Object.values(tables));
    const run = await answer;
    const ingestMs = Object.values(run.parseMs).reduce((a, b) => a + b, 0);
    return { engine: 'Arquero', startMs, ingestMs, coldMs: run.resultMs, warmMs: [], parseMs: run.parseMs, payloads: run.payloads };
  } finally {
    clearTimeout(timer);
    worker.terminate();
  }
}

/** The orders' bytes with the other tables empty: each its header line alone. */
function ordersAlone(bytes: Record<Table, ArrayBuffer>): Record<Table, ArrayBuffer> {
  const header = (table: Table): ArrayBuffer => headerLine(new Uint8Array(bytes[table], 0, Math.min(4096, bytes[table].byteLength)), table).buffer as ArrayBuffer;
  return { orders: bytes.orders, touches: header('touches'), costs: header('costs'), customers: header('customers') };
}

window.runPeers = async (urls, options) => {
  const bytes = await fetchBytes(urls);
  const engines: EngineRun[] = [await ours(bytes, options.warm)];
  const failures: string[] = [];
  const attempt = async <T>(what: string, work: () => Promise<T>): Promise<T | null> => {
    try {
      return await work();
    } catch (error) {
      failures.push(`${what}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };
  // the results DuckDB-Wasm could not compute are reported as failures too
  const partial = (what: string, run: EngineRun | null): EngineRun | null => {
    for (const [name, error] of Object.entries(run?.failed ?? {})) failures.push(`${what}: ${name}: ${error}`);
    return run;
  };
  const duckRun = options.duckdb ? partial('DuckDB-Wasm, every result', await attempt('DuckDB-Wasm, every result', () => duck(bytes, options.duckdbWarm, options.duckdbExtensions, options.keepGoing))) : null;
  if (duckRun !== null) engines.push(duckRun);
  const arqueroRun = options.arquero && options.arqueroEvery ? await attempt('Arquero, every result', () => arquero(bytes, RESULTS)) : null;
  if (arqueroRun !== null) engines.push(arqueroRun);
  const parse: (ParseRun & { engine: string })[] = [];
  // uDSV warm as well as cold, as ours; PapaParse, the familiar baseline, cold only
  if (options.parsePeers) for (const engine of ['uDSV', 'PapaParse'] as const) parse.push(await parsePeer(engine, bytes.orders, engine === 'uDSV' ? PARSE_REPEATS : 1));
  const orders = await ourOrders(bytes.orders);
  return {
    bytes: Object.fromEntries(TABLES.map((t) => [t, bytes[t].byteLength])) as Record<Table, number>,
    engines,
    parse,
    ourParse: orders.parse,
    ordersOnly: {
      ours: { totalMs: orders.totalMs, payloads: orders.payloads },
      duckdb: options.duckdb ? partial('DuckDB-Wasm, orders only', await attempt('DuckDB-Wasm, orders only', () => duck(ordersAlone(bytes), 0, options.duckdbExtensions, options.keepGoing, ORDERS_ONLY))) : null,
      arquero: options.arquero ? await attempt('Arquero, orders only', () => arquero(ordersAlone(bytes), ORDERS_ONLY)) : null,
    },
    failures,
  };
};
document.getElementById('status')!.textContent = 'loaded';
