/**
 * The state of one dataset as widgets see it: empty, loading (with progress), ready (with its report)
 * or failed (with the error), plus the engine to query. `<crm-data>` wraps one; widgets subscribe to it.
 * Only the latest load counts: starting a load cancels the one in flight, and a cancelled or failed
 * load leaves the previous data in place.
 */
import { CrmError, toCrmError } from '../core/errors.js';
import type { DatasetReport, LoadProgress } from '../core/report.js';
import { checkOptions, CrmEngine, type EngineOptions, type LoadInput, type LoadOptions, type LoadResult } from './engine-client.js';

/** Where a dataset is. */
export type DatasetStatus = 'empty' | 'loading' | 'ready' | 'error';

/** What widgets read of a dataset, replaced (never mutated) on every change. */
export interface DatasetSnapshot {
  status: DatasetStatus;
  /** Progress of the load in flight. */
  progress: LoadProgress | null;
  /** Why the latest load failed (status `error`). */
  error: CrmError | null;
  /** The data's report, once something loaded (kept while a reload runs or after it fails). */
  report: DatasetReport | null;
  /** Increases with every successful load: results computed for an older version are stale. */
  version: number;
}

/** A dataset widgets can use: its state, its engine, and the actions of its state views. */
export interface DatasetHandle {
  readonly snapshot: DatasetSnapshot;
  /** The engine holding the data; null before the first load. */
  readonly engine: CrmEngine | null;
  /** Calls `listener` after every change; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** Loads files or other sources (from an upload, say), replacing the tables they hold. */
  load(input: LoadInput): Promise<LoadResult | null>;
  /** Cancels the load in flight. */
  cancel(): void;
  /** Runs the latest load again (after an error, for instance). */
  retry(): Promise<LoadResult | null>;
}

/** A load, or a re-read under new options (`replaces`: the data it reads again is gone once it starts). */
interface Run {
  run: (engine: CrmEngine, options: Pick<LoadOptions, 'signal' | 'onProgress'>) => Promise<LoadResult | null>;
  replaces: boolean;
  /** What it loads that the dataset does not hold yet (a load's input, a re-read's `next`). */
  input: LoadInput | undefined;
}

/** A dataset: one engine (one worker), its loads and their state. */
export class DatasetModel implements DatasetHandle {
  private current: DatasetSnapshot = { status: 'empty', progress: null, error: null, report: null, version: 0 };
  private listeners = new Set<() => void>();
  private engineOptions: EngineOptions = {};
  private engineKey = '{}';
  private instance: CrmEngine | null = null;
  private controller: AbortController | null = null;
  /** The latest load (or re-read under new options), for `retry`. */
  private last: Run | null = null;
  /** Options the page set that cannot be used (see `reject`). */
  private rejected: CrmError | null = null;
  /** A load that refused options cancelled before it finished: the re-read once they are fixed reads it too. */
  private interrupted: LoadInput | undefined = undefined;
  private disposed = false;

  get snapshot(): DatasetSnapshot {
    return this.current;
  }

  get engine(): CrmEngine | null {
    return this.instance;
  }

