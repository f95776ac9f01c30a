/**
 * A byte-level, streaming CSV tokenizer (RFC 4180).
 *
 * - Quoted fields may hold delimiters, quotes (`""`) and line breaks; line numbers count the breaks
 *   inside them, so a rejection points at the physical line a spreadsheet shows.
 * - Line breaks are LF, CRLF or a lone CR, mixed freely; a CR at the end of one chunk followed by LF at
 *   the start of the next is one break.
 * - A quote inside an unquoted field is kept as text (`5'11"`), as spreadsheets do.
 * - Text after a closing quote (`"ab"c`) makes the record malformed: it is reported and skipped.
 * - A quote that is never closed swallows at most `MAX_RECORD_BYTES`; the record is reported and parsing
 *   resumes on the line after the one where it started.
 *
 * Chunks may split the input anywhere; the incomplete record at the end of a chunk is carried over.
 *
 * Fast path: once the sink has a plan (after the header), a line without quotes and without a lone
 * CR is split in one pass that also parses the numeric columns, and handed to the sink as typed
 * values; anything unusual falls back to the general path above, which is the reference behaviour.
 * Measured on the 1M-row orders file, this halves the time spent outside dictionary lookups.
 */
import {
  FAST_NUMBER,
  FAST_TIME,
  FIELD_CSV_ESCAPED,
  FIELD_PLAIN,
  FIELD_QUOTED,
  FieldRow,
  NUMBER_EMPTY,
  NUMBER_OK,
  NUMBER_OTHER,
  type FastPlan,
  type RecordSink,
} from './fields.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** A record longer than this with an open quote is treated as an unterminated quote. */
export const MAX_RECORD_BYTES = 4 * 1024 * 1024;

const EMPTY = new Uint8Array(0);
const MINUS = 45;
/** `fastRecord` results besides a position. */
const GENERAL = -1;
const INCOMPLETE = -2;
const PLUS = 43;
const POW10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10.push(p);

/** Streaming CSV tokenizer; feeds records to a sink. */
export class CsvTokenizer {
  /** Records emitted (header included), blank lines excluded. */
  records = 0;
  private readonly delimiter: number;
  private readonly sink: RecordSink;
  /**
   * The delimiter, line breaks and the quote. They end the fast path's scan of a field too: a quote
   * there leaves the field without a delimiter or line end after it, which sends the line to the
   * general path.
   */
  private readonly special = new Uint8Array(256);
  private readonly row = new FieldRow();
  private pending: Uint8Array = EMPTY;
  private work: Uint8Array = EMPTY;
  private line = 1;
  private skipLF = false;
  private maxRecord: number;
  private plan: FastPlan | null = null;
  /** Whether the sink was asked for a plan after the header. */
  private planChecked = false;

  constructor(delimiter: string, sink: RecordSink, maxRecordBytes = MAX_RECORD_BYTES) {
    this.delimiter = delimiter.charCodeAt(0);
    this.sink = sink;
    this.maxRecord = maxRecordBytes;
    this.special[this.delimiter] = 1;
    this.special[LF] = 1;
    this.special[CR] = 1;
    this.special[QUOTE] = 1;
  }

  /** Parses the complete records of a chunk and keeps the rest for the next one. */
  push(chunk: Uint8Array): void {
    this.parse(chunk, false);
  }

  /** Parses what is left at the end of the input. */
  end(): void {
    this.parse(EMPTY, true);
  }

  private parse(chunk: Uint8Array, final: boolean): void {
    const data = this.pending.length > 0 ? this.join(chunk) : chunk;
    this.pending = EMPTY;
    let pos = 0;
    if (this.skipLF && data.length > 0) {
      if (data[0] === LF) pos = 1;
      this.skipLF = false;
    }
    const n = data.length;
    while (pos < n) {
      const plan = this.plan;
      if (plan !== null) {
        const next = this.fastRecord(plan, data, pos, final);
        if (next >= 0) {
          pos = next;
          continue;
        }
        if (next === INCOMPLETE) {
          this.pending = data.subarray(pos);
          return;
        }
      }
      const next = this.record(data, pos, final);
      if (next < 0) {
        this.pending = data.subarray(pos);
        return;
      }
      pos = next;
      if (!this.planChecked && this.records > 0) {
        this.planChecked = true;
        this.plan = this.sink.fastPlan?.() ?? null;
      }
    }
  }

