/**
 * Table sinks: turn parsed records into typed columns, one sink per table and source.
 *
 * Every field is read straight from the bytes the parser points at. A row is accepted only when every
 * required field reads; otherwise it is rejected with the column, the raw value and a reason, and
 * counted. Strings are interned last, so rejected rows leave nothing behind in the dictionaries.
 */
import { CrmError } from '../../src/core/errors.js';
import type { ResolvedDatasetOptions, SourceEncoding, SourceFormat } from '../../src/core/options.js';
import {
  MAX_LISTED_REJECTIONS,
  type ColumnMatch,
  type RejectReason,
  type Rejection,
  type SourceReport,
  type TimeRange,
} from '../../src/core/report.js';
import { TABLE_FIELDS, GROUP_HOLDOUT, GROUP_TREATMENT, type TableName } from '../../src/core/schema.js';
import type { TimeZone } from '../../src/core/time.js';
import { Float64Column, Int32Column, Uint8Column, rangeOf } from '../table/columns.js';
import { ByteDictionary } from '../table/dictionary.js';
import { KeyLog, type KeyCodes } from '../table/key-log.js';
import type { AttributePart, CostsPart, CustomersPart, OrdersPart, TablePart, TouchesPart } from '../table/parts.js';
import { decodeBytes, isValidUtf8 } from './encoding.js';
import {
  FAST_NUMBER,
  FAST_SKIP,
  FAST_TEXT,
  FAST_TIME,
  FastPlan,
  NUMBER_EMPTY,
  NUMBER_OK,
  FIELD_ABSENT,
  FIELD_PLAIN,
  FIELD_QUOTED,
  FIELD_CSV_ESCAPED,
  FIELD_JSON_BOOLEAN,
  FIELD_JSON_ESCAPED,
  FIELD_JSON_NESTED,
  FIELD_JSON_NUMBER,
  type FieldRow,
  unescapeCsv,
  unescapeJson,
} from './fields.js';
import type { JsonRecordSink } from './json.js';
import { mapColumns, requireColumns } from './mapping.js';
import { NumberReader } from './numbers.js';
import { DEFERRED, TimestampReader } from './timestamps.js';

/** What a sink needs to know about its source. */
export interface SinkContext {
  options: ResolvedDatasetOptions;
  zone: TimeZone;
  source: string;
  format: SourceFormat;
  /** Explicit mapping for this table (dataset mapping merged with the source's). */
  columns: Record<string, string>;
}

const EMPTY_VALUE = 0;
const VALUE = 1;
const NESTED = 2;
const BAD_ESCAPE = 3;

interface PendingRejection {
  line: number;
  column: string;
  raw: Uint8Array;
  reason: RejectReason;
  message: string;
}

const MESSAGES: Record<RejectReason, string> = {
  missing: 'is empty; a value is required',
  'bad-number': 'is not a number',
  'decimal-separator': 'uses the other decimal separator',
  'bad-timestamp': 'is not a date or time the kit reads',
  'two-digit-year': 'has a two-digit year',
  'field-count': 'has a different number of fields than the header',
  'unterminated-quote': 'opens a quote that is never closed',
  'after-quote': 'has text after a closing quote',
  'bad-group': 'is not a group (treatment, holdout or control)',
  'unknown-currency': 'is a currency without a conversion rate',
  'order-customer-conflict': 'names another customer than other lines of the same order',
  'duplicate-customer': 'repeats a customer with different attributes',
  'not-scalar': 'is an object or array, not a single value',
  'bad-record': 'is not a valid record',
};

/** Base of the four table sinks: header mapping, field access, rejections and the report. */
export abstract class TableSink implements JsonRecordSink {
  abstract readonly table: TableName;
  /** Source column names, in order. */
  columns: string[] = [];
  /** Column index per canonical field, or -1. */
  fieldColumns: Int32Array = new Int32Array(0);
  rowsRead = 0;
  accepted = 0;
  rejected = 0;
  blankLines = 0;
  protected matches: ColumnMatch[] = [];
  protected readonly ctx: SinkContext;
  protected readonly warnings: string[] = [];
  private readonly pendingRejections: PendingRejection[] = [];
  private readonly rejectedByReason: Partial<Record<RejectReason, number>> = {};
  private headerSeen: boolean;
  private headerInvalidUtf8 = false;
  private readonly csv: boolean;
  // the field loaded by `load`
  protected vb: Uint8Array = new Uint8Array(0);
  protected vs = 0;
  protected ve = 0;
  protected vflag = 0;
  private scratch: Uint8Array = new Uint8Array(256);

  constructor(ctx: SinkContext) {
    this.ctx = ctx;
    this.csv = ctx.format === 'csv';
    this.headerSeen = !this.csv;
  }

  /** Called once with the CSV header; JSON sources call `column` per key instead. */
  setHeader(names: string[]): void {
    this.columns = names;
    this.remap(true);
  }

  column(name: string): void {
    this.columns.push(name);
    this.remap(false);
  }

  record(row: FieldRow): void {
    if (!this.headerSeen) {
      this.headerSeen = true;
      this.setHeader(this.headerNames(row));
      return;
    }
    this.rowsRead++;
    if (this.csv && row.count !== this.columns.length && !this.countOk(row)) {
      this.rejectRaw(row.line, '', row.buf.subarray(row.starts[0]!, row.ends[Math.min(row.count, 8) - 1]!), 'field-count',
        `line has ${row.count} fields; the header has ${this.columns.length}`);
      return;
    }
    this.convert(row);
  }

  malformed(line: number, reason: 'unterminated-quote' | 'after-quote' | 'bad-record', raw: Uint8Array, detail: string): void {
    if (!this.headerSeen) {
      throw new CrmError('invalid-json', `${this.ctx.source}: the header line cannot be read (${detail}).`, {
        source: this.ctx.source,
        line,
        hint: 'Check that the first line of the file holds the column names.',
      });
    }
    this.rowsRead++;
    this.rejectRaw(line, '', raw, reason, detail);
  }

  blank(): void {
    this.blankLines++;
  }