  /** Whether the options of the latest `configure` were refused (see `reject`): loads wait for usable ones. */
  get refused(): boolean {
    return this.rejected !== null;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sets the engine options. Returns whether they change how data is read (time zone, columns, ...)
   * while data is loaded; `reread` then reads it again under them. Throws on options no engine can take
   * (a bad time zone, say), before anything is loaded under them: the caller shows them with `reject`,
   * and its declared sources load once a `configure` accepts the fixed ones.
   */
  configure(options: EngineOptions): boolean {
    checkOptions(options);
    this.engineOptions = options;
    const { fetchOptions, fetcher, worker, ...rest } = options;
    void worker;
    // the page's options are usable again: leave the error they caused, and finish the load they stopped
    const resume = this.rejected !== null && this.interrupted !== undefined;
    if (this.rejected !== null) {
      if (this.current.error === this.rejected) this.settle();
      this.rejected = null;
    }
    const key = JSON.stringify(rest);
    this.instance?.setRequestOptions(fetchOptions, fetcher);
    if (key === this.engineKey) return resume;
    this.engineKey = key;
    return this.instance !== null || resume;
  }

  /**
   * Shows options the page set that cannot be used (columns that are not JSON, say) as the dataset's
   * error, and holds loads until `configure` gets usable ones: reading data under other options than
   * the page declares would show numbers it did not ask for.
   */
  reject(error: CrmError): void {
    this.rejected = error;
    if (this.controller !== null) this.interrupted = this.last?.input ?? this.interrupted;
    this.controller?.abort();
    this.controller = null;
    this.set({ status: 'error', progress: null, error });
  }

  async load(input: LoadInput, options: Pick<LoadOptions, 'mode'> = {}): Promise<LoadResult | null> {
    return this.track({ run: (engine, run) => engine.load(input, { ...options, ...run }), replaces: false, input });
  }

  /**
   * Reads every load of the dataset again under the options of the latest `configure` (in a new
   * worker), and then `next`, sources that come with those options, in place of the loads of the
   * tables it names (see CrmEngine.reconfigure). A load this cancels (still in flight, or stopped by
   * refused options) is read as `next` when none is given: the page asked for it, and new options do
   * not take it back. Without data loaded, that is an ordinary load, and with nothing to read it
   * resolves with null.
   */
  async reread(next?: LoadInput): Promise<LoadResult | null> {
    const carried = next ?? (this.controller !== null ? this.last?.input : undefined) ?? this.interrupted;
    if (this.instance === null) return carried === undefined ? null : this.load(carried);
    const options = this.engineOptions;
    return this.track({ run: (engine, run) => engine.reconfigure(options, run, carried), replaces: true, input: carried });
  }

  /**
   * Runs a load, with its progress, cancel and state. A cancelled load leaves the data as it was, except
   * a cancelled `reread` (`replaces`): the data it was replacing is gone, so that is an error to retry.
   * Options that `configure` refused hold it as their error (`reject`).
   */
  private async track(last: Run): Promise<LoadResult | null> {
    if (this.disposed) throw new CrmError('disposed', 'This dataset was removed from the page.');
    if (this.rejected !== null) {
      this.set({ status: 'error', progress: null, error: this.rejected });
      throw this.rejected;
    }
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    // a load stopped by refused options is carried at most once: this run (or the one it replaces) now holds it
    this.last = last;
    this.interrupted = undefined;
    this.set({ status: 'loading', progress: null, error: null });
    try {
      const result = await last.run(this.ensureEngine(), {
        signal: controller.signal,
        onProgress: (progress) => {
          if (this.controller === controller) this.set({ progress });
        },
      });
      if (this.controller !== controller) return null;
      this.controller = null;
      if (result === null) {
        this.settle();
        return null;
      }
      this.set({ status: 'ready', progress: null, error: null, report: result.report, version: this.current.version + 1 });
      return result;
    } catch (error) {
      if (this.controller !== controller) return null;
      this.controller = null;
      let failure = toCrmError(error);
      if (failure.code === 'aborted') {
        if (!last.replaces) {
          // a cancelled load leaves the previous data (or the empty state) as it was
          this.settle();
          return null;
        }
        failure = new CrmError('aborted', 'Reading the data again under the new options was cancelled.', { hint: 'Retry to read it again; the data read under the previous options is gone.' });
      }
      this.set({ status: 'error', progress: null, error: failure });
      throw failure;
    }
  }

  /**
   * Cancels the load in flight, while its sources are read. Once its tables are being built (progress
   * phase `build`) the worker is already replacing the data: that load completes (a re-read stops
   * before its next load).
   */
  cancel(): void {
    this.controller?.abort();
  }

  async retry(): Promise<LoadResult | null> {
    return this.last === null ? null : this.track(this.last);
  }

  /** Forgets the data and terminates the worker. */
  dispose(): void {
    this.disposed = true;
    this.controller?.abort();
    this.controller = null;
    this.instance?.dispose();
    this.instance = null;
    this.listeners.clear();
  }

  private ensureEngine(): CrmEngine {
    if (this.instance === null || this.instance.disposed) {
      const engine = new CrmEngine(this.engineOptions);
      // after a crash the new worker read the loads again, and its sources may have answered otherwise:
      // a new version, so that every widget asks again (a load in flight announces its own)
      engine.onRestart = () =>
        void engine.report().then(
          (report) => {
            if (engine === this.instance && this.controller === null) this.set({ status: 'ready', error: null, report, version: this.current.version + 1 });
          },
          () => undefined,
        );
      this.instance = engine;
    }
    return this.instance;
  }

  /** Back to the data held (or the empty state), with no load and no error. */
  private settle(): void {
    this.set({ status: this.current.report !== null ? 'ready' : 'empty', progress: null, error: null });
  }

  private set(change: Partial<DatasetSnapshot>): void {
    this.current = { ...this.current, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
