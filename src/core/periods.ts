/**
 * Reporting periods over day numbers (days since 1970-01-01 in the dataset time zone). A period index
 * is an integer that grows by one from one period to the next, so offsets between periods are plain
 * subtraction.
 */
import { CrmError } from './errors.js';
import { civilFromDays, daysFromCivil, formatDay } from './time.js';

/** Reporting period. */
export type Period = 'day' | 'week' | 'month' | 'quarter';

/** Every period, shortest first. */
export const PERIODS: readonly Period[] = ['day', 'week', 'month', 'quarter'];

/** First day of the week: ISO weekday, 1 = Monday … 7 = Sunday. */
export type WeekStart = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const WEEKDAYS: Record<string, WeekStart> = {
  monday: 1,
  mon: 1,
  tuesday: 2,
  tue: 2,
  wednesday: 3,
  wed: 3,
  thursday: 4,
  thu: 4,
  friday: 5,
  fri: 5,
  saturday: 6,
  sat: 6,
  sunday: 7,
  sun: 7,
};

/** Reads a week-start option (`monday`, `sunday`, ... or 1–7). */
export function parseWeekStart(value: string | number | undefined): WeekStart {
  if (value === undefined || value === '') return 1;
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 7) return value as WeekStart;
  const day = typeof value === 'string' ? WEEKDAYS[value.trim().toLowerCase()] : undefined;
  if (day === undefined) {
    throw new CrmError('bad-option', `Unknown week start "${String(value)}".`, { hint: 'Use a weekday name such as "monday" or "sunday".' });
  }
  return day;
}

/** Reads a period option. */
export function parsePeriod(value: string | undefined, fallback: Period): Period {
  if (value === undefined || value === '') return fallback;
  if (!PERIODS.includes(value as Period)) {
    throw new CrmError('bad-option', `Unknown period "${value}".`, { hint: `Use one of ${PERIODS.join(', ')}.` });
  }
  return value as Period;
}

/** Period index of a day. */
export function periodOf(day: number, period: Period, weekStart: WeekStart = 1): number {
  switch (period) {
    case 'day':
      return day;
    case 'week':
      // day 0 (1970-01-01) is a Thursday, ISO weekday 4
      return Math.floor((day + 4 - weekStart) / 7);
    case 'month': {
      const { year, month } = civilFromDays(day);
      return year * 12 + month - 1;
    }
    case 'quarter': {
      const { year, month } = civilFromDays(day);
      return year * 4 + Math.floor((month - 1) / 3);
    }
  }
}

/** First day of a period index. */
export function periodStartDay(index: number, period: Period, weekStart: WeekStart = 1): number {
  switch (period) {
    case 'day':
      return index;
    case 'week':
      return index * 7 - 4 + weekStart;
    case 'month':
      return daysFromCivil(Math.floor(index / 12), (((index % 12) + 12) % 12) + 1, 1);
    case 'quarter':
      return daysFromCivil(Math.floor(index / 4), (((index % 4) + 4) % 4) * 3 + 1, 1);
  }
}

/** First day after a period index (exclusive end). */
export function periodEndDay(index: number, period: Period, weekStart: WeekStart = 1): number {
  return periodStartDay(index + 1, period, weekStart);
}

/**
 * Which periods `first` … `first + count − 1` the data and the range cover only in part: 1 where a period has days
 * before `from` or on or after `end`, 0 where it is covered whole. `from` is the first covered day
 * (the later of the range's start and the data's first day); `end` is the first day not covered: the
 * day after the range, or the data's last day, which is not over yet (as for retention's incomplete
 * cells, metrics.md section 5), whichever comes first. A bar of such a period reads low only because
 * its days are missing, and the charts mark it so.
 */
export function partialPeriods(first: number, count: number, period: Period, weekStart: WeekStart, from: number, end: number): Uint8Array {
  const partial = new Uint8Array(count);
  for (let k = 0; k < count; k++) partial[k] = spanPartial(periodStartDay(first + k, period, weekStart), periodEndDay(first + k, period, weekStart), from, end);
  return partial;
}

/** 1 when the days `[s, e)` reach outside the covered days `[from, end)` (see `partialPeriods`), else 0. */
export function spanPartial(s: number, e: number, from: number, end: number): number {
  return s < from || e > end ? 1 : 0;
}

/** Label of a period: its first day as `YYYY-MM-DD`. */
export function periodLabel(index: number, period: Period, weekStart: WeekStart = 1): string {
  return formatDay(periodStartDay(index, period, weekStart));
}

/**
 * Period indexes of a contiguous range of days, as a lookup table: `table[day - firstDay]`. Kernels
 * build one per period and reuse it for every timestamp.
 */
export function periodTable(firstDay: number, lastDay: number, period: Period, weekStart: WeekStart = 1): Int32Array {
  const n = Math.max(0, lastDay - firstDay + 1);
  const table = new Int32Array(n);
  if (period === 'day') {
    for (let i = 0; i < n; i++) table[i] = firstDay + i;
    return table;
  }
  if (period === 'week') {
    for (let i = 0; i < n; i++) table[i] = Math.floor((firstDay + i + 4 - weekStart) / 7);
    return table;
  }
  // month / quarter: walk the calendar
  let { year, month, day } = civilFromDays(firstDay);
  for (let i = 0; i < n; i++) {
    table[i] = period === 'month' ? year * 12 + month - 1 : year * 4 + Math.floor((month - 1) / 3);
    day++;
    if (day > daysInMonthOf(year, month)) {
      day = 1;
      month++;
      if (month > 12) {
        month = 1;
        year++;
      }
    }
  }
  return table;
}

function daysInMonthOf(year: number, month: number): number {
  return daysFromCivil(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - daysFromCivil(year, month, 1);
}

/** A day given as `YYYY-MM-DD`, as a day number. */
export function parseDay(text: string, what: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (m === null) {
    throw new CrmError('bad-option', `${what} must be a date like 2024-03-01, not "${text}".`);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const n = daysFromCivil(year, month, day);
  const back = civilFromDays(n);
  if (back.month !== month || back.day !== day) throw new CrmError('bad-option', `${what}: "${text}" is not a date.`);
  return n;
}