  /** Report fields shared by every table, given the final encoding. */
  protected baseReport(encoding: SourceEncoding, range: TimeRange | null): SourceReport {
    const rejections: Rejection[] = this.pendingRejections.map((r) => ({
      source: this.ctx.source,
      line: r.line,
      column: r.column,
      value: decodeBytes(r.raw, encoding === 'windows-1252' ? 'windows-1252' : 'utf-8').slice(0, 200),
      reason: r.reason,
      message: r.message,
    }));
    const used = new Set(this.matches.map((m) => m.column));
    const attributes = this.attributeNames();
    const ignored = this.columns.filter((c) => !used.has(c) && !attributes.includes(c));
    return {
      name: this.ctx.source,
      table: this.table,
      format: this.ctx.format,
      encoding,
      bom: false,
      delimiter: null,
      bytes: 0,
      rowsRead: this.rowsRead,
      rowsAccepted: this.accepted,
      rowsRejected: this.rejected,
      blankLines: this.blankLines,
      columns: [...this.columns],
      mapping: [...this.matches],
      attributes,
      ignoredColumns: ignored,
      rejections,
      rejectedByReason: { ...this.rejectedByReason },
      warnings: [...this.warnings],
      dateOrder: null,
      dateRange: range,
      currencies: [],
      parseMs: 0,
    };
  }

  /** Attribute columns (customers table only). */
  protected attributeNames(): string[] {
    return [];
  }

  /** Makes room for about `rows` rows in total (estimated from the source size). */
  reserve(rows: number): void {
    void rows;
  }

  /** Finishes the source: resolves deferred dates, decodes dictionaries, returns the columns. */
  abstract finish(declaredEncoding: SourceEncoding | null): TablePart;

  protected abstract convert(row: FieldRow): void;

  /** Called after the column list changed. */
  protected onColumnsChanged(): void {}

  /** Checks the mapping at the end (JSON keys arrive over time, so required columns are checked here). */
  protected checkRequiredColumns(): void {
    // an empty source (no header, no records) is empty, not wrong
    if (!this.headerSeen || (this.ctx.format !== 'csv' && this.rowsRead === 0)) return;
    requireColumns(this.table, this.columns, this.fieldColumns, this.ctx.source);
  }

  /** The encoding of the source's strings, given what its dictionaries and key logs saw. */
  protected resolveEncoding(declared: SourceEncoding | null, dictionaries: ByteDictionary[], logs: KeyCodes[] = []): SourceEncoding {
    const invalid = this.headerInvalidUtf8 || dictionaries.some((d) => d.invalidUtf8) || logs.some((l) => l.invalidUtf8);
    if (declared === 'utf-8' && invalid) {
      throw new CrmError('encoding', `${this.ctx.source} is not valid UTF-8, although encoding "utf-8" was given.`, {
        source: this.ctx.source,
        hint: 'Leave encoding on "auto" to detect windows-1252 (Excel) files, or save the file as UTF-8.',
      });
    }
    if (declared !== null) return declared;
    return invalid ? 'windows-1252' : 'utf-8';
  }

