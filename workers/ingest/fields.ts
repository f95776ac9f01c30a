/**
 * The record shape every parser (CSV, JSON, NDJSON) hands to a table sink: field boundaries into a
 * byte buffer, plus a flag per field that says how to read it. No strings are made here.
 */

/** Unquoted text. */
export const FIELD_PLAIN = 0;
/** Quoted CSV text without escapes (the quotes are outside start..end). */
export const FIELD_QUOTED = 1;
/** Quoted CSV text with `""` escapes. */
export const FIELD_CSV_ESCAPED = 2;
/** JSON string with backslash escapes. */
export const FIELD_JSON_ESCAPED = 3;
/** JSON number literal. */
export const FIELD_JSON_NUMBER = 4;
/** JSON `true` / `false`. */
export const FIELD_JSON_BOOLEAN = 5;
/** JSON object or array (never a valid value for a field). */
export const FIELD_JSON_NESTED = 6;
/** No value: a JSON `null`, a missing key, or a column beyond the end of a short CSV row. */
export const FIELD_ABSENT = 7;

/** One record: `count` fields of `buf`, with their 1-based starting line. */
export class FieldRow {
  buf: Uint8Array = new Uint8Array(0);
  starts: Int32Array = new Int32Array(32);
  ends: Int32Array = new Int32Array(32);
  flags: Uint8Array = new Uint8Array(32);
  count = 0;
  line = 0;

  /** Makes room for at least `n` fields. */
  ensure(n: number): void {
    if (n <= this.starts.length) return;
    let size = this.starts.length;
    while (size < n) size *= 2;
    const starts = new Int32Array(size);
    starts.set(this.starts);
    const ends = new Int32Array(size);
    ends.set(this.ends);
    const flags = new Uint8Array(size);
    flags.set(this.flags);
    this.starts = starts;
    this.ends = ends;
    this.flags = flags;
  }
}

/**
 * Fast-path column kinds: skipped, a number parsed inline by the tokenizer, text located only, or a
 * timestamp (text whose end the tokenizer may find without reading every byte; see `CsvTokenizer`).
 */
export const FAST_SKIP = 0;
export const FAST_NUMBER = 1;
export const FAST_TEXT = 2;
export const FAST_TIME = 3;

/** Status of an inline-parsed number. */
export const NUMBER_OK = 0;
export const NUMBER_EMPTY = 1;
/** Not a plain number (currency, grouping, spaces, exponent, too many digits): the general path decides. */
export const NUMBER_OTHER = 2;

/**
 * The plan and scratch space of the CSV fast path. For an unquoted line, the tokenizer splits the
 * fields into `starts`/`ends` and parses the `FAST_NUMBER` columns into `values` (with `status`), in
 * the same pass over the bytes; the sink then assembles the row from typed values.
 */
export class FastPlan {
  readonly kinds: Uint8Array;
  /** Decimal separator of the numbers, as a byte. */
  readonly decimal: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly values: Float64Array;
  readonly status: Uint8Array;

  constructor(kinds: Uint8Array, decimal: '.' | ',') {
    this.kinds = kinds;
    this.decimal = decimal === ',' ? 44 : 46;
    this.starts = new Int32Array(kinds.length);
    this.ends = new Int32Array(kinds.length);
    this.values = new Float64Array(kinds.length);
    this.status = new Uint8Array(kinds.length);
  }
}

/** Receives records from a parser. */
export interface RecordSink {
  /** A data record. For CSV the first non-blank record is passed to `header` instead. */
  record(row: FieldRow): void;
  /** A record the parser itself could not split into fields. */
  malformed(line: number, reason: 'unterminated-quote' | 'after-quote' | 'bad-record', raw: Uint8Array, detail: string): void;
  /** A blank line (or a line of empty fields). */
  blank(line: number): void;
  /** The CSV fast-path plan, once the header is known; null when the sink has none. */
  fastPlan?(): FastPlan | null;
  /**
   * An unquoted line split (and partly parsed) by the fast path. Returns false, with no side effect,
   * to have the line parsed the general way (which reports rejections precisely).
   */
  fastLine?(plan: FastPlan, buf: Uint8Array, line: number): boolean;
}

/**
 * Removes CSV `""` escapes from `buf[start..end)` into `scratch` (grown when needed); returns the
 * scratch buffer and the unescaped length.
 */
export function unescapeCsv(buf: Uint8Array, start: number, end: number, scratch: Uint8Array): { bytes: Uint8Array; length: number } {
  let out = scratch.length >= end - start ? scratch : new Uint8Array(end - start);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    out[n++] = c;
    if (c === 34 && buf[i + 1] === 34) i++;
  }
  return { bytes: out, length: n };
}

const HEX: Int8Array = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let i = 0; i < 10; i++) t[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    t[65 + i] = 10 + i;
    t[97 + i] = 10 + i;
  }
  return t;
})();

/**
 * Decodes JSON string escapes of `buf[start..end)` (the text between the quotes) into UTF-8 in
 * `scratch`; returns the bytes and length, or length -1 when an escape is malformed.
 */
export function unescapeJson(buf: Uint8Array, start: number, end: number, scratch: Uint8Array): { bytes: Uint8Array; length: number } {
  let out = scratch.length >= (end - start) * 2 ? scratch : new Uint8Array((end - start) * 2);
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c !== 92) {
      out[n++] = c;
      continue;
    }
    const e = buf[++i];
    switch (e) {
      case 34:
      case 92:
      case 47:
        out[n++] = e;
        break;
      case 98:
        out[n++] = 8;
        break;
      case 102:
        out[n++] = 12;
        break;
      case 110:
        out[n++] = 10;
        break;
      case 114:
        out[n++] = 13;
        break;
      case 116:
        out[n++] = 9;
        break;
      case 117: {
        let cp = hex4(buf, i + 1, end);
        if (cp < 0) return { bytes: out, length: -1 };
        i += 4;
        if (cp >= 0xd800 && cp <= 0xdbff && buf[i + 1] === 92 && buf[i + 2] === 117) {
          const lo = hex4(buf, i + 3, end);
          if (lo >= 0xdc00 && lo <= 0xdfff) {
            cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            i += 6;
          }
        }
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
        n = writeUtf8(out, n, cp);
        break;
      }
      default:
        return { bytes: out, length: -1 };
    }
  }
  return { bytes: out, length: n };
}

function hex4(buf: Uint8Array, i: number, end: number): number {
  if (i + 4 > end) return -1;
  const a = HEX[buf[i]!]!;
  const b = HEX[buf[i + 1]!]!;
  const c = HEX[buf[i + 2]!]!;
  const d = HEX[buf[i + 3]!]!;
  if ((a | b | c | d) < 0) return -1;
  return (a << 12) | (b << 8) | (c << 4) | d;
}

function writeUtf8(out: Uint8Array, n: number, cp: number): number {
  if (cp < 0x80) {
    out[n++] = cp;
  } else if (cp < 0x800) {
    out[n++] = 0xc0 | (cp >> 6);
    out[n++] = 0x80 | (cp & 0x3f);
  } else if (cp < 0x10000) {
    out[n++] = 0xe0 | (cp >> 12);
    out[n++] = 0x80 | ((cp >> 6) & 0x3f);
    out[n++] = 0x80 | (cp & 0x3f);
  } else {
    out[n++] = 0xf0 | (cp >> 18);
    out[n++] = 0x80 | ((cp >> 12) & 0x3f);
    out[n++] = 0x80 | ((cp >> 6) & 0x3f);
    out[n++] = 0x80 | (cp & 0x3f);
  }
  return n;
}
