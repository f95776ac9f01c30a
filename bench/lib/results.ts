// The results every engine computes (performance.md), shared by the peers page (in the browser) and
// the native DuckDB reference (in Node): no DOM and no Node imports here.
import type { QueryRequest } from '../../src/core/queries.js';

/** The time zone of every engine's results in the benchmark. */
export const TIMEZONE = 'UTC';

/** The results every engine computes, by name. */
export const RESULTS: Record<string, QueryRequest> = {
  kpis: { kind: 'kpis', params: {} },
  'revenue and attribution by channel × month': { kind: 'attribution', params: { model: 'last_touch', window: '5d', period: 'month', dimension: 'channel' } },
  'holdout lift per channel': { kind: 'incrementality', params: {} },
  'monthly cohort retention': { kind: 'retention', params: { period: 'month', measure: 'customers' } },
  'RFM percentile 5 × 5': { kind: 'rfm', params: { bins: 5, scoring: 'percentile' } },
  'weekly ROAS per channel': { kind: 'roas', params: { period: 'week' } },
};

/** The orders-only pipeline's results (performance.md: parse + monthly revenue + cohort matrix + RFM grid). */
export const ORDERS_ONLY: Record<string, QueryRequest> = {
  'monthly revenue': { kind: 'attribution', params: { period: 'month' } },
  'monthly cohort retention': { kind: 'retention', params: { period: 'month', measure: 'customers' } },
  'RFM percentile 5 × 5': { kind: 'rfm', params: { bins: 5, scoring: 'percentile' } },
};

/** Parameter changes for the warm runs: attribution windows (each new to every cache). */
export function warmRequests(count: number): QueryRequest[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'attribution', params: { model: 'last_touch', window: `${i + 1}d`, period: 'month', dimension: 'channel' } }));
}

/**
 * DuckDB's orders table from the benchmark's orders CSV: the sample's orders are line items without
 * revenue or margin columns, so the pack computes them from quantity, unit price and cost.
 */
export function duckOrdersTable(path: string): string {
  return `CREATE TABLE orders AS SELECT order_id, customer_id, ordered_at, CAST(NULL AS DOUBLE) AS revenue, quantity, unit_price,
    CAST(NULL AS DOUBLE) AS margin, cost, discount FROM read_csv('${path.replace(/'/g, "''")}', header = true, columns = {'order_id': 'VARCHAR',
    'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMPTZ', 'sku': 'VARCHAR', 'quantity': 'DOUBLE', 'unit_price': 'DOUBLE',
    'discount': 'DOUBLE', 'cost': 'DOUBLE'})`;
}
