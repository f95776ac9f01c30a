/**
 * Loads one source: sniffs encoding, format, delimiter and table from its first bytes, then streams
 * every chunk through the decoder, the parser and the table sink(s). The bytes are never held as one
 * string; only an incomplete record is carried from one chunk to the next.
 */
import { CrmError } from '../../src/core/errors.js';
import {
  validateTableColumns,
  type ResolvedDatasetOptions,
  type SourceEncoding,
  type SourceFormat,
  type SourceSpec,
} from '../../src/core/options.js';
import type { ChunkAck } from '../../src/core/protocol.js';
import type { SourceReport } from '../../src/core/report.js';
import { TABLE_NAMES, type TableName } from '../../src/core/schema.js';
import { TimeZone } from '../../src/core/time.js';
import { concatUint8 } from '../table/columns.js';
import type { TablePart } from '../table/parts.js';
import { CsvTokenizer, detectDelimiter } from './csv.js';
import { decodeBytes, InputDecoder, isValidUtf8 } from './encoding.js';
import type { FieldRow, RecordSink } from './fields.js';
import { detectJsonShape, JsonRecordReader, JsonStreamReader, NdjsonStreamReader, type JsonRecordSink, type JsonTarget } from './json.js';
import { detectTable } from './mapping.js';
import { createSink, type SinkContext, type TableSink } from './sinks.js';

/** Bytes collected before sniffing encoding, format, delimiter and table. */
const HEAD_BYTES = 64 * 1024;

/** What a finished source produced. */
export interface SourceResult {
  parts: TablePart[];
  reports: SourceReport[];
}

