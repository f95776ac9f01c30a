/**
 * The demo site's data, made at build time (and served from memory by `npm start`): the seeded
 * sample as CSV files for the endpoint pages, and pre-aggregated payloads — what the warehouse SQL pack
 * returns — for the payload page, computed by running the engine in-process.
 *
 * Node-side build tooling: it may run the worker's engine directly (demo/tools/ is not page code).
 */
import { generateSample, sampleCsv, type SampleTable } from '../../src/core/sample.js';
import type { QueryRequest } from '../../src/core/queries.js';
import { toPayload } from '../../src/core/results.js';
import { createEngineApi } from '../../workers/engine.js';

export interface DemoFile {
  /** Path under the site root, e.g. `data/orders.csv`. */
  name: string;
  type: string;
  body: string;
}

export const DEMO_TIMEZONE = 'Europe/Berlin';
export const DEMO_CURRENCY = 'EUR';
const TABLES: SampleTable[] = ['orders', 'touches', 'costs', 'customers'];

/** Pre-aggregated payloads per widget, with the parameters the widgets use by default. */
const PAYLOADS: Record<string, QueryRequest[]> = {
  revenue: [
    { kind: 'kpis', params: {} },
    { kind: 'attribution', params: { period: 'month', dimension: 'channel' } },
    { kind: 'incrementality', params: {} },
  ],
  roas: [{ kind: 'roas', params: { period: 'month' } }],
  retention: [{ kind: 'retention', params: { period: 'month', measure: 'customers', offsets: 12 } }],
  rfm: [{ kind: 'rfm', params: { bins: 5, scoring: 'percentile' } }],
};

let cached: DemoFile[] | null = null;

/** Every data file of the demo site (made once per process). */
export function demoFiles(orders = 8000, seed = 42): DemoFile[] {
  if (cached !== null) return cached;
  const sample = generateSample({ orders, seed });
  const csv = Object.fromEntries(TABLES.map((t) => [t, [...sampleCsv(sample, t)].join('')])) as Record<SampleTable, string>;
  const files: DemoFile[] = TABLES.map((t) => ({ name: `data/${t}.csv`, type: 'text/csv; charset=utf-8', body: csv[t] }));

  const api = createEngineApi();
  const id = api.createDataset({ timezone: DEMO_TIMEZONE, currency: DEMO_CURRENCY });
  const load = api.beginLoad(id, 'replace');
  const encoder = new TextEncoder();
  for (const table of TABLES) {
    const source = api.beginSource(load, { name: `${table}.csv`, table });
    api.pushChunk(source, encoder.encode(csv[table]));
    api.endSource(source);
  }
  api.commitLoad(load);
  for (const [widget, requests] of Object.entries(PAYLOADS)) {
    const payload = requests.map((request) => toPayload(api.query(id, request)));
    files.push({ name: `data/summary-${widget}.json`, type: 'application/json', body: JSON.stringify(payload) });
  }
  cached = files;
  return files;
}
