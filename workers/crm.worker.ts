/**
 * The worker entry: the only file that touches worker globals and calls `expose`. One worker holds
 * the datasets of one engine client.
 */
import { expose, releaseProxy, transfer, transferHandlers, type Remote } from 'comlink';
import { serializeError } from '../src/core/errors.js';
import type { ChunkAck, EngineApi, WorkerInput } from '../src/core/protocol.js';
import type { QueryRequest } from '../src/core/queries.js';
import { resultBuffers, type QueryResult } from '../src/core/results.js';
import { createEngineApi } from './engine.js';

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

const engine = createEngineApi({ fetch: (input, init) => fetch(input, init) });

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
exposed.query = (dataset: number, request: QueryRequest): QueryResult => {
  const result = engine.query(dataset, request);
  return transfer(result, resultBuffers(result));
};

expose(exposed);