  private headerNames(row: FieldRow): string[] {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let k = 0; k < row.count; k++) {
      let name = '';
      if (this.load(row, k) === VALUE) {
        const bytes = this.vb.subarray(this.vs, this.ve);
        const valid = isValidUtf8(bytes, 0, bytes.length);
        if (!valid) this.headerInvalidUtf8 = true;
        name = decodeBytes(bytes, valid ? 'utf-8' : 'windows-1252');
      }
      if (name === '') name = `column ${k + 1}`;
      let unique = name;
      for (let n = 2; seen.has(unique); n++) unique = `${name} (${n})`;
      seen.add(unique);
      names.push(unique);
    }
    // A trailing delimiter on the header makes an empty last column; drop it.
    while (names.length > 1 && /^column \d+$/.test(names[names.length - 1]!) && row.starts[names.length - 1] === row.ends[names.length - 1]) {
      names.pop();
    }
    return names;
  }

  private remap(strict: boolean): void {
    const { fieldColumns, matches } = mapColumns(this.table, this.columns, this.ctx.columns, strict, this.ctx.source);
    this.fieldColumns = fieldColumns;
    this.matches = matches;
    if (strict) requireColumns(this.table, this.columns, fieldColumns, this.ctx.source);
    this.plan = this.csv && this.hasFastPath() ? this.makePlan() : null;
    this.onColumnsChanged();
  }

  private plan: FastPlan | null = null;

  /** The CSV fast-path plan (see `CsvTokenizer`), or null. */
  fastPlan(): FastPlan | null {
    return this.plan;
  }

  /** Whether this table assembles fast-path lines (`fastLine`). */
  protected hasFastPath(): boolean {
    return false;
  }

  private makePlan(): FastPlan {
    const kinds = new Uint8Array(this.columns.length).fill(FAST_SKIP);
    TABLE_FIELDS[this.table].forEach((field, f) => {
      const col = this.fieldColumns[f]!;
      if (col < 0) return;
      kinds[col] = field.kind === 'money' || field.kind === 'number' ? FAST_NUMBER : field.kind === 'timestamp' ? FAST_TIME : FAST_TEXT;
    });
    return new FastPlan(kinds, this.ctx.options.decimal);
  }

  /**
   * Points vb/vs/ve at a fast-path text field when it is a usable value: non-empty, no surrounding
   * whitespace, not a null token. Returns 1 for a value, 0 for an empty field, -1 when the general
   * path must decide (whitespace, a null token).
   */
  protected fastText(plan: FastPlan, buf: Uint8Array, col: number): number {
    const s = plan.starts[col]!;
    const e = plan.ends[col]!;
    if (e === s) return 0;
    if (buf[s]! <= 32 || buf[e - 1]! <= 32 || isNullToken(buf, s, e - s)) return -1;
    this.vb = buf;
    this.vs = s;
    this.ve = e;
    return 1;
  }

  /** An optional fast-path number: its value, `missing` when empty, NaN when the general path must decide. */
  protected fastNumber(plan: FastPlan, col: number, missing: number): number {
    if (col < 0) return missing;
    const status = plan.status[col]!;
    if (status === NUMBER_OK) return plan.values[col]!;
    return status === NUMBER_EMPTY ? missing : Number.NaN;
  }

  /**
   * A fast-path timestamp: 1 with its instant in `reader.out[0]`, 0 when empty, -1 when the general path
   * must decide. (The instant stays in the reader's typed array: a double returned from a call that is
   * not inlined is boxed, one heap number per row, 32 MB of garbage per 2M touches.)
   */
  protected fastTime(plan: FastPlan, buf: Uint8Array, col: number, reader: TimestampReader): number {
    if (col < 0) return 0;
    const text = this.fastText(plan, buf, col);
    if (text <= 0) return text;
    return reader.scanIso(buf, this.vs, this.ve) ? 1 : -1;
  }

  /** A row whose field count differs from the header is fine when the extra fields are all empty. */
  private countOk(row: FieldRow): boolean {
    if (row.count < this.columns.length) return false;
    for (let k = this.columns.length; k < row.count; k++) if (row.starts[k] !== row.ends[k]) return false;
    return true;
  }

  /**
   * Fast path: when field `col` is unquoted with no surrounding whitespace (nearly every field of a
   * machine-written file), points vb/vs/ve at it and returns true. Otherwise the caller takes `load`.
   */
  protected plain(row: FieldRow, col: number): boolean {
    if (col < 0 || col >= row.count) return false;
    const flag = row.flags[col]!;
    if (flag !== FIELD_PLAIN && flag !== FIELD_QUOTED && flag !== FIELD_JSON_NUMBER) return false;
    const s = row.starts[col]!;
    const e = row.ends[col]!;
    if (e <= s) return false;
    const buf = row.buf;
    if (buf[s]! <= 32 || buf[e - 1]! <= 32) return false;
    this.vb = buf;
    this.vs = s;
    this.ve = e;
    this.vflag = flag;
    return true;
  }

  /**
   * Loads field `col` of the row into vb/vs/ve (trimmed, escapes removed). Returns EMPTY_VALUE for
   * absent, empty and null-token values (`null`, `NULL`, `\N`, `N/A`, `#N/A`), NESTED for JSON objects
   * and arrays, BAD_ESCAPE for malformed JSON escapes, VALUE otherwise.
   */
  protected load(row: FieldRow, col: number): number {
    if (col < 0 || col >= row.count) return EMPTY_VALUE;
    const flag = row.flags[col]!;
    if (flag === FIELD_ABSENT) return EMPTY_VALUE;
    if (flag === FIELD_JSON_NESTED) {
      this.vb = row.buf;
      this.vs = row.starts[col]!;
      this.ve = row.ends[col]!;
      return NESTED;
    }
    let buf = row.buf;
    let s = row.starts[col]!;
    let e = row.ends[col]!;
    if (flag === FIELD_CSV_ESCAPED) {
      const out = unescapeCsv(buf, s, e, this.scratch);
      this.scratch = out.bytes;
      buf = out.bytes;
      s = 0;
      e = out.length;
    } else if (flag === FIELD_JSON_ESCAPED) {
      const out = unescapeJson(buf, s, e, this.scratch);
      this.scratch = out.bytes;
      if (out.length < 0) return BAD_ESCAPE;
      buf = out.bytes;
      s = 0;
      e = out.length;
    }
    while (s < e) {
      const c = buf[s]!;
      if (c === 32 || c === 9 || c === 10 || c === 13) s++;
      else break;
    }
    while (e > s) {
      const c = buf[e - 1]!;
      if (c === 32 || c === 9 || c === 10 || c === 13) e--;
      else break;
    }
    this.vb = buf;
    this.vs = s;
    this.ve = e;
    this.vflag = flag;
    const len = e - s;
    if (len === 0) return EMPTY_VALUE;
    if (len <= 4 && flag !== FIELD_JSON_NUMBER && isNullToken(buf, s, len)) return EMPTY_VALUE;
    return VALUE;
  }

  /** Rejects the row for field `f`, given the status `load` returned. */
  protected rejectField(row: FieldRow, f: number, status: number, reason: RejectReason, detail = ''): void {
    const col = this.fieldColumns[f]!;
    const column = col >= 0 ? this.columns[col]! : TABLE_FIELDS[this.table][f]!.name;
    let why = reason;
    if (status === NESTED) why = 'not-scalar';
    else if (status === BAD_ESCAPE) why = 'bad-record';
    else if (status === EMPTY_VALUE) why = 'missing';
    const raw = status === EMPTY_VALUE ? new Uint8Array(0) : this.vb.slice(this.vs, Math.min(this.ve, this.vs + 200));
    const field = TABLE_FIELDS[this.table][f]!.name;
    let message = `${field} ${MESSAGES[why]}`;
    if (detail !== '' && why === reason) message += ` (${detail})`;
    if (why === 'decimal-separator') {
      message += this.ctx.options.decimal === '.' ? "; set decimal: ',' if the file uses decimal commas" : "; set decimal: '.' if the file uses decimal points";
    }
    this.rejectRaw(row.line, column, raw, why, message);
  }

  protected rejectRaw(line: number, column: string, raw: Uint8Array, reason: RejectReason, message: string): void {
    this.rejected++;
    this.rejectedByReason[reason] = (this.rejectedByReason[reason] ?? 0) + 1;
    if (this.pendingRejections.length < MAX_LISTED_REJECTIONS) {
      this.pendingRejections.push({ line, column, raw: raw.slice(0, 200), reason, message });
    }
  }

  /** Reads a number field; NaN when rejected (already reported), `missing` when empty. */
  protected readNumber(row: FieldRow, f: number, reader: NumberReader, required: boolean, missing: number): number {
    const col = this.fieldColumns[f]!;
    if (this.plain(row, col)) {
      const v = reader.read(this.vb, this.vs, this.ve, this.vflag === FIELD_JSON_NUMBER);
      if (v === v) return v;
    }
    const status = this.load(row, col);
    if (status === EMPTY_VALUE) {
      if (required) this.rejectField(row, f, status, 'missing');
      return required ? Number.NaN : missing;
    }
    if (status !== VALUE || this.vflag === FIELD_JSON_BOOLEAN) {
      this.rejectField(row, f, status, 'bad-number');
      return Number.NaN;
    }
    const v = reader.read(this.vb, this.vs, this.ve, this.vflag === FIELD_JSON_NUMBER);
    if (Number.isNaN(v)) this.rejectField(row, f, status, reader.error);
    return v;
  }

  /** Reads a timestamp field; NaN when rejected, `missing` when empty and optional, or `DEFERRED`. */
  protected readTime(row: FieldRow, f: number, reader: TimestampReader, required: boolean): number {
    const col = this.fieldColumns[f]!;
    if (this.plain(row, col)) {
      const v = reader.read(this.vb, this.vs, this.ve, this.vflag === FIELD_JSON_NUMBER);
      if (v === v) return v;
    }
    const status = this.load(row, col);
    if (status === EMPTY_VALUE) {
      if (required) {
        this.rejectField(row, f, status, 'missing');
        return Number.NaN;
      }
      return OPTIONAL_EMPTY;
    }
    if (status !== VALUE || this.vflag === FIELD_JSON_BOOLEAN) {
      this.rejectField(row, f, status, 'bad-timestamp');
      return Number.NaN;
    }
    const v = reader.read(this.vb, this.vs, this.ve, this.vflag === FIELD_JSON_NUMBER);
    if (Number.isNaN(v)) this.rejectField(row, f, status, reader.error, reader.detail);
    return v;
  }

  /** Interns a text field; -1 when empty (and rejects when required). -2 when rejected. */
  protected internText(row: FieldRow, f: number, dict: Interner, required: boolean): number {
    const col = this.fieldColumns[f]!;
    if (this.plain(row, col) && !isNullToken(this.vb, this.vs, this.ve - this.vs)) return dict.intern(this.vb, this.vs, this.ve);
    const status = this.load(row, col);
    if (status === VALUE) return dict.intern(this.vb, this.vs, this.ve);
    if (status === EMPTY_VALUE && !required) return -1;
    this.rejectField(row, f, status, 'missing');
    return -2;
  }

  /** Whether a text field has a value (without interning it). */
  protected hasText(row: FieldRow, f: number): number {
    const col = this.fieldColumns[f]!;
    if (this.plain(row, col) && !isNullToken(this.vb, this.vs, this.ve - this.vs)) return VALUE;
    return this.load(row, col);
  }

  /** Checks money readers for a file that mixes "1,234" and "12,50" (a decimal comma read as grouping). */
  protected checkSeparators(readers: [string, NumberReader][]): void {
    for (const [field, reader] of readers) {
      if (reader.groupedCount > 0 && reader.separatorCount > 0) {
        const other = this.ctx.options.decimal === '.' ? ',' : '.';
        throw new CrmError(
          'bad-option',
          `${this.table}: column for ${field} in ${this.ctx.source} has values like "${reader.separatorExample}" and "${reader.groupedExample}", which only make sense with "${other}" as the decimal separator.`,
          {
            table: this.table,
            column: field,
            source: this.ctx.source,
            examples: [reader.separatorExample, reader.groupedExample],
            hint: `Set decimal: '${other}' for this dataset.`,
          },
        );
      }
    }
  }

  protected resolveTimes(reader: TimestampReader, target: Float64Array, f: number): void {
    const col = this.fieldColumns[f]!;
    reader.resolve(target, 0, {
      table: this.table,
      column: col >= 0 ? this.columns[col]! : TABLE_FIELDS[this.table][f]!.name,
      source: this.ctx.source,
    });
  }
}

