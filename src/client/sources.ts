/**
 * Turns what a caller hands the kit (a File, a URL, an array of objects, bytes) into a stream of byte
 * batches for the worker. Batches are about 1 MB: large enough that postMessage overhead vanishes,
 * small enough that the worker reports progress and honours a cancel within a few milliseconds.
 */
import { CrmError } from '../core/errors.js';
import { BATCH_BYTES, cloneableInit, nextTask, openDownload, readBatches, type FetchFunction } from '../core/http.js';
import { displayUrl } from '../core/options.js';
import type { WorkerInput } from '../core/protocol.js';

/** Anything the kit can read a table from. */
export type DataSource =
  | Blob
  | string
  | URL
  | { url: string | URL; init?: RequestInit; name?: string }
  | readonly Record<string, unknown>[]
  | ArrayBuffer
  | Uint8Array
  | ReadableStream<Uint8Array>;

/** A fetch function, for hosts that route requests through their own client (auth, retries). */
export type Fetcher = FetchFunction;

/** How sources are opened. */
export interface OpenContext {
  signal: AbortSignal;
  fetchOptions: RequestInit | undefined;
  fetcher: Fetcher | undefined;
  /** Longest wait for the next bytes of a download. */
  idleTimeoutMs: number;
  /** Base URL for relative URLs. */
  baseUrl: string | undefined;
}

/** An opened source. */
export interface OpenedSource {
  name: string;
  size: number | null;
  /** Format implied by the source kind (arrays become NDJSON). */
  format: 'ndjson' | null;
  chunks: AsyncIterable<Uint8Array>;
}

/** Rows of an in-memory array encoded per slice before the main thread yields. */
const ROWS_PER_SLICE = 2000;

function isRecordArray(value: unknown): value is readonly Record<string, unknown>[] {
  return Array.isArray(value);
}

/** A short display name for a source (never with query strings or credentials). */
export function sourceName(source: DataSource, baseUrl?: string): string {
  if (typeof source === 'string') return displayUrl(source, baseUrl);
  if (source instanceof URL) return displayUrl(source.href);
  if (typeof File !== 'undefined' && source instanceof File) return source.name || 'file';
  if (source instanceof Blob) return 'blob';
  if (isRecordArray(source)) return 'array';
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return 'bytes';
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) return 'stream';
  if (typeof source === 'object' && source !== null && 'url' in source) {
    return source.name ?? displayUrl(String(source.url), baseUrl);
  }
  return 'source';
}

/**
 * How the worker can read a source itself, or null when the main thread must read it. Files, Blobs
 * and URLs (without a `fetcher` hook) are read in the worker: then the page does no work per chunk —
 * not even Blink's network delivery, which ran 30–90 ms tasks on the main thread for a 70 MB download.
 */
export function workerInput(source: DataSource, ctx: OpenContext): { name: string; size: number | null; input: WorkerInput } | null {
  const name = sourceName(source, ctx.baseUrl);
  if (source instanceof Blob) return { name, size: source.size, input: { blob: source } };
  if (ctx.fetcher !== undefined) return null;
  let url: string;
  let init: RequestInit | undefined;
  if (typeof source === 'string' || source instanceof URL) {
    url = String(source);
  } else if (typeof source === 'object' && source !== null && !Array.isArray(source) && 'url' in source) {
    url = String(source.url);
    init = source.init;
  } else {
    return null;
  }
  const href = ctx.baseUrl !== undefined ? new URL(url, ctx.baseUrl).href : url;
  return { name, size: null, input: { url: href, init: cloneableInit({ ...ctx.fetchOptions, ...init }), idleTimeoutMs: ctx.idleTimeoutMs } };
}

/**
 * The index of the largest of a load's sources when there are two or more and every size is known
 * before reading (Files, Blobs, bytes; the first of equal sizes); -1 otherwise.
 */
export function largestSource(sources: readonly DataSource[]): number {
  if (sources.length < 2) return -1;
  const sizes = sources.map(sizeBeforeReading);
  if (sizes.includes(null)) return -1;
  return sizes.indexOf(Math.max(...(sizes as number[])));
}

/** A source's size in bytes when it is known without reading it (Files, Blobs, bytes), else null. */
function sizeBeforeReading(source: DataSource): number | null {
  if (source instanceof Blob) return source.size;
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) return source.byteLength;
  return null;
}

/**
 * Opens a source the worker cannot read itself (`workerInput` gave null: records, bytes, streams, URLs
 * through a `fetcher`) for reading on the main thread. Downloads start here; errors are `CrmError`s.
 */
export async function openSource(source: DataSource, ctx: OpenContext): Promise<OpenedSource> {
  const name = sourceName(source, ctx.baseUrl);
  if (typeof source === 'string' || source instanceof URL) return openUrl(String(source), undefined, name, ctx);
  if (source instanceof Blob) throw new CrmError('internal', `${name} is a Blob, which the worker reads itself: it should not be read on the page.`);
  if (isRecordArray(source)) return { name, size: null, format: 'ndjson', chunks: encodeRecords(source, ctx.signal) };
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return { name, size: bytes.length, format: null, chunks: sliceBytes(bytes) };
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    return { name, size: null, format: null, chunks: readBatches(source, { signal: ctx.signal, name }) };
  }
  if (typeof source === 'object' && source !== null && 'url' in source) {
    return openUrl(String(source.url), source.init, name, ctx);
  }
  throw new CrmError('bad-option', 'A data source must be a File, Blob, URL, array of objects, bytes or a stream.');
}

async function openUrl(url: string, init: RequestInit | undefined, name: string, ctx: OpenContext): Promise<OpenedSource> {
  const href = ctx.baseUrl !== undefined ? new URL(url, ctx.baseUrl).href : url;
  const opened = await openDownload(href, {
    name,
    init: { ...ctx.fetchOptions, ...init },
    signal: ctx.signal,
    idleTimeoutMs: ctx.idleTimeoutMs,
    fetch: ctx.fetcher ?? ((input: string, i: RequestInit) => fetch(input, i)),
  });
  if (opened.body === null) return { name, size: 0, format: null, chunks: sliceBytes(new Uint8Array(0)) };
  return { name, size: opened.size, format: null, chunks: readBatches(opened.body, { signal: ctx.signal, idleTimeoutMs: ctx.idleTimeoutMs, name }) };
}

async function* sliceBytes(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  // copies: the worker receives transferred buffers, and the caller's buffer must stay intact
  for (let at = 0; at < bytes.length; at += BATCH_BYTES) yield bytes.slice(at, at + BATCH_BYTES);
}

/**
 * Encodes an array of objects as NDJSON, a slice of rows at a time, yielding to the event loop between
 * slices so a large array never blocks the page. Dates become ISO 8601 strings.
 */
async function* encodeRecords(records: readonly Record<string, unknown>[], signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let text = '';
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    text += (typeof record === 'object' && record !== null && !Array.isArray(record) ? JSON.stringify(record) : '"not an object"') + '\n';
    if ((i + 1) % ROWS_PER_SLICE === 0 || text.length >= BATCH_BYTES) {
      if (text.length >= BATCH_BYTES / 2 || (i + 1) % (ROWS_PER_SLICE * 8) === 0) {
        yield encoder.encode(text);
        text = '';
      }
      await nextTask();
      if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
    }
  }
  if (text.length > 0) yield encoder.encode(text);
}
