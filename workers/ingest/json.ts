/**
 * Streaming JSON and NDJSON readers.
 *
 * Accepted shapes (metrics.md section 1):
 * - an array of flat objects: `[{"customer_id": "c1", ...}, ...]`;
 * - one document with a table per key: `{"orders": [...], "touches": [...], "costs": [...], "customers": [...]}`;
 * - NDJSON: one object per line.
 *
 * The reader finds where each record (object) begins and ends while bytes stream in, carrying an
 * incomplete record into the next chunk, and then reads the record's keys and values in place: string
 * values stay bytes, numbers stay number literals, and both go through the same value readers as CSV.
 */
import { CrmError } from '../../src/core/errors.js';
import type { TableName } from '../../src/core/schema.js';
import { ByteDictionary } from '../table/dictionary.js';
import { decodeBytes, isValidUtf8 } from './encoding.js';
import {
  FIELD_ABSENT,
  FIELD_JSON_BOOLEAN,
  FIELD_JSON_ESCAPED,
  FIELD_JSON_NESTED,
  FIELD_JSON_NUMBER,
  FIELD_QUOTED,
  FieldRow,
  type RecordSink,
  unescapeJson,
} from './fields.js';

const LF = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const LBRACKET = 91;
const RBRACKET = 93;

const EMPTY = new Uint8Array(0);

/** A record sink that also learns the record keys as they appear. */
export interface JsonRecordSink extends RecordSink {
  /** A key seen for the first time; its column index is the number of keys seen before it. */
  column(name: string): void;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === LF || c === CR || c === TAB;
}

/** Document keys that name tables (compared lower-cased). */
const TABLE_KEYS: Record<string, TableName> = {
  orders: 'orders',
  order: 'orders',
  transactions: 'orders',
  purchases: 'orders',
  touches: 'touches',
  touch: 'touches',
  messages: 'touches',
  sends: 'touches',
  costs: 'costs',
  cost: 'costs',
  spend: 'costs',
  customers: 'customers',
  customer: 'customers',
  profiles: 'customers',
};

/** The table a document key names, if any. */
export function tableOfKey(key: string): TableName | null {
  return TABLE_KEYS[key.toLowerCase()] ?? null;
}

/** Shape of a JSON source. */
export type JsonShape = 'array' | 'document' | 'ndjson';

/**
 * Guesses the shape from the first bytes; null when they are not JSON at all. A top-level object is a
 * document when one of its keys names a table and holds an array, or when it does not end within the
 * first bytes (an NDJSON line is never that long); otherwise it is the first line of NDJSON.
 */
export function detectJsonShape(head: Uint8Array): JsonShape | null {
  let i = 0;
  while (i < head.length && isSpace(head[i]!)) i++;
  const c = head[i];
  if (c === LBRACKET) return 'array';
  if (c !== LBRACE) return null;
  i++;
  for (;;) {
    while (i < head.length && isSpace(head[i]!)) i++;
    if (i >= head.length) return 'document';
    if (head[i] === RBRACE) return 'ndjson';
    if (head[i] === COMMA) {
      i++;
      continue;
    }
    if (head[i] !== QUOTE) return 'ndjson';
    const end = scanString(head, i);
    if (end < 0) return 'document';
    const key = decodeKey(head, i + 1, end - 1);
    let j = end;
    while (j < head.length && isSpace(head[j]!)) j++;
    if (head[j] !== COLON) return 'ndjson';
    j++;
    while (j < head.length && isSpace(head[j]!)) j++;
    if (j >= head.length) return 'document';
    if (head[j] === LBRACKET && tableOfKey(key) !== null) return 'document';
    const valueEnd = scanValue(head, j);
    if (valueEnd === -1) return 'document';
    if (valueEnd < 0) return 'ndjson';
    i = valueEnd;
  }
}