/** Something that interns byte slices: a dictionary, or a key log (whose codes come at the end). */
interface Interner {
  intern(buf: Uint8Array, start: number, end: number): number;
}

/** Maps key-log entry indexes (or -1) to codes, in place. */
function entriesToCodes(column: Int32Array, codes: Int32Array): Int32Array {
  for (let i = 0; i < column.length; i++) {
    const e = column[i]!;
    if (e >= 0) column[i] = codes[e]!;
  }
  return column;
}

/** Returned by `readTime` for an empty optional timestamp. */
const OPTIONAL_EMPTY = Number.POSITIVE_INFINITY;

function isNullToken(buf: Uint8Array, s: number, len: number): boolean {
  if (len > 4) return false;
  const c = buf[s]!;
  if (len === 4 && (c === 110 || c === 78)) {
    // null / NULL / Null
    return (buf[s + 1]! | 0x20) === 117 && (buf[s + 2]! | 0x20) === 108 && (buf[s + 3]! | 0x20) === 108;
  }
  if (len === 2 && c === 92) return buf[s + 1] === 78; // \N
  if (len === 3 && (c === 110 || c === 78)) return buf[s + 1] === 47 && (buf[s + 2]! | 0x20) === 97; // N/A
  if (len === 4 && c === 35) return buf[s + 1] === 78 && buf[s + 2] === 47 && buf[s + 3] === 65; // #N/A
  return false;
}

function lowerDictionary(values: string[]): { values: string[]; remap: Int32Array | null } {
  const out: string[] = [];
  const index = new Map<string, number>();
  const remap = new Int32Array(values.length);
  let changed = false;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!.trim().toLowerCase();
    let code = index.get(v);
    if (code === undefined) {
      code = out.length;
      out.push(v);
      index.set(v, code);
    }
    remap[i] = code;
    if (code !== i) changed = true;
  }
  return { values: out, remap: changed ? remap : null };
}

function applyRemap(codes: Int32Array, remap: Int32Array | null): void {
  if (remap === null) return;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0) codes[i] = remap[c]!;
  }
}

// field indexes (TABLE_FIELDS order)
const O_CUSTOMER = 0;
const O_TIME = 1;
const O_REVENUE = 2;
const O_QUANTITY = 3;
const O_PRICE = 4;
const O_ORDER = 5;
const O_MARGIN = 6;
const O_COST = 7;
const O_DISCOUNT = 8;
const O_CURRENCY = 9;

/** Orders: one row per line item or per order. */
export class OrdersSink extends TableSink {
  readonly table = 'orders' as const;
  private readonly customers = new KeyLog({ byteOrder: true });
  private readonly orderIds = new KeyLog();
  private readonly currencies = new ByteDictionary();
  private rateByCode: number[] = [];
  private readonly customer = new Int32Column();
  private readonly order = new Int32Column();
  private readonly time = new Float64Column();
  private readonly revenue = new Float64Column();
  private readonly margin = new Float64Column();
  private readonly discount = new Float64Column();
  private readonly line = new Int32Column();
  private readonly timeReader: TimestampReader;
  private readonly revenueReader: NumberReader;
  private readonly priceReader: NumberReader;
  private readonly quantityReader: NumberReader;
  private readonly marginReader: NumberReader;
  private readonly costReader: NumberReader;
  private readonly discountReader: NumberReader;
  private rowsWithoutMargin = 0;

  constructor(ctx: SinkContext) {
    super(ctx);
    const dec = ctx.options.decimal;
    this.timeReader = new TimestampReader(ctx.zone, ctx.options.dateOrder);
    this.revenueReader = new NumberReader(dec, true);
    this.priceReader = new NumberReader(dec, true);
    this.quantityReader = new NumberReader(dec, false);
    this.marginReader = new NumberReader(dec, true);
    this.costReader = new NumberReader(dec, true);
    this.discountReader = new NumberReader(dec, true);
  }

