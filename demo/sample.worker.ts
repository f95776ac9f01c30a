/// <reference lib="webworker" />
// Generates the built-in sample data off the main thread and hands it back as files.
import { generateSample, sampleCsv, type SampleTable } from '../src/sample.js';

const TABLES: SampleTable[] = ['orders', 'touches', 'costs', 'customers'];

self.onmessage = (event: MessageEvent<{ orders: number; seed: number }>) => {
  const data = generateSample({ orders: event.data.orders, seed: event.data.seed });
  const files = TABLES.map((table) => new File([...sampleCsv(data, table)], `${table}.csv`, { type: 'text/csv' }));
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(files);
};
