/**
 * The state of one dataset as widgets see it: empty, loading (with progress), ready (with its report)
 * or failed (with the error), plus the engine to query. `<crm-data>` wraps one; widgets subscribe to it.
 * Only the latest load counts: starting a load cancels the one in flight, and a cancelled or failed
 * load leaves the previous data in place.
 */
import { CrmError, toCrmError } from '../core/errors.js';
import type { DatasetReport, LoadProgress } from '../core/report.js';
import { CrmEngine, type EngineOptions, type LoadInput, type LoadOptions, type LoadResult } from './engine-client.js';

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

/** A dataset: one engine (one worker), its loads and their state. */
export class DatasetModel implements DatasetHandle {
  private current: DatasetSnapshot = { status: 'empty', progress: null, error: null, report: null, version: 0 };
  private listeners = new Set<() => void>();
  private engineOptions: EngineOptions = {};
  private engineKey = '{}';
  private instance: CrmEngine | null = null;
  private controller: AbortController | null = null;
  private lastInput: LoadInput | null = null;
  private disposed = false;

  get snapshot(): DatasetSnapshot {
    return this.current;
  }

  get engine(): CrmEngine | null {
    return this.instance;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Sets the engine options. Options that change how data is read (time zone, columns, ...) take a
   * new engine and reload the latest input; it returns whether they did.
   */
  configure(options: EngineOptions): boolean {
    this.engineOptions = options;
    const { fetchOptions, fetcher, worker, ...rest } = options;
    void worker;
    const key = JSON.stringify(rest);
    this.instance?.setRequestOptions(fetchOptions, fetcher);
    if (key === this.engineKey) return false;
    this.engineKey = key;
    if (this.instance !== null) {
      this.instance.dispose();
      this.instance = null;
      return true;
    }
    return false;
  }

  async load(input: LoadInput, options: Pick<LoadOptions, 'mode'> = {}): Promise<LoadResult | null> {
    if (this.disposed) throw new CrmError('disposed', 'This dataset was removed from the page.');
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.lastInput = input;
    this.set({ status: 'loading', progress: null, error: null });
    try {
      const engine = this.ensureEngine();
      const result = await engine.load(input, {
        ...options,
        signal: controller.signal,
        onProgress: (progress) => {
          if (this.controller === controller) this.set({ progress });
        },
      });
      if (this.controller !== controller) return null;
      this.controller = null;
      this.set({ status: 'ready', progress: null, error: null, report: result.report, version: this.current.version + 1 });
      return result;
    } catch (error) {
      if (this.controller !== controller) return null;
      this.controller = null;
      const failure = toCrmError(error);
      if (failure.code === 'aborted') {
        // a cancelled load leaves the previous data (or the empty state) as it was
        this.set({ status: this.current.report !== null ? 'ready' : 'empty', progress: null, error: null });
        return null;
      }
      this.set({ status: 'error', progress: null, error: failure });
      throw failure;
    }
  }

  cancel(): void {
    this.controller?.abort();
  }

  async retry(): Promise<LoadResult | null> {
    if (this.lastInput === null) return null;
    return this.load(this.lastInput);
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
    if (this.instance === null || this.instance.disposed) this.instance = new CrmEngine(this.engineOptions);
    return this.instance;
  }

  private set(change: Partial<DatasetSnapshot>): void {
    this.current = { ...this.current, ...change };
    for (const listener of [...this.listeners]) listener();
  }
}
