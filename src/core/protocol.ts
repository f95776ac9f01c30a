/**
 * The worker protocol: the interface of the engine that lives in the worker. The main thread talks to
 * it through comlink (`src/client`); tests call the same object directly. Types only.
 */
import type { DatasetOptions, SourceSpec } from './options.js';
import type { QueryRequest } from './queries.js';
import type { DatasetReport, SourceReport } from './report.js';
import type { QueryResult } from './results.js';
import type { DatasetColumns } from './tables.js';

/** How a load treats the tables it brings. */
export type LoadMode =
  /** Tables in the load replace the dataset's tables of the same name; others are kept. */
  | 'replace'
  /** Rows in the load are added to the dataset's tables. */
  | 'append';

/** What the engine answers for each chunk. */
export interface ChunkAck {
  /** Bytes of this source received so far. */
  bytes: number;
  /** Rows of this source parsed so far. */
  rows: number;
  /** Total bytes of the source when known (`readSource` only). */
  total?: number | null;
}

/** A source the worker reads by itself: a File or Blob, or a URL with a cloneable request. */
export type WorkerInput = { blob: Blob } | { url: string; init: RequestInit; idleTimeoutMs: number };

/** Counters for tests and diagnostics. */
export interface EngineStats {
  datasets: number;
  openLoads: number;
  openSources: number;
  /** Bytes of the sources read since the engine started: chunks pushed here, and files a helper read. */
  bytesReceived: number;
  /** Chunks that reached this worker (`pushChunk`); a file read in a helper sends none. */
  chunksReceived: number;
  /** Queries answered, and the worker time of the latest one in ms (kernels and caches, not transfer). */
  queries: number;
  lastQueryMs: number;
  /**
   * Whether the engine is building, between queries, an index a later query may use (the holdout
   * lift's later entries, begun by a lift query without a filter); a query that finds it not made does
   * without it.
   */
  workingAhead: boolean;
  /** Helper workers started to parse sources on another core, and the sources they parsed. */
  helpers: number;
  sourcesInHelpers: number;
  /** Builds whose touches table a helper sorted while this worker built the others. */
  buildsInHelpers: number;
  /** Loads whose holdout lift scope runs a helper built while this worker answered the first queries. */
  runsInHelpers: number;
  /**
   * Datasets whose scope runs a helper is still building: they arrive after the load returns (at 1m,
   * 76 MB of typed arrays), so the worker's memory settles only when this is 0.
   */
  runsPending: number;
}

/**
 * The engine in the worker. A load is a transaction: sources stream into it, and nothing changes in
 * the dataset until `commitLoad`; `abortLoad` (or any fatal error) leaves the dataset as it was.
 */
export interface EngineApi {
  /** Creates an empty dataset; returns its id. Throws `CrmError('bad-option')` on bad options. */
  createDataset(options: DatasetOptions): number;
  /** Frees a dataset and its loads. */
  dropDataset(dataset: number): void;
  /** Starts a load transaction on a dataset; returns its id. */
  beginLoad(dataset: number, mode: LoadMode): number;
  /** Starts a source inside a load; returns its id. */
  beginSource(load: number, spec: SourceSpec): number;
  /**
   * Feeds raw bytes of a source (transferred). The answer is a promise when a helper worker parses the
   * source: it comes once the helper has parsed the chunk, which paces the sender.
   */
  pushChunk(source: number, chunk: ArrayBuffer | Uint8Array): ChunkAck | Promise<ChunkAck>;
  /**
   * Reads a Blob or downloads a URL inside the worker and feeds it to the source, calling `onProgress`
   * after each batch. Resolves when the bytes are all in; `cancelSource` stops it.
   */
  readSource(source: number, input: WorkerInput, onProgress?: (ack: ChunkAck) => void): Promise<ChunkAck>;
  /** Stops a `readSource` in progress (it rejects with `aborted`). */
  cancelSource(source: number): void;
  /** Ends a source; returns one report per table it held (a promise when a helper worker parsed it). */
  endSource(source: number): SourceReport[] | Promise<SourceReport[]>;
  /**
   * Applies the load to the dataset, rebuilds tables and indexes, and returns the dataset report (a
   * promise when a helper worker builds part of it).
   */
  commitLoad(load: number): DatasetReport | Promise<DatasetReport>;
  /** Discards a load. */
  abortLoad(load: number): void;
  /** The report of the dataset's current data. */
  report(dataset: number): DatasetReport;
  /** A snapshot of the dataset's columns (copied when it crosses the worker boundary). */
  columns(dataset: number): DatasetColumns;
  /** Runs a query (a kernel) over the dataset; results are columnar and cross with `transfer`. */
  query(dataset: number, request: QueryRequest): QueryResult | Promise<QueryResult>;
  /** Counters. */
  stats(): EngineStats;
}
