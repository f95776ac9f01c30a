/**
 * Timestamps straight from bytes.
 *
 * Accepted (metrics.md section 1):
 * - ISO 8601 with offset: `2024-03-01T10:00:00Z`, `+02:00`, `+0200`, `+02`, and ` UTC`/` GMT` suffixes;
 * - ISO without offset (`2024-03-01 10:00:00`, `2024-03-01T10:00`, fractions of seconds) and date
 *   only (`2024-03-01`), read in the dataset time zone; year-first slashed dates (`2024/03/01`);
 * - epoch seconds (1e8 ≤ |v| < 1e11) or milliseconds (1e11 ≤ |v| < 1e14);
 * - day-first or month-first dates with `/`, `.` or `-` (`01/03/2024 10:00`, `3/1/2024 9:05 PM`), only
 *   with an explicit date order or when the column itself makes the order unambiguous.
 *
 * Years outside 1900–2199 are rejected: they are placeholders (`0001-01-01`) or typos, never sales.
 */
import { CrmError } from '../../src/core/errors.js';
import type { DateOrder } from '../../src/core/options.js';
import type { RejectReason } from '../../src/core/report.js';
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, daysFromCivil, isValidDate, type TimeZone } from '../../src/core/time.js';
import { latin1 } from './numbers.js';

/** Returned by `TimestampReader.read` for a slashed date whose order is not known yet. */
export const DEFERRED = Number.NEGATIVE_INFINITY;

const MIN_YEAR = 1900;
const MAX_YEAR = 2199;

function digit(buf: Uint8Array, i: number): number {
  const d = buf[i]! - 48;
  return d >= 0 && d <= 9 ? d : -1000;
}

function two(buf: Uint8Array, i: number): number {
  return digit(buf, i) * 10 + digit(buf, i + 1);
}

/** Reads one timestamp column, remembering what its slashed dates say about day/month order. */
export class TimestampReader {
  /** Reason of the last failure. */
  error: RejectReason = 'bad-timestamp';
  /** Extra words for the last failure. */
  detail = '';
  /** The order of slashed dates: given, or learnt from the column. */
  order: DateOrder;
  private readonly declared: boolean;
  private readonly zone: TimeZone;
  // evidence about slashed dates
  private dmyOnlyExample = '';
  private mdyOnlyExample = '';
  private ambiguousExamples: string[] = [];
  // the last deferred value, committed by `commitDeferred` once its row is accepted
  private lastDmy = 0;
  private lastMdy = 0;
  private deferredRows: number[] = [];
  private deferredDmy: number[] = [];
  private deferredMdy: number[] = [];
  private sawSlashed = false;

  constructor(zone: TimeZone, order: DateOrder) {
    this.zone = zone;
    this.order = order;
    this.declared = order !== 'auto';
  }

  /** Number of values waiting for the date order. */
  get deferredCount(): number {
    return this.deferredRows.length;
  }

  /** Whether the column held slashed dates. */
  get hadSlashedDates(): boolean {
    return this.sawSlashed;
  }

  /**
   * The instant in `buf[start..end)` (trimmed, non-empty) as epoch ms; NaN with `error` set when it is
   * not a timestamp; `DEFERRED` when it is a slashed date that needs the column's date order.
   */
  read(buf: Uint8Array, start: number, end: number, jsonNumber: boolean): number {
    const len = end - start;
    if (len >= 10 && buf[start + 4] === 45 && buf[start + 7] === 45) {
      return this.isoInto(buf, start, end, 45) ? this.out[0]! : Number.NaN;
    }
    if (len >= 10 && buf[start + 4] === 47 && buf[start + 7] === 47) {
      return this.isoInto(buf, start, end, 47) ? this.out[0]! : Number.NaN;
    }
    if (jsonNumber || isNumeric(buf, start, end)) return this.readEpoch(buf, start, end);
    return this.readSlashed(buf, start, end);
  }

  /**
   * The fast path's reader: an ISO 8601 value (`YYYY-MM-DD...`) into `out[0]`. False for any other
   * shape or an invalid value; the caller then uses `read`, which explains the failure. (Results
   * travel through a typed array because a double returned from a call that is not inlined is boxed,
   * which was a measurable share of garbage collection per row.)
   */
  scanIso(buf: Uint8Array, start: number, end: number): boolean {
    return end - start >= 10 && buf[start + 4] === 45 && buf[start + 7] === 45 && this.isoInto(buf, start, end, 45);
  }

  /** The value read by `scanIso`. */
  readonly out = new Float64Array(1);

  /** Records the row of the value that `read` just returned `DEFERRED` for. */
  commitDeferred(row: number): void {
    this.deferredRows.push(row);
    this.deferredDmy.push(this.lastDmy);
    this.deferredMdy.push(this.lastMdy);
  }