/** Index after the closing quote of the string starting at `i` (a quote), or -1 if it does not end. */
function scanString(data: Uint8Array, i: number): number {
  const n = data.length;
  let j = i + 1;
  for (;;) {
    const q = data.indexOf(QUOTE, j);
    if (q < 0) return -1;
    let backslashes = 0;
    let k = q - 1;
    while (k > i && data[k] === BACKSLASH) {
      backslashes++;
      k--;
    }
    if ((backslashes & 1) === 0) return q + 1 <= n ? q + 1 : -1;
    j = q + 1;
  }
}

/** Index after the JSON value starting at `i`, or -1 when the data ends first; -2 when malformed. */
function scanValue(data: Uint8Array, i: number): number {
  const n = data.length;
  const c = data[i];
  if (c === QUOTE) return scanString(data, i);
  if (c === LBRACE || c === LBRACKET) {
    let depth = 0;
    let j = i;
    while (j < n) {
      const b = data[j]!;
      if (b === QUOTE) {
        const e = scanString(data, j);
        if (e < 0) return -1;
        j = e;
        continue;
      }
      if (b === LBRACE || b === LBRACKET) depth++;
      else if (b === RBRACE || b === RBRACKET) {
        depth--;
        if (depth === 0) return j + 1;
      }
      j++;
    }
    return -1;
  }
  // number or literal: up to a delimiter
  let j = i;
  while (j < n) {
    const b = data[j]!;
    if (b === COMMA || b === RBRACE || b === RBRACKET || isSpace(b)) break;
    j++;
  }
  if (j === i) return -2;
  return j < n ? j : -1;
}

function decodeKey(data: Uint8Array, start: number, end: number): string {
  let bytes = data.subarray(start, end);
  if (bytes.includes(BACKSLASH)) {
    const { bytes: out, length } = unescapeJson(data, start, end, new Uint8Array(end - start));
    bytes = out.subarray(0, Math.max(0, length));
  }
  return decodeBytes(bytes, isValidUtf8(bytes, 0, bytes.length) ? 'utf-8' : 'windows-1252');
}

/** Reads the fields of one JSON object into a `FieldRow` for one table. */
export class JsonRecordReader {
  private readonly keys = new ByteDictionary();
  private readonly row = new FieldRow();
  private scratch: Uint8Array = new Uint8Array(256);
  private readonly sink: JsonRecordSink;
  /** Why the last record failed. */
  error = '';

  constructor(sink: JsonRecordSink) {
    this.sink = sink;
  }