  protected convert(row: FieldRow): void {
    const fc = this.fieldColumns;
    const time = this.readTime(row, O_TIME, this.timeReader, true);
    if (Number.isNaN(time)) return;
    let revenue: number;
    const revenueStatus = fc[O_REVENUE]! >= 0 ? this.load(row, fc[O_REVENUE]!) : EMPTY_VALUE;
    if (revenueStatus === EMPTY_VALUE && fc[O_QUANTITY]! >= 0 && fc[O_PRICE]! >= 0) {
      const quantity = this.readNumber(row, O_QUANTITY, this.quantityReader, true, 0);
      if (Number.isNaN(quantity)) return;
      const price = this.readNumber(row, O_PRICE, this.priceReader, true, 0);
      if (Number.isNaN(price)) return;
      revenue = quantity * price;
    } else {
      revenue = this.readNumber(row, O_REVENUE, this.revenueReader, true, 0);
      if (Number.isNaN(revenue)) return;
    }
    let margin = Number.NaN;
    if (fc[O_MARGIN]! >= 0) {
      margin = this.readNumber(row, O_MARGIN, this.marginReader, false, Number.POSITIVE_INFINITY);
      if (Number.isNaN(margin)) return;
      if (margin === Number.POSITIVE_INFINITY) margin = Number.NaN;
    }
    if (Number.isNaN(margin) && fc[O_COST]! >= 0) {
      const cost = this.readNumber(row, O_COST, this.costReader, false, Number.POSITIVE_INFINITY);
      if (Number.isNaN(cost)) return;
      if (cost !== Number.POSITIVE_INFINITY) margin = revenue - cost;
    }
    let discount = 0;
    if (fc[O_DISCOUNT]! >= 0) {
      discount = this.readNumber(row, O_DISCOUNT, this.discountReader, false, 0);
      if (Number.isNaN(discount)) return;
    }
    if (fc[O_CURRENCY]! >= 0) {
      const code = this.internCurrency(row);
      if (code === -2) return;
      if (code >= 0 && this.ctx.options.rates !== null) {
        const rate = this.rateByCode[code]!;
        if (rate === 0) {
          this.rejectField(row, O_CURRENCY, VALUE, 'unknown-currency', 'add it to rates');
          return;
        }
        revenue *= rate;
        margin *= rate;
        discount *= rate;
      }
    }
    const status = this.hasText(row, O_CUSTOMER);
    if (status !== VALUE) {
      this.rejectField(row, O_CUSTOMER, status, 'missing');
      return;
    }
    const customer = this.customers.intern(this.vb, this.vs, this.ve);
    let order = -1;
    if (fc[O_ORDER]! >= 0) {
      order = this.internText(row, O_ORDER, this.orderIds, false);
      if (order === -2) return;
    }
    if (time === DEFERRED) this.timeReader.commitDeferred(this.accepted);
    if (Number.isNaN(margin)) this.rowsWithoutMargin++;
    this.accepted++;
    this.customer.push(customer);
    this.order.push(order);
    this.time.push(time === DEFERRED ? 0 : time);
    this.revenue.push(revenue);
    this.margin.push(margin);
    this.discount.push(discount);
    this.line.push(row.line);
  }

  protected override hasFastPath(): boolean {
    return this.fieldColumns[O_CURRENCY]! < 0;
  }

  override reserve(rows: number): void {
    this.customers.reserve(rows);
    if (this.fieldColumns[O_ORDER]! >= 0) this.orderIds.reserve(rows);
    for (const column of [this.customer, this.order, this.line]) column.reserve(rows);
    for (const column of [this.time, this.revenue, this.margin, this.discount]) column.reserve(rows);
  }

  fastLine(plan: FastPlan, buf: Uint8Array, line: number): boolean {
    const fc = this.fieldColumns;
    if (this.fastTime(plan, buf, fc[O_TIME]!, this.timeReader) !== 1) return false;
    const time = this.timeReader.out[0]!;
    let revenue: number;
    const revenueCol = fc[O_REVENUE]!;
    const revenueStatus = revenueCol >= 0 ? plan.status[revenueCol]! : NUMBER_EMPTY;
    if (revenueStatus === NUMBER_OK) {
      revenue = plan.values[revenueCol]!;
    } else if (revenueStatus === NUMBER_EMPTY && fc[O_QUANTITY]! >= 0 && fc[O_PRICE]! >= 0) {
      revenue = this.fastNumber(plan, fc[O_QUANTITY]!, Number.NaN) * this.fastNumber(plan, fc[O_PRICE]!, Number.NaN);
      if (revenue !== revenue) return false;
    } else {
      return false;
    }
    let margin = this.fastNumber(plan, fc[O_MARGIN]!, Number.POSITIVE_INFINITY);
    if (margin !== margin) return false;
    if (margin === Number.POSITIVE_INFINITY) {
      const cost = this.fastNumber(plan, fc[O_COST]!, Number.POSITIVE_INFINITY);
      if (cost !== cost) return false;
      margin = cost === Number.POSITIVE_INFINITY ? Number.NaN : revenue - cost;
    }
    const discount = this.fastNumber(plan, fc[O_DISCOUNT]!, 0);
    if (discount !== discount) return false;
    const orderCol = fc[O_ORDER]!;
    const order = orderCol >= 0 ? this.fastText(plan, buf, orderCol) : 0;
    if (order < 0) return false;
    if (this.fastText(plan, buf, fc[O_CUSTOMER]!) !== 1) return false;
    const customer = this.customers.intern(this.vb, this.vs, this.ve);
    const orderCode = order === 1 ? this.orderIds.intern(buf, plan.starts[orderCol]!, plan.ends[orderCol]!) : -1;
    if (Number.isNaN(margin)) this.rowsWithoutMargin++;
    this.rowsRead++;
    this.accepted++;
    this.customer.push(customer);
    this.order.push(orderCode);
    this.time.push(time);
    this.revenue.push(revenue);
    this.margin.push(margin);
    this.discount.push(discount);
    this.line.push(line);
    return true;
  }

  private internCurrency(row: FieldRow): number {
    const status = this.load(row, this.fieldColumns[O_CURRENCY]!);
    if (status === EMPTY_VALUE) return -1;
    if (status !== VALUE) {
      this.rejectField(row, O_CURRENCY, status, 'bad-record');
      return -2;
    }
    // currency codes are upper-cased ASCII
    for (let i = this.vs; i < this.ve; i++) {
      const c = this.vb[i]!;
      if (c >= 97 && c <= 122) this.vb[i] = c - 32;
    }
    const before = this.currencies.size;
    const code = this.currencies.intern(this.vb, this.vs, this.ve);
    if (code === before) {
      const name = decodeBytes(this.currencies.bytes(code), 'utf-8');
      this.rateByCode[code] = this.ctx.options.rates?.[name] ?? 0;
    }
    return code;
  }

