/**
 * Test harness for the engine object (no worker): load text or bytes as a source, in chosen chunks,
 * and read back reports and columns. Selectors and call sequences live here, not in every test.
 */
import type { DatasetOptions, SourceSpec } from '../../src/core/options.js';
import type { DatasetReport, SourceReport } from '../../src/core/report.js';
import type { TableName } from '../../src/core/schema.js';
import type { DatasetColumns } from '../../src/core/tables.js';
import { createEngineApi, type LocalEngineApi } from '../../workers/engine.js';

const encoder = new TextEncoder();

/** One source of a harness load. */
export interface HarnessSource {
  table?: TableName | 'auto';
  name?: string;
  /** Text (encoded as UTF-8) or raw bytes. */
  body: string | Uint8Array;
  /** Chunk sizes to split the bytes into, cycled; default one chunk. */
  chunks?: number[];
  format?: SourceSpec['format'];
  delimiter?: SourceSpec['delimiter'];
  encoding?: SourceSpec['encoding'];
  columns?: Record<string, string>;
}

/** What a harness load returns. */
export interface HarnessResult {
  engine: LocalEngineApi;
  dataset: number;
  sources: SourceReport[];
  report: DatasetReport;
  columns: DatasetColumns;
}

/** Splits bytes into chunks of the given sizes (cycled). */
export function split(bytes: Uint8Array, sizes: number[] | undefined): Uint8Array[] {
  if (sizes === undefined || sizes.length === 0) return [bytes];
  const out: Uint8Array[] = [];
  let at = 0;
  let k = 0;
  while (at < bytes.length) {
    const size = Math.max(1, sizes[k++ % sizes.length]!);
    out.push(bytes.slice(at, at + size));
    at += size;
  }
  return out;
}

/** Loads sources into a fresh dataset of a fresh engine and commits. Throws what the engine throws. */
export function loadSources(sources: HarnessSource[], options: DatasetOptions = {}, engine: LocalEngineApi = createEngineApi({ now: () => 0 })): HarnessResult {
  return loadInto(engine, engine.createDataset(options), 'replace', sources);
}

/** Loads sources into an existing dataset (`replace` swaps the tables they name, `append` adds rows) and commits. */
export function loadInto(engine: LocalEngineApi, dataset: number, mode: 'replace' | 'append', sources: HarnessSource[]): HarnessResult {
  const load = engine.beginLoad(dataset, mode);
  const reports: SourceReport[] = [];
  try {
    for (const source of sources) {
      const spec: SourceSpec = { name: source.name ?? `${source.table ?? 'data'}.csv`, table: source.table ?? 'auto' };
      if (source.format !== undefined) spec.format = source.format;
      if (source.delimiter !== undefined) spec.delimiter = source.delimiter;
      if (source.encoding !== undefined) spec.encoding = source.encoding;
      if (source.columns !== undefined) spec.columns = source.columns;
      const id = engine.beginSource(load, spec);
      const bytes = typeof source.body === 'string' ? encoder.encode(source.body) : source.body;
      for (const chunk of split(bytes, source.chunks)) engine.pushChunk(id, chunk);
      reports.push(...engine.endSource(id));
    }
    const report = engine.commitLoad(load);
    return { engine, dataset, sources: reports, report, columns: engine.columns(dataset) };
  } catch (error) {
    engine.abortLoad(load);
    throw error;
  }
}

/** Loads one source. */
export function loadOne(source: HarnessSource, options: DatasetOptions = {}): HarnessResult {
  return loadSources([source], options);
}

/** Calls `fn` and returns what it throws (failing when it does not throw). */
export function thrown(fn: () => unknown): Error & Record<string, unknown> {
  try {
    fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected an error, but none was thrown');
}

/** Orders of a dataset as plain rows (for readable assertions). */
export function orderRows(columns: DatasetColumns): { customer: string; time: string; revenue: number; margin: number; lines: number; id: string | null; purchase: boolean }[] {
  const o = columns.orders;
  const rows = [];
  for (let i = 0; i < o.count; i++) {
    rows.push({
      customer: columns.dictionaries.customers[o.customer[i]!]!,
      time: new Date(o.time[i]!).toISOString(),
      revenue: o.revenue[i]!,
      margin: o.margin[i]!,
      lines: o.lines[i]!,
      id: o.orderId[i]! < 0 ? null : columns.dictionaries.orderIds[o.orderId[i]!]!,
      purchase: o.isPurchase[i] === 1,
    });
  }
  return rows;
}

/**
 * Columns in a form that is equal for equal data: order id codes (which follow first appearance, not
 * string order) are replaced by the ids themselves. Use it to compare datasets loaded differently.
 */
export function canonical(columns: DatasetColumns): unknown {
  const { orderIds, ...dictionaries } = columns.dictionaries;
  return {
    ...columns,
    dictionaries: { ...dictionaries, orderIds: [...orderIds].sort() },
    orders: { ...columns.orders, orderId: Array.from(columns.orders.orderId, (c) => (c < 0 ? null : orderIds[c])) },
  };
}