  /** Reads the object `data[start..end)` and hands it to the sink; returns false when malformed. */
  read(data: Uint8Array, start: number, end: number, line: number): boolean {
    const row = this.row;
    let n = this.keys.size;
    row.ensure(n);
    for (let k = 0; k < n; k++) row.flags[k] = FIELD_ABSENT;
    let i = start + 1;
    let afterComma = false;
    for (;;) {
      while (i < end && isSpace(data[i]!)) i++;
      if (i >= end) return this.fail('the object is not closed');
      if (data[i] === RBRACE) {
        if (afterComma) return this.fail('a comma before "}"');
        break;
      }
      if (data[i] !== QUOTE) return this.fail('expected a key in double quotes');
      const keyEnd = scanString(data, i);
      if (keyEnd < 0 || keyEnd > end) return this.fail('a key is not closed');
      let column: number;
      let hasEscape = false;
      for (let k = i + 1; k < keyEnd - 1; k++) {
        if (data[k] === BACKSLASH) {
          hasEscape = true;
          break;
        }
      }
      if (hasEscape) {
        const { bytes, length } = unescapeJson(data, i + 1, keyEnd - 1, this.scratch);
        if (length < 0) return this.fail('a key has a bad escape');
        this.scratch = bytes;
        column = this.keys.intern(bytes, 0, length);
      } else {
        column = this.keys.intern(data, i + 1, keyEnd - 1);
      }
      if (column === n) {
        this.sink.column(decodeKey(data, i + 1, keyEnd - 1));
        n++;
        row.ensure(n);
        row.flags[column] = FIELD_ABSENT;
      }
      i = keyEnd;
      while (i < end && isSpace(data[i]!)) i++;
      if (data[i] !== COLON) return this.fail('expected ":" after a key');
      i++;
      while (i < end && isSpace(data[i]!)) i++;
      if (i >= end) return this.fail('a value is missing');
      const c = data[i]!;
      let valueEnd: number;
      if (c === QUOTE) {
        valueEnd = scanString(data, i);
        if (valueEnd < 0 || valueEnd > end) return this.fail('a string is not closed');
        let escaped = false;
        for (let k = i + 1; k < valueEnd - 1; k++) {
          if (data[k] === BACKSLASH) {
            escaped = true;
            break;
          }
        }
        row.starts[column] = i + 1;
        row.ends[column] = valueEnd - 1;
        row.flags[column] = escaped ? FIELD_JSON_ESCAPED : FIELD_QUOTED;
      } else if (c === LBRACE || c === LBRACKET) {
        valueEnd = scanValue(data, i);
        if (valueEnd < 0 || valueEnd > end) return this.fail('a nested value is not closed');
        row.starts[column] = i;
        row.ends[column] = valueEnd;
        row.flags[column] = FIELD_JSON_NESTED;
      } else {
        valueEnd = i;
        while (valueEnd < end) {
          const b = data[valueEnd]!;
          if (b === COMMA || b === RBRACE || isSpace(b)) break;
          valueEnd++;
        }
        const len = valueEnd - i;
        if (len === 4 && c === 110 && data[i + 1] === 117 && data[i + 2] === 108 && data[i + 3] === 108) {
          row.flags[column] = FIELD_ABSENT;
        } else if ((len === 4 && c === 116) || (len === 5 && c === 102)) {
          if (!isLiteral(data, i, len === 4 ? 'true' : 'false')) return this.fail('an unknown literal');
          row.starts[column] = i;
          row.ends[column] = valueEnd;
          row.flags[column] = FIELD_JSON_BOOLEAN;
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          row.starts[column] = i;
          row.ends[column] = valueEnd;
          row.flags[column] = FIELD_JSON_NUMBER;
        } else {
          return this.fail('an unknown value');
        }
      }
      i = valueEnd;
      while (i < end && isSpace(data[i]!)) i++;
      if (data[i] === COMMA) {
        i++;
        afterComma = true;
        continue;
      }
      if (data[i] === RBRACE) break;
      return this.fail('expected "," or "}"');
    }
    row.buf = data;
    row.count = n;
    row.line = line;
    this.sink.record(row);
    return true;
  }

  private fail(message: string): boolean {
    this.error = message;
    return false;
  }
}

function isLiteral(data: Uint8Array, i: number, word: string): boolean {
  for (let k = 0; k < word.length; k++) if (data[i + k] !== word.charCodeAt(k)) return false;
  return true;
}

/** Where a document's records go. */
export interface JsonTarget {
  /** The reader for a table key of a document (or the only table of an array / NDJSON source). */
  reader(table: TableName | null, key: string): JsonRecordReader | null;
  /** A record that could not be read. */
  malformed(table: TableName | null, line: number, raw: Uint8Array, detail: string): void;
  /** A top-level key that is not a table (ignored, reported). */
  ignoredKey(key: string): void;
}

const enum State {
  Start,
  ArrayValueOrEnd,
  ArrayCommaOrEnd,
  DocKeyOrEnd,
  DocColon,
  DocValue,
  DocCommaOrEnd,
  Done,
}

/**
 * Streaming reader for JSON arrays and documents. Feed it chunks; records are handed to the readers
 * of the target as soon as they are complete.
 */
export class JsonStreamReader {
  private readonly shape: 'array' | 'document';
  private readonly target: JsonTarget;
  private state = State.Start;
  private pending: Uint8Array = EMPTY;
  private line = 1;
  private lineCountedTo = 0;
  private currentReader: JsonRecordReader | null = null;
  private currentTable: TableName | null = null;
  private currentKey = '';
  private depthInTable = false;
  /** Records read (including malformed ones). */
  records = 0;
  private readonly maxPending: number;

