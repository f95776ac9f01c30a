/**
 * The engine object that lives in the worker. It owns datasets and the loads streaming into them. It
 * is a plain object behind `EngineApi`: `crm.worker.ts` exposes it with comlink, tests call it directly.
 */
import { CrmError, toCrmError } from '../src/core/errors.js';
import { resolveDatasetOptions, type DatasetOptions, type ResolvedDatasetOptions, type SourceSpec } from '../src/core/options.js';
import { nextTask, openDownload, ownBytes, readBatches, type FetchFunction } from '../src/core/http.js';
import type { ChunkAck, EngineApi, EngineStats, LoadMode, WorkerInput } from '../src/core/protocol.js';
import type { DatasetReport, SourceReport } from '../src/core/report.js';
import type { TableName } from '../src/core/schema.js';
import type { DatasetColumns } from '../src/core/tables.js';
import type { QueryRequest } from '../src/core/queries.js';
import { resultBuffers, type QueryResult } from '../src/core/results.js';
import { partBuffers, type Helper, type HelperPool } from './ingest/helpers.js';
import { SourceLoad, type SourceResult } from './ingest/source-load.js';
import { KernelContext } from './kernels/context.js';
import { provideScopeRuns, readsScopeRuns } from './kernels/incrementality.js';
import { runQuery } from './kernels/query.js';
import { buildDataset, DatasetBuild, touchPartsOf, type BuiltDataset, type TouchRows } from './table/build.js';
import type { TablePart } from './table/parts.js';

interface DatasetState {
  options: ResolvedDatasetOptions;
  /**
   * The parts the dataset was built from, for a later load to rebuild with. While `touchReports` is
   * set, the touch parts are not among them: it keeps their reports, and `partsOf` makes the parts
   * from the built touches when a later load first needs them (`touchPartsOf`). A load that replaces
   * the touches reads `parts` as it is, without them.
   */
  parts: TablePart[];
  touchReports: SourceReport[] | null;
  built: BuiltDataset;
  warnings: string[];
  /** Kernel caches of the built data, made on the first query. */
  kernels: KernelContext | null;
  /** Settles when a commit that waits on a helper has ended: the next commit of the dataset waits for it. */
  committing: Promise<void> | null;
  /**
   * Settles when a helper has built the holdout lift's scope runs of `kernels` (or failed to: the lift
   * query then builds them here); a lift query waits for it.
   */
  runs: Promise<void> | null;
}

interface LoadState {
  dataset: number;
  mode: LoadMode;
  /**
   * Parts and warnings of each ended source by source id: sources may end in any order when some parse
   * in a helper, and the dataset is built from them in the order they began.
   */
  ended: Map<number, { parts: TablePart[]; warnings: string[] }>;
  /** Tables named by the load's sources (replaced even when a source turned out empty). */
  tables: Set<TableName>;
  sources: Set<number>;
  /** Set while the commit waits on a helper: the load takes no more sources and no second commit. */
  committing: boolean;
}

interface SourceState {
  load: number;
  /** The parser in this worker: parses the source unless a helper does (and validated the spec either way). */
  source: SourceLoad;
  spec: SourceSpec;
  /** Stops a `readSource` in progress. */
  reading: AbortController | null;
  /** Set when a helper worker parses the source. */
  remote: RemoteSource | null;
  ending: boolean;
  /**
   * Settles when the chunks sent so far have parsed, while they wait a task each (`pushAfterRelays`);
   * null when none waited.
   */
  queued: Promise<void> | null;
}

interface RemoteSource {
  helper: Helper;
  /** True once the helper has begun the source; false when it could not start (then `source` parses). */
  started: Promise<boolean>;
}

/** Batches a helper may be sent before the first of them is acknowledged. */
const CHUNKS_AHEAD = 4;

/** How often the engine asks a helper that reads a file itself how far it got (for the load's progress). */
const HELPER_PROGRESS_MS = 100;

