/**
 * Parsing on a second core. While the engine worker parses one source of a load, the next source can
 * parse in a helper worker (the same script, started under another name) and come back as columns whose
 * buffers are transferred, not copied. A load of orders and touches then parses both at once.
 *
 * The helper is an optimisation, never a requirement: a helper that cannot start (a CSP that refuses the
 * nested worker, a browser without nested workers, a script that fails to load) answers `ready` with
 * false and the engine parses the source itself, from the same bytes. A helper that dies mid-source fails
 * that source with a clear error; the load is a transaction, so the dataset stays as it was.
 *
 * This file is environment-free: `crm.worker.ts` starts the worker and wraps it as a `HelperLink`.
 */
import { CrmError } from '../../src/core/errors.js';
import type { ResolvedDatasetOptions, SourceSpec } from '../../src/core/options.js';
import { readBatches } from '../../src/core/http.js';
import type { ChunkAck } from '../../src/core/protocol.js';
import { buildScopeRuns, scopeRunsInputOf, type ScopeRuns, type ScopeRunsInput } from '../kernels/incrementality.js';
import { sortTouches, type BuiltTouches, type ScopeCounts, type TouchRows } from '../table/build.js';
import type { TablePart } from '../table/parts.js';
import { SourceLoad, type SourceResult } from './source-load.js';

/** What a helper worker exposes. Sources are named by the engine's source ids. */
export interface ParserApi {
  /** Answers once the helper's script has loaded. */
  ping(): boolean;
  begin(id: number, spec: SourceSpec, options: ResolvedDatasetOptions): void;
  setSize(id: number, size: number): void;
  push(id: number, chunk: Uint8Array): ChunkAck;
  /**
   * Reads a dropped file here and parses it, instead of the engine's worker reading it and forwarding
   * its batches: answers with the final progress once the whole file is parsed. `progress` answers
   * meanwhile; `abort` stops the read.
   */
  read(id: number, blob: Blob): Promise<ChunkAck>;
  progress(id: number): ChunkAck;
  /** The source's parts; `partBuffers` lists what to transfer back. */
  finish(id: number): SourceResult;
  abort(id: number): void;
  /**
   * Sorts the touches table of a build (`DatasetBuild.touchRows`, transferred here) while the engine
   * builds the other tables; its typed arrays are transferred back (`resultBuffers`). With `scopes`,
   * keeps copies of what the holdout lift's scope runs are built from, for `scopeRuns`. The rows come
   * last: a link transfers the buffers it is given with its call's last argument.
   */
  sortTouches(nCustomers: number, timezone: string, scopes: ScopeCounts | null, rows: TouchRows): BuiltTouches;
  /**
   * The holdout lift's scope runs of the last table sorted with `scopes`. The helper begins them on the
   * task after it answers `sortTouches`, so they are under way while the engine finishes the build and
   * answers the first queries; asked for sooner, or after that build failed, they are built now (and
   * a failure is reported here). Their typed arrays are transferred back, and the helper keeps nothing
   * of them.
   */
  scopeRuns(): ScopeRuns;
}

