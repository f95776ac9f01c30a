/**
 * Reading bytes from HTTP responses and streams, shared by the worker (which downloads URLs and reads
 * Files itself) and the main thread (which reads only what it must: caller streams and `fetcher` hooks).
 * Uses only `fetch`-family APIs that exist in both places.
 */
import { CrmError } from './errors.js';

/** Target size of the byte batches handed to the parser or to `postMessage`. */
export const BATCH_BYTES = 1 << 20;

/** A `fetch`-compatible function. */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>;

/** Options of a download. */
export interface DownloadOptions {
  /** Display name (origin and path, never a query string). */
  name: string;
  init: RequestInit;
  signal: AbortSignal;
  /** Longest wait for the response headers, then for each next chunk. */
  idleTimeoutMs: number;
  fetch: FetchFunction;
}

/** A response checked for status and content: its body and size. */
export interface OpenedResponse {
  body: ReadableStream<Uint8Array> | null;
  /** Decoded size in bytes when the server said so (not for compressed transfers). */
  size: number | null;
}

/** Fetches a URL and checks the answer; errors say what failed and what to do. */
export async function openDownload(url: string, options: DownloadOptions): Promise<OpenedResponse> {
  const { name, signal } = options;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.idleTimeoutMs);
  const onAbort = (): void => timeout.abort();
  signal.addEventListener('abort', onAbort);
  let response: Response;
  try {
    response = await options.fetch(url, { ...options.init, signal: timeout.signal });
  } catch (error) {
    if (signal.aborted) throw new CrmError('aborted', `Loading ${name} was cancelled.`, { source: name });
    if (timeout.signal.aborted) {
      throw new CrmError('timeout', `${name} did not answer within ${Math.round(options.idleTimeoutMs / 1000)} s.`, {
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
    signal.removeEventListener('abort', onAbort);
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
  return { body: response.body, size: Number.isFinite(length) && length > 0 && !encoded ? length : null };
}

/**
 * Reads a byte stream in batches of about `BATCH_BYTES`. Each batch is an array of exactly its length
 * that owns its whole buffer, so it can be transferred. With `ownChunks` (a stream the kit opened on a
 * Blob, whose chunks nobody else holds), a chunk of half a batch to two batches that owns its buffer is
 * passed on as it is: a Blob's stream reads 2 MB chunks in Chromium, and copying a 140 MB file into
 * fresh 1 MB batches cost 100-170 ms of the worker's time, most of it the new pages. Every other chunk
 * is copied into batches: a host's stream keeps its buffers (a transfer would detach them), and a huge
 * chunk still comes in batches, for progress and a prompt cancel. With `idleTimeoutMs`, a stream that
 * sends nothing for that long fails with `timeout`; cancelling `signal` fails with `aborted`.
 *
 * The next batch comes on a later task: a Blob's reads resolve at once, so a loop that parses each
 * batch would otherwise hold its thread until the whole file is read, and another read on the same
 * thread (a second dropped file forwarded to a helper worker), or the page, would wait for it.
 */
export async function* readBatches(
  stream: ReadableStream<Uint8Array>,
  options: { signal: AbortSignal; idleTimeoutMs?: number; name: string; ownChunks?: boolean },
): AsyncGenerator<Uint8Array> {
  const { signal, name } = options;
  const reader = stream.getReader();
  let batch = new Uint8Array(BATCH_BYTES);
  let used = 0;
  const onAbort = (): void => void reader.cancel().catch(() => undefined);
  signal.addEventListener('abort', onAbort);
  try {
    for (;;) {
      if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
      const { done, value } = options.idleTimeoutMs === undefined ? await reader.read() : await readWithin(reader, options.idleTimeoutMs, name);
      if (done) break;
      if (options.ownChunks === true && value.length >= BATCH_BYTES / 2 && value.length <= 2 * BATCH_BYTES && spansBuffer(value)) {
        if (used > 0) {
          yield batch.slice(0, used);
          used = 0;
        }
        yield value;
        await nextTask();
        continue;
      }
      let offset = 0;
      while (offset < value.length) {
        const n = Math.min(value.length - offset, batch.length - used);
        batch.set(value.subarray(offset, offset + n), used);
        used += n;
        offset += n;
        if (used === batch.length) {
          yield batch;
          await nextTask();
          batch = new Uint8Array(BATCH_BYTES);
          used = 0;
        }
      }
    }
    if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
    if (used > 0) yield batch.slice(0, used);
  } catch (error) {
    if (signal.aborted) throw new CrmError('aborted', 'The load was cancelled.');
    throw error instanceof CrmError
      ? error
      : new CrmError('network', `Reading ${name} failed (${error instanceof Error ? error.message : String(error)}).`, {
          source: name,
          hint: 'Check the network connection and retry.',
        });
  } finally {
    signal.removeEventListener('abort', onAbort);
    reader.releaseLock();
  }
}

/**
 * Resolves on a later task, after the messages already queued (other reads, workers' answers), so the
 * event loop runs (input, rendering) between slices of work; a message task, not setTimeout's clamped one.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
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

/** Whether bytes span their whole buffer, which can then be transferred (or kept) without a copy. */
function spansBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}

/** The bytes themselves when they span their whole buffer, else a copy that does. */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return spansBuffer(bytes) ? bytes : bytes.slice();
}

/**
 * A `RequestInit` that can cross to a worker: headers as pairs, no signal (the worker makes its own),
 * no `window`. Bodies other than strings are dropped (data downloads are GETs).
 */
export function cloneableInit(init: RequestInit | undefined): RequestInit {
  if (init === undefined) return {};
  const { signal, headers, body, window, ...rest } = init as RequestInit & { window?: unknown };
  void signal;
  void window;
  const out: RequestInit = { ...rest };
  if (headers !== undefined) {
    const pairs: [string, string][] = [];
    new Headers(headers).forEach((value, key) => pairs.push([key, value]));
    out.headers = pairs;
  }
  if (typeof body === 'string') out.body = body;
  return out;
}
