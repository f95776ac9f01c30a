/**
 * The worker entry: the only file that touches worker globals and calls `expose`. One worker holds
 * the datasets of one engine client. Started under the name `PARSER_NAME`, the same script is instead a
 * parsing helper of such a worker (see `ingest/helpers.ts`).
 */
import { expose, releaseProxy, transfer, transferHandlers, wrap, type Remote } from 'comlink';
import { serializeError } from '../src/core/errors.js';
import type { ChunkAck, EngineApi, WorkerInput } from '../src/core/protocol.js';
import type { QueryRequest } from '../src/core/queries.js';
import { resultBuffers, type QueryResult } from '../src/core/results.js';
import { createEngineApi } from './engine.js';
import { callTransferring, createParserApi, HelperPool, partBuffers, type HelperLink, type ParserApi } from './ingest/helpers.js';

/** The name a parsing helper is started under (the engine worker's own name is the host's choice). */
const PARSER_NAME = 'crm-analytics-parser';

// Comlink sends only name, message and stack of a thrown Error; send a CrmError's code, hint and
// location too. The client rebuilds the CrmError from these fields.
const thrown = transferHandlers.get('throw')!;
transferHandlers.set('throw', {
  canHandle: thrown.canHandle,
  serialize(value: unknown) {
    const inner = (value as { value: unknown }).value;
    if (inner instanceof Error) return [{ isError: true, value: serializeError(inner) }, []];
    return thrown.serialize(value);
  },
  deserialize: thrown.deserialize,
});

/**
 * Starts a parsing helper from this worker's own script. A worker started from the kit's `blob:` loader
 * (kit served from another origin) has a revoked blob as its location; it starts the helper through a
 * loader of its own, as the page did.
 */
function startHelper(): HelperLink {
  const here = self.location.href.startsWith('blob:') ? import.meta.url : self.location.href;
  const sameOrigin = new URL(here).origin === self.location.origin;
  const url = sameOrigin ? here : URL.createObjectURL(new Blob([`import ${JSON.stringify(here)};\n`], { type: 'text/javascript' }));
  const worker = new Worker(url, { type: 'module', name: PARSER_NAME });
  const remote = wrap<ParserApi>(worker);
  let failed: ((error: Error) => void) | null = null;
  const fail = (error: Error): void => {
    if (!sameOrigin) URL.revokeObjectURL(url);
    failed?.(error);
    failed = null;
  };
  worker.addEventListener('error', (event) => fail(new Error(event.message || 'it could not start or crashed')));
  worker.addEventListener('messageerror', () => fail(new Error('a message could not be read')));
  return {
    call(method, args, buffers) {
      // the transferred buffers belong to the last argument (the chunk of `push`, the rows of `sortTouches`)
      return callTransferring(remote[method] as unknown as (...a: unknown[]) => Promise<never>, args, buffers, transfer);
    },
    onFailure(listener) {
      failed = listener;
    },
    terminate() {
      remote[releaseProxy]();
      worker.terminate();
      if (!sameOrigin) URL.revokeObjectURL(url);
    },
  };
}

if (self.name === PARSER_NAME) {
  const parser = createParserApi();
  const exposedParser: ParserApi = Object.create(parser);
  exposedParser.finish = (id: number) => {
    const result = parser.finish(id);
    return transfer(result, partBuffers(result.parts));
  };
  exposedParser.sortTouches = (nCustomers: number, timezone: string, scopes, rows) => {
    const touches = parser.sortTouches(nCustomers, timezone, scopes, rows);
    return transfer(touches, resultBuffers(touches));
  };
  exposedParser.scopeRuns = () => {
    const runs = parser.scopeRuns();
    return transfer(runs, resultBuffers(runs));
  };
  expose(exposedParser);
} else {
  exposeEngine();
}

function exposeEngine(): void {
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency || 1 : 1;
  const helpers = new HelperPool(startHelper, Math.min(3, cores - 1));
  const engine = createEngineApi({ fetch: (input, init) => fetch(input, init), helpers });

  // The progress callback of readSource arrives as a comlink proxy (a MessagePort); release it when the
  // read ends, so every load does not leave a port behind.
  const exposed: EngineApi = Object.create(engine);
  exposed.readSource = async (source: number, input: WorkerInput, onProgress?: (ack: ChunkAck) => void): Promise<ChunkAck> => {
    try {
      return await engine.readSource(source, input, onProgress);
    } finally {
      (onProgress as Remote<(ack: ChunkAck) => void> | undefined)?.[releaseProxy]?.();
    }
  };

  // Results are columnar and freshly allocated per query: transfer their buffers instead of copying.
  exposed.query = async (dataset: number, request: QueryRequest): Promise<QueryResult> => {
    const result = await engine.query(dataset, request);
    return transfer(result, resultBuffers(result));
  };

  expose(exposed);
}
