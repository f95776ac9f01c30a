/**
 * The worker entry: the only file that touches worker globals and calls `expose`. One worker holds
 * the datasets of one engine client.
 */
import { expose, transferHandlers } from 'comlink';
import { serializeError } from '../src/core/errors.js';
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

expose(createEngineApi());