  finish(declared: SourceEncoding | null): OrdersPart {
    this.checkRequiredColumns();
    this.checkSeparators([
      ['revenue', this.revenueReader],
      ['unit_price', this.priceReader],
      ['margin', this.marginReader],
      ['cost', this.costReader],
      ['discount', this.discountReader],
    ]);
    const time = this.time.finish();
    this.resolveTimes(this.timeReader, time, O_TIME);
    const customers = this.customers.finish();
    const orderIds = this.orderIds.finish();
    const encoding = this.resolveEncoding(declared, [], [customers, orderIds]);
    const currencies = this.currencies.decode('utf-8');
    const { options, source } = this.ctx;
    if (options.rates === null) {
      const distinct = currencies.filter((c) => c !== '');
      const foreign = options.currency === null ? distinct : distinct.filter((c) => c !== options.currency);
      if (distinct.length > 1 || (foreign.length > 0 && options.currency !== null)) {
        const all = options.currency !== null && !distinct.includes(options.currency) ? [options.currency, ...distinct] : distinct;
        throw new CrmError(
          'mixed-currencies',
          `orders: ${source} has amounts in ${all.join(', ')}${options.currency !== null ? ` but the dataset currency is ${options.currency}` : ''}, and no conversion rates were given.`,
          {
            table: 'orders',
            source,
            examples: all,
            hint: 'Give rates: { EUR: 1.08, ... } (units of the dataset currency per unit) together with currency, or load one currency per dataset.',
          },
        );
      }
    }
    const report = this.baseReport(encoding, rangeOf(time));
    report.dateOrder = this.timeReader.hadSlashedDates ? (this.timeReader.order === 'auto' ? null : this.timeReader.order) : null;
    report.currencies = currencies;
    if (this.rowsWithoutMargin > 0 && this.rowsWithoutMargin < this.accepted) {
      report.warnings.push(`${this.rowsWithoutMargin} rows have neither margin nor cost; their margin is unknown.`);
    }
    return {
      table: 'orders',
      report,
      customers: customers.decode(encoding),
      customer: entriesToCodes(this.customer.finish(), customers.codes),
      orderIds: orderIds.pack(encoding),
      order: entriesToCodes(this.order.finish(), orderIds.codes),
      time,
      revenue: this.revenue.finish(),
      margin: this.margin.finish(),
      discount: this.discount.finish(),
      line: this.line.finish(),
    };
  }
}

const T_CUSTOMER = 0;
const T_CHANNEL = 1;
const T_SENT = 2;
const T_CAMPAIGN = 3;
const T_OPENED = 4;
const T_CLICKED = 5;
const T_GROUP = 6;
const T_COST = 7;

/** Touches: sends (treatment) and holdout assignments. */
export class TouchesSink extends TableSink {
  readonly table = 'touches' as const;
  private readonly customers = new KeyLog({ byteOrder: true });
  private readonly channels = new ByteDictionary();
  private readonly campaigns = new ByteDictionary();
  private readonly customer = new Int32Column();
  private readonly channel = new Int32Column();
  private readonly campaign = new Int32Column();
  private readonly sentAt = new Float64Column();
  private readonly openedAt = new Float64Column();
  private readonly clickedAt = new Float64Column();
  private readonly group = new Uint8Column();
  private readonly cost = new Float64Column();
  private readonly sentReader: TimestampReader;
  private readonly openedReader: TimestampReader;
  private readonly clickedReader: TimestampReader;
  private readonly costReader: NumberReader;

  constructor(ctx: SinkContext) {
    super(ctx);
    this.sentReader = new TimestampReader(ctx.zone, ctx.options.dateOrder);
    this.openedReader = new TimestampReader(ctx.zone, ctx.options.dateOrder);
    this.clickedReader = new TimestampReader(ctx.zone, ctx.options.dateOrder);
    this.costReader = new NumberReader(ctx.options.decimal, true);
  }

  protected convert(row: FieldRow): void {
    const fc = this.fieldColumns;
    const sent = this.readTime(row, T_SENT, this.sentReader, true);
    if (Number.isNaN(sent)) return;
    let opened: number = OPTIONAL_EMPTY;
    if (fc[T_OPENED]! >= 0) {
      opened = this.readTime(row, T_OPENED, this.openedReader, false);
      if (Number.isNaN(opened)) return;
    }
    let clicked: number = OPTIONAL_EMPTY;
    if (fc[T_CLICKED]! >= 0) {
      clicked = this.readTime(row, T_CLICKED, this.clickedReader, false);
      if (Number.isNaN(clicked)) return;
    }
    let cost = 0;
    if (fc[T_COST]! >= 0) {
      cost = this.readNumber(row, T_COST, this.costReader, false, 0);
      if (Number.isNaN(cost)) return;
    }
    let group = GROUP_TREATMENT;
    if (fc[T_GROUP]! >= 0) {
      const status = this.load(row, fc[T_GROUP]!);
      if (status === VALUE) {
        group = readGroup(this.vb, this.vs, this.ve);
        if (group < 0) {
          this.rejectField(row, T_GROUP, status, 'bad-group');
          return;
        }
      } else if (status !== EMPTY_VALUE) {
        this.rejectField(row, T_GROUP, status, 'bad-group');
        return;
      }
    }
    const channelStatus = this.hasText(row, T_CHANNEL);
    if (channelStatus !== VALUE) {
      this.rejectField(row, T_CHANNEL, channelStatus, 'missing');
      return;
    }
    const customerStatus = this.hasText(row, T_CUSTOMER);
    if (customerStatus !== VALUE) {
      this.rejectField(row, T_CUSTOMER, customerStatus, 'missing');
      return;
    }
    const customer = this.customers.intern(this.vb, this.vs, this.ve);
    const channel = this.internText(row, T_CHANNEL, this.channels, true);
    let campaign = -1;
    if (fc[T_CAMPAIGN]! >= 0) {
      campaign = this.internText(row, T_CAMPAIGN, this.campaigns, false);
      if (campaign === -2) return;
    }
    const index = this.accepted++;
    if (sent === DEFERRED) this.sentReader.commitDeferred(index);
    if (opened === DEFERRED) this.openedReader.commitDeferred(index);
    if (clicked === DEFERRED) this.clickedReader.commitDeferred(index);
    this.customer.push(customer);
    this.channel.push(channel);
    this.campaign.push(campaign);
    this.sentAt.push(sent === DEFERRED ? 0 : sent);
    this.openedAt.push(opened === OPTIONAL_EMPTY ? Number.NaN : opened === DEFERRED ? 0 : opened);
    this.clickedAt.push(clicked === OPTIONAL_EMPTY ? Number.NaN : clicked === DEFERRED ? 0 : clicked);
    this.group.push(group);
    this.cost.push(cost);
  }