/** The helper's side: sources parsed with the same `SourceLoad` the engine uses. */
export function createParserApi(): ParserApi {
  const open = new Map<number, SourceLoad>();
  /** The last table sorted with `scopes`: the inputs of its scope runs until they are built, then the runs. */
  let runsInput: ScopeRunsInput | null = null;
  let runs: ScopeRuns | null = null;
  const prepareScopeRuns = (): void => {
    if (runsInput === null) return;
    runs = buildScopeRuns(runsInput);
    runsInput = null;
  };
  /** Sources being read here (`read`), to stop on `abort`. */
  const reading = new Map<number, AbortController>();
  const get = (id: number): SourceLoad => {
    const load = open.get(id);
    if (load === undefined) throw new CrmError('aborted', `Source ${id} is not open in the parsing helper.`);
    return load;
  };
  return {
    ping: () => true,
    begin(id, spec, options) {
      open.set(id, new SourceLoad(spec, options));
    },
    setSize(id, size) {
      get(id).setSize(size);
    },
    push(id, chunk) {
      const load = get(id);
      try {
        load.push(chunk);
      } catch (error) {
        open.delete(id);
        throw error;
      }
      return load.ack;
    },
    async read(id, blob) {
      const load = get(id);
      const controller = new AbortController();
      reading.set(id, controller);
      load.setSize(blob.size);
      try {
        // each batch on a task of its own (readBatches), so `progress` and `abort` are answered between them
        for await (const batch of readBatches(blob.stream(), { signal: controller.signal, name: load.name, ownChunks: true })) load.push(batch);
      } catch (error) {
        open.delete(id);
        throw error;
      } finally {
        reading.delete(id);
      }
      return load.ack;
    },
    progress(id) {
      return get(id).ack;
    },
    finish(id) {
      const load = get(id);
      open.delete(id);
      return load.finish();
    },
    abort(id) {
      open.delete(id);
      reading.get(id)?.abort();
    },
    sortTouches(nCustomers, timezone, scopes, rows) {
      const sorted = sortTouches(nCustomers, timezone, rows);
      // copies: the table itself goes back to the engine (about 27 MB at 1m, 10 ms)
      runsInput = scopes === null ? null : scopeRunsInputOf(sorted.columns, sorted.start, scopes, true);
      runs = null;
      // on the next task, once the sorted table is on its way back
      if (scopes !== null) {
        setTimeout(() => {
          try {
            prepareScopeRuns();
          } catch {
            // reported by `scopeRuns`, which tries again
          }
        }, 0);
      }
      return sorted;
    },
    scopeRuns() {
      prepareScopeRuns();
      const built = runs;
      runs = null;
      if (built === null) throw new CrmError('internal', 'No touches table was sorted with scope counts in this helper.');
      return built;
    },
  };
}

/** The distinct buffers under a source's parts (typed-array columns, attribute codes), to transfer. */
export function partBuffers(parts: readonly TablePart[]): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const visit = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) {
      if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
    } else if (Array.isArray(value)) {
      // dictionaries are arrays of strings (cloned); only arrays of objects (attributes) hold columns
      if (value.length > 0 && typeof value[0] === 'object' && value[0] !== null) for (const item of value) visit(item);
    } else if (typeof value === 'object' && value !== null) {
      for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key]);
    }
  };
  for (const part of parts) for (const key of Object.keys(part)) if (key !== 'report') visit((part as unknown as Record<string, unknown>)[key]);
  return [...found];
}

/**
 * Calls `fn` with `args`, the buffers to transfer registered with the last argument through `attach`
 * (comlink's `transfer`, which keys them by that argument in a WeakMap). A call with no buffers (the
 * scope runs' call has no argument to key them by) is made plainly.
 */
export function callTransferring<R>(fn: (...args: unknown[]) => R, args: readonly unknown[], buffers: Transferable[] | undefined, attach: <T>(value: T, buffers: Transferable[]) => T): R {
  if (buffers === undefined || buffers.length === 0) return fn(...args);
  const last = args.length - 1;
  return fn(...args.slice(0, last), attach(args[last], buffers));
}

/** A started helper worker as the engine sees it; `crm.worker.ts` builds it with comlink. */
export interface HelperLink {
  call<K extends keyof ParserApi>(method: K, args: Parameters<ParserApi[K]>, transfer?: Transferable[]): Promise<ReturnType<ParserApi[K]>>;
  /** Registers the listener for the helper's failure (its script did not load, or it crashed). */
  onFailure(listener: (error: Error) => void): void;
  terminate(): void;
}

/** How long a new helper may take to answer before the engine parses the source itself. */
const READY_TIMEOUT_MS = 3_000;

/** One helper worker. Calls reject once it has failed. */
export class Helper {
  /** True once the helper answered; false if it could not start (then it is never used again). */
  readonly ready: Promise<boolean>;
  private failure: CrmError | null = null;
  private readonly failed: Promise<never>;
  private readonly reject: (error: CrmError) => void;
  private readonly link: HelperLink;
  /** True once the helper has answered its first call. */
  private answered = false;

