/**
 * The main-thread handle of one dataset in one worker: loads sources into it with progress and
 * cancellation, answers queries, counts its users, and terminates the worker when the last one leaves.
 * When the worker dies, pending calls fail at once; the next call starts a new worker and reloads the
 * dataset from its sources.
 */
import { resolveWorkerUrl, startKitWorker } from './kit-worker.js';
import { CrmError, toCrmError } from '../core/errors.js';
import { ownBytes } from '../core/http.js';
import { resolveDatasetOptions, type DatasetOptions, type SourceEncoding, type SourceFormat, type SourceSpec } from '../core/options.js';
import type { ChunkAck, EngineStats, LoadMode, WorkerInput } from '../core/protocol.js';
import type { DatasetReport, LoadProgress, SourceReport } from '../core/report.js';
import { TABLE_NAMES, type TableName } from '../core/schema.js';
import type { QueryRequest } from '../core/queries.js';
import type { QueryResult } from '../core/results.js';
import type { DatasetColumns } from '../core/tables.js';
import { proxy } from 'comlink';
import { largestSource, openSource, workerInput, type DataSource, type Fetcher, type OpenedSource } from './sources.js';
import { RESTARTED, WorkerConnection, type WorkerSource } from './worker-connection.js';

/**
 * Sources of one load that stream at once when their sizes are not all known. The worker parses one and
 * hands another to a helper worker, so two use two cores; more would only interleave on the same two.
 */
const PARALLEL_SOURCES = 2;
/**
 * Sources streamed at once when every size is known: the largest parses in the worker and all the
 * others share the helpers, so they can all begin (a cap, not a target: loads have about four).
 */
const MARKED_PARALLEL_SOURCES = 8;

/**
 * Batches of a source sent before the first is acknowledged. A source parsing in a helper is relayed
 * by a worker busy parsing another one; with two in flight, parsing on two cores gained nothing
 * measurable at 1m (bench/README.md). The worker lets relayed batches go before its own (each of its
 * own waits a task); with that, 8 or 16 in flight measured the same as 4.
 */
const CHUNKS_IN_FLIGHT = 4;

/** Options of an engine: the dataset options plus how to run and feed the worker. */
export interface EngineOptions extends DatasetOptions {
  /** The worker to use, or a function that creates one. Default: the kit's own module worker. */
  worker?: WorkerSource;
  /**
   * URL of the kit's worker script (`crm.worker.js`) when the host serves it itself, e.g. from its
   * own origin under a strict CSP. Default: next to the kit's script, which works from any origin.
   */
  workerUrl?: string | URL;
  /** Time limit of each worker call in ms. Default 60,000. */
  timeoutMs?: number;
  /** Longest wait for the next bytes of a download in ms. Default 30,000. */
  idleTimeoutMs?: number;
  /** Options for `fetch` of URL sources (headers, credentials). Never put credentials in attributes. */
  fetchOptions?: RequestInit;
  /** A fetch replacement (for hosts with their own HTTP client). */
  fetcher?: Fetcher;
  /** Base for relative URLs. Default: the document's base URL. */
  baseUrl?: string;
}

/** Tables and their sources; `src` is a single JSON document (or file of any table, detected). */
export type LoadInput =
  | Partial<Record<TableName | 'src', DataSource | DataSource[]>>
  | DataSource
  | DataSource[];

/** Options of one `load` call. */
export interface LoadOptions {
  /** Cancels the load; the dataset keeps its previous data. */
  signal?: AbortSignal;
  /** Called as each source begins (no bytes yet), as bytes are read and rows parsed, and as the tables are built; in order. */
  onProgress?: (progress: LoadProgress) => void;
  /** `replace` (default): tables in this load replace the dataset's; `append`: rows are added. */
  mode?: LoadMode;
  /** Format of every source; default detected. */
  format?: SourceFormat | 'auto';
  /** CSV delimiter; default detected. */
  delimiter?: ',' | ';' | '\t' | '|' | 'auto';
  /** Text encoding; default detected. */
  encoding?: SourceEncoding | 'auto';
}

/** What a load returns. */
export interface LoadResult {
  /** The dataset after the load. */
  report: DatasetReport;
  /** One report per source and table read. */
  sources: SourceReport[];
}

