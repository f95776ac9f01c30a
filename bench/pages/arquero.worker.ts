/// <reference lib="webworker" />
// Arquero (pure-JS columnar) in its own worker: the four CSV files (a table's header line alone where
// it is left empty) to the results asked for (bench/lib/arquero-results.ts), each payload as our engine's,
// which the harness compares with ours. Each file is decoded inside its parse time.
import type { QueryRequest, TableName } from '../../src/engine.js';
import { arqueroResults, type ArqueroRun } from '../lib/arquero-results.js';

/** V8's longest string, in UTF-16 units (the CSV files are ASCII: one unit a byte). */
const MAX_STRING = 2 ** 29 - 24;

export interface ArqueroJob {
  tables: Record<TableName, ArrayBuffer>;
  requests: Record<string, QueryRequest>;
}

const post = (message: ArqueroRun | 'ready'): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = (event: MessageEvent<ArqueroJob>) => {
  const { tables, requests } = event.data;
  // Arquero's fromCSV takes a file as one string (the 5m touches file is 704 MB)
  const text = (table: TableName): string => {
    const bytes = tables[table];
    if (bytes.byteLength > MAX_STRING) throw new Error(`the ${table} file (${(bytes.byteLength / 1e6).toFixed(0)} MB) is longer than a JavaScript string can be (${(MAX_STRING / 1e6).toFixed(0)}M characters), and Arquero's fromCSV reads a file as one string`);
    return new TextDecoder().decode(bytes);
  };
  post(arqueroResults(text, requests));
};
post('ready');
