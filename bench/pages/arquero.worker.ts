/// <reference lib="webworker" />
// Arquero (pure-JS columnar) in its own worker, two jobs:
// - `every`: the four CSV files to every benchmark result (bench/lib/arquero-results.ts), each
//   payload as our engine's, which the harness compares with ours;
// - `orders`: the orders CSV alone to the three orders-only results of performance.md, written with its
//   verbs to metrics.md's definitions (UTC): monthly net revenue, the monthly cohort matrix (customers
//   measure, 12 offsets) and the RFM percentile grid (B = 5).
import * as aq from 'arquero';
import { arqueroEveryResult, type ArqueroEveryRun, type CsvTable } from '../lib/arquero-results.js';

const op = aq.op;
const DAY = 86_400_000;
/** V8's longest string, in UTF-16 units (the CSV files are ASCII: one unit a byte). */
const MAX_STRING = 2 ** 29 - 24;

export interface ArqueroRun {
  parseMs: number;
  resultMs: Record<string, number>;
  /** Net revenue per month, `YYYY-MM` → money. */
  monthly: Record<string, number>;
  /** Cohort month → [size, customers active at offset 0..11]. */
  cohorts: Record<string, number[]>;
  /** Customers per RFM cell, [(r − 1) × 5 + (f − 1)]. */
  rfmCells: number[];
}

export type ArqueroJob = { job: 'orders'; orders: ArrayBuffer } | { job: 'every'; tables: Record<CsvTable, ArrayBuffer> };

const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
const monthIndex = (ms: number): number => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

const post = (message: ArqueroRun | ArqueroEveryRun | 'ready'): void => (self as unknown as DedicatedWorkerGlobalScope).postMessage(message);

self.onmessage = (event: MessageEvent<ArqueroJob>) => {
  const data = event.data;
  if (data.job === 'every') {
    // each file is decoded inside its parse time; Arquero's fromCSV takes a file as one string, and V8's
    // strings hold at most 2^29 − 24 UTF-16 units (the 5m touches file is 704 MB)
    post(
      arqueroEveryResult((table) => {
        const bytes = data.tables[table];
        if (bytes.byteLength > MAX_STRING) throw new Error(`the ${table} file (${(bytes.byteLength / 1e6).toFixed(0)} MB) is longer than a JavaScript string can be (${(MAX_STRING / 1e6).toFixed(0)}M characters), and Arquero's fromCSV reads a file as one string`);
        return new TextDecoder().decode(bytes);
      }),
    );
    return;
  }
  const resultMs: Record<string, number> = {};
  let t = performance.now();
  const text = new TextDecoder().decode(data.orders);
  const items = aq.fromCSV(text, { parse: { order_id: String, customer_id: String, ordered_at: (v: string) => Date.parse(v), sku: String } });
  // line items → orders: revenue = Σ quantity × unit_price, time = earliest row (metrics.md 1–2)
  const orders = items
    .derive({ revenue: (d: { quantity: number; unit_price: number }) => d.quantity * d.unit_price })
    .groupby('order_id')
    .rollup({ customer_id: op.any('customer_id'), t: op.min('ordered_at'), revenue: op.sum('revenue') })
    .derive({ month: aq.escape((d: { t: number }) => monthOf(d.t)), mi: aq.escape((d: { t: number }) => monthIndex(d.t)) });
  const parseMs = performance.now() - t;

  t = performance.now();
  const monthly: Record<string, number> = {};
  for (const row of orders.groupby('month').rollup({ net: op.sum('revenue') }).objects() as { month: string; net: number }[]) monthly[row.month] = row.net;
  resultMs['monthly revenue'] = performance.now() - t;

  t = performance.now();
  const purchases = orders.filter((d: { revenue: number }) => d.revenue > 0);
  const first = purchases.groupby('customer_id').rollup({ cohort: op.min('mi') });
  const active = purchases
    .select('customer_id', 'mi')
    .dedupe('customer_id', 'mi')
    .join(first, 'customer_id')
    .derive({ k: (d: { mi: number; cohort: number }) => d.mi - d.cohort })
    .filter((d: { k: number }) => d.k < 12)
    .groupby('cohort', 'k')
    .count({ as: 'n' });
  const cohorts: Record<string, number[]> = {};
  const label = (mi: number): string => `${Math.floor(mi / 12)}-${String((mi % 12) + 1).padStart(2, '0')}`;
  for (const row of first.groupby('cohort').count({ as: 'size' }).objects() as { cohort: number; size: number }[]) cohorts[label(row.cohort)] = [row.size, ...new Array<number>(12).fill(0)];
  for (const row of active.objects() as { cohort: number; k: number; n: number }[]) cohorts[label(row.cohort)]![1 + row.k] = row.n;
  resultMs['cohort matrix'] = performance.now() - t;

  t = performance.now();
  // as-of: the start of the day after the latest purchase; customers with ≥ 1 purchase
  const latest = purchases.rollup({ t: op.max('t') }).get('t', 0) as number;
  const asOf = (Math.floor(latest / DAY) + 1) * DAY;
  const scored = purchases
    .groupby('customer_id')
    .rollup({ frequency: op.count(), last: op.max('t') })
    .derive({ recency: aq.escape((d: { last: number }) => Math.floor((asOf - d.last) / DAY)) });
  const n = scored.numRows();
  const score = (lower: number): number => Math.min(5, Math.max(1, 1 + Math.floor((5 * lower) / n)));
  // customers with a lower frequency (higher recency) = rank − 1 in that order; ties share a rank
  const withF = scored.orderby('frequency').derive({ fr: op.rank() });
  const withR = withF.orderby(aq.desc('recency')).derive({ rr: op.rank() });
  const rfmCells = new Array<number>(25).fill(0);
  for (const row of withR.objects() as { fr: number; rr: number }[]) rfmCells[(score(row.rr - 1) - 1) * 5 + (score(row.fr - 1) - 1)]!++;
  resultMs['RFM grid'] = performance.now() - t;

  post({ parseMs, resultMs, monthly, cohorts, rfmCells });
};
post('ready');