/** Sources smaller than this parse in the engine even when a helper is free: the round trips cost more. */
const HELPER_MIN_BYTES = 1 << 20;

/**
 * Builds with at least this many touches sort the touches table in an idle helper while this worker
 * builds the other tables (at 2M touches each side takes 0.2-0.3 s); smaller ones build here.
 */
const HELPER_BUILD_MIN_TOUCHES = 100_000;

/**
 * Longest slice of work ahead (an index a later query may need) between two looks at the message queue:
 * a query that arrives during the work waits at most about this long.
 */
const AHEAD_SLICE_MS = 8;

/**
 * Work ahead waits until no query has run for this long: while queries keep coming (a user stepping
 * through windows, a dashboard's first render) they get the thread to themselves. Slices between such
 * queries slowed them, not only delayed them: in three interleaved pairs of benchmark runs at 1m, the
 * queries after the holdout lift took, cold, retention 25-26 ms without slices against 35-38 with,
 * RFM 107-116 against 122-208, ROAS 34-36 against 41-54. Queries sent back to back with no pause (a
 * benchmark) find the work not done; a query that would use it does without (a lift range change
 * searches the runs its later entries would have indexed).
 */
const AHEAD_IDLE_MS = 50;

/**
 * Longest wait of lift queries for the scope runs a helper builds (0.3-0.5 s at 1m, about 1.7 s at 5m
 * on the reference machine): a helper that hangs is stopped, and the lift builds them itself.
 */
const HELPER_RUNS_TIMEOUT_MS = 20_000;

/** What the engine needs from its environment. */
export interface EngineEnvironment {
  /** Clock for `loadedAt`. Default `Date.now`. */
  now?: () => number;
  /** `fetch`, for URLs the worker downloads itself. Without it, `readSource` accepts only Blobs. */
  fetch?: FetchFunction;
  /**
   * Helper workers that parse a second source while this worker parses the first, and sort the touches
   * table while this worker builds the others.
   */
  helpers?: HelperPool;
  /** Fewest touches for which a build sorts them in a helper. Default `HELPER_BUILD_MIN_TOUCHES`. */
  helperBuildMinTouches?: number;
  /** How long no query must have run before work ahead goes on. Default `AHEAD_IDLE_MS`. */
  aheadIdleMs?: number;
  /** How long lift queries wait for a helper's scope runs before it is stopped. Default `HELPER_RUNS_TIMEOUT_MS`. */
  helperRunsTimeoutMs?: number;
}

/** The engine without helper workers: every source parses here, so chunks and ends answer at once. */
export interface LocalEngineApi extends EngineApi {
  pushChunk(source: number, chunk: ArrayBuffer | Uint8Array): ChunkAck;
  endSource(source: number): SourceReport[];
  commitLoad(load: number): DatasetReport;
  query(dataset: number, request: QueryRequest): QueryResult;
}

/** Creates an engine. */
export function createEngineApi(environment?: Omit<EngineEnvironment, 'helpers'>): LocalEngineApi;
export function createEngineApi(environment: EngineEnvironment): EngineApi;
export function createEngineApi(environment: EngineEnvironment = {}): EngineApi {
  return new Engine(environment);
}

class Engine implements EngineApi {
  private readonly datasets = new Map<number, DatasetState>();
  private readonly loads = new Map<number, LoadState>();
  private readonly sources = new Map<number, SourceState>();
  private nextId = 1;
  private bytesReceived = 0;
  private queries = 0;
  private lastQueryMs = Number.NaN;
  /** When the last query ended (`performance.now()`), for `aheadIdleMs`. */
  private lastQueryEnd = Number.NEGATIVE_INFINITY;
  /** Kernel contexts with work begun ahead of need, stepped between queries (`workAhead`). */
  private readonly ahead = new Set<KernelContext>();
  private chunksReceived = 0;
  private readonly now: () => number;
  private readonly fetch: FetchFunction | null;
  private readonly helpers: HelperPool | null;
  private sourcesInHelpers = 0;
  private buildsInHelpers = 0;
  private runsInHelpers = 0;
  private readonly helperBuildMinTouches: number;
  private readonly aheadIdleMs: number;
  private readonly helperRunsTimeoutMs: number;

