/**
 * Runs the warehouse SQL pack in DuckDB (embedded, through @duckdb/node-api) over the data of a sample,
 * for the oracle test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DOUBLE, DuckDBInstance, INTEGER, LIST, listValue, VARCHAR, type DuckDBConnection } from '@duckdb/node-api';
import type { QueryRequest } from '../../src/core/queries.js';
import { SQL_FILES, sqlLoadTables, sqlParameterType, sqlParameters, sqlStatements } from '../../src/core/sql-params.js';

const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/** Statements of a SQL file of the pack. */
function statements(file: string): string[] {
  return sqlStatements(readFileSync(SQL_DIR + file, 'utf8'));
}

/** A DuckDB connection with the input tables loaded from CSV files and the pack's macros created. */
export async function openWarehouse(csv: { orders: string; touches: string; costs: string; customers: string }): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  for (const statement of sqlLoadTables((table) => csv[table])) await connection.run(statement);
  for (const statement of statements('setup.sql')) await connection.run(statement);
  return connection;
}

const TYPES = { INTEGER, DOUBLE, VARCHAR, 'VARCHAR[]': LIST(VARCHAR) };

/** Runs the SQL of a request and returns its JSON result. */
export async function runSql(connection: DuckDBConnection, request: QueryRequest, timezone: string): Promise<unknown> {
  const params = sqlParameters(request, timezone);
  const values: Record<string, unknown> = {};
  const types: Record<string, unknown> = {};
  const [sql] = statements(SQL_FILES[request.kind]);
  for (const [name, value] of Object.entries(params)) {
    if (!sql!.includes('$' + name)) continue;
    values[name] = Array.isArray(value) ? listValue(value) : value;
    types[name] = TYPES[sqlParameterType(name, value)];
  }
  const reader = await connection.runAndReadAll(sql!, values as never, types as never);
  const rows = reader.getRowObjectsJS() as { result: unknown }[];
  const result = rows[0]!.result;
  return typeof result === 'string' ? JSON.parse(result) : result;
}
