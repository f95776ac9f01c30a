/**
 * Calendar and time-zone arithmetic shared by the worker and the main thread.
 *
 * Timestamps are epoch milliseconds (UTC). A "local" value is the wall-clock time of the reporting
 * time zone expressed as if it were UTC, so that day/month arithmetic on it is plain integer math.
 */
import { CrmError } from './errors.js';

/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;
/** Milliseconds in one hour. */
export const MS_PER_HOUR = 3_600_000;
/** Milliseconds in one minute. */
export const MS_PER_MINUTE = 60_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
export function daysFromCivil(year: number, month: number, day: number): number {
  // Howard Hinnant's days_from_civil: exact for every representable year.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** A calendar date. */
export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** The proleptic Gregorian date of a day number (days since 1970-01-01). */
export function civilFromDays(days: number): CivilDate {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** Whether the year is a Gregorian leap year. */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Number of days of a month (1..12) in a year. */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
}

/** Whether year/month/day name a real calendar date. */
export function isValidDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** ISO 8601 text of an instant in UTC, to the second when there are no milliseconds. */
export function formatIsoUtc(ms: number): string {
  return formatLocalIso(ms) + 'Z';
}

/** `YYYY-MM-DDTHH:mm:ss[.sss]` of a local (as-if-UTC) value. */
export function formatLocalIso(local: number): string {
  const days = Math.floor(local / MS_PER_DAY);
  const { year, month, day } = civilFromDays(days);
  let rest = local - days * MS_PER_DAY;
  const h = Math.floor(rest / MS_PER_HOUR);
  rest -= h * MS_PER_HOUR;
  const m = Math.floor(rest / MS_PER_MINUTE);
  rest -= m * MS_PER_MINUTE;
  const s = Math.floor(rest / 1000);
  const frac = rest - s * 1000;
  const base = `${pad4(year)}-${pad2(month)}-${pad2(day)}T${pad2(h)}:${pad2(m)}:${pad2(s)}`;
  return frac === 0 ? base : `${base}.${String(Math.round(frac)).padStart(3, '0')}`;
}

/** `YYYY-MM-DD` of a day number. */
export function formatDay(days: number): string {
  const { year, month, day } = civilFromDays(days);
  return `${pad4(year)}-${pad2(month)}-${pad2(day)}`;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

function pad4(n: number): string {
  return n >= 0 && n < 10000 ? String(n).padStart(4, '0') : String(n);
}

interface DayTransition {
  /** Offset before `at`, in ms. */
  before: number;
  /** Offset from `at` on, in ms. */
  after: number;
  /** The UTC instant of the change. */
  at: number;
}

const zoneCache = new Map<string, TimeZone>();

/**
 * The canonical IANA name of a time zone (`UTC` for none and for UTC's aliases); throws a `CrmError`
 * naming the value when it is unknown. It checks a name without making a `TimeZone`, whose offset
 * code only the worker needs: the page validates options with it.
 */
export function zoneName(name: string | undefined): string {
  const key = name === undefined || name === '' ? 'UTC' : name;
  if (/^(utc|etc\/utc|gmt|etc\/gmt|z)$/i.test(key)) return 'UTC';
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: key }).resolvedOptions().timeZone;
  } catch {
    throw new CrmError('bad-option', `Unknown time zone "${key}".`, {
      hint: 'Use an IANA time zone name such as "UTC", "Europe/Berlin" or "America/New_York".',
    });
  }
}

/**
 * An IANA time zone with cached UTC offsets.
 *
 * Offsets come from `Intl.DateTimeFormat` (available in workers and on the main thread). They are
 * cached per UTC day, so converting a million timestamps costs a handful of `Intl` calls per distinct
 * day rather than one per value.
 */
export class TimeZone {
  /** The canonical name, for example `Europe/Berlin` or `UTC`. */
  readonly name: string;
  /** True for UTC, where every conversion is the identity. */
  readonly isUtc: boolean;
  private readonly format: Intl.DateTimeFormat | null;
  private readonly days = new Map<number, number | DayTransition>();
  private lastDay = Number.NaN;
  private lastOffset = 0;

  private constructor(name: string, format: Intl.DateTimeFormat | null) {
    this.name = name;
    this.isUtc = format === null;
    this.format = format;
  }