  /**
   * Splits the line starting at `start` into the plan's fields in one pass, parsing numeric columns
   * on the way, and offers it to the sink. Returns the position after the line; `GENERAL` when the
   * line needs the general path (a quote, a lone CR, a different field count, a blank line, or the
   * sink declined); `INCOMPLETE` when the data ends before the line does.
   */
  private fastRecord(plan: FastPlan, data: Uint8Array, start: number, final: boolean): number {
    const kinds = plan.kinds;
    const count = kinds.length;
    const starts = plan.starts;
    const ends = plan.ends;
    const delimiter = this.delimiter;
    const special = this.special;
    const n = data.length;
    let i = start;
    let c = 0;
    for (let k = 0; k < count; k++) {
      starts[k] = i;
      const kind = kinds[k];
      if (kind === FAST_NUMBER) {
        // digits, then the decimal separator and more digits, in tight loops; anything else in the
        // field (an exponent, a thousands separator, a second sign) leaves it to the general path
        let j = i;
        const c0 = data[j];
        const neg = c0 === MINUS;
        if (neg || c0 === PLUS) j++;
        const first = j;
        let mant = 0;
        for (; j < n; j++) {
          const d = data[j]! - 48;
          if (d >>> 0 > 9) break;
          mant = mant * 10 + d;
        }
        let digits = j - first;
        let frac = 0;
        if (j < n && data[j] === plan.decimal) {
          const from = ++j;
          for (; j < n; j++) {
            const d = data[j]! - 48;
            if (d >>> 0 > 9) break;
            mant = mant * 10 + d;
          }
          frac = j - from;
          digits += frac;
        }
        let plain = true;
        for (; j < n; j++) {
          c = data[j]!;
          if (special[c] === 1) break;
          plain = false;
        }
        ends[k] = j;
        if (j === i) {
          plan.status[k] = NUMBER_EMPTY;
        } else if (!plain || digits === 0 || digits > 15) {
          // more than 15 digits (leading zeros included) may not be exact in a double: the general path
          plan.status[k] = NUMBER_OTHER;
        } else {
          const v = frac === 0 ? mant : mant / POW10[frac]!;
          plan.values[k] = neg ? -v : v;
          plan.status[k] = NUMBER_OK;
        }
        i = j;
      } else {
        // `YYYY-MM-DDTHH:MM:SSZ` is 20 bytes: the scan goes on from its end, without reading the 13
        // bytes between. A delimiter or a quote among them (none of the shape's own bytes) fails the
        // sink's ISO reader, which checks every one of the 20 bytes (the sink reads every timestamp
        // column), and sends the line to the general path. Measured on the 2M touches: 4-5% off
        // their parse in Node.
        // Every other byte of the line is read here: a quote anywhere sends the line to the general
        // path (a scan of each chunk for quotes beforehand took 14 ms of the 1M orders' parse).
        if (kind === FAST_TIME && i + 20 < n && data[i + 19] === 90 && data[i + 10] === 84 && data[i + 4] === 45 && data[i + 13] === 58) i += 20;
        for (; i < n; i++) {
          c = data[i]!;
          if (special[c] === 1) break;
        }
        ends[k] = i;
      }
      if (i >= n) return final ? this.fastEnd(plan, data, start, n, n) : INCOMPLETE;
      if (k < count - 1) {
        if (c !== delimiter) return GENERAL; // too few fields
        i++;
      }
    }
    // trailing empty fields (a trailing delimiter) are fine; anything else is not
    while (i < n && data[i] === delimiter) i++;
    if (i >= n) return final ? this.fastEnd(plan, data, start, n, n) : INCOMPLETE;
    c = data[i]!;
    if (c === LF) return this.fastEnd(plan, data, start, i, i + 1);
    if (c === CR) {
      if (i + 1 >= n) return final ? this.fastEnd(plan, data, start, i, n) : INCOMPLETE;
      if (data[i + 1] === LF) return this.fastEnd(plan, data, start, i, i + 2);
    }
    return GENERAL;
  }