  constructor(shape: 'array' | 'document', target: JsonTarget, maxPending = 64 * 1024 * 1024) {
    this.shape = shape;
    this.target = target;
    this.maxPending = maxPending;
  }

  push(chunk: Uint8Array): void {
    this.parse(chunk, false);
  }

  end(): void {
    this.parse(EMPTY, true);
    if (this.state !== State.Done) {
      throw this.syntaxError(this.shape === 'array' ? 'the array is not closed with "]"' : 'the document is not closed with "}"');
    }
  }

  private parse(chunk: Uint8Array, final: boolean): void {
    const data = this.pending.length > 0 ? concatBytes(this.pending, chunk) : chunk;
    this.pending = EMPTY;
    this.lineCountedTo = 0;
    const n = data.length;
    let i = 0;
    const advanceLines = (to: number): void => {
      let k = this.lineCountedTo;
      for (;;) {
        const nl = data.indexOf(LF, k);
        if (nl < 0 || nl >= to) break;
        this.line++;
        k = nl + 1;
      }
      this.lineCountedTo = to;
    };
    for (;;) {
      while (i < n && isSpace(data[i]!)) i++;
      if (i >= n) {
        advanceLines(n);
        return;
      }
      advanceLines(i);
      const c = data[i]!;
      switch (this.state) {
        case State.Start:
          if (this.shape === 'array') {
            if (c !== LBRACKET) throw this.syntaxError('expected "[" at the start of the array');
            this.state = State.ArrayValueOrEnd;
            this.currentReader = this.target.reader(null, '');
            this.depthInTable = true;
          } else {
            if (c !== LBRACE) throw this.syntaxError('expected "{" at the start of the document');
            this.state = State.DocKeyOrEnd;
          }
          i++;
          break;
        case State.ArrayValueOrEnd:
        case State.ArrayCommaOrEnd: {
          if (c === RBRACKET) {
            i++;
            if (this.depthInTable && this.shape === 'document') {
              this.state = State.DocCommaOrEnd;
              this.depthInTable = false;
            } else {
              this.state = State.Done;
            }
            break;
          }
          if (this.state === State.ArrayCommaOrEnd) {
            if (c !== COMMA) throw this.syntaxError('expected "," or "]" between records');
            this.state = State.ArrayValueOrEnd;
            i++;
            break;
          }
          const end = scanValue(data, i);
          if (end === -2) throw this.syntaxError('unexpected character');
          if (end < 0 || (end === n && !final && c !== LBRACE && c !== QUOTE)) {
            if (final) throw this.syntaxError('the data ends inside a record');
            this.keep(data, i);
            return;
          }
          this.records++;
          const recordLine = this.line;
          if (c !== LBRACE) {
            this.target.malformed(this.currentTable, recordLine, data.subarray(i, Math.min(end, i + 200)), 'not an object');
          } else if (this.currentReader !== null && !this.currentReader.read(data, i, end, recordLine)) {
            this.target.malformed(this.currentTable, recordLine, data.subarray(i, Math.min(end, i + 200)), this.currentReader.error);
          }
          i = end;
          this.state = State.ArrayCommaOrEnd;
          break;
        }
        case State.DocKeyOrEnd:
        case State.DocCommaOrEnd: {
          if (c === RBRACE) {
            this.state = State.Done;
            i++;
            break;
          }
          if (this.state === State.DocCommaOrEnd) {
            if (c !== COMMA) throw this.syntaxError('expected "," or "}" between tables');
            this.state = State.DocKeyOrEnd;
            i++;
            break;
          }
          if (c !== QUOTE) throw this.syntaxError('expected a table name in double quotes');
          const end = scanString(data, i);
          if (end < 0) {
            if (final) throw this.syntaxError('a key is not closed');
            this.keep(data, i);
            return;
          }
          this.currentKey = decodeKey(data, i + 1, end - 1);
          this.currentTable = tableOfKey(this.currentKey);
          i = end;
          this.state = State.DocColon;
          break;
        }
        case State.DocColon:
          if (c !== COLON) throw this.syntaxError('expected ":" after a table name');
          i++;
          this.state = State.DocValue;
          break;
        case State.DocValue: {
          if (this.currentTable !== null && c === LBRACKET) {
            this.currentReader = this.target.reader(this.currentTable, this.currentKey);
            this.depthInTable = true;
            this.state = State.ArrayValueOrEnd;
            i++;
            break;
          }
          const end = scanValue(data, i);
          if (end === -2) throw this.syntaxError('unexpected character');
          if (end < 0) {
            if (final) throw this.syntaxError('the data ends inside a value');
            this.keep(data, i);
            return;
          }
          this.target.ignoredKey(this.currentKey);
          i = end;
          this.state = State.DocCommaOrEnd;
          break;
        }
        case State.Done:
          throw this.syntaxError('unexpected data after the end of the JSON');
      }
    }
  }

