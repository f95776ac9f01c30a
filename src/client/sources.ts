/**
 * Turns what a caller hands the kit (a File, a URL, an array of objects, bytes) into a stream of byte
 * batches for the worker. Batches are about 1 MB: large enough that postMessage overhead vanishes,
 * small enough that the worker reports progress and honours a cancel within a few milliseconds.
 */
import { CrmError } from '../core/errors.js';
import { displayUrl } from '../core/options.js';

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
export type Fetcher = (input: string, init: RequestInit) => Promise<Response>;

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

/** Target size of a batch sent to the worker. */
export const BATCH_BYTES = 1 << 20;

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

/** Opens a source for reading. Downloads start here; errors are `CrmError`s. */
export async function openSource(source: DataSource, ctx: OpenContext): Promise<OpenedSource> {
  const name = sourceName(source, ctx.baseUrl);
  if (typeof source === 'string' || source instanceof URL) return openUrl(String(source), undefined, name, ctx);
  if (source instanceof Blob) return { name, size: source.size, format: null, chunks: readStream(source.stream(), ctx, null) };
  if (isRecordArray(source)) return { name, size: null, format: 'ndjson', chunks: encodeRecords(source, ctx.signal) };
  if (source instanceof ArrayBuffer || source instanceof Uint8Array) {
    const bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
    return { name, size: bytes.length, format: null, chunks: sliceBytes(bytes) };
  }
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    return { name, size: null, format: null, chunks: readStream(source, ctx, null) };
  }
  if (typeof source === 'object' && source !== null && 'url' in source) {
    return openUrl(String(source.url), source.init, name, ctx);
  }
  throw new CrmError('bad-option', 'A data source must be a File, Blob, URL, array of objects, bytes or a stream.');
}

async function openUrl(url: string, init: RequestInit | undefined, name: string, ctx: OpenContext): Promise<OpenedSource> {
  const merged: RequestInit = { ...ctx.fetchOptions, ...init, signal: ctx.signal };
  const href = ctx.baseUrl !== undefined ? new URL(url, ctx.baseUrl).href : url;
  let response: Response;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), ctx.idleTimeoutMs);
  const onAbort = (): void => timeout.abort();
  ctx.signal.addEventListener('abort', onAbort);
  merged.signal = timeout.signal;
  try {
    response = await (ctx.fetcher ?? ((input: string, i: RequestInit) => fetch(input, i)))(href, merged);
  } catch (error) {
    if (ctx.signal.aborted) throw new CrmError('aborted', `Loading ${name} was cancelled.`, { source: name });
    if (timeout.signal.aborted) {
      throw new CrmError('timeout', `${name} did not answer within ${Math.round(ctx.idleTimeoutMs / 1000)} s.`, {
        source: name,
        hint: 'Check that the server is up, then retry.',
      });
    }
    throw new CrmError('network', `${name} could not be reached (${error instanceof Error ? error.message : String(error)}).`, {
      source: name,
      hint: 'Check the URL, the network connection and, for another origin, that the server allows CORS requests from this page.',
    });
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
  }
  if (!response.ok) {
    void response.body?.cancel().catch(() => undefined);
    const status = response.status;
    const hint =
      status === 401 || status === 403
        ? 'Check the credentials passed in fetchOptions or the fetcher (they are never read from attributes).'
        : status === 404
          ? 'Check the URL.'
          : status >= 500
            ? 'The server failed; retry later or contact its owner.'
            : 'Check the request.';
    throw new CrmError('http-status', `${name} answered HTTP ${status}${response.statusText ? ` ${response.statusText}` : ''}.`, {
      source: name,
      status,
      hint,
    });
  }
  const type = response.headers.get('content-type') ?? '';
  if (/text\/html/i.test(type)) {
    void response.body?.cancel().catch(() => undefined);
    throw new CrmError('not-data', `${name} answered with an HTML page, not data.`, {
      source: name,
      hint: 'The address probably points to a login or error page: check the URL and the credentials in fetchOptions.',
    });
  }
  const length = Number(response.headers.get('content-length'));
  const encoded = (response.headers.get('content-encoding') ?? '') !== '';
  const size = Number.isFinite(length) && length > 0 && !encoded ? length : null;
  if (response.body === null) return { name, size: 0, format: null, chunks: sliceBytes(new Uint8Array(0)) };
  return { name, size, format: null, chunks: readStream(response.body, ctx, name) };
}

/** Reads a byte stream in ~1 MB batches, with an idle time limit for downloads. */
async function* readStream(stream: ReadableStream<Uint8Array>, ctx: OpenContext, download: string | null): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  let batch = new Uint8Array(BATCH_BYTES);
  let used = 0;
  const onAbort = (): void => void reader.cancel().catch(() => undefined);
  ctx.signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (ctx.signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
      const { done, value } = download === null ? await reader.read() : await readWithin(reader, ctx.idleTimeoutMs, download);
      if (done) break;
      let offset = 0;
      while (offset < value.length) {
        const n = Math.min(value.length - offset, batch.length - used);
        batch.set(value.subarray(offset, offset + n), used);
        used += n;
        offset += n;
        if (used === batch.length) {
          yield batch;
          batch = new Uint8Array(BATCH_BYTES);
          used = 0;
        }
      }
    }
    if (used > 0) yield batch.slice(0, used);
  } catch (error) {
    if (ctx.signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
    throw error instanceof CrmError
      ? error
      : new CrmError('network', `Reading the data failed (${error instanceof Error ? error.message : String(error)}).`, {
          hint: 'Check the network connection and retry.',
        });
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

async function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  ms: number,
  name: string,
): Promise<ReadableStreamReadResult<Uint8Array>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // reject before cancelling: cancel() settles the pending read as "done", which must not win
      reject(
        new CrmError('timeout', `${name} sent no data for ${Math.round(ms / 1000)} s.`, {
          source: name,
          hint: 'The server stalled; retry later.',
        }),
      );
      void reader.cancel().catch(() => undefined);
    }, ms);
  });
  try {
    return await Promise.race([reader.read(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function* sliceBytes(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  // copies: the worker receives transferred buffers, and the caller's buffer must stay intact
  for (let at = 0; at < bytes.length; at += BATCH_BYTES) yield bytes.slice(at, at + BATCH_BYTES);
}

/** Lets the event loop run (input, rendering) between slices of main-thread work. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
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
      await yieldToEventLoop();
      if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
    }
  }
  if (text.length > 0) yield encoder.encode(text);
}