  constructor(environment: EngineEnvironment) {
    this.now = environment.now ?? (() => Date.now());
    this.fetch = environment.fetch ?? null;
    this.helpers = environment.helpers ?? null;
    this.helperBuildMinTouches = environment.helperBuildMinTouches ?? HELPER_BUILD_MIN_TOUCHES;
    this.aheadIdleMs = environment.aheadIdleMs ?? AHEAD_IDLE_MS;
    this.helperRunsTimeoutMs = environment.helperRunsTimeoutMs ?? HELPER_RUNS_TIMEOUT_MS;
  }

  createDataset(options: DatasetOptions): number {
    const resolved = resolveDatasetOptions(options);
    const id = this.nextId++;
    this.datasets.set(id, { options: resolved, parts: [], touchReports: null, built: buildDataset([], resolved, this.now()), warnings: [], kernels: null, committing: null, runs: null });
    return id;
  }

  dropDataset(dataset: number): void {
    for (const [id, load] of this.loads) if (load.dataset === dataset) this.abortLoad(id);
    this.datasets.delete(dataset);
  }

  beginLoad(dataset: number, mode: LoadMode): number {
    this.dataset(dataset);
    if (mode !== 'replace' && mode !== 'append') throw new CrmError('bad-option', `Unknown load mode "${String(mode)}".`);
    const id = this.nextId++;
    this.loads.set(id, { dataset, mode, ended: new Map(), tables: new Set(), sources: new Set(), committing: false });
    return id;
  }

  beginSource(load: number, spec: SourceSpec): number {
    const state = this.load(load);
    if (state.committing) throw new CrmError('internal', `Load ${load} is being committed; it takes no more sources.`);
    const dataset = this.dataset(state.dataset);
    const source = new SourceLoad(spec, dataset.options);
    const id = this.nextId++;
    const remote = this.delegate(id, spec, dataset.options);
    this.sources.set(id, { load, source, spec, reading: null, remote, ending: false, queued: null });
    state.sources.add(id);
    if (spec.table !== 'auto') state.tables.add(spec.table);
    return id;
  }

  /**
   * A helper for a new source that is not small, null otherwise. When the client marked the load's
   * largest source (`spec.largest`), that one parses here and the others go to a helper even when they
   * begin first: the largest parse is the load's critical path, and it then starts at once instead of
   * waiting for a helper worker to start (0.3-0.5 s in Chromium) and handing its columns back; when
   * every helper is busy, another marked source shares one. Without the mark (sizes unknown, as for
   * URLs), a source goes to a helper when this worker is already parsing another one (so a one-file
   * load never starts a helper).
   */
  private delegate(id: number, spec: SourceSpec, options: ResolvedDatasetOptions): RemoteSource | null {
    if (this.helpers === null || spec.largest === true || (spec.size !== undefined && spec.size < HELPER_MIN_BYTES)) return null;
    if (spec.largest !== false) {
      let busy = false;
      for (const other of this.sources.values()) if (other.remote === null) busy = true;
      if (!busy) return null;
    }
    // a marked source shares a busy helper rather than parse beside the largest one here
    const helper = this.helpers.take(spec.largest === false);
    if (helper === null) return null;
    const started = helper.ready.then(async (ok) => {
      if (!ok) return false;
      await helper.call('begin', [id, spec, options]);
      this.sourcesInHelpers++;
      return true;
    });
    started.catch(() => undefined);
    return { helper, started };
  }

