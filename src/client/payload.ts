/**
 * Fetching a pre-aggregated result (a JSON payload of the warehouse SQL pack) for a widget's
 * `summary-src`: no worker involved, same checks and messages as data downloads.
 */
import { CrmError } from '../core/errors.js';
import { openDownload, readBatches, type FetchFunction } from '../core/http.js';
import { fromPayload, type QueryResult } from '../core/results.js';
import { sourceName } from './sources.js';

/** How to fetch a payload. */
export interface PayloadOptions {
  signal: AbortSignal;
  fetchOptions?: RequestInit;
  fetcher?: FetchFunction;
  /** Longest wait for the answer, and for each part of its body, in ms. Default 30,000. */
  idleTimeoutMs?: number;
  baseUrl?: string;
}

/** Downloads and checks a payload: one result, or an array of results. */
export async function fetchResults(url: string, options: PayloadOptions): Promise<QueryResult[]> {
  const name = sourceName(url, options.baseUrl);
  const absolute = new URL(url, options.baseUrl ?? (typeof document !== 'undefined' ? document.baseURI : undefined)).href;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const opened = await openDownload(absolute, {
    name,
    init: options.fetchOptions ?? {},
    signal: options.signal,
    idleTimeoutMs,
    fetch: options.fetcher ?? ((input, init) => fetch(input, init)),
  });
  // the body under the same idle limit and signal as the answer: a server that stalls mid-body fails
  let text = '';
  if (opened.body !== null) {
    const decoder = new TextDecoder();
    for await (const batch of readBatches(opened.body, { signal: options.signal, idleTimeoutMs, name })) text += decoder.decode(batch, { stream: true });
    text += decoder.decode();
  }
  if (options.signal.aborted) throw new CrmError('aborted', `Loading ${name} was cancelled.`, { source: name });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CrmError('invalid-json', `${name} is not valid JSON.`, {
      source: name,
      hint: 'summary-src expects the JSON document a query of the SQL pack returns (or an array of them).',
    });
  }
  try {
    return (Array.isArray(json) ? json : [json]).map(fromPayload);
  } catch (error) {
    if (error instanceof CrmError) throw new CrmError(error.code, `${name}: ${error.message}`, { source: name, hint: error.hint });
    throw error;
  }
}
