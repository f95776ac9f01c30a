/**
 * Runs a widget's queries: against its dataset's worker, or from a pre-aggregated payload
 * (`summary-src` URL or `.result` property) with no worker at all. Only the latest request counts:
 * results that arrive after the parameters or the data changed are dropped, and a superseded
 * payload download is aborted.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { fetchResults } from '../client/payload.js';
import type { Fetcher } from '../client/sources.js';
import { CrmError, toCrmError } from '../core/errors.js';
import type { QueryRequest } from '../core/queries.js';
import { fromPayload, type QueryResult } from '../core/results.js';
import type { DatasetController } from './dataset.js';

/** Named requests of a widget (a widget may need several results, e.g. KPIs and attribution). */
export type QueryPlan = Record<string, QueryRequest>;

/** Where results come from when they are not computed from a dataset. */
export interface SummarySource {
  /** URL of a JSON payload (one result or an array of results). */
  src: string | null;
  /** Results given directly. */
  result: QueryResult | QueryResult[] | unknown | null;
  fetchOptions?: RequestInit;
  fetcher?: Fetcher;
}

/** Where a widget's results are. */
export type QueryStatus = 'idle' | 'pending' | 'ready' | 'error';

const engineIds = new WeakMap<object, number>();
let nextEngineId = 1;

/** A number that names an engine for as long as it lives. */
function engineId(engine: object): number {
  let id = engineIds.get(engine);
  if (id === undefined) {
    id = nextEngineId++;
    engineIds.set(engine, id);
  }
  return id;
}

export class QueryController implements ReactiveController {
  /** The latest results by name (kept while newer ones are computed). */
  results: Record<string, QueryResult> = {};
  status: QueryStatus = 'idle';
  error: CrmError | null = null;
  /** Whether the shown results came from a payload rather than a dataset. */
  fromSummary = false;
  private readonly host: ReactiveControllerHost;
  private readonly dataset: DatasetController;
  private readonly plan: () => QueryPlan | null;
  private readonly summary: () => SummarySource;
  private readonly onResults: (() => void) | undefined;
  private readonly onError: ((error: CrmError) => void) | undefined;
  private key = '';
  /** Which request (dataset version and request as JSON) produced each of `results`. */
  private resultKeys: Record<string, string> = {};
  private sequence = 0;
  private download: AbortController | null = null;

  constructor(
    host: ReactiveControllerHost,
    options: { dataset: DatasetController; plan: () => QueryPlan | null; summary: () => SummarySource; onResults?: () => void; onError?: (error: CrmError) => void },
  ) {
    this.host = host;
    this.dataset = options.dataset;
    this.plan = options.plan;
    this.summary = options.summary;
    this.onResults = options.onResults;
    this.onError = options.onError;
    host.addController(this);
  }

  hostDisconnected(): void {
    // results of a detached widget are not wanted; a reconnect runs the queries again
    this.sequence++;
    this.download?.abort();
    this.download = null;
    this.key = '';
    // a reconnected widget may show another dataset: nothing of this one may be reused
    this.resultKeys = {};
  }

  hostUpdate(): void {
    const summary = this.summary();
    const plan = this.plan();
    if (summary.result !== null && summary.result !== undefined) {
      this.useSummary(summary.result, plan);
      return;
    }
    if (summary.src !== null && summary.src !== '') {
      const key = `src|${summary.src}`;
      if (key !== this.key) this.fetchSummary(key, summary, plan);
      return;
    }
    this.fromSummary = false;
    const handle = this.dataset.handle;
    const snapshot = handle?.snapshot;
    if (handle === null || snapshot === undefined || snapshot.report === null || handle.engine === null || plan === null) {
      this.key = '';
      this.results = {};
      this.resultKeys = {};
      this.status = 'idle';
      return;
    }
    const keys: Record<string, string> = {};
    // versions count per dataset, so the key names the engine too (another dataset, or the same one
    // reset), and its worker generation (a restarted worker reloaded the sources, which may have changed)
    const dataset = `${engineId(handle.engine)}.${handle.engine.generation}.${snapshot.version}`;
    for (const [name, request] of Object.entries(plan)) keys[name] = `${dataset}|${JSON.stringify(request)}`;
    const key = JSON.stringify(keys);
    if (key !== this.key) this.run(key, plan, keys);
  }