  protected override hasFastPath(): boolean {
    return true;
  }

  override reserve(rows: number): void {
    this.customers.reserve(rows);
    for (const column of [this.customer, this.channel, this.campaign]) column.reserve(rows);
    for (const column of [this.sentAt, this.openedAt, this.clickedAt, this.cost]) column.reserve(rows);
    this.group.reserve(rows);
  }

  fastLine(plan: FastPlan, buf: Uint8Array): boolean {
    const fc = this.fieldColumns;
    if (this.fastTime(plan, buf, fc[T_SENT]!, this.sentReader) !== 1) return false;
    const opened = this.fastTime(plan, buf, fc[T_OPENED]!, this.openedReader);
    if (opened < 0) return false;
    const clicked = this.fastTime(plan, buf, fc[T_CLICKED]!, this.clickedReader);
    if (clicked < 0) return false;
    const cost = this.fastNumber(plan, fc[T_COST]!, 0);
    if (cost !== cost) return false;
    let group = GROUP_TREATMENT;
    const groupCol = fc[T_GROUP]!;
    if (groupCol >= 0) {
      const status = this.fastText(plan, buf, groupCol);
      if (status < 0) return false;
      if (status === 1) {
        group = readGroup(buf, this.vs, this.ve);
        if (group < 0) return false;
      }
    }
    // check every text field before interning any, so a line sent to the general path leaves no trace
    const campaignCol = fc[T_CAMPAIGN]!;
    const campaign = campaignCol >= 0 ? this.fastText(plan, buf, campaignCol) : 0;
    if (campaign < 0) return false;
    const channelCol = fc[T_CHANNEL]!;
    if (this.fastText(plan, buf, channelCol) !== 1) return false;
    const customerCol = fc[T_CUSTOMER]!;
    if (this.fastText(plan, buf, customerCol) !== 1) return false;
    const customer = this.customers.intern(buf, plan.starts[customerCol]!, plan.ends[customerCol]!);
    const channel = this.channels.intern(buf, plan.starts[channelCol]!, plan.ends[channelCol]!);
    const campaignCode = campaign === 1 ? this.campaigns.intern(buf, plan.starts[campaignCol]!, plan.ends[campaignCol]!) : -1;
    this.rowsRead++;
    this.accepted++;
    this.customer.push(customer);
    this.channel.push(channel);
    this.campaign.push(campaignCode);
    this.sentAt.push(this.sentReader.out[0]!);
    this.openedAt.push(opened === 1 ? this.openedReader.out[0]! : Number.NaN);
    this.clickedAt.push(clicked === 1 ? this.clickedReader.out[0]! : Number.NaN);
    this.group.push(group);
    this.cost.push(cost);
    return true;
  }

  finish(declared: SourceEncoding | null): TouchesPart {
    this.checkRequiredColumns();
    this.checkSeparators([['cost', this.costReader]]);
    const sentAt = this.sentAt.finish();
    const openedAt = this.openedAt.finish();
    const clickedAt = this.clickedAt.finish();
    this.resolveTimes(this.sentReader, sentAt, T_SENT);
    this.resolveTimes(this.openedReader, openedAt, T_OPENED);
    this.resolveTimes(this.clickedReader, clickedAt, T_CLICKED);
    const customers = this.customers.finish();
    const encoding = this.resolveEncoding(declared, [this.channels, this.campaigns], [customers]);
    const channel = this.channel.finish();
    const lowered = lowerDictionary(this.channels.decode(encoding));
    applyRemap(channel, lowered.remap);
    const report = this.baseReport(encoding, rangeOf(sentAt));
    const order = [this.sentReader, this.openedReader, this.clickedReader].find((r) => r.hadSlashedDates);
    report.dateOrder = order !== undefined && order.order !== 'auto' ? order.order : null;
    let earlyEvents = 0;
    for (let i = 0; i < sentAt.length; i++) {
      if (openedAt[i]! < sentAt[i]! || clickedAt[i]! < sentAt[i]!) earlyEvents++;
    }
    if (earlyEvents > 0) {
      report.warnings.push(`${earlyEvents} touches were opened or clicked before they were sent; check the time columns.`);
    }
    return {
      table: 'touches',
      report,
      customers: customers.decode(encoding),
      customer: entriesToCodes(this.customer.finish(), customers.codes),
      channels: lowered.values,
      channel,
      campaigns: this.campaigns.decode(encoding).map((c) => c.trim()),
      campaign: this.campaign.finish(),
      sentAt,
      openedAt,
      clickedAt,
      group: this.group.finish(),
      cost: this.cost.finish(),
    };
  }
}

/** `treatment` → 0, `holdout` / `control` → 1 (case-insensitive), anything else → -1. */
function readGroup(buf: Uint8Array, s: number, e: number): number {
  // compared byte by byte: building a string per row made the touches parse about 20% slower
  const n = e - s;
  if (n === 9) return sameWord(buf, s, TREATMENT) ? GROUP_TREATMENT : -1;
  if (n === 7) return sameWord(buf, s, HOLDOUT) || sameWord(buf, s, CONTROL) ? GROUP_HOLDOUT : -1;
  return -1;
}

const TREATMENT = asciiBytes('treatment');
const HOLDOUT = asciiBytes('holdout');
const CONTROL = asciiBytes('control');

function asciiBytes(word: string): Uint8Array {
  return Uint8Array.from(word, (c) => c.charCodeAt(0));
}

/** Whether the bytes at `s` spell `word` (lower-case ASCII), ignoring the case of A–Z. */
function sameWord(buf: Uint8Array, s: number, word: Uint8Array): boolean {
  for (let k = 0; k < word.length; k++) {
    const b = buf[s + k]!;
    if ((b >= 65 && b <= 90 ? b | 0x20 : b) !== word[k]) return false;
  }
  return true;
}

const C_DATE = 0;
const C_CHANNEL = 1;
const C_CAMPAIGN = 2;
const C_AMOUNT = 3;
const C_KIND = 4;

/** Costs: spend per day (or period start), channel and campaign. */
export class CostsSink extends TableSink {
  readonly table = 'costs' as const;
  private readonly channels = new ByteDictionary();
  private readonly campaigns = new ByteDictionary();
  private readonly kinds = new ByteDictionary();
  private readonly channel = new Int32Column();
  private readonly campaign = new Int32Column();
  private readonly kind = new Int32Column();
  private readonly date = new Float64Column();
  private readonly amount = new Float64Column();
  private readonly dateReader: TimestampReader;
  private readonly amountReader: NumberReader;