  private keep(data: Uint8Array, from: number): void {
    if (data.length - from > this.maxPending) {
      throw this.syntaxError(`a single record is larger than ${Math.round(this.maxPending / 1048576)} MB`);
    }
    // lines before `from` are counted; the kept bytes start at the current line
    this.pending = data.slice(from);
  }

  private syntaxError(what: string): CrmError {
    return new CrmError('invalid-json', `The JSON is not valid near line ${this.line}: ${what}.`, {
      line: this.line,
      hint:
        this.shape === 'array'
          ? 'Check that the endpoint or file returns an array of objects: [{"customer_id": "...", ...}, ...].'
          : 'Check that the document has the form {"orders": [...], "touches": [...], "costs": [...], "customers": [...]}.',
    });
  }
}

/** Streaming NDJSON reader: one object per line; a bad line is reported and skipped. */
export class NdjsonStreamReader {
  private readonly reader: JsonRecordReader;
  private readonly onMalformed: (line: number, raw: Uint8Array, detail: string) => void;
  private readonly onBlank: (line: number) => void;
  private pending: Uint8Array = EMPTY;
  private line = 1;
  /** Records read (including malformed ones). */
  records = 0;

  constructor(
    reader: JsonRecordReader,
    onMalformed: (line: number, raw: Uint8Array, detail: string) => void,
    onBlank: (line: number) => void,
  ) {
    this.reader = reader;
    this.onMalformed = onMalformed;
    this.onBlank = onBlank;
  }

  push(chunk: Uint8Array): void {
    this.parse(chunk, false);
  }

  end(): void {
    this.parse(EMPTY, true);
  }

  private parse(chunk: Uint8Array, final: boolean): void {
    const data = this.pending.length > 0 ? concatBytes(this.pending, chunk) : chunk;
    this.pending = EMPTY;
    let pos = 0;
    const n = data.length;
    while (pos < n) {
      let nl = data.indexOf(LF, pos);
      if (nl < 0) {
        if (!final) {
          this.pending = data.slice(pos);
          return;
        }
        nl = n;
      }
      this.line1(data, pos, nl);
      pos = nl + 1;
    }
  }

  private line1(data: Uint8Array, start: number, end: number): void {
    const line = this.line++;
    let s = start;
    let e = end;
    while (s < e && isSpace(data[s]!)) s++;
    while (e > s && isSpace(data[e - 1]!)) e--;
    if (s === e) {
      this.onBlank(line);
      return;
    }
    this.records++;
    if (data[s] !== LBRACE || data[e - 1] !== RBRACE) {
      this.onMalformed(line, data.subarray(s, Math.min(e, s + 200)), 'not a JSON object');
      return;
    }
    const valueEnd = scanValue(data, s);
    if (valueEnd !== e) {
      this.onMalformed(line, data.subarray(s, Math.min(e, s + 200)), 'not valid JSON');
      return;
    }
    if (!this.reader.read(data, s, e, line)) {
      this.onMalformed(line, data.subarray(s, Math.min(e, s + 200)), this.reader.error);
    }
  }
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (b.length === 0) return a;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