  /**
   * Decides the order of the deferred slashed dates and writes their instants into `target` at the
   * committed rows (shifted by `rowOffset`). Throws a `CrmError` when the column is ambiguous or mixed.
   */
  resolve(target: Float64Array, rowOffset: number, where: { table: string; column: string; source: string }): void {
    if (this.dmyOnlyExample !== '' && this.mdyOnlyExample !== '' && !this.declared) {
      throw new CrmError(
        'mixed-date-order',
        `${where.table}: column "${where.column}" mixes day-first and month-first dates, for example "${this.dmyOnlyExample}" and "${this.mdyOnlyExample}".`,
        {
          ...where,
          examples: [this.dmyOnlyExample, this.mdyOnlyExample],
          hint: 'Export the column in one date format (ISO 8601, YYYY-MM-DD, is safest) and load it again.',
        },
      );
    }
    if (this.deferredRows.length === 0) return;
    if (this.order === 'auto') {
      if (this.dmyOnlyExample !== '') this.order = 'dmy';
      else if (this.mdyOnlyExample !== '') this.order = 'mdy';
      else {
        const examples = this.ambiguousExamples.slice(0, 2);
        throw new CrmError(
          'ambiguous-dates',
          `${where.table}: the dates in column "${where.column}" could be day-first or month-first (for example ${examples.map((e) => `"${e}"`).join(' and ')}).`,
          {
            ...where,
            examples,
            hint: 'Set dateFormat to "DD/MM/YYYY" (day first) or "MM/DD/YYYY" (month first).',
          },
        );
      }
    }
    const values = this.order === 'dmy' ? this.deferredDmy : this.deferredMdy;
    for (let i = 0; i < this.deferredRows.length; i++) {
      target[this.deferredRows[i]! - rowOffset] = this.zone.toUtc(values[i]!);
    }
    this.deferredRows = [];
    this.deferredDmy = [];
    this.deferredMdy = [];
  }

  private fail(reason: RejectReason, detail: string): number {
    this.error = reason;
    this.detail = detail;
    return Number.NaN;
  }

  private lastDateKey = -1;
  private lastDateDays = 0;