  pushChunk(source: number, chunk: ArrayBuffer | Uint8Array): ChunkAck | Promise<ChunkAck> {
    const state = this.source(source);
    const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk);
    this.bytesReceived += bytes.length;
    this.chunksReceived++;
    if (state.remote !== null) return this.pushRemote(source, state, state.remote, bytes);
    if (state.queued !== null || this.relaying()) return this.pushAfterRelays(source, state, bytes);
    return this.pushHere(source, state, bytes);
  }

  private pushHere(id: number, state: SourceState, bytes: Uint8Array): ChunkAck {
    try {
      state.source.push(bytes);
    } catch (error) {
      this.failSource(id, state);
      throw withSource(error, state.spec.name);
    }
    return state.source.ack;
  }

  /** Whether an open source parses in a helper, its chunks relayed by this worker. */
  private relaying(): boolean {
    for (const other of this.sources.values()) if (other.remote !== null) return true;
    return false;
  }

  /**
   * Parses a chunk on a later task, after the messages already queued, in the order the chunks came.
   * While this worker relays another source's chunks to a helper, parsing each of its own chunks (about
   * 6 ms a megabyte) as its message arrived kept the relayed chunks queued behind them: at 1m the helper
   * with the orders and customers waited for chunks about a third of the time, and ended 150-250 ms after
   * this worker's touches. A chunk waiting one task lets the relayed ones that came meanwhile go first.
   */
  private pushAfterRelays(id: number, state: SourceState, bytes: Uint8Array): Promise<ChunkAck> {
    const parsed = (state.queued ?? Promise.resolve()).then(nextTask).then(() => {
      if (this.sources.get(id) !== state) throw new CrmError('aborted', `Source ${id} failed or was aborted before this chunk parsed.`);
      return this.pushHere(id, state, bytes);
    });
    state.queued = parsed.then(
      () => undefined,
      () => undefined,
    );
    return parsed;
  }

  /** Forwards a chunk to the source's helper (in order: every call waits on the same start). */
  private async pushRemote(id: number, state: SourceState, remote: RemoteSource, bytes: Uint8Array): Promise<ChunkAck> {
    try {
      if (!(await remote.started)) {
        state.source.push(bytes);
        return state.source.ack;
      }
      // the chunk is the worker's own (transferred in, or a fresh batch): pass it on without a copy
      const owned = ownBytes(bytes);
      return await remote.helper.call('push', [id, owned], [owned.buffer]);
    } catch (error) {
      this.failSource(id, state);
      throw withSource(toCrmError(error), state.spec.name);
    }
  }

  async readSource(source: number, input: WorkerInput, onProgress?: (ack: ChunkAck) => void): Promise<ChunkAck> {
    const state = this.source(source);
    if (state.reading !== null) throw new CrmError('internal', `Source ${source} is already being read.`);
    const controller = new AbortController();
    state.reading = controller;
    const name = state.spec.name;
    try {
      // a dropped file that parses in a helper is read there too
      if ('blob' in input && state.remote !== null && (await state.remote.started)) return await this.readInHelper(source, state.remote, input.blob, controller.signal, onProgress);
      let stream: ReadableStream<Uint8Array> | null;
      let total: number | null;
      let idle: number | undefined;
      if ('blob' in input) {
        stream = input.blob.stream();
        total = input.blob.size;
      } else {
        if (this.fetch === null) throw new CrmError('internal', 'This engine cannot download URLs (no fetch).');
        const opened = await openDownload(input.url, { name, init: input.init, signal: controller.signal, idleTimeoutMs: input.idleTimeoutMs, fetch: this.fetch });
        stream = opened.body;
        total = opened.size;
        idle = input.idleTimeoutMs;
      }
      if (total !== null) {
        state.source.setSize(total);
        const remote = state.remote;
        if (remote !== null) void remote.started.then((ok) => (ok ? remote.helper.call('setSize', [source, total]) : undefined)).catch(() => undefined);
      }
      let ack: ChunkAck = { bytes: 0, rows: 0, total };
      if (stream !== null) {
        // a helper gets several batches ahead, so it never waits for this worker between two of them
        const pending: Promise<ChunkAck>[] = [];
        const ahead = state.remote !== null ? CHUNKS_AHEAD : 1;
        const options = idle === undefined ? { signal: controller.signal, name, ownChunks: 'blob' in input } : { signal: controller.signal, idleTimeoutMs: idle, name };
        for await (const batch of readBatches(stream, options)) {
          const pushed = Promise.resolve(this.pushChunk(source, batch));
          pushed.catch(() => undefined); // observed below; after a failure the rest are dropped
          pending.push(pushed);
          if (pending.length >= ahead) {
            ack = { ...(await pending.shift()!), total };
            onProgress?.(ack);
          }
        }
        for (const next of pending) {
          ack = { ...(await next), total };
          onProgress?.(ack);
        }
      }
      return ack;
    } catch (error) {
      if (this.sources.get(source) === state) this.failSource(source, state);
      throw withSource(error, name);
    } finally {
      state.reading = null;
    }
  }

  /**
   * Has a helper read and parse a Blob itself: only the Blob's handle crosses, so this worker (which
   * parses the load's largest file) neither reads those bytes nor forwards them batch by batch. Progress
   * is asked for every `HELPER_PROGRESS_MS`; cancelling stops the read (the caller aborts the source).
   */
  private async readInHelper(id: number, remote: RemoteSource, blob: Blob, signal: AbortSignal, onProgress?: (ack: ChunkAck) => void): Promise<ChunkAck> {
    const total = blob.size;
    const read = remote.helper.call('read', [id, blob]);
    let done = false;
    const ended = read.then(
      () => void (done = true),
      () => void (done = true),
    );
    const cancelled = new Promise<never>((_, reject) => {
      const cancel = (): void => reject(new CrmError('aborted', 'The load was cancelled.'));
      if (signal.aborted) cancel();
      else signal.addEventListener('abort', cancel, { once: true });
    });
    cancelled.catch(() => undefined);
    while (!done) {
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, HELPER_PROGRESS_MS)), cancelled]);
      if (done) break;
      // a failed read answers `progress` with an error too: the read's own error is the one reported
      const ack = await Promise.race([remote.helper.call('progress', [id]).catch(() => null), cancelled]);
      if (ack !== null && !done) onProgress?.({ ...ack, total });
    }
    const ack: ChunkAck = { ...(await Promise.race([read, cancelled])), total };
    this.bytesReceived += total;
    onProgress?.(ack);
    return ack;
  }

  cancelSource(source: number): void {
    this.sources.get(source)?.reading?.abort();
  }

  endSource(source: number): SourceReport[] | Promise<SourceReport[]> {
    const state = this.source(source);
    if (state.ending) throw new CrmError('internal', `Source ${source} is already ending.`);
    state.ending = true;
    if (state.remote !== null) return this.endRemote(source, state, state.remote);
    const queued = state.queued;
    if (queued !== null) {
      return queued.then(() => {
        if (this.sources.get(source) !== state) throw new CrmError('aborted', `Source ${source} failed or was aborted before it ended.`);
        return this.endHere(source, state);
      });
    }
    return this.endHere(source, state);
  }

  private endHere(source: number, state: SourceState): SourceReport[] {
    let result;
    try {
      result = state.source.finish();
    } catch (error) {
      this.failSource(source, state);
      throw withSource(error, state.spec.name);
    }
    return this.ended(source, state, result);
  }

  private async endRemote(id: number, state: SourceState, remote: RemoteSource): Promise<SourceReport[]> {
    let result: SourceResult;
    try {
      result = (await remote.started) ? await remote.helper.call('finish', [id]) : state.source.finish();
    } catch (error) {
      this.failSource(id, state);
      throw withSource(toCrmError(error), state.spec.name);
    }
    if (this.sources.get(id) !== state) throw new CrmError('aborted', `Source ${id} was aborted while it ended.`);
    this.release(id, state);
    return this.ended(id, state, result);
  }

  private ended(id: number, state: SourceState, result: SourceResult): SourceReport[] {
    this.sources.delete(id);
    const load = this.load(state.load);
    load.sources.delete(id);
    for (const part of result.parts) load.tables.add(part.table);
    load.ended.set(id, { parts: result.parts, warnings: result.parts.length === 0 ? [`${state.spec.name} is empty.`] : [] });
    return result.reports;
  }

  /** Gives a source's helper back to the pool (after telling it to drop the source if it has not ended). */
  private release(id: number, state: SourceState, abort = false): void {
    const remote = state.remote;
    if (remote === null) return;
    state.remote = null;
    if (abort) void remote.started.then((ok) => (ok ? remote.helper.call('abort', [id]) : undefined)).catch(() => undefined);
    this.helpers!.give(remote.helper);
  }

  commitLoad(load: number): DatasetReport | Promise<DatasetReport> {
    const state = this.load(load);
    if (state.sources.size > 0) {
      throw new CrmError('internal', 'A load was committed while some of its sources were still open.');
    }
    if (state.committing) throw new CrmError('internal', `Load ${load} is already being committed.`);
    const dataset = this.dataset(state.dataset);
    // a commit that waits on a helper has not replaced the parts yet: build on what it leaves
    if (dataset.committing !== null) return dataset.committing.then(() => this.commitLoad(load));
    // the kept touch parts are made only when the touches are kept
    const base = state.mode === 'replace' && state.tables.has('touches') ? dataset.parts : partsOf(dataset);
    const kept = state.mode === 'append' ? base : base.filter((p) => !state.tables.has(p.table));
    const ended = [...state.ended].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
    const parts = [...kept, ...ended.flatMap((e) => e.parts)];
    const warnings = ended.flatMap((e) => e.warnings);
    const build = new DatasetBuild(parts, dataset.options, this.now());
    const helper = build.touchRows.customer.length >= this.helperBuildMinTouches ? (this.helpers?.takeIdle(true) ?? null) : null;
    if (helper === null) return this.committed(load, parts, warnings, build.buildHere());
    state.committing = true;
    const committed = this.commitWithHelper(load, parts, warnings, build, helper, dataset);
    const settled = committed.then(
      () => undefined,
      () => undefined,
    );
    dataset.committing = settled;
    // runs before the commits waiting on `settled` (registered first)
    void settled.then(() => {
      if (dataset.committing === settled) dataset.committing = null;
    });
    return committed;
  }

  /**
   * Commits with the touches table sorted in a helper while this worker builds the other tables. The
   * touch rows move to the helper (transferred, not copied; those the dataset still holds are copied
   * first), so a failure fails the load, and the dataset stays as it was.
   */
  private async commitWithHelper(
    load: number,
    parts: TablePart[],
    warnings: string[],
    build: DatasetBuild,
    helper: Helper,
    dataset: DatasetState,
  ): Promise<DatasetReport> {
    let built: BuiltDataset;
    let sent = false;
    try {
      const { rows, buffers } = movableRows(build.touchRows, dataset);
      // the helper keeps what the holdout lift's scope runs need and builds them next (`runsInHelper`)
      const sorted = helper.call('sortTouches', [build.customerCount, build.timezone, build.scopeCounts, rows], buffers);
      sent = true;
      const others = build.buildOthers();
      const touches = await sorted;
      this.buildsInHelpers++;
      if (this.loads.get(load) === undefined) throw new CrmError('aborted', `Load ${load} was aborted while it was being built.`);
      built = build.finish(others, touches);
    } catch (error) {
      // a helper sent the rows is still sorting them (buildOthers threw) or building their scope runs
      // (the load was aborted, or the finish threw): either would hold up the next source given to it
      if (sent) helper.stop();
      this.loads.delete(load); // its touch rows went to the helper: it cannot be committed again
      this.giveHelper(helper);
      throw toCrmError(error);
    }
    // kept: `committed` asks it for the scope runs it is building
    return this.committed(load, parts, warnings, built, helper);
  }

  /** Gives a helper back to the pool, and stops the idle helpers when no source is open. */
  private giveHelper(helper: Helper): void {
    this.helpers!.give(helper);
    this.stopIdleHelpers();
  }

  /** Stops the idle helpers once no source is open: a load starts them again as it needs them. */
  private stopIdleHelpers(): void {
    if (this.sources.size === 0) this.helpers?.stopIdle();
  }

  /** Applies a built load to its dataset; `helper` sorted its touches and builds its scope runs. */
  private committed(load: number, parts: TablePart[], warnings: string[], built: BuiltDataset, helper: Helper | null = null): DatasetReport {
    const state = this.load(load);
    const dataset = this.dataset(state.dataset);
    this.loads.delete(load);
    // the touch parts' rows are the built touches now (some were moved to a helper): only their reports are kept
    dataset.parts = parts.filter((p) => p.table !== 'touches');
    dataset.touchReports = parts.flatMap((p) => (p.table === 'touches' ? [p.report] : []));
    dataset.built = built;
    dataset.warnings = warnings;
    dataset.kernels = null;
    dataset.runs = null;
    if (helper !== null) this.runsInHelper(dataset, helper);
    this.stopIdleHelpers();
    return this.report(state.dataset);
  }

  /**
   * Takes the holdout lift's scope runs of a dataset just built from the helper that sorted its
   * touches. It kept copies of the touch columns they need (about 27 MB at 1m) and began building them
   * (0.3-0.5 s at 1m) once it had sent the table back, so they are under way while this worker finishes
   * the build and answers the first queries. The runs come back transferred; the helper is then given
   * back, to be stopped like any idle helper. A helper that fails, or has not answered within
   * `helperRunsTimeoutMs` (it is then stopped), leaves the lift query to build them here, as it does
   * without a helper.
   */
  private runsInHelper(dataset: DatasetState, helper: Helper): void {
    const kernels = new KernelContext(dataset.built.columns);
    dataset.kernels = kernels;
    const timer = setTimeout(() => helper.stop(), this.helperRunsTimeoutMs);
    const runs: Promise<void> = helper.call('scopeRuns', []).then(
      (built) => {
        provideScopeRuns(kernels, built);
        this.runsInHelpers++;
      },
      () => undefined,
    );
    dataset.runs = runs;
    void runs.then(() => {
      clearTimeout(timer);
      if (dataset.runs === runs) dataset.runs = null;
      this.giveHelper(helper);
    });
  }

  abortLoad(load: number): void {
    const state = this.loads.get(load);
    if (state === undefined) return;
    for (const source of state.sources) {
      const open = this.sources.get(source);
      if (open === undefined) continue;
      open.reading?.abort();
      this.release(source, open, true);
      this.sources.delete(source);
    }
    this.loads.delete(load);
    this.stopIdleHelpers();
  }

  report(dataset: number): DatasetReport {
    const state = this.dataset(dataset);
    const report = state.built.report;
    return { ...report, warnings: [...state.warnings, ...report.warnings] };
  }

  columns(dataset: number): DatasetColumns {
    return this.dataset(dataset).built.columns;
  }

  query(dataset: number, request: QueryRequest): QueryResult | Promise<QueryResult> {
    const started = performance.now();
    const state = this.dataset(dataset);
    // a lift query waits for the scope runs a helper is building: they come sooner than building them here
    if (state.runs !== null && readsScopeRuns(request)) return state.runs.then(() => this.queryNow(this.dataset(dataset), request, started));
    return this.queryNow(state, request, started);
  }

  /** Runs a query; its time counts from `started` (a lift query's wait for the helper included). */
  private queryNow(state: DatasetState, request: QueryRequest, started: number): QueryResult {
    if (state.kernels === null) state.kernels = new KernelContext(state.built.columns);
    const result = runQuery(state.kernels, request);
    this.queries++;
    this.lastQueryEnd = performance.now();
    this.lastQueryMs = this.lastQueryEnd - started;
    if (state.kernels.working) this.workAhead(state.kernels);
    return result;
  }

  /**
   * Runs a kernel context's work begun ahead (`KernelContext.prepare`) in slices of `AHEAD_SLICE_MS`,
   * each on a task of its own, so that a query arriving meanwhile waits at most one slice, and only once
   * no query has run for `aheadIdleMs`. Stops when the work is done or the context is no longer a
   * dataset's (rebuilt or dropped).
   */
  private workAhead(ctx: KernelContext): void {
    if (this.ahead.has(ctx)) return;
    this.ahead.add(ctx);
    const slice = (): void => {
      let current = false;
      for (const state of this.datasets.values()) if (state.kernels === ctx) current = true;
      if (!current) {
        this.ahead.delete(ctx);
        return;
      }
      const quiet = this.lastQueryEnd + this.aheadIdleMs - performance.now();
      if (quiet > 0) {
        setTimeout(slice, quiet);
        return;
      }
      const deadline = performance.now() + AHEAD_SLICE_MS;
      if (ctx.work(() => performance.now() < deadline)) void nextTask().then(slice);
      else this.ahead.delete(ctx);
    };
    void nextTask().then(slice);
  }

  stats(): EngineStats {
    return {
      datasets: this.datasets.size,
      openLoads: this.loads.size,
      openSources: this.sources.size,
      bytesReceived: this.bytesReceived,
      chunksReceived: this.chunksReceived,
      queries: this.queries,
      lastQueryMs: this.lastQueryMs,
      workingAhead: this.ahead.size > 0,
      helpers: this.helpers?.started ?? 0,
      sourcesInHelpers: this.sourcesInHelpers,
      buildsInHelpers: this.buildsInHelpers,
      runsInHelpers: this.runsInHelpers,
      runsPending: [...this.datasets.values()].filter((d) => d.runs !== null).length,
    };
  }

  private failSource(id: number, state: SourceState): void {
    this.release(id, state, true);
    this.sources.delete(id);
    this.loads.get(state.load)?.sources.delete(id);
  }

  private dataset(id: number): DatasetState {
    const state = this.datasets.get(id);
    if (state === undefined) throw new CrmError('disposed', `Dataset ${id} does not exist (it was dropped, or the worker restarted).`);
    return state;
  }

  private load(id: number): LoadState {
    const state = this.loads.get(id);
    if (state === undefined) throw new CrmError('aborted', `Load ${id} is not open (it was committed, aborted or failed).`);
    return state;
  }

  private source(id: number): SourceState {
    const state = this.sources.get(id);
    if (state === undefined) throw new CrmError('aborted', `Source ${id} is not open (it ended, was aborted or failed).`);
    return state;
  }
}