  constructor(ctx: SinkContext) {
    super(ctx);
    this.dateReader = new TimestampReader(ctx.zone, ctx.options.dateOrder);
    this.amountReader = new NumberReader(ctx.options.decimal, true);
  }

  protected convert(row: FieldRow): void {
    const fc = this.fieldColumns;
    const date = this.readTime(row, C_DATE, this.dateReader, true);
    if (Number.isNaN(date)) return;
    const amount = this.readNumber(row, C_AMOUNT, this.amountReader, true, 0);
    if (Number.isNaN(amount)) return;
    const channelStatus = this.hasText(row, C_CHANNEL);
    if (channelStatus !== VALUE) {
      this.rejectField(row, C_CHANNEL, channelStatus, 'missing');
      return;
    }
    const channel = this.channels.intern(this.vb, this.vs, this.ve);
    let campaign = -1;
    if (fc[C_CAMPAIGN]! >= 0) {
      campaign = this.internText(row, C_CAMPAIGN, this.campaigns, false);
      if (campaign === -2) return;
    }
    let kind = -1;
    if (fc[C_KIND]! >= 0) {
      kind = this.internText(row, C_KIND, this.kinds, false);
      if (kind === -2) return;
    }
    const index = this.accepted++;
    if (date === DEFERRED) this.dateReader.commitDeferred(index);
    this.channel.push(channel);
    this.campaign.push(campaign);
    this.kind.push(kind);
    this.date.push(date === DEFERRED ? 0 : date);
    this.amount.push(amount);
  }

  finish(declared: SourceEncoding | null): CostsPart {
    this.checkRequiredColumns();
    this.checkSeparators([['amount', this.amountReader]]);
    const date = this.date.finish();
    this.resolveTimes(this.dateReader, date, C_DATE);
    const encoding = this.resolveEncoding(declared, [this.channels, this.campaigns, this.kinds]);
    const channel = this.channel.finish();
    const lowered = lowerDictionary(this.channels.decode(encoding));
    applyRemap(channel, lowered.remap);
    const kind = this.kind.finish();
    const kinds = lowerDictionary(this.kinds.decode(encoding));
    applyRemap(kind, kinds.remap);
    const report = this.baseReport(encoding, rangeOf(date));
    report.dateOrder = this.dateReader.hadSlashedDates && this.dateReader.order !== 'auto' ? this.dateReader.order : null;
    return {
      table: 'costs',
      report,
      channels: lowered.values,
      channel,
      campaigns: this.campaigns.decode(encoding).map((c) => c.trim()),
      campaign: this.campaign.finish(),
      date,
      amount: this.amount.finish(),
      kinds: kinds.values,
      kind,
    };
  }
}

/** Customers: an id plus any other columns as attributes for breakdowns and filters. */
export class CustomersSink extends TableSink {
  readonly table = 'customers' as const;
  private readonly customers = new KeyLog({ byteOrder: true });
  private readonly customer = new Int32Column();
  private readonly line = new Int32Column();
  /** Per source column: its attribute dictionary and codes, or null for the id column. */
  private attributeColumns: ({ dict: ByteDictionary; codes: Int32Column } | null)[] = [];

  protected override onColumnsChanged(): void {
    const idColumn = this.fieldColumns[0]!;
    for (let k = 0; k < this.columns.length; k++) {
      if (k === idColumn) {
        this.attributeColumns[k] = null;
      } else if (this.attributeColumns[k] == null) {
        const codes = new Int32Column();
        // rows accepted before this key first appeared have no value
        for (let i = 0; i < this.accepted; i++) codes.push(-1);
        this.attributeColumns[k] = { dict: new ByteDictionary(), codes };
      }
    }
  }

  protected override attributeNames(): string[] {
    return this.columns.filter((_, k) => this.attributeColumns[k] != null);
  }

  protected convert(row: FieldRow): void {
    const status = this.hasText(row, 0);
    if (status !== VALUE) {
      this.rejectField(row, 0, status, 'missing');
      return;
    }
    // attribute values must all be scalars before anything is interned
    for (let k = 0; k < this.attributeColumns.length; k++) {
      if (this.attributeColumns[k] == null) continue;
      const s = this.load(row, k);
      if (s === NESTED || s === BAD_ESCAPE) {
        this.rejectRaw(row.line, this.columns[k]!, this.vb.slice(this.vs, Math.min(this.ve, this.vs + 200)), s === NESTED ? 'not-scalar' : 'bad-record',
          `${this.columns[k]} ${MESSAGES[s === NESTED ? 'not-scalar' : 'bad-record']}`);
        return;
      }
    }
    this.load(row, this.fieldColumns[0]!);
    const customer = this.customers.intern(this.vb, this.vs, this.ve);
    for (let k = 0; k < this.attributeColumns.length; k++) {
      const attribute = this.attributeColumns[k];
      if (attribute == null) continue;
      const s = this.load(row, k);
      attribute.codes.push(s === VALUE ? attribute.dict.intern(this.vb, this.vs, this.ve) : -1);
    }
    this.accepted++;
    this.customer.push(customer);
    this.line.push(row.line);
  }

  finish(declared: SourceEncoding | null): CustomersPart {
    this.checkRequiredColumns();
    const customers = this.customers.finish();
    const dictionaries: ByteDictionary[] = [];
    for (const a of this.attributeColumns) if (a != null) dictionaries.push(a.dict);
    const encoding = this.resolveEncoding(declared, dictionaries, [customers]);
    const attributes: AttributePart[] = [];
    this.attributeColumns.forEach((a, k) => {
      if (a == null) return;
      attributes.push({ name: this.columns[k]!, values: a.dict.decode(encoding).map((v) => v.trim()), codes: a.codes.finish() });
    });
    return {
      table: 'customers',
      report: this.baseReport(encoding, null),
      customers: customers.decode(encoding),
      customer: entriesToCodes(this.customer.finish(), customers.codes),
      attributes,
      line: this.line.finish(),
    };
  }
}

/** Creates the sink of a table. */
export function createSink(table: TableName, ctx: SinkContext): TableSink {
  switch (table) {
    case 'orders':
      return new OrdersSink(ctx);
    case 'touches':
      return new TouchesSink(ctx);
    case 'costs':
      return new CostsSink(ctx);
    case 'customers':
      return new CustomersSink(ctx);
  }
}