  constructor(link: HelperLink, readyTimeoutMs: number) {
    this.link = link;
    let reject!: (error: CrmError) => void;
    this.failed = new Promise<never>((_, r) => (reject = r));
    this.failed.catch(() => undefined);
    this.reject = reject;
    link.onFailure((error) => {
      if (this.failure !== null) return;
      this.failure = new CrmError('internal', `The parsing helper worker stopped: ${error.message || 'no reason given'}.`, {
        hint: 'The load was not applied; the dataset is as it was. Load again; if it keeps failing with large files, load fewer rows.',
      });
      reject(this.failure);
    });
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), readyTimeoutMs)));
    this.ready = Promise.race([this.call('ping', []).then(() => true, () => false), late]).then((ok) => {
      clearTimeout(timer);
      if (ok) this.answered = true;
      else this.stop();
      return ok;
    });
  }

  get alive(): boolean {
    return this.failure === null;
  }

  /** Alive and known to have started (its first call answered). */
  get started(): boolean {
    return this.answered && this.failure === null;
  }

  call<K extends keyof ParserApi>(method: K, args: Parameters<ParserApi[K]>, transfer?: Transferable[]): Promise<ReturnType<ParserApi[K]>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    return Promise.race([this.link.call(method, args, transfer), this.failed]);
  }

  /** Terminates the worker; calls still waiting on it reject. */
  stop(): void {
    if (this.failure === null) {
      this.failure = new CrmError('internal', 'The parsing helper worker was stopped.');
      this.link.terminate();
      this.reject(this.failure);
    }
  }
}

/**
 * Helper workers of one engine, started on first need and stopped when the engine has no open source.
 * A helper that cannot start marks the pool unusable, so every later source parses in the engine
 * without waiting again.
 */
export class HelperPool {
  private readonly idle: Helper[] = [];
  /** Helpers with open sources, and how many each has. */
  private readonly busy = new Map<Helper, number>();
  private live = 0;
  private usable = true;
  /** Helpers started so far (for diagnostics). */
  started = 0;
  private readonly spawn: () => HelperLink;
  private readonly size: number;
  private readonly readyTimeoutMs: number;

  constructor(spawn: () => HelperLink, size: number, readyTimeoutMs = READY_TIMEOUT_MS) {
    this.spawn = spawn;
    this.size = size;
    this.readyTimeoutMs = readyTimeoutMs;
  }

  /**
   * An idle helper, or null; never starts one. With `started`, only one that has answered its first
   * call: for work worth sending only to a helper already running, never to one still starting.
   * Helpers found dead on the way are dropped.
   */
  takeIdle(started = false): Helper | null {
    for (let k = this.idle.length - 1; k >= 0; k--) {
      const helper = this.idle[k]!;
      if (!helper.alive) {
        this.idle.splice(k, 1);
        this.live--;
      } else if (!started || helper.started) {
        this.idle.splice(k, 1);
        return this.hand(helper);
      }
    }
    return null;
  }

  /**
   * An idle helper (started now if none is idle and the pool has room); with `shared`, when every helper
   * is busy, the live one with the fewest sources (a helper parses its sources in the order their
   * batches arrive). Null when there is none.
   */
  take(shared = false): Helper | null {
    const idle = this.takeIdle();
    if (idle !== null) return idle;
    if (this.usable && this.live < this.size) return this.hand(this.start());
    if (!shared || !this.usable) return null;
    let best: Helper | null = null;
    for (const [helper, sources] of this.busy) if (helper.alive && (best === null || sources < this.busy.get(best)!)) best = helper;
    return best === null ? null : this.hand(best);
  }

  private hand(helper: Helper | null): Helper | null {
    if (helper !== null) this.busy.set(helper, (this.busy.get(helper) ?? 0) + 1);
    return helper;
  }

  private start(): Helper | null {
    let link: HelperLink;
    try {
      link = this.spawn();
    } catch {
      this.usable = false;
      return null;
    }
    this.live++;
    this.started++;
    const helper = new Helper(link, this.readyTimeoutMs);
    void helper.ready.then((ok) => {
      if (!ok) this.usable = false;
    });
    return helper;
  }

  /** Returns a helper whose source has ended or was aborted (it is idle once all its sources have). */
  give(helper: Helper): void {
    const sources = (this.busy.get(helper) ?? 1) - 1;
    if (sources > 0) {
      this.busy.set(helper, sources);
      return;
    }
    this.busy.delete(helper);
    if (helper.alive) this.idle.push(helper);
    else this.live--;
  }

  /**
   * Stops the idle helpers (the engine calls this when no source is open): a helper holds nothing once
   * its source has ended, and the next load with several sources starts one again while the first
   * source parses here.
   */
  stopIdle(): void {
    for (const helper of this.idle.splice(0)) {
      helper.stop();
      this.live--;
    }
  }
}