  /** The time zone of an IANA name; throws a `CrmError` naming the value when it is unknown. */
  static get(name: string | undefined): TimeZone {
    const key = name === undefined || name === '' ? 'UTC' : name;
    const cached = zoneCache.get(key);
    if (cached) return cached;
    const canonical = zoneName(key);
    const zone =
      canonical === 'UTC'
        ? new TimeZone('UTC', null)
        : new TimeZone(
            canonical,
            new Intl.DateTimeFormat('en-US', {
              timeZone: canonical,
              hourCycle: 'h23',
              year: 'numeric',
              month: 'numeric',
              day: 'numeric',
              hour: 'numeric',
              minute: 'numeric',
              second: 'numeric',
              era: 'short',
            }),
          );
    zoneCache.set(key, zone);
    return zone;
  }

  /** UTC offset in ms (local − UTC) at a UTC instant. */
  offsetAt(utc: number): number {
    if (this.format === null) return 0;
    const day = Math.floor(utc / MS_PER_DAY);
    if (day === this.lastDay) return this.lastOffset;
    let entry = this.days.get(day);
    if (entry === undefined) {
      entry = this.describeDay(day);
      this.days.set(day, entry);
    }
    if (typeof entry === 'number') {
      this.lastDay = day;
      this.lastOffset = entry;
      return entry;
    }
    return utc < entry.at ? entry.before : entry.after;
  }

  /** The local wall-clock value (as-if-UTC ms) of a UTC instant. */
  toLocal(utc: number): number {
    return utc + this.offsetAt(utc);
  }

  /**
   * The UTC instant of a local wall-clock value. A wall time that occurs twice (the hour after a
   * fall-back transition) resolves to the earlier instant; one that does not exist (skipped by a
   * spring-forward transition) is moved forward by the length of the gap. This is the "compatible"
   * disambiguation of Temporal and of most databases.
   */
  toUtc(local: number): number {
    if (this.format === null) return local;
    const before = this.offsetAt(local - MS_PER_DAY);
    const after = this.offsetAt(local + MS_PER_DAY);
    const first = local - before;
    if (before === after) {
      const offset = this.offsetAt(first);
      return offset === before ? first : local - offset;
    }
    const second = local - after;
    const firstValid = this.offsetAt(first) === before;
    const secondValid = this.offsetAt(second) === after;
    if (firstValid && secondValid) return Math.min(first, second);
    if (secondValid) return second;
    return first;
  }

  /** Day number (days since 1970-01-01) of a UTC instant in this zone. */
  dayOf(utc: number): number {
    return Math.floor(this.toLocal(utc) / MS_PER_DAY);
  }

  /**
   * `dayOf` of every instant into `out`. In one loop the conversion is inlined; a call per value from
   * another function passes the double boxed (one heap number per value, 2M per touches column).
   */
  daysOf(utc: Float64Array, out: Int32Array): void {
    if (this.format === null) {
      for (let i = 0; i < utc.length; i++) out[i] = Math.floor(utc[i]! / MS_PER_DAY);
      return;
    }
    for (let i = 0; i < utc.length; i++) out[i] = Math.floor(this.toLocal(utc[i]!) / MS_PER_DAY);
  }

  private describeDay(day: number): number | DayTransition {
    const start = day * MS_PER_DAY;
    const end = start + MS_PER_DAY;
    const before = this.rawOffset(start);
    const after = this.rawOffset(end);
    if (before === after) return before;
    // Binary search the first minute that has the new offset.
    let lo = start;
    let hi = end;
    while (hi - lo > MS_PER_MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
      if (this.rawOffset(mid) === before) lo = mid;
      else hi = mid;
    }
    return { before, after, at: hi };
  }

  private rawOffset(utc: number): number {
    const parts = this.format!.formatToParts(new Date(utc));
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let minute = 0;
    let second = 0;
    let bc = false;
    for (const part of parts) {
      switch (part.type) {
        case 'year':
          year = Number(part.value);
          break;
        case 'month':
          month = Number(part.value);
          break;
        case 'day':
          day = Number(part.value);
          break;
        case 'hour':
          hour = Number(part.value);
          break;
        case 'minute':
          minute = Number(part.value);
          break;
        case 'second':
          second = Number(part.value);
          break;
        case 'era':
          bc = part.value.startsWith('B');
          break;
        default:
          break;
      }
    }
    if (bc) year = 1 - year;
    const local =
      daysFromCivil(year, month, day) * MS_PER_DAY + hour * MS_PER_HOUR + minute * MS_PER_MINUTE + second * 1000;
    const wholeSecond = utc - (((utc % 1000) + 1000) % 1000);
    return local - wholeSecond;
  }
}
