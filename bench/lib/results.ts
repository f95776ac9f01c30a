// The results every engine computes (performance.md), shared by the peers page (in the browser) and
// the native DuckDB reference (in Node): no DOM and no Node imports here.
import type { QueryRequest } from '../../src/core/queries.js';
import { SQL_FILES, sqlLoadTables, sqlParameters, sqlStatements, sqlString, sqlWithLiterals } from '../../src/core/sql-params.js';

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
 * DuckDB's statements that load the benchmark's CSV files (`path` of each table) into the pack's tables,
 * then the pack's setup (`setupSql`, the text of sql/setup.sql). The sample's orders are line items
 * without revenue or margin columns, so the pack computes them from quantity, unit price and cost.
 */
export function duckLoadStatements(path: (table: 'orders' | 'touches' | 'costs' | 'customers') => string, setupSql: string): string[] {
  const orders = `CREATE TABLE orders AS SELECT order_id, customer_id, ordered_at, CAST(NULL AS DOUBLE) AS revenue, quantity, unit_price,
    CAST(NULL AS DOUBLE) AS margin, cost, discount FROM read_csv(${sqlString(path('orders'))}, header = true, columns = {'order_id': 'VARCHAR',
    'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMPTZ', 'sku': 'VARCHAR', 'quantity': 'DOUBLE', 'unit_price': 'DOUBLE',
    'discount': 'DOUBLE', 'cost': 'DOUBLE'})`;
  return [orders, ...sqlLoadTables(path).slice(1), ...sqlStatements(setupSql)];
}

/** DuckDB's statements that load its json and icu extensions from `repository` and set the benchmark's zone. */
export function duckExtensionStatements(repository: string): string[] {
  return [`SET custom_extension_repository = ${sqlString(repository)}`, 'LOAD json', 'LOAD icu', `SET TimeZone = ${sqlString(TIMEZONE)}`];
}

/**
 * The header line (with its line break) at the start of a CSV file's first bytes: what the orders-only
 * runs give DuckDB for each table other than the orders, so that table exists and is empty.
 */
export function headerLine(head: Uint8Array, name: string): Uint8Array {
  const end = head.indexOf(10);
  if (end < 0) throw new Error(`${name}: no header line in its first ${head.length} bytes`);
  return head.slice(0, end + 1);
}

/** The pack's SQL for a request with its parameters written in (`pack`: each file's text by name). */
export function duckQuery(request: QueryRequest, pack: Record<string, string>): string {
  const [sql] = sqlStatements(pack[SQL_FILES[request.kind]]!);
  return sqlWithLiterals(sql!, sqlParameters(request, TIMEZONE));
}

/** A pack query's one value as a payload: its JSON text parsed (a client may have parsed it already). */
export function duckPayload(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
