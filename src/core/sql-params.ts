/**
 * Parameters of the warehouse SQL pack (`sql/*.sql`) for a query request: the same resolution as the
 * engine's, so a query run in DuckDB and in the worker means the same thing. Durations become
 * milliseconds, open range ends NULL, per-channel windows a JSON object.
 */
import { CrmError } from './errors.js';
import {
  resolveAttribution,
  resolveIncrementality,
  resolveRetention,
  resolveRfm,
  type QueryRequest,
} from './queries.js';

/** A SQL parameter value: text, number, a list of text, or NULL. */
export type SqlValue = string | number | string[] | null;

/** The SQL file of a query kind. */
export const SQL_FILES: Record<QueryRequest['kind'], string> = {
  kpis: 'kpis.sql',
  attribution: 'attribution.sql',
  incrementality: 'incrementality.sql',
  retention: 'retention.sql',
  rfm: 'rfm.sql',
  'rfm-customers': 'rfm_customers.sql',
  roas: 'roas.sql',
};

/** Named parameters (without `$`) of the SQL for a request, in a dataset time zone. */
export function sqlParameters(request: QueryRequest, timezone: string): Record<string, SqlValue> {
  const params = request.params ?? {};
  const common: Record<string, SqlValue> = {
    tz: timezone,
    from: params.range?.from ?? null,
    to: params.range?.to ?? null,
    filter_attribute: params.filter?.attribute ?? null,
    filter_values: params.filter?.values ?? [],
  };
  switch (request.kind) {
    case 'attribution':
    case 'kpis':
    case 'roas': {
      const a = resolveAttribution(request.params, request.kind === 'roas' ? 'week' : 'month');
      return {
        ...common,
        model: a.model,
        basis: a.basis,
        default_window_ms: a.defaultWindow,
        windows_json: Object.keys(a.windows).length > 0 ? JSON.stringify(a.windows) : null,
        half_life_ms: a.halfLife,
        period: a.period,
        week_start: a.weekStart,
        dimension: a.dimension,
        reactivation_ms: a.reactivationMs,
        by_campaign: request.kind === 'roas' && request.params?.byCampaign === true ? 1 : 0,
      };
    }
    case 'incrementality': {
      const i = resolveIncrementality(request.params);
      return { ...common, lift_window_ms: i.liftWindowMs, min_holdout: i.minHoldout };
    }
    case 'retention': {
      const r = resolveRetention(request.params);
      return { ...common, period: r.period, week_start: r.weekStart, offsets: r.offsets, measure: r.measure, breakdown: r.breakdown };
    }
    case 'rfm':
    case 'rfm-customers': {
      const r = resolveRfm(request.params);
      const rfm: Record<string, SqlValue> = {
        ...common,
        bins: r.bins,
        scoring: r.scoring,
        thresholds_json: r.thresholds === null ? null : JSON.stringify(r.thresholds),
        monetary: r.monetary,
        as_of: r.asOf,
        segments_json: JSON.stringify(r.segments),
      };
      if (request.kind === 'rfm') return rfm;
      const c = request.params ?? {};
      if (c.segment !== undefined && !r.segments.some((s) => s.name === c.segment)) {
        throw new CrmError('bad-option', `There is no segment "${c.segment}".`, { hint: `Segments are ${r.segments.map((s) => s.name).join(', ')}.` });
      }
      const by = c.sort?.by ?? 'monetary';
      const direction = c.sort?.direction ?? (by === 'recency' || by === 'customer' ? 'asc' : 'desc');
      const limit = c.limit === undefined ? 50 : c.limit;
      return {
        ...rfm,
        cell_r: c.cell?.r ?? null,
        cell_f: c.cell?.f ?? null,
        segment: c.segment ?? null,
        sort_by: by,
        descending: direction === 'desc' ? 1 : 0,
        page_offset: Math.max(0, c.offset ?? 0),
        page_limit: limit === Number.POSITIVE_INFINITY ? null : Math.max(0, limit),
        csv: c.csv === true ? 1 : 0,
      };
    }
  }
}

