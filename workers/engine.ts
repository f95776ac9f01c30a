/**
 * The engine object that lives in the worker. It owns datasets and the loads streaming into them. It
 * is a plain object behind `EngineApi`: `crm.worker.ts` exposes it with comlink, tests call it directly.
 */
import { CrmError } from '../src/core/errors.js';
import { resolveDatasetOptions, type DatasetOptions, type ResolvedDatasetOptions, type SourceSpec } from '../src/core/options.js';
import { openDownload, readBatches, type FetchFunction } from '../src/core/http.js';
import type { ChunkAck, EngineApi, EngineStats, LoadMode, WorkerInput } from '../src/core/protocol.js';
import type { DatasetReport, SourceReport } from '../src/core/report.js';
import type { TableName } from '../src/core/schema.js';
import type { DatasetColumns } from '../src/core/tables.js';
import type { QueryRequest } from '../src/core/queries.js';
import type { QueryResult } from '../src/core/results.js';
import { SourceLoad } from './ingest/source-load.js';
import { KernelContext } from './kernels/context.js';
import { runQuery } from './kernels/query.js';
import { buildDataset, compactTouchParts, type BuiltDataset } from './table/build.js';
import type { TablePart } from './table/parts.js';

interface DatasetState {
  options: ResolvedDatasetOptions;
  parts: TablePart[];
  built: BuiltDataset;
  warnings: string[];
  /** Kernel caches of the built data, made on the first query. */
  kernels: KernelContext | null;
}

interface LoadState {
  dataset: number;
  mode: LoadMode;
  parts: TablePart[];
  /** Tables named by the load's sources (replaced even when a source turned out empty). */
  tables: Set<TableName>;
  sources: Set<number>;
  warnings: string[];
}

interface SourceState {
  load: number;
  source: SourceLoad;
  spec: SourceSpec;
  /** Stops a `readSource` in progress. */
  reading: AbortController | null;
}

/** What the engine needs from its environment. */
export interface EngineEnvironment {
  /** Clock for `loadedAt`. Default `Date.now`. */
  now?: () => number;
  /** `fetch`, for URLs the worker downloads itself. Without it, `readSource` accepts only Blobs. */
  fetch?: FetchFunction;
}

/** Creates an engine. */
export function createEngineApi(environment: EngineEnvironment = {}): EngineApi {
  return new Engine(environment.now ?? (() => Date.now()), environment.fetch ?? null);
}

class Engine implements EngineApi {
  private readonly datasets = new Map<number, DatasetState>();
  private readonly loads = new Map<number, LoadState>();
  private readonly sources = new Map<number, SourceState>();
  private nextId = 1;
  private bytesReceived = 0;
  private queries = 0;
  private lastQueryMs = Number.NaN;
  private chunksReceived = 0;
  private readonly now: () => number;
  private readonly fetch: FetchFunction | null;

  constructor(now: () => number, fetch: FetchFunction | null) {
    this.now = now;
    this.fetch = fetch;
  }

  createDataset(options: DatasetOptions): number {
    const resolved = resolveDatasetOptions(options);
    const id = this.nextId++;
    this.datasets.set(id, { options: resolved, parts: [], built: buildDataset([], resolved, this.now()), warnings: [], kernels: null });
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
    this.loads.set(id, { dataset, mode, parts: [], tables: new Set(), sources: new Set(), warnings: [] });
    return id;
  }

  beginSource(load: number, spec: SourceSpec): number {
    const state = this.load(load);
    const dataset = this.dataset(state.dataset);
    const source = new SourceLoad(spec, dataset.options);
    const id = this.nextId++;
    this.sources.set(id, { load, source, spec, reading: null });
    state.sources.add(id);
    if (spec.table !== 'auto') state.tables.add(spec.table);
    return id;
  }

  pushChunk(source: number, chunk: ArrayBuffer | Uint8Array): ChunkAck {
    const state = this.source(source);
    const bytes = chunk instanceof Uint8Array ? chunk : new Uint8Array(chunk);
    this.bytesReceived += bytes.length;
    this.chunksReceived++;
    try {
      state.source.push(bytes);
    } catch (error) {
      this.failSource(source, state);
      throw withSource(error, state.spec.name);
    }
    return { bytes: state.source.bytes, rows: state.source.rows };
  }

  async readSource(source: number, input: WorkerInput, onProgress?: (ack: ChunkAck) => void): Promise<ChunkAck> {
    const state = this.source(source);
    if (state.reading !== null) throw new CrmError('internal', `Source ${source} is already being read.`);
    const controller = new AbortController();
    state.reading = controller;
    const name = state.spec.name;
    try {
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
      if (total !== null) state.source.setSize(total);
      let ack: ChunkAck = { bytes: 0, rows: 0, total };
      if (stream !== null) {
        for await (const batch of readBatches(stream, idle === undefined ? { signal: controller.signal, name } : { signal: controller.signal, idleTimeoutMs: idle, name })) {
          ack = { ...this.pushChunk(source, batch), total };
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

  cancelSource(source: number): void {
    this.sources.get(source)?.reading?.abort();
  }

  endSource(source: number): SourceReport[] {
    const state = this.source(source);
    let result;
    try {
      result = state.source.finish();
    } catch (error) {
      this.failSource(source, state);
      throw withSource(error, state.spec.name);
    }
    this.sources.delete(source);
    const load = this.load(state.load);
    load.sources.delete(source);
    for (const part of result.parts) {
      load.parts.push(part);
      load.tables.add(part.table);
    }
    if (result.parts.length === 0) load.warnings.push(`${state.spec.name} is empty.`);
    return result.reports;
  }

  commitLoad(load: number): DatasetReport {
    const state = this.load(load);
    if (state.sources.size > 0) {
      throw new CrmError('internal', 'A load was committed while some of its sources were still open.');
    }
    const dataset = this.dataset(state.dataset);
    const kept = state.mode === 'append' ? dataset.parts : dataset.parts.filter((p) => !state.tables.has(p.table));
    const parts = [...kept, ...state.parts];
    const built = buildDataset(parts, dataset.options, this.now());
    this.loads.delete(load);
    dataset.parts = compactTouchParts(parts, built.columns);
    dataset.built = built;
    dataset.warnings = state.warnings;
    dataset.kernels = null;
    return this.report(state.dataset);
  }

  abortLoad(load: number): void {
    const state = this.loads.get(load);
    if (state === undefined) return;
    for (const source of state.sources) {
      this.sources.get(source)?.reading?.abort();
      this.sources.delete(source);
    }
    this.loads.delete(load);
  }

  report(dataset: number): DatasetReport {
    const state = this.dataset(dataset);
    const report = state.built.report;
    return { ...report, warnings: [...state.warnings, ...report.warnings] };
  }

  columns(dataset: number): DatasetColumns {
    return this.dataset(dataset).built.columns;
  }

  query(dataset: number, request: QueryRequest): QueryResult {
    const started = performance.now();
    const state = this.dataset(dataset);
    if (state.kernels === null) state.kernels = new KernelContext(state.built.columns);
    const result = runQuery(state.kernels, request);
    this.queries++;
    this.lastQueryMs = performance.now() - started;
    return result;
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
    };
  }

  private failSource(id: number, state: SourceState): void {
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

function withSource(error: unknown, source: string): unknown {
  return error instanceof CrmError ? error.withContext({ source }) : error;
}