  /** Runs the queries again (after an error). */
  retry(): void {
    this.key = '';
    this.host.requestUpdate();
  }

  /**
   * Runs the plan. A request identical to one whose result is shown (same dataset version, same
   * parameters) is not sent again: changing the attribution window re-runs what depends on it and
   * keeps, say, the holdout lift, which does not.
   */
  private run(key: string, plan: QueryPlan, keys: Record<string, string>): void {
    this.key = key;
    const sequence = ++this.sequence;
    const engine = this.dataset.handle!.engine!;
    this.status = 'pending';
    this.error = null;
    const names = Object.keys(plan);
    const shown = this.results;
    const shownKeys = this.resultKeys;
    const reuse = (name: string): QueryResult | undefined => (shownKeys[name] === keys[name] ? shown[name] : undefined);
    Promise.all(names.map((name) => reuse(name) ?? engine.query(plan[name] as never)))
      .then((results) => {
        if (sequence !== this.sequence) return;
        const next: Record<string, QueryResult> = {};
        names.forEach((name, i) => (next[name] = results[i] as QueryResult));
        this.results = next;
        this.resultKeys = keys;
        this.status = 'ready';
        this.host.requestUpdate();
        this.onResults?.();
      })
      .catch((error: unknown) => {
        if (sequence !== this.sequence) return;
        // after a failure (a worker that died, say) a retry asks for everything again
        this.resultKeys = {};
        this.fail(error);
      });
  }

  private fail(error: unknown): void {
    this.status = 'error';
    this.error = toCrmError(error);
    this.host.requestUpdate();
    this.onError?.(this.error);
  }

  private useSummary(given: unknown, plan: QueryPlan | null): void {
    this.fromSummary = true;
    this.resultKeys = {};
    try {
      this.results = matchPlan(Array.isArray(given) ? given : [given], plan);
      this.status = 'ready';
      this.error = null;
    } catch (error) {
      this.results = {};
      this.status = 'error';
      this.error = toCrmError(error);
    }
    this.key = 'result';
  }

  private fetchSummary(key: string, summary: SummarySource, plan: QueryPlan | null): void {
    this.key = key;
    this.fromSummary = true;
    this.resultKeys = {};
    this.download?.abort();
    const controller = new AbortController();
    this.download = controller;
    const sequence = ++this.sequence;
    this.status = 'pending';
    this.error = null;
    const options = { signal: controller.signal, ...(summary.fetchOptions !== undefined ? { fetchOptions: summary.fetchOptions } : {}), ...(summary.fetcher !== undefined ? { fetcher: summary.fetcher } : {}) };
    fetchResults(summary.src!, options)
      .then((results) => {
        if (sequence !== this.sequence) return;
        this.results = matchPlan(results, plan);
        this.status = 'ready';
        this.host.requestUpdate();
        this.onResults?.();
      })
      .catch((error: unknown) => {
        if (sequence !== this.sequence || controller.signal.aborted) return;
        this.fail(error);
      });
  }
}

/** Results for the plan's names, matched by kind; results already revived pass through. */
function matchPlan(given: unknown[], plan: QueryPlan | null): Record<string, QueryResult> {
  const byKind = new Map<string, QueryResult>();
  for (const item of given) {
    const result = fromPayload(item);
    if (!byKind.has(result.kind)) byKind.set(result.kind, result);
  }
  const out: Record<string, QueryResult> = {};
  if (plan === null) {
    for (const [kind, result] of byKind) out[kind] = result;
    return out;
  }
  for (const [name, request] of Object.entries(plan)) {
    const found = byKind.get(request.kind);
    if (found !== undefined) out[name] = found;
  }
  if (Object.keys(out).length === 0) {
    throw new CrmError('not-data', `The payload holds ${[...byKind.keys()].join(', ') || 'no result'}, not what this widget shows.`, {
      hint: `This widget needs a ${[...new Set(Object.values(plan).map((r) => r.kind))].join(' or ')} result.`,
    });
  }
  return out;
}