/**
 * The touch rows to send to a helper and the buffers to transfer with them. Arrays the dataset still
 * holds (kept parts share their arrays with the built columns in use) are copied first, so that a
 * failed or aborted build leaves the dataset whole; the others are this load's own and move.
 */
function movableRows(rows: TouchRows, dataset: DatasetState): { rows: TouchRows; buffers: ArrayBuffer[] } {
  // the kept touch part, once made (touchPartsOf), holds the built columns in use: those are listed
  // apart, so that this does not make it
  const held = new Set([...partBuffers(dataset.parts), ...resultBuffers(dataset.built.columns.touches)]);
  const moved = { ...rows };
  for (const key of Object.keys(moved) as (keyof TouchRows)[]) {
    if (held.has(moved[key].buffer as ArrayBuffer)) (moved as Record<keyof TouchRows, ArrayBufferView>)[key] = moved[key].slice();
  }
  return { rows: moved, buffers: resultBuffers(moved) };
}

/** The dataset's parts, with its touch parts made from the built touches the first time they are asked for. */
function partsOf(dataset: DatasetState): TablePart[] {
  if (dataset.touchReports !== null) {
    dataset.parts = [...dataset.parts, ...touchPartsOf(dataset.touchReports, dataset.built.columns)];
    dataset.touchReports = null;
  }
  return dataset.parts;
}

function withSource(error: unknown, source: string): unknown {
  return error instanceof CrmError ? error.withContext({ source }) : error;
}