interface PlannedSource {
  table: TableName | 'auto';
  source: DataSource;
}

/** Creates the kit's own worker (see kit-worker.ts for where its script comes from). */
export function defaultWorker(workerUrl?: string | URL): Worker {
  return startKitWorker(workerUrl);
}

function isDataSource(value: unknown): value is DataSource {
  return (
    typeof value === 'string' ||
    value instanceof URL ||
    value instanceof Blob ||
    value instanceof ArrayBuffer ||
    value instanceof Uint8Array ||
    (typeof ReadableStream !== 'undefined' && value instanceof ReadableStream) ||
    (typeof value === 'object' && value !== null && 'url' in value)
  );
}

/** Expands a load input into (table, source) pairs. */
export function planSources(input: LoadInput): PlannedSource[] {
  if (Array.isArray(input)) {
    // an array of objects is rows of one table; an array of files/URLs is several sources
    if (input.length > 0 && input.every(isDataSource)) return input.map((source) => ({ table: 'auto' as const, source }));
    return [{ table: 'auto', source: input as DataSource }];
  }
  if (isDataSource(input)) return [{ table: 'auto', source: input }];
  const planned: PlannedSource[] = [];
  for (const [key, value] of Object.entries(input as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    if (key !== 'src' && !TABLE_NAMES.includes(key as TableName)) {
      throw new CrmError('bad-option', `load() got an unknown table "${key}".`, { hint: `Use ${TABLE_NAMES.join(', ')} or src.` });
    }
    const table = key === 'src' ? 'auto' : (key as TableName);
    const list = Array.isArray(value) && value.length > 0 && value.every(isDataSource) ? value : [value];
    for (const source of list) planned.push({ table, source: source as DataSource });
  }
  if (planned.length === 0) throw new CrmError('bad-option', 'load() was called without any source.');
  return planned;
}

/** A dataset living in a worker. */
export class CrmEngine {
  private options: EngineOptions;
  private datasetOptions: DatasetOptions;
  private connection: WorkerConnection | null = null;
  private dataset = 0;
  private starting: Promise<void> | null = null;
  private refs = 1;
  private workerGeneration = 0;
  /** The loads that made the dataset, to read again in a new worker (after a crash, or new options). */
  private history: { input: LoadInput; options: LoadOptions; tables: ReadonlySet<TableName> }[] = [];
  /**
   * Called each time a worker started again after a crash has read the dataset's loads again: its
   * results are another generation, and sources may have answered otherwise, so results shown from
   * before are stale.
   */
  onRestart: (() => void) | null = null;
  /** Settles when the loads and re-reads asked for so far have (see `serial`). */
  private queue: Promise<unknown> = Promise.resolve();
  /** The re-read under new options in progress, if any (see `whole`). */
  private replaying: Promise<unknown> | null = null;
  /** Aborted when the engine ends: stops every load, so that nothing waits on one for ever. */
  private readonly lifetime = new AbortController();

  constructor(options: EngineOptions = {}) {
    this.options = options;
    this.datasetOptions = checkOptions(options);
  }

  /**
   * Takes new options (time zone, column mapping, decimal separator, ...) and reads the dataset's loads
   * again under them, in a new worker: the values were read under the old options and cannot be
   * converted. `next`, when given, is a load that comes with the new options (the sources of another
   * account, say): it loads last, and the loads of only the tables it names are not read again, since
   * it replaces them. Resolves with the last load's result, or null when nothing had been loaded. When
   * a load fails, every earlier load is kept, so that a second call (a retry) reads them all again.
   */
  async reconfigure(options: EngineOptions, loadOptions: Pick<LoadOptions, 'signal' | 'onProgress'> = {}, next?: LoadInput): Promise<LoadResult | null> {
    const datasetOptions = checkOptions(options);
    const replaced = new Set(next === undefined ? [] : planSources(next).map((planned) => planned.table));
    this.assertAlive();
    // results from here on are of another generation; queries wait until the new worker holds every load
    this.workerGeneration++;
    const replay = this.serial(async () => {
      this.assertAlive();
      const history = this.history;
      this.options = options;
      this.datasetOptions = datasetOptions;
      this.shutdown();
      this.starting = null;
      let last: LoadResult | null = null;
      try {
        for (const entry of history) {
          if (![...entry.tables].every((t) => replaced.has(t))) last = await this.loadNow(entry.input, { ...entry.options, ...loadOptions });
        }
        if (next !== undefined) last = await this.loadNow(next, loadOptions);
      } catch (error) {
        // the new worker holds part of the data: drop it, so that the next call reads every load again
        this.shutdown();
        this.history = history;
        throw toCrmError(error);
      }
      return last;
    });
    this.replaying = replay;
    const done = (): void => {
      if (this.replaying === replay) this.replaying = null;
    };
    replay.then(done, done);
    return replay;
  }

  /** Replaces how URL sources are fetched (new credentials, say) for the loads that follow. */
  setRequestOptions(fetchOptions: RequestInit | undefined, fetcher: Fetcher | undefined): void {
    const { fetchOptions: _o, fetcher: _f, ...rest } = this.options;
    void _o;
    void _f;
    this.options = { ...rest, ...(fetchOptions !== undefined ? { fetchOptions } : {}), ...(fetcher !== undefined ? { fetcher } : {}) };
  }

  /** Number of users holding the engine. */
  get refCount(): number {
    return this.refs;
  }

  /** Whether the engine was released by its last user (or disposed). */
  get disposed(): boolean {
    return this.refs <= 0;
  }

  /** Registers one more user. */
  retain(): this {
    if (this.disposed) throw new CrmError('disposed', 'This analytics engine was already disposed.');
    this.refs++;
    return this;
  }

  /** Unregisters a user; the last release terminates the worker. */
  release(): void {
    if (this.refs <= 0) return;
    this.refs--;
    if (this.refs === 0) this.end();
  }

  /** Terminates the worker now, whatever the count. */
  dispose(): void {
    this.refs = 0;
    this.end();
  }

  /** The end of the engine: its worker, and every load in flight or waiting (a stalled stream's too). */
  private end(): void {
    this.lifetime.abort();
    this.shutdown();
  }

  /**
   * Loads sources into the dataset: `{ orders: file, touches: url }`, a single JSON document
   * (`{ src: url }`), one file of any table, or an array of files. Tables in the load replace the
   * dataset's tables (or add to them with `mode: 'append'`); the dataset changes only when every
   * source has loaded, so a failed or cancelled load leaves it as it was. Loads and re-reads
   * (`reconfigure`) run one at a time, in the order they were asked for.
   */
  async load(input: LoadInput, options: LoadOptions = {}): Promise<LoadResult> {
    return this.serial(() => this.loadNow(input, options));
  }

  /**
   * Runs `step` after the loads and re-reads already asked for have settled: one at a time, each on the
   * dataset the one before left (a re-read that was cancelled, say, has put its loads back and ended
   * its worker before the next load starts).
   */
  private serial<T>(step: () => Promise<T>): Promise<T> {
    const result = this.queue.then(step);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Waits while a re-read under new options fills a new worker, whose data is not whole until it ends. */
  private async whole(): Promise<WorkerConnection> {
    // a settled re-read has cleared itself (its own callback runs first): a newer one may have begun
    while (this.replaying !== null) await this.replaying.catch(() => undefined);
    return this.ready();
  }

  private async loadNow(input: LoadInput, options: LoadOptions): Promise<LoadResult> {
    const planned = planSources(input);
    const connection = await this.ready();
    const result = await this.loadInto(connection, planned, options);
    // a load that replaces tables makes the earlier loads of only those tables redundant
    const tables = new Set(result.sources.map((s) => s.table));
    if (options.mode !== 'append') this.history = this.history.filter((entry) => ![...entry.tables].every((t) => tables.has(t)));
    this.history.push({ input, options: pick(options), tables });
    return result;
  }

  private async loadInto(connection: WorkerConnection, planned: PlannedSource[], options: LoadOptions): Promise<LoadResult> {
    const outer = options.signal ?? new AbortController().signal;
    if (outer.aborted) throw new CrmError('aborted', 'The load was cancelled before it started.');
    const loadId = await connection.call('beginLoad', [this.dataset, options.mode ?? 'replace']);
    // one failed source stops the others; the caller's signal stops them all
    const stop = new AbortController();
    const onOuterAbort = (): void => stop.abort();
    outer.addEventListener('abort', onOuterAbort);
    this.lifetime.signal.addEventListener('abort', onOuterAbort);
    // a cancel while the worker began the load came before the listener
    if (outer.aborted || this.lifetime.signal.aborted) stop.abort();
    const signal = stop.signal;
    const bytesBy = new Array<number>(planned.length).fill(0);
    const rowsBy = new Array<number>(planned.length).fill(0);
    const reportsBy: SourceReport[][] = planned.map(() => []);
    /** Names of the sources being read, by index in the load. */
    const reading = new Map<number, string>();
    const context = {
      signal,
      fetchOptions: this.options.fetchOptions,
      fetcher: this.options.fetcher,
      idleTimeoutMs: this.options.idleTimeoutMs ?? 30_000,
      baseUrl: this.options.baseUrl ?? (typeof document !== 'undefined' ? document.baseURI : undefined),
    };
    const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
    const loadSource = async (k: number, sourceId: number, name: string, size: number | null, direct: ReturnType<typeof workerInput>, opened: OpenedSource | null): Promise<void> => {
      const { table } = planned[k]!;
      const report = (): void => {
        if (signal.aborted) return;
        options.onProgress?.({
          table,
          source: name,
          sourceIndex: k,
          sourceCount: planned.length,
          bytesRead: bytesBy[k]!,
          bytesTotal: size,
          rowsParsed: rowsBy[k]!,
          totalBytesRead: sum(bytesBy),
          totalRowsParsed: sum(rowsBy),
          reading: [...reading].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]),
          phase: 'read',
        });
      };
      reading.set(k, name);
      // at once, before the first bytes: the progress no longer says what the load before did (its build)
      report();
      // cancelled while the source was opened or begun, or by that report's listener: the abort event
      // has passed, and the read below would not see it
      if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
      // the worker's progress calls come through their own message port, so one may arrive after
      // the read has returned: it is then dropped, and the read's own answer is reported instead
      let done = false;
      if (direct !== null) {
        const read = await this.readInWorker(connection, sourceId, direct.input, signal, (ack) => {
          if (done) return;
          bytesBy[k] = ack.bytes;
          rowsBy[k] = ack.rows;
          if (ack.total !== undefined && ack.total !== null) size = ack.total;
          report();
        });
        done = true;
        if (read.bytes !== bytesBy[k] || read.rows !== rowsBy[k]) {
          bytesBy[k] = read.bytes;
          rowsBy[k] = read.rows;
          if (read.total !== undefined && read.total !== null) size = read.total;
          report();
        }
      } else {
        bytesBy[k] = await this.pushFromHere(connection, sourceId, opened!.chunks, signal, (sent, ack) => {
          bytesBy[k] = sent;
          rowsBy[k] = ack.rows;
          report();
        });
      }
      if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
      reading.delete(k);
      const reports = await connection.call('endSource', [sourceId]);
      reportsBy[k] = reports;
      rowsBy[k] = reports.reduce((n, r) => Math.max(n, r.rowsRead), rowsBy[k]!);
    };
    // Sources begin in their order (the dataset keeps rows in that order) and up to PARALLEL_SOURCES
    // stream at once: the worker parses one and hands the other to a helper worker on another core
    // (when every size is known, see largestSource, the largest parses in the worker, the others all
    // begin at once and share the helpers: they are then off the critical path).
    const running = new Set<Promise<void>>();
    let failure: unknown = null;
    const largest = largestSource(planned.map((p) => p.source));
    const parallel = largest >= 0 ? MARKED_PARALLEL_SOURCES : PARALLEL_SOURCES;
    try {
      for (let k = 0; k < planned.length && failure === null && !signal.aborted; k++) {
        const { table, source } = planned[k]!;
        const direct = workerInput(source, context);
        const opened = direct === null ? await openSource(source, context) : null;
        const name = direct !== null ? direct.name : opened!.name;
        const size = direct !== null ? direct.size : opened!.size;
        const spec: SourceSpec = { name, table };
        const format = opened?.format ?? options.format;
        if (format !== undefined && format !== null) spec.format = format;
        if (options.delimiter !== undefined) spec.delimiter = options.delimiter;
        if (options.encoding !== undefined) spec.encoding = options.encoding;
        if (size !== null) spec.size = size;
        if (largest >= 0) spec.largest = k === largest;
        const sourceId = await connection.call('beginSource', [loadId, spec]);
        const task: Promise<void> = loadSource(k, sourceId, name, size, direct, opened).then(
          () => void running.delete(task),
          (error: unknown) => {
            running.delete(task);
            if (failure === null) failure = error;
            stop.abort();
          },
        );
        running.add(task);
        while (running.size >= parallel) await Promise.race(running);
      }
      await Promise.all(running);
      if (failure !== null) throw failure;
      if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
      options.onProgress?.({
        table: planned.length === 1 ? planned[0]!.table : 'auto',
        source: '',
        sourceIndex: planned.length,
        sourceCount: planned.length,
        bytesRead: 0,
        bytesTotal: null,
        rowsParsed: 0,
        totalBytesRead: sum(bytesBy),
        totalRowsParsed: sum(rowsBy),
        reading: [],
        phase: 'build',
      });
      const report = await connection.call('commitLoad', [loadId]);
      return { report, sources: reportsBy.flat() };
    } catch (error) {
      stop.abort();
      await Promise.all(running);
      // ended by dispose(): not a cancel, which the dataset would take as 'leave the data as it was'
      const thrown = this.lifetime.signal.aborted
        ? new CrmError('disposed', 'The analytics engine was disposed.')
        : outer.aborted
          ? new CrmError('aborted', 'The load was cancelled.')
          : toCrmError(failure ?? error);
      if (connection.alive) void connection.call('abortLoad', [loadId]).catch(() => undefined);
      throw thrown;
    } finally {
      outer.removeEventListener('abort', onOuterAbort);
      this.lifetime.signal.removeEventListener('abort', onOuterAbort);
    }
  }

  /**
   * Has the worker read a File, Blob or URL itself, with progress through a callback. Cancelling the
   * signal stops the read in the worker; a worker that stops reporting for the time limit is treated
   * as hung (it is terminated and the load fails with `timeout`).
   */
  private async readInWorker(
    connection: WorkerConnection,
    sourceId: number,
    input: WorkerInput,
    signal: AbortSignal,
    onAck: (ack: ChunkAck) => void,
  ): Promise<ChunkAck> {
    const limit = Math.max(this.options.timeoutMs ?? 60_000, (this.options.idleTimeoutMs ?? 30_000) + 5_000);
    let last = Date.now();
    const progress = proxy((ack: ChunkAck) => {
      last = Date.now();
      if (!signal.aborted) onAck(ack);
    });
    const onAbort = (): void => void connection.call('cancelSource', [sourceId]).catch(() => undefined);
    signal.addEventListener('abort', onAbort);
    const watchdog = setInterval(() => {
      if (Date.now() - last > limit) {
        connection.terminate(
          new CrmError('timeout', `The analytics worker stopped reading for ${Math.round(limit / 1000)} s.`, {
            hint: RESTARTED,
          }),
        );
      }
    }, Math.min(1000, limit));
    try {
      return await connection.call('readSource', [sourceId, input, progress], { timeoutMs: Number.POSITIVE_INFINITY });
    } finally {
      clearInterval(watchdog);
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Reads a source on the main thread and transfers its batches to the worker, four in flight at a
   * time; progress is reported in chunk order. Returns the bytes sent.
   */
  private async pushFromHere(
    connection: WorkerConnection,
    sourceId: number,
    chunks: AsyncIterable<Uint8Array>,
    signal: AbortSignal,
    onAck: (bytesSent: number, ack: ChunkAck) => void,
  ): Promise<number> {
    let sentTotal = 0;
    let acked = 0;
    const inFlight: Promise<void>[] = [];
    let previous: Promise<void> = Promise.resolve();
    for await (const chunk of chunks) {
      if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
      const owned = ownBytes(chunk);
      const buffer = owned.buffer as ArrayBuffer;
      sentTotal += owned.length;
      const upTo = sentTotal;
      const ack = connection.call('pushChunk', [sourceId, buffer], { transfer: [buffer] });
      const before = previous;
      previous = ack.then(async (a) => {
        await before;
        if (signal.aborted) return;
        acked = upTo;
        onAck(acked, a);
      });
      inFlight.push(previous);
      if (inFlight.length >= CHUNKS_IN_FLIGHT) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return sentTotal;
  }

  /** The report of the dataset's current data. */
  async report(): Promise<DatasetReport> {
    const connection = await this.whole();
    return connection.call('report', [this.dataset]);
  }

  /**
   * Runs a query: `kpis`, `attribution`, `incrementality`, `retention`, `rfm`, `rfm-customers` or
   * `roas` (metrics.md). Results are columnar; typed arrays cross from the worker without a copy.
   */
  async query<K extends QueryRequest['kind']>(request: Extract<QueryRequest, { kind: K }>): Promise<Extract<QueryResult, { kind: K }>> {
    const connection = await this.whole();
    return (await connection.call('query', [this.dataset, request])) as Extract<QueryResult, { kind: K }>;
  }

  /** The dataset's columns (a copy; for exports, tests and custom analyses). */
  async columns(): Promise<DatasetColumns> {
    const connection = await this.whole();
    return connection.call('columns', [this.dataset]);
  }

  /**
   * How many times the worker was started again after it died (the data was reloaded each time);
   * results of different generations may differ.
   */
  get generation(): number {
    // a dead worker is already the next generation: whatever is asked next comes from a restart
    return this.workerGeneration + (this.connection !== null && !this.connection.alive ? 1 : 0);
  }

  /** Counters of the worker's engine (bytes and chunks received, open loads), for diagnostics and tests. */
  async diagnostics(): Promise<EngineStats> {
    const connection = await this.ready();
    return connection.call('stats', []);
  }

  /** Starts the worker (again, after a crash) and reloads the dataset's sources. */
  private async ready(): Promise<WorkerConnection> {
    this.assertAlive();
    if (this.connection !== null && this.connection.alive) {
      if (this.starting !== null) await this.starting;
      return this.connection;
    }
    if (this.connection !== null && !this.connection.alive && typeof this.options.worker === 'object') {
      throw this.connection.deathReason!;
    }
    const connection = new WorkerConnection(this.options.worker ?? (() => defaultWorker(this.options.workerUrl)), this.options.timeoutMs ?? 60_000);
    // a restart reloads the sources, which may answer differently now: results from before are another generation
    const restart = this.connection !== null;
    if (restart) this.workerGeneration++;
    this.connection = connection;
    this.starting = (async () => {
      this.dataset = await connection.call('createDataset', [this.datasetOptions]);
      if (this.history.length > 0) {
        for (const entry of this.history) await this.loadInto(connection, planSources(entry.input), entry.options);
      }
    })();
    try {
      await this.starting;
    } catch (error) {
      this.starting = null;
      // a worker that could not read every load again holds part of the data: end it, so that the
      // next call starts another and reads them all, instead of answering from what it has
      const failure = toCrmError(error);
      if (this.connection === connection) connection.terminate(failure);
      throw failure;
    }
    this.starting = null;
    if (restart) this.onRestart?.();
    return connection;
  }

  private assertAlive(): void {
    if (this.disposed) throw new CrmError('disposed', 'This analytics engine was disposed.', { hint: 'Create a new one with createEngine().' });
  }

  private shutdown(): void {
    this.connection?.terminate();
    this.connection = null;
    this.history = [];
  }
}

/** Checks an engine's options (a malformed worker URL, a bad time zone, ...); returns the dataset's part. */
export function checkOptions(options: EngineOptions): DatasetOptions {
  const { worker, workerUrl, timeoutMs, idleTimeoutMs, fetchOptions, fetcher, baseUrl, ...datasetOptions } = options;
  void worker;
  if (workerUrl !== undefined) resolveWorkerUrl(workerUrl); // a malformed URL fails here, with a clear message
  void timeoutMs;
  void idleTimeoutMs;
  void fetchOptions;
  void fetcher;
  void baseUrl;
  resolveDatasetOptions(datasetOptions); // fail on bad options now, on the caller's stack
  return datasetOptions;
}

/** The parts of load options worth replaying after a worker restart (no signal, no callback). */
function pick(options: LoadOptions): LoadOptions {
  const out: LoadOptions = {};
  if (options.mode !== undefined) out.mode = options.mode;
  if (options.format !== undefined) out.format = options.format;
  if (options.delimiter !== undefined) out.delimiter = options.delimiter;
  if (options.encoding !== undefined) out.encoding = options.encoding;
  return out;
}
