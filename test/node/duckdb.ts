/**
 * Runs the warehouse SQL pack in DuckDB (embedded, through @duckdb/node-api) over the data of a sample,
 * for the oracle test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOUBLE, DuckDBInstance, INTEGER, LIST, listValue, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { QueryRequest } from '../../src/core/queries.js';
import { SQL_FILES, sqlParameters } from '../../src/core/sql-params.js';

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/** Statements of a SQL file (split on semicolons at line ends). */
function statements(file: string): string[] {
  const text = readFileSync(SQL_DIR + file, 'utf8');
  return text
    .split(/;\s*\n/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter((s) => s.length > 0);
}

/** A DuckDB connection with the input tables loaded from CSV files and the pack's macros created. */
export async function openWarehouse(csv: { orders: string; touches: string; costs: string; customers: string }): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(`CREATE TABLE orders AS SELECT * FROM read_csv('${csv.orders}', header = true, columns = {
    'order_id': 'VARCHAR', 'customer_id': 'VARCHAR', 'ordered_at': 'TIMESTAMPTZ', 'revenue': 'DOUBLE', 'quantity': 'DOUBLE',
    'unit_price': 'DOUBLE', 'margin': 'DOUBLE', 'cost': 'DOUBLE', 'discount': 'DOUBLE'})`);
  await connection.run(`CREATE TABLE touches AS SELECT * FROM read_csv('${csv.touches}', header = true, columns = {
    'customer_id': 'VARCHAR', 'channel': 'VARCHAR', 'campaign': 'VARCHAR', 'sent_at': 'TIMESTAMPTZ', 'opened_at': 'TIMESTAMPTZ',
    'clicked_at': 'TIMESTAMPTZ', 'group': 'VARCHAR', 'cost': 'DOUBLE'})`);
  await connection.run(`CREATE TABLE costs AS SELECT * FROM read_csv('${csv.costs}', header = true, columns = {
    'date': 'DATE', 'channel': 'VARCHAR', 'campaign': 'VARCHAR', 'amount': 'DOUBLE', 'kind': 'VARCHAR'})`);
  await connection.run(`CREATE TABLE customers AS SELECT * FROM read_csv('${csv.customers}', header = true, all_varchar = true)`);
  for (const statement of statements('setup.sql')) await connection.run(statement);
  return connection;
}

/** Parameters bound as INTEGER (NULL included); `*_ms` ones are DOUBLE, lists VARCHAR[], the rest VARCHAR. */
const INTEGER_PARAMETERS = new Set(['bins', 'offsets', 'week_start', 'min_holdout', 'by_campaign', 'cell_r', 'cell_f', 'descending', 'page_offset', 'page_limit', 'csv']);

/** Runs the SQL of a request and returns its JSON result. */
export async function runSql(connection: DuckDBConnection, request: QueryRequest, timezone: string): Promise<unknown> {
  const params = sqlParameters(request, timezone);
  const values: Record<string, unknown> = {};
  const types: Record<string, unknown> = {};
  const [sql] = statements(SQL_FILES[request.kind]);
  for (const [name, value] of Object.entries(params)) {
    if (!sql!.includes('$' + name)) continue;
    values[name] = Array.isArray(value) ? listValue(value) : value;
    types[name] = Array.isArray(value) ? LIST(VARCHAR) : INTEGER_PARAMETERS.has(name) ? INTEGER : name.endsWith('_ms') ? DOUBLE : VARCHAR;
  }
  const reader = await connection.runAndReadAll(sql!, values as never, types as never);
  const rows = reader.getRowObjectsJS() as { result: unknown }[];
  const result = rows[0]!.result;
  return typeof result === 'string' ? JSON.parse(result) : result;
}
