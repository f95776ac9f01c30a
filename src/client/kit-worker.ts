/**
 * Starting the kit's worker wherever the kit's script comes from.
 *
 * - Same origin as the page (npm install, self-hosted files): the worker script's own URL.
 * - Another origin (the CDN build on a page elsewhere): browsers refuse a cross-origin worker URL, so
 *   the worker starts from a one-line same-origin `blob:` module that imports the real script. That
 *   import is an ordinary cross-origin module load, allowed whenever the kit's script itself loaded
 *   (module scripts need CORS anyway), and the worker's own `import.meta.url` stays the CDN URL.
 * - A host that serves the worker itself passes `workerUrl`, which wins.
 *
 * A page whose CSP forbids `blob:` workers and loads the kit cross-origin must pass a same-origin
 * `workerUrl` (the error says so).
 */

import { CrmError } from '../core/errors.js';

const NAME = 'crm-analytics';

/** The script URL each kit worker was started from, for the error when it cannot start. */
const scripts = new WeakMap<Worker, string>();

/** Where a worker started by the kit loads its script from (null for a host's own worker). */
export function kitWorkerScript(worker: Worker): string | null {
  return scripts.get(worker) ?? null;
}

/**
 * URL of the kit's worker script as the bundler emitted it. The expression is the one bundlers
 * recognise as a worker entry (`new Worker(new URL(..., import.meta.url))`): Vite compiles the worker
 * and rewrites the URL. A local `Worker` class catches the URL instead of starting a worker here.
 */
export function kitWorkerUrl(): URL {
  let found: URL | null = null;
  class Worker {
    constructor(url: URL, _options: WorkerOptions) {
      found = url;
    }
  }
  new Worker(new URL('../../workers/crm.worker.ts', import.meta.url), { type: 'module', name: NAME });
  return found!;
}

/** Starts the kit's worker from `workerUrl` (host-supplied) or from the kit's own script. */
export function startKitWorker(workerUrl?: string | URL): Worker {
  const url = workerUrl !== undefined ? resolveWorkerUrl(workerUrl) : kitWorkerUrl();
  if (url.origin === self.location.origin || url.protocol === 'blob:' || url.protocol === 'data:') {
    const worker = new Worker(url, { type: 'module', name: NAME });
    scripts.set(worker, url.href);
    return worker;
  }
  const loader = URL.createObjectURL(new Blob([`import ${JSON.stringify(url.href)};\n`], { type: 'text/javascript' }));
  const worker = new Worker(loader, { type: 'module', name: NAME });
  scripts.set(worker, url.href);
  // the loader is needed until the worker has fetched it: its first answer (or failure) says so
  const revoke = (): void => {
    URL.revokeObjectURL(loader);
    worker.removeEventListener('message', revoke);
    worker.removeEventListener('error', revoke);
  };
  worker.addEventListener('message', revoke);
  worker.addEventListener('error', revoke);
  return worker;
}

/** A host-supplied worker URL, resolved against the page; a malformed one is the host's error, said so. */
export function resolveWorkerUrl(workerUrl: string | URL): URL {
  const base = typeof document !== 'undefined' ? document.baseURI : self.location.href;
  try {
    return new URL(workerUrl, base);
  } catch {
    throw new CrmError('bad-option', `The worker URL "${String(workerUrl)}" is not a URL.`, {
      hint: 'Set worker-url (or workerUrl) to where crm.worker.js is served, e.g. "/assets/crm.worker.js".',
    });
  }
}
