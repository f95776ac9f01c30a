/** Helpers for kernel tests: a dataset from CSV snippets, queries on it, and readable results. */
import type { DatasetOptions } from '../../src/core/options.js';
import type { QueryRequest } from '../../src/core/queries.js';
import type { AttributionResult, QueryResult } from '../../src/core/results.js';
import type { DatasetColumns } from '../../src/core/tables.js';
import type { HarnessSource } from './harness.js';
import { loadSources } from './harness.js';

/** A loaded dataset and a query function. */
export interface KernelFixture {
  query<K extends QueryRequest['kind']>(request: Extract<QueryRequest, { kind: K }>): Extract<QueryResult, { kind: K }>;
  /** The dataset's columns, for a test that runs kernels on a context of its own. */
  columns: DatasetColumns;
}

/** Loads CSV text per table and returns a query function. */
export function fixture(tables: Partial<Record<'orders' | 'touches' | 'costs' | 'customers', string>>, options: DatasetOptions = {}): KernelFixture {
  const sources: HarnessSource[] = Object.entries(tables).map(([table, body]) => ({ table: table as HarnessSource['table'], name: `${table}.csv`, body }));
  const { engine, dataset, columns } = loadSources(sources, options);
  return {
    query: (request) => engine.query(dataset, request) as never,
    columns,
  };
}

/** Attributed revenue per key, summed over periods (rounded to 1e-9 for readable assertions). */
export function revenueByKey(result: AttributionResult, field: 'revenue' | 'margin' | 'purchases' = 'revenue'): Record<string, number> {
  const out: Record<string, number> = {};
  const n = result.keys.length;
  result.keys.forEach((key, k) => {
    let sum = 0;
    for (let p = 0; p < result.periods.labels.length; p++) sum += result[field][p * n + k]!;
    if (sum !== 0) out[key] = round(sum);
  });
  return out;
}

/** Rounds to 9 decimals (sums of credited shares are not exact in binary floating point). */
export function round(v: number): number {
  return Math.round(v * 1e9) / 1e9;
}

/** The sum of a typed array. */
export function total(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]!;
  return round(sum);
}
