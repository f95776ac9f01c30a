/**
 * One worker and the comlink proxy to its engine, with what comlink leaves out: a time limit on every
 * call, and rejection of every pending call when the worker dies (comlink would leave them pending
 * forever). A connection that timed out or saw its worker fail is dead for good; the engine client
 * replaces it.
 */
import { kitWorkerScript } from './kit-worker.js';
import { releaseProxy, transfer, wrap, type Remote } from 'comlink';
import { CrmError, toCrmError } from '../core/errors.js';
import type { EngineApi } from '../core/protocol.js';

/** The hint of a timeout that restarted the worker (a call's, or a read's in engine-client.ts). */
export const RESTARTED = 'The worker was restarted; try again. With very large files, raise timeoutMs.';

/** A worker, or a function that creates one (needed to restart after a crash). */
export type WorkerSource = Worker | (() => Worker);

type Method = keyof EngineApi;
type Args<K extends Method> = Parameters<EngineApi[K]>;
type Result<K extends Method> = ReturnType<EngineApi[K]>;

interface Pending {
  reject: (error: CrmError) => void;
}

/** A live worker running the engine. */
export class WorkerConnection {
  /** Why the connection died, once it has. */
  deathReason: CrmError | null = null;
  private readonly worker: Worker;
  private readonly proxy: Remote<EngineApi>;
  private readonly pending = new Set<Pending>();
  private readonly timeoutMs: number;
  /** Whether the worker has ever answered (an error before that means it never started). */
  private started = false;
  private readonly onMessage = (): void => {
    this.started = true;
    this.worker.removeEventListener('message', this.onMessage);
  };
  private readonly onError = (event: ErrorEvent | Event): void => {
    // The worker's error must not reach the host page's window.onerror.
    event.preventDefault();
    const message = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
    if (!this.started && event.type === 'error') {
      const url = kitWorkerScript(this.worker);
      this.die(
        new CrmError('worker-lost', `The analytics worker could not start${url !== null ? ` from ${url}` : ''}${message}.`, {
          hint:
            'Check that crm.worker.js is served next to the kit script (or set worker-url on <crm-data> to where it is), that a CDN sends Access-Control-Allow-Origin, ' +
            "and that the page's Content-Security-Policy allows it (worker-src 'self' blob:). With Vite's dev server, add optimizeDeps: { exclude: ['crm-widgets'] }.",
        }),
      );
      return;
    }
    this.die(
      new CrmError('worker-lost', `The analytics worker failed${message}.`, {
        hint: 'The data will be reloaded on the next use. If this repeats, the data may be too large for this browser tab.',
      }),
    );
  };

  constructor(source: WorkerSource, timeoutMs: number) {
    this.timeoutMs = timeoutMs;
    this.worker = typeof source === 'function' ? source() : source;
    this.worker.addEventListener('error', this.onError);
    this.worker.addEventListener('messageerror', this.onError);
    this.worker.addEventListener('message', this.onMessage);
    this.proxy = wrap<EngineApi>(this.worker);
  }

  /** Whether the worker is usable. */
  get alive(): boolean {
    return this.deathReason === null;
  }

  /**
   * Calls an engine method. Rejects with `CrmError('timeout')` after the time limit (and then
   * terminates the worker, which may be stuck), and with `CrmError('worker-lost')` when it dies.
   */
  call<K extends Method>(method: K, args: Args<K>, options: { transfer?: Transferable[]; timeoutMs?: number } = {}): Promise<Awaited<Result<K>>> {
    if (this.deathReason !== null) return Promise.reject(this.deathReason);
    return new Promise<Awaited<Result<K>>>((resolve, reject) => {
      const entry: Pending = { reject };
      this.pending.add(entry);
      const limit = options.timeoutMs ?? this.timeoutMs;
      // no timer for calls without a limit (browsers fire timers over 2^31 ms at once)
      const timer = Number.isFinite(limit)
        ? setTimeout(() => {
            this.die(
              new CrmError('timeout', `The analytics worker did not answer ${method} within ${Math.round(limit / 1000)} s.`, {
                hint: RESTARTED,
              }),
            );
          }, limit)
        : undefined;
      let callArgs: unknown[] = args;
      if (options.transfer !== undefined && options.transfer.length > 0) {
        callArgs = args.map((a, i) => (i === args.length - 1 ? transfer(a, options.transfer!) : a));
      }
      const fn = this.proxy[method] as unknown as (...a: unknown[]) => Promise<Awaited<Result<K>>>;
      fn(...callArgs).then(
        (value) => {
          clearTimeout(timer);
          if (!this.pending.delete(entry)) return;
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          if (!this.pending.delete(entry)) return;
          reject(toCrmError(error));
        },
      );
    });
  }

  /** Terminates the worker and rejects pending calls with `reason`. */
  terminate(reason?: CrmError): void {
    this.die(reason ?? new CrmError('disposed', 'The analytics engine was disposed.'));
  }

  private die(reason: CrmError): void {
    if (this.deathReason !== null) return;
    this.deathReason = reason;
    this.worker.removeEventListener('error', this.onError);
    this.worker.removeEventListener('messageerror', this.onError);
    this.worker.removeEventListener('message', this.onMessage);
    try {
      this.proxy[releaseProxy]();
    } catch {
      // the proxy may already be unusable
    }
    this.worker.terminate();
    const pending = [...this.pending];
    this.pending.clear();
    for (const p of pending) p.reject(reason);
  }
}