function formatFromName(name: string): SourceFormat | null {
  const lower = name.toLowerCase().replace(/[?#].*$/, '');
  if (/\.(ndjson|jsonl|ldjson)(\.gz)?$/.test(lower)) return 'ndjson';
  if (/\.json(\.gz)?$/.test(lower)) return 'json';
  if (/\.(csv|tsv|txt|tab)(\.gz)?$/.test(lower)) return 'csv';
  return null;
}

/**
 * A sink for a source whose table is not known until its columns are: it waits for the CSV header or
 * the first JSON record, detects the table, and forwards everything to the real sink.
 */
class AutoTableSink implements JsonRecordSink {
  sink: TableSink | null = null;
  private readonly pendingColumns: string[] = [];
  private readonly makeSink: (table: TableName) => TableSink;
  private readonly name: string;
  private readonly csv: boolean;

  constructor(name: string, csv: boolean, makeSink: (table: TableName) => TableSink) {
    this.name = name;
    this.csv = csv;
    this.makeSink = makeSink;
  }

  column(name: string): void {
    if (this.sink !== null) this.sink.column(name);
    else this.pendingColumns.push(name);
  }

  record(row: FieldRow): void {
    if (this.sink === null) {
      const columns = this.csv ? headerPreview(row) : this.pendingColumns;
      const table = detectTable(columns, this.name);
      if (table === null) {
        throw new CrmError(
          'unknown-table',
          `Cannot tell which table ${this.name} holds: its columns (${columns.slice(0, 10).join(', ')}) match none of orders, touches, costs or customers.`,
          {
            source: this.name,
            hint: 'Load it as a named table (for example { orders: file }) and map its columns with columns: { orders: { customer_id: "...", ... } }.',
          },
        );
      }
      this.sink = this.makeSink(table);
      if (!this.csv) for (const c of this.pendingColumns) this.sink.column(c);
    }
    this.sink.record(row);
  }

  malformed(line: number, reason: 'unterminated-quote' | 'after-quote' | 'bad-record', raw: Uint8Array, detail: string): void {
    if (this.sink === null) {
      throw new CrmError('unknown-table', `${this.name}: the first record cannot be read (${detail}), so its table is unknown.`, {
        source: this.name,
        line,
        hint: 'Check the first lines of the file.',
      });
    }
    this.sink.malformed(line, reason, raw, detail);
  }

  blank(): void {
    this.sink?.blank();
  }
}

/** Column names of a CSV header row, decoded for table detection. */
function headerPreview(row: FieldRow): string[] {
  const names: string[] = [];
  for (let k = 0; k < row.count; k++) {
    let s = row.starts[k]!;
    let e = row.ends[k]!;
    while (s < e && (row.buf[s] === 32 || row.buf[s] === 9)) s++;
    while (e > s && (row.buf[e - 1] === 32 || row.buf[e - 1] === 9)) e--;
    const bytes = row.buf.subarray(s, e);
    names.push(decodeBytes(bytes, isValidUtf8(bytes, 0, bytes.length) ? 'utf-8' : 'windows-1252'));
  }
  return names;
}

/** Loads one source into table parts. */
export class SourceLoad {
  /** Bytes received so far. */
  bytes = 0;
  /** Time spent parsing so far, in ms. */
  parseMs = 0;
  private spec: SourceSpec;
  private readonly options: ResolvedDatasetOptions;
  private readonly zone: TimeZone;
  private readonly decoder: InputDecoder;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  private started = false;
  private format: SourceFormat = 'csv';
  private delimiter: string | null = null;
  private feed: ((chunk: Uint8Array) => void) | null = null;
  private close: (() => void) | null = null;
  private readonly sinks = new Map<TableName, TableSink>();
  private autoSink: AutoTableSink | null = null;
  private readonly ignoredKeys: string[] = [];
  private recordCounter: () => number = () => 0;

  constructor(spec: SourceSpec, options: ResolvedDatasetOptions) {
    if (spec.table !== 'auto' && !TABLE_NAMES.includes(spec.table)) {
      throw new CrmError('bad-option', `Unknown table "${String(spec.table)}".`, { hint: `Tables are ${TABLE_NAMES.join(', ')}.` });
    }
    if (spec.columns !== undefined && spec.table !== 'auto') validateTableColumns(spec.table, spec.columns);
    this.spec = spec;
    this.options = options;
    this.zone = TimeZone.get(options.timezone);
    this.decoder = new InputDecoder(spec.encoding);
  }

  /** Sets the total size once it is known (for sizing the columns). */
  setSize(size: number): void {
    if (this.spec.size === undefined) this.spec = { ...this.spec, size };
  }

  /** The source's name (for messages). */
  get name(): string {
    return this.spec.name;
  }

  /** Rows parsed so far (header and blank lines excluded). */
  get rows(): number {
    return this.recordCounter();
  }

  /** How far the source got, as a push answers it. */
  get ack(): ChunkAck {
    return { bytes: this.bytes, rows: this.rows };
  }

  /** Feeds a chunk of raw bytes. */
  push(chunk: Uint8Array): void {
    const started = performance.now();
    try {
      this.pushTimed(chunk);
    } finally {
      this.parseMs += performance.now() - started;
    }
  }

  private pushTimed(chunk: Uint8Array): void {
    this.bytes += chunk.length;
    if (!this.started) {
      this.head.push(chunk);
      this.headBytes += chunk.length;
      if (this.headBytes < HEAD_BYTES) return;
      this.start(false);
      this.reserveFromEstimate();
      return;
    }
    this.feed!(this.decoder.transform(chunk, false));
  }

  /**
   * With a known source size, sizes the columns once from the rows per byte of what was read so far,
   * plus 3%: growing by doubling allocates about twice the final size in fresh arrays.
   */
  private reserveFromEstimate(): void {
    const size = this.spec.size;
    const rows = this.rows;
    if (size === undefined || size <= this.bytes || rows < 100) return;
    const estimate = Math.ceil(((size / this.bytes) * rows) * 1.03) + 64;
    for (const sink of this.sinks.values()) sink.reserve(estimate);
  }

  /** Ends the source and returns its parts and reports. */
  finish(): SourceResult {
    const started = performance.now();
    const result = this.finishTimed();
    this.parseMs += performance.now() - started;
    for (const report of result.reports) report.parseMs = this.parseMs;
    return result;
  }

  private finishTimed(): SourceResult {
    if (!this.started) this.start(true);
    const tail = this.decoder.transform(new Uint8Array(0), true);
    if (tail.length > 0) this.feed!(tail);
    this.close!();
    const declared: SourceEncoding | null =
      this.decoder.declared || this.decoder.transcodes || this.decoder.bom ? this.decoder.encoding : null;
    const parts: TablePart[] = [];
    const sinks = [...this.sinks.values()];
    const auto = this.autoSink?.sink;
    if (auto != null && !sinks.includes(auto)) sinks.push(auto);
    if (sinks.length === 0 && this.spec.table !== 'auto') sinks.push(this.sinkFor(this.spec.table));
    for (const sink of sinks) {
      let part: TablePart;
      try {
        part = sink.finish(declared);
      } catch (error) {
        throw error instanceof CrmError ? error.withContext({ source: this.spec.name, table: sink.table }) : error;
      }
      const report = part.report;
      report.format = this.format;
      report.bom = this.decoder.bom;
      report.delimiter = this.delimiter;
      report.bytes = this.bytes;
      if (this.decoder.transcodes) report.encoding = this.decoder.encoding;
      for (const key of this.ignoredKeys) report.warnings.push(`top-level key "${key}" is not a table; it was ignored`);
      if (report.rowsRead === 0 && report.columns.length === 0) report.warnings.push('the source is empty');
      if (report.rowsRead > 0 && report.rowsAccepted === 0) {
        const top = Object.entries(report.rejectedByReason).sort((a, b) => b[1] - a[1])[0];
        report.warnings.push(`every row was rejected${top !== undefined ? `, most often for ${top[0]}` : ''}; check the column mapping and formats`);
      }
      parts.push(part);
    }
    return { parts, reports: parts.map((p) => p.report) };
  }

  private sinkFor(table: TableName): TableSink {
    let sink = this.sinks.get(table);
    if (sink === undefined) {
      sink = createSink(table, this.context(table));
      this.sinks.set(table, sink);
    }
    return sink;
  }

  private context(table: TableName): SinkContext {
    const columns = { ...(this.options.columns[table] ?? {}), ...(this.spec.table === table ? this.spec.columns ?? {} : {}) };
    return { options: this.options, zone: this.zone, source: this.spec.name, format: this.format, columns };
  }

  private start(final: boolean): void {
    this.started = true;
    const raw = concatUint8(this.head);
    this.head = [];
    const skip = this.decoder.start(raw);
    const head = this.decoder.transform(raw.subarray(skip), final);
    this.format = this.detectFormat(head);
    const table = this.spec.table;
    if (this.format === 'csv') {
      const delimiter = this.spec.delimiter !== undefined && this.spec.delimiter !== 'auto' ? this.spec.delimiter : detectDelimiter(head);
      this.delimiter = delimiter;
      let sink: RecordSink;
      if (table === 'auto') {
        this.autoSink = new AutoTableSink(this.spec.name, true, (t) => this.sinkFor(t));
        sink = this.autoSink;
      } else {
        sink = this.sinkFor(table);
      }
      const tokenizer = new CsvTokenizer(delimiter, sink);
      this.feed = (chunk) => tokenizer.push(chunk);
      this.close = () => tokenizer.end();
      this.recordCounter = () => Math.max(0, tokenizer.records - 1);
    } else if (this.format === 'ndjson') {
      this.startNdjson();
    } else {
      const shape = detectJsonShape(head);
      if (shape === null) {
        const preview = decodeBytes(head.subarray(0, 80), 'utf-8').trim();
        const html = /^<(!doctype|html|head|body)/i.test(preview);
        throw new CrmError(
          html ? 'not-data' : 'invalid-json',
          html
            ? `${this.spec.name} is an HTML page, not data.`
            : `${this.spec.name} does not start with a JSON array or object (it starts with "${preview.slice(0, 30)}").`,
          {
            source: this.spec.name,
            hint: html
              ? 'The address probably points to a login or error page: check the URL and the credentials in fetchOptions.'
              : 'Check that the file or endpoint returns JSON, or declare the format.',
          },
        );
      }
      if (shape === 'ndjson') {
        this.format = 'ndjson';
        this.startNdjson();
      } else {
        const target: JsonTarget = {
          reader: (docTable) => {
            const t = docTable ?? (table === 'auto' ? null : table);
            if (t === null) {
              this.autoSink = new AutoTableSink(this.spec.name, false, (x) => this.sinkFor(x));
              return new JsonRecordReader(this.autoSink);
            }
            if (docTable !== null && table !== 'auto' && docTable !== table) {
              this.ignoredKeys.push(docTable);
              return null;
            }
            return this.readerFor(t);
          },
          malformed: (docTable, line, raw, detail) => {
            const t = docTable ?? (table === 'auto' ? null : table);
            if (t === null) this.autoSink?.malformed(line, 'bad-record', raw, detail);
            else this.sinkFor(t).malformed(line, 'bad-record', raw, detail);
          },
          ignoredKey: (key) => this.ignoredKeys.push(key),
        };
        const reader = new JsonStreamReader(shape === 'array' ? 'array' : 'document', target);
        this.feed = (chunk) => reader.push(chunk);
        this.close = () => reader.end();
        this.recordCounter = () => reader.records;
      }
    }
    if (head.length > 0) this.feed!(head);
  }

  private readonly readers = new Map<TableName, JsonRecordReader>();

  private readerFor(table: TableName): JsonRecordReader {
    let reader = this.readers.get(table);
    if (reader === undefined) {
      reader = new JsonRecordReader(this.sinkFor(table));
      this.readers.set(table, reader);
    }
    return reader;
  }

  private startNdjson(): void {
    const table = this.spec.table;
    const sink = table === 'auto' ? (this.autoSink = new AutoTableSink(this.spec.name, false, (t) => this.sinkFor(t))) : this.sinkFor(table);
    const reader = new NdjsonStreamReader(
      new JsonRecordReader(sink),
      (line, raw, detail) => sink.malformed(line, 'bad-record', raw, detail),
      () => sink.blank(),
    );
    this.feed = (chunk) => reader.push(chunk);
    this.close = () => reader.end();
    this.recordCounter = () => reader.records;
  }

  private detectFormat(head: Uint8Array): SourceFormat {
    const declared = this.spec.format;
    if (declared !== undefined && declared !== 'auto') return declared;
    const byName = formatFromName(this.spec.name);
    if (byName === 'ndjson') return 'ndjson';
    let i = 0;
    while (i < head.length && (head[i] === 32 || head[i] === 10 || head[i] === 13 || head[i] === 9)) i++;
    const c = head[i];
    if (c === 91 || c === 123) return 'json';
    if (c === 60 && byName !== 'csv') return 'json'; // "<": HTML where data was expected; reported as not-data
    return byName === 'json' ? 'json' : 'csv';
  }
}