  /** Completes a fast line that ends at `end` (its break excluded) and resumes at `next`. */
  private fastEnd(plan: FastPlan, data: Uint8Array, start: number, end: number, next: number): number {
    if (end === start) return GENERAL;
    if (!this.sink.fastLine!(plan, data, this.line)) return GENERAL;
    this.records++;
    this.line++;
    return next;
  }

  /**
   * The carried-over partial record followed by the new chunk, in a work buffer that is reused from
   * chunk to chunk (a fresh 1 MB array per chunk was a measurable share of the garbage collector's time).
   * Records are handed to the sink synchronously, so reusing the buffer is safe.
   */
  private join(chunk: Uint8Array): Uint8Array {
    const carried = this.pending.length;
    const needed = carried + chunk.length;
    if (this.work.length < needed) {
      const next = new Uint8Array(Math.max(needed, this.work.length * 2));
      next.set(this.pending);
      this.work = next;
    } else if (this.pending.buffer === this.work.buffer) {
      const from = this.pending.byteOffset - this.work.byteOffset;
      if (from !== 0) this.work.copyWithin(0, from, from + carried);
    } else {
      this.work.set(this.pending, 0);
    }
    this.work.set(chunk, carried);
    return this.work.subarray(0, needed);
  }

  /**
   * Parses the record starting at `pos`; returns the position after it, or -1 when the data ends
   * before the record does (and more data may come).
   */
  private record(data: Uint8Array, pos: number, final: boolean): number {
    const n = data.length;
    const row = this.row;
    const delimiter = this.delimiter;
    const special = this.special;
    const recordLine = this.line;
    let line = recordLine;
    let count = 0;
    let i = pos;
    let starts = row.starts;
    let ends = row.ends;
    let flags = row.flags;
    for (;;) {
      if (count === starts.length) {
        row.ensure(count + 1);
        starts = row.starts;
        ends = row.ends;
        flags = row.flags;
      }
      if (i < n && data[i] === QUOTE) {
        // quoted field
        const open = i;
        let j = i + 1;
        let flag = FIELD_QUOTED;
        let close = -1;
        for (;;) {
          const q = data.indexOf(QUOTE, j);
          if (q < 0) break;
          if (q + 1 < n && data[q + 1] === QUOTE) {
            flag = FIELD_CSV_ESCAPED;
            j = q + 2;
            continue;
          }
          if (q + 1 >= n && !final) break; // the next chunk may start with the second quote of ""
          close = q;
          break;
        }
        if (close < 0) {
          if (!final && n - pos <= this.maxRecord) return -1;
          return this.unterminated(data, pos, open, line, recordLine);
        }
        line += countLineBreaks(data, open + 1, close);
        starts[count] = open + 1;
        ends[count] = close;
        flags[count] = flag;
        count++;
        i = close + 1;
        if (i >= n) {
          if (!final) return -1;
          return this.emit(data, count, recordLine, line, n);
        }
        const c = data[i]!;
        if (c === delimiter) {
          i++;
          continue;
        }
        if (c === LF || c === CR) return this.endOfRecord(data, i, count, recordLine, line, final);
        return this.afterQuote(data, pos, i, recordLine, line, final);
      }
      // unquoted field
      let j = i;
      for (;;) {
        while (j < n && special[data[j]!] === 0) j++;
        if (j < n && data[j] === QUOTE) {
          j++;
          continue;
        }
        break;
      }
      if (j >= n) {
        if (!final) return -1;
        starts[count] = i;
        ends[count] = n;
        flags[count] = FIELD_PLAIN;
        count++;
        return this.emit(data, count, recordLine, line, n);
      }
      starts[count] = i;
      ends[count] = j;
      flags[count] = FIELD_PLAIN;
      count++;
      if (data[j] === delimiter) {
        i = j + 1;
        continue;
      }
      return this.endOfRecord(data, j, count, recordLine, line, final);
    }
  }

  /** Handles the line break at `i` that ends a record; returns the position after it or -1. */
  private endOfRecord(data: Uint8Array, i: number, count: number, recordLine: number, line: number, final: boolean): number {
    let next = i + 1;
    if (data[i] === CR) {
      if (next < data.length) {
        if (data[next] === LF) next++;
      } else if (!final) {
        this.skipLF = true;
      }
    }
    return this.emit(data, count, recordLine, line + 1, next);
  }

