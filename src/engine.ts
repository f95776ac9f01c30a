/**
 * Headless entry: the analytics engine without any element, for code that wants the numbers.
 *
 * ```ts
 * import { createEngine } from 'crm-widgets/engine';
 * const engine = createEngine({ timezone: 'Europe/Berlin', currency: 'EUR' });
 * const { report } = await engine.load({ orders: file, touches: '/api/touches' }, { onProgress: console.log });
 * engine.release();
 * ```
 */
import { CrmEngine, type EngineOptions } from './client/engine-client.js';

export { CrmEngine } from './client/engine-client.js';
export type { EngineOptions, LoadInput, LoadOptions, LoadResult } from './client/engine-client.js';
export type { DataSource, Fetcher } from './client/sources.js';
export type { WorkerSource } from './client/worker-connection.js';
export { CrmError, type CrmErrorCode, type CrmErrorDetails } from './core/errors.js';
export type { ColumnMapping, DatasetOptions, SourceEncoding, SourceFormat } from './core/options.js';
export type * from './core/report.js';
export type { EngineStats, LoadMode } from './core/protocol.js';
export type { TableName } from './core/schema.js';
export type * from './core/tables.js';
export type * from './core/queries.js';
export type * from './core/results.js';
export { CELL_COMPLETE, CELL_FUTURE, CELL_INCOMPLETE, toPayload } from './core/results.js';
export { CREDIT_MODELS, DEFAULT_SEGMENTS, RETENTION_MEASURES } from './core/queries.js';
export type { Period } from './core/periods.js';
export { SQL_FILES, sqlLoadTables, sqlParameterType, sqlParameters, sqlStatements, sqlWithLiterals, type SqlValue } from './core/sql-params.js';

/**
 * Creates an engine: one dataset in one worker. The engine starts with one user; call `retain()` for
 * each further user and `release()` when done; the last release terminates the worker.
 */
export function createEngine(options: EngineOptions = {}): CrmEngine {
  return new CrmEngine(options);
}