  private isoInto(buf: Uint8Array, start: number, end: number, sep: number): boolean {
    const y0 = buf[start]! - 48;
    const y1 = buf[start + 1]! - 48;
    const y2 = buf[start + 2]! - 48;
    const y3 = buf[start + 3]! - 48;
    const m0 = buf[start + 5]! - 48;
    const m1 = buf[start + 6]! - 48;
    const d0 = buf[start + 8]! - 48;
    const d1 = buf[start + 9]! - 48;
    if (
      y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 ||
      m0 >>> 0 > 9 || m1 >>> 0 > 9 || d0 >>> 0 > 9 || d1 >>> 0 > 9
    ) {
      return this.failed('bad-timestamp', '');
    }
    const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
    const month = m0 * 10 + m1;
    const day = d0 * 10 + d1;
    const key = year * 10000 + month * 100 + day;
    let days: number;
    if (key === this.lastDateKey) {
      days = this.lastDateDays;
    } else {
      if (!isValidDate(year, month, day)) return this.failed('bad-timestamp', 'no such date');
      if (year < MIN_YEAR || year > MAX_YEAR) return this.failed('bad-timestamp', `year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
      days = daysFromCivil(year, month, day);
      this.lastDateKey = key;
      this.lastDateDays = days;
    }
    let local = days * MS_PER_DAY;
    let i = start + 10;
    if (i === end) return this.local(local);
    const c = buf[i]!;
    if (c !== 84 /* T */ && c !== 32 /* space */ && c !== 116 /* t */) return this.failed('bad-timestamp', '');
    if (sep !== 45 && c !== 32) return this.failed('bad-timestamp', '');
    i++;
    // HH:mm[:ss] fast, then fractions through the general reader
    const h0 = buf[i]! - 48;
    const h1 = buf[i + 1]! - 48;
    const n0 = buf[i + 3]! - 48;
    const n1 = buf[i + 4]! - 48;
    let time: number;
    if (i + 5 <= end && buf[i + 2] === 58 && h0 >>> 0 <= 9 && h1 >>> 0 <= 9 && n0 >>> 0 <= 9 && n1 >>> 0 <= 9 && (i + 5 === end || buf[i + 5] !== 58 || (i + 8 <= end && buf[i + 8] !== 46 && buf[i + 8] !== 44))) {
      const hour = h0 * 10 + h1;
      const minute = n0 * 10 + n1;
      let second = 0;
      let next = i + 5;
      if (next < end && buf[next] === 58) {
        if (next + 3 > end) return this.failed('bad-timestamp', '');
        const s0 = buf[next + 1]! - 48;
        const s1 = buf[next + 2]! - 48;
        if (s0 >>> 0 > 9 || s1 >>> 0 > 9) return this.failed('bad-timestamp', '');
        second = s0 * 10 + s1;
        next += 3;
      }
      if (hour > 23 || minute > 59 || second > 59) return this.failed('bad-timestamp', 'no such time of day');
      time = hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000;
      this.timeEnd = next;
    } else {
      time = this.readTime(buf, i, end, true);
      if (Number.isNaN(time)) return false;
    }
    local += time;
    i = this.timeEnd;
    if (i === end) return this.local(local);
    // offset
    let j = i;
    if (buf[j] === 32) j++;
    const o = buf[j]!;
    if ((o === 90 || o === 122) && j + 1 === end) return this.instant(local); // Z
    if (o === 43 || o === 45) {
      const sign = o === 45 ? -1 : 1;
      const oh = two(buf, j + 1);
      let om = 0;
      let k = j + 3;
      if (k < end) {
        if (buf[k] === 58) k++;
        om = two(buf, k);
        k += 2;
      }
      if (oh < 0 || oh > 18 || om < 0 || om > 59 || k !== end) return this.failed('bad-timestamp', 'bad UTC offset');
      return this.instant(local - sign * (oh * MS_PER_HOUR + om * MS_PER_MINUTE));
    }
    if (end - j === 3) {
      const a = buf[j]! | 0x20;
      const b = buf[j + 1]! | 0x20;
      const d = buf[j + 2]! | 0x20;
      if ((a === 117 && b === 116 && d === 99) || (a === 103 && b === 109 && d === 116)) return this.instant(local); // UTC / GMT
    }
    return this.failed('bad-timestamp', '');
  }

  /** Stores an instant in `out`. */
  private instant(utc: number): true {
    this.out[0] = utc;
    return true;
  }

  /** Stores a local wall time of the dataset zone, converted, in `out`. */
  private local(local: number): true {
    this.out[0] = this.zone.isUtc ? local : this.zone.toUtc(local);
    return true;
  }

  private failed(reason: RejectReason, detail: string): false {
    this.error = reason;
    this.detail = detail;
    return false;
  }

  private timeEnd = 0;

  /** Milliseconds of `HH:mm[:ss[.fff]]` (or `H:mm` when `!strict`) starting at i; sets `timeEnd`. */
  private readTime(buf: Uint8Array, i: number, end: number, strict: boolean): number {
    let hour: number;
    if (!strict && (i + 1 >= end || buf[i + 1] === 58)) {
      hour = digit(buf, i);
      i += 1;
    } else {
      hour = two(buf, i);
      i += 2;
    }
    if (buf[i] !== 58) return this.fail('bad-timestamp', '');
    const minute = two(buf, i + 1);
    i += 3;
    let second = 0;
    let ms = 0;
    if (i < end && buf[i] === 58) {
      second = two(buf, i + 1);
      i += 3;
      if (i < end && (buf[i] === 46 || buf[i] === 44)) {
        i++;
        let scale = 100;
        let digits = 0;
        while (i < end) {
          const d = digit(buf, i);
          if (d < 0) break;
          ms += d * scale;
          scale /= 10;
          digits++;
          i++;
        }
        if (digits === 0) return this.fail('bad-timestamp', '');
        ms = Math.floor(ms + 1e-9);
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return this.fail('bad-timestamp', 'no such time of day');
    }
    this.timeEnd = i;
    return hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000 + ms;
  }

  private readEpoch(buf: Uint8Array, start: number, end: number): number {
    let text = '';
    for (let i = start; i < end; i++) text += String.fromCharCode(buf[i]!);
    const v = Number(text);
    if (!Number.isFinite(v)) return this.fail('bad-timestamp', '');
    const a = Math.abs(v);
    if (a >= 1e8 && a < 1e11) return Math.round(v * 1000);
    if (a >= 1e11 && a < 1e14) return Math.round(v);
    if (a >= 20000 && a < 80000) {
      return this.fail('bad-timestamp', 'looks like an Excel serial date; format the column as a date before exporting');
    }
    if (a >= 19000101 && a <= 21991231 && Number.isInteger(v)) {
      return this.fail('bad-timestamp', 'looks like a compact YYYYMMDD date; use YYYY-MM-DD');
    }
    return this.fail('bad-timestamp', 'a number, but not epoch seconds or milliseconds');
  }

  private readSlashed(buf: Uint8Array, start: number, end: number): number {
    // a{1,2} sep b{1,2} sep yyyy [time]
    let i = start;
    const a = readSmall(buf, i, end);
    if (a.len === 0 || a.len > 2) return this.fail('bad-timestamp', '');
    i += a.len;
    const sep = buf[i];
    if (sep !== 47 && sep !== 46 && sep !== 45) return this.fail('bad-timestamp', '');
    i++;
    const b = readSmall(buf, i, end);
    if (b.len === 0 || b.len > 2) return this.fail('bad-timestamp', '');
    i += b.len;
    if (buf[i] !== sep) return this.fail('bad-timestamp', '');
    i++;
    const y = readSmall(buf, i, end);
    if (y.len === 2) return this.fail('two-digit-year', 'two-digit year; export four-digit years (YYYY)');
    if (y.len !== 4) return this.fail('bad-timestamp', '');
    const year = y.value;
    if (year < MIN_YEAR || year > MAX_YEAR) return this.fail('bad-timestamp', `year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
    i += 4;
    let time = 0;
    if (i < end) {
      if (buf[i] !== 32 && buf[i] !== 84) return this.fail('bad-timestamp', '');
      i++;
      while (i < end && buf[i] === 32) i++;
      time = this.readTime(buf, i, end, false);
      if (Number.isNaN(time)) return time;
      i = this.timeEnd;
      while (i < end && buf[i] === 32) i++;
      if (i < end) {
        // AM / PM
        const p = buf[i]! | 0x20;
        const m = buf[i + 1]! | 0x20;
        if (i + 2 !== end || (p !== 97 && p !== 112) || m !== 109) return this.fail('bad-timestamp', '');
        const hour = Math.floor(time / MS_PER_HOUR);
        if (hour < 1 || hour > 12) return this.fail('bad-timestamp', 'no such time of day');
        if (p === 97 && hour === 12) time -= 12 * MS_PER_HOUR;
        if (p === 112 && hour !== 12) time += 12 * MS_PER_HOUR;
      }
    }
    this.sawSlashed = true;
    const dmyValid = isValidDate(year, b.value, a.value);
    const mdyValid = isValidDate(year, a.value, b.value);
    if (this.order === 'dmy' || (this.order === 'auto' && dmyValid && !mdyValid)) {
      if (!dmyValid) return this.fail('bad-timestamp', 'not a valid DD/MM/YYYY date');
      if (!mdyValid && this.dmyOnlyExample === '') this.dmyOnlyExample = latin1(buf, start, end);
      return this.zone.toUtc(daysFromCivil(year, b.value, a.value) * MS_PER_DAY + time);
    }
    if (this.order === 'mdy' || (this.order === 'auto' && mdyValid && !dmyValid)) {
      if (!mdyValid) return this.fail('bad-timestamp', 'not a valid MM/DD/YYYY date');
      if (!dmyValid && this.mdyOnlyExample === '') this.mdyOnlyExample = latin1(buf, start, end);
      return this.zone.toUtc(daysFromCivil(year, a.value, b.value) * MS_PER_DAY + time);
    }
    if (!dmyValid) return this.fail('bad-timestamp', 'no such date');
    // Valid both ways. Once the column has shown its order, follow it (a contradiction still fails in
    // `resolve`); before that, decide at the end of the source.
    if (this.dmyOnlyExample !== '' && this.mdyOnlyExample === '') {
      return this.zone.toUtc(daysFromCivil(year, b.value, a.value) * MS_PER_DAY + time);
    }
    if (this.mdyOnlyExample !== '' && this.dmyOnlyExample === '') {
      return this.zone.toUtc(daysFromCivil(year, a.value, b.value) * MS_PER_DAY + time);
    }
    if (this.ambiguousExamples.length < 2) {
      const text = latin1(buf, start, end);
      if (!this.ambiguousExamples.includes(text)) this.ambiguousExamples.push(text);
    }
    this.lastDmy = daysFromCivil(year, b.value, a.value) * MS_PER_DAY + time;
    this.lastMdy = daysFromCivil(year, a.value, b.value) * MS_PER_DAY + time;
    return DEFERRED;
  }
}

function readSmall(buf: Uint8Array, i: number, end: number): { value: number; len: number } {
  let value = 0;
  let len = 0;
  while (i + len < end && len < 5) {
    const d = digit(buf, i + len);
    if (d < 0) break;
    value = value * 10 + d;
    len++;
  }
  return { value, len };
}

function isNumeric(buf: Uint8Array, start: number, end: number): boolean {
  let i = start;
  if (buf[i] === 45) i++;
  let digits = 0;
  let dot = false;
  for (; i < end; i++) {
    const c = buf[i]!;
    if (c >= 48 && c <= 57) digits++;
    else if (c === 46 && !dot) dot = true;
    else return false;
  }
  return digits > 0;
}