  private emit(data: Uint8Array, count: number, recordLine: number, nextLine: number, next: number): number {
    const row = this.row;
    this.line = nextLine;
    if (count === 1 && row.starts[0] === row.ends[0] && row.flags[0] === FIELD_PLAIN) {
      this.sink.blank(recordLine);
      return next;
    }
    row.buf = data;
    row.count = count;
    row.line = recordLine;
    this.records++;
    this.sink.record(row);
    return next;
  }

  private afterQuote(data: Uint8Array, pos: number, i: number, recordLine: number, line: number, final: boolean): number {
    // Skip to the end of the physical line, then report the record.
    const n = data.length;
    let j = i;
    while (j < n && data[j] !== LF && data[j] !== CR) j++;
    if (j >= n && !final) return -1;
    this.records++;
    this.sink.malformed(recordLine, 'after-quote', data.subarray(pos, Math.min(j, pos + 200)), 'text after a closing quote');
    if (j >= n) {
      this.line = line;
      return n;
    }
    let next = j + 1;
    if (data[j] === CR) {
      if (next < n) {
        if (data[next] === LF) next++;
      } else if (!final) {
        this.skipLF = true;
      }
    }
    this.line = line + 1;
    return next;
  }

  private unterminated(data: Uint8Array, pos: number, open: number, lineAtOpen: number, recordLine: number): number {
    // Resume on the line after the one where the broken quoted field began.
    const n = data.length;
    let j = open;
    while (j < n && data[j] !== LF && data[j] !== CR) j++;
    this.records++;
    this.sink.malformed(recordLine, 'unterminated-quote', data.subarray(pos, Math.min(j, pos + 200)), 'a quoted field is never closed');
    if (j >= n) {
      this.line = lineAtOpen;
      return n;
    }
    let next = j + 1;
    if (data[j] === CR && next < n && data[next] === LF) next++;
    this.line = lineAtOpen + 1;
    return next;
  }
}

/** Line breaks (LF, CRLF, lone CR) in `data[start..end)`. */
function countLineBreaks(data: Uint8Array, start: number, end: number): number {
  let breaks = 0;
  for (let i = start; i < end; i++) {
    const c = data[i]!;
    if (c === LF) breaks++;
    else if (c === CR && data[i + 1] !== LF) breaks++;
  }
  return breaks;
}

const CANDIDATES = [',', ';', '\t', '|'];

/**
 * Detects the delimiter from the first lines: the candidate that splits the header into the most
 * columns and splits the following lines into the same number. Quotes are honoured. Falls back to `,`.
 */
export function detectDelimiter(head: Uint8Array): string {
  let best = ',';
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const counts = fieldCounts(head, candidate.charCodeAt(0), 50);
    if (counts.length === 0) continue;
    const header = counts[0]!;
    if (header < 2) continue;
    let consistent = 0;
    for (let i = 1; i < counts.length; i++) if (counts[i] === header) consistent++;
    const lines = counts.length - 1;
    // Most weight on consistency; ties go to more columns, then to the candidate order.
    const score = (lines === 0 ? 1 : consistent / lines) * 1000 + Math.min(header, 999);
    if (score > bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}

/** Field counts of the first complete lines of `head` for one delimiter. */
function fieldCounts(head: Uint8Array, delimiter: number, maxLines: number): number[] {
  const counts: number[] = [];
  let fields = 1;
  let inQuotes = false;
  let empty = true;
  for (let i = 0; i < head.length && counts.length < maxLines; i++) {
    const c = head[i]!;
    if (inQuotes) {
      if (c === QUOTE) {
        if (head[i + 1] === QUOTE) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (c === QUOTE) {
      inQuotes = true;
      empty = false;
    } else if (c === delimiter) {
      fields++;
      empty = false;
    } else if (c === LF || c === CR) {
      if (!empty) counts.push(fields);
      fields = 1;
      empty = true;
      if (c === CR && head[i + 1] === LF) i++;
    } else {
      empty = false;
    }
  }
  if (!empty && counts.length === 0) counts.push(fields);
  return counts;
}