/** The statements of a SQL file's text (split on semicolons at line ends; comment lines dropped). */
export function sqlStatements(text: string): string[] {
  return text
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

/** Text as a SQL string literal (single quotes, inner quotes doubled). */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

const INTEGER_PARAMETERS = new Set(['bins', 'offsets', 'week_start', 'min_holdout', 'by_campaign', 'cell_r', 'cell_f', 'descending', 'page_offset', 'page_limit', 'csv']);

/** The SQL type a parameter binds as: INTEGER (NULL included), DOUBLE for `*_ms`, VARCHAR[] for lists, else VARCHAR. */
export function sqlParameterType(name: string, value: SqlValue): 'INTEGER' | 'DOUBLE' | 'VARCHAR' | 'VARCHAR[]' {
  if (Array.isArray(value)) return 'VARCHAR[]';
  if (INTEGER_PARAMETERS.has(name)) return 'INTEGER';
  return name.endsWith('_ms') ? 'DOUBLE' : 'VARCHAR';
}

/**
 * The SQL that loads the four input tables from CSV files in DuckDB, with the column types the pack
 * expects (`path` gives each table's file).
 */
export function sqlLoadTables(path: (table: 'orders' | 'touches' | 'costs' | 'customers') => string): string[] {
  const file = (table: 'orders' | 'touches' | 'costs' | 'customers'): string => sqlString(path(table));
  return [
    `CREATE TABLE orders AS SELECT * FROM read_csv(${file('orders')}, header = true, columns = {
    'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMPTZ', 'revenue': 'DOUBLE', 'quantity': 'DOUBLE',
    'unit_price': 'DOUBLE', 'margin': 'DOUBLE', 'cost': 'DOUBLE', 'discount': 'DOUBLE'})`,
    `CREATE TABLE touches AS SELECT * FROM read_csv(${file('touches')}, header = true, columns = {
    'customer_id': 'VARCHAR', 'channel': 'VARCHAR', 'campaign': 'VARCHAR', 'sent_at': 'TIMESTAMPTZ', 'opened_at': 'TIMESTAMPTZ',
    'clicked_at': 'TIMESTAMPTZ', 'group': 'VARCHAR', 'cost': 'DOUBLE'})`,
    `CREATE TABLE costs AS SELECT * FROM read_csv(${file('costs')}, header = true, columns = {
    'date': 'DATE', 'channel': 'VARCHAR', 'campaign': 'VARCHAR', 'amount': 'DOUBLE', 'kind': 'VARCHAR'})`,
    `CREATE TABLE customers AS SELECT * FROM read_csv(${file('customers')}, header = true, all_varchar = true)`,
  ];
}

/**
 * A query's SQL with its parameters written in as typed literals, for clients without named
 * parameters (DuckDB-Wasm's prepared statements are positional). Values come from `sqlParameters`.
 */
export function sqlWithLiterals(sql: string, params: Record<string, SqlValue>): string {
  const literal = (name: string, value: SqlValue): string => {
    const type = sqlParameterType(name, value);
    if (value === null) return `CAST(NULL AS ${type})`;
    if (Array.isArray(value)) return value.length === 0 ? 'CAST([] AS VARCHAR[])' : `[${value.map(sqlString).join(', ')}]::VARCHAR[]`;
    if (typeof value === 'number') return `CAST(${Number.isFinite(value) ? String(value) : 'NULL'} AS ${type})`;
    return `CAST(${sqlString(value)} AS ${type})`;
  };
  // longest names first, so `$from` never eats the start of `$from_ms`
  const names = Object.keys(params).sort((a, b) => b.length - a.length);
  let out = sql;
  for (const name of names) out = out.replace(new RegExp(`\\$${name}\\b`, 'g'), literal(name, params[name] ?? null));
  return out;
}
