/**
 * Number, money, percentage and date formatting for the widgets, through cached `Intl` formatters
 * (creating one costs far more than using it). A missing value (NaN) reads as an en dash everywhere.
 */
import type { Period } from './periods.js';
import { MS_PER_DAY } from './time.js';

/** Formatting functions for one locale and currency. */
export interface Formats {
  /** The resolved locale. */
  locale: string;
  /** ISO 4217 code, or null to show plain numbers. */
  currency: string | null;
  /** Money with the currency's usual decimals: €1,234.56. */
  money(value: number): string;
  /** Money without cents from 1,000 up (tiles): €890,190; €71.54. */
  moneyRound(value: number): string;
  /** Money in few characters for axes and tiles: €1.2M. */
  moneyShort(value: number): string;
  /** A number with up to two decimals. */
  number(value: number): string;
  /** A count: 12,345. */
  count(value: number): string;
  /** A share as a percentage: 0.1234 → 12.3%. */
  percent(value: number, digits?: number): string;
  /** A signed relative change: 0.05 → +5.0%. */
  change(value: number): string;
  /** A return multiple: 3.456 → 3.46×. */
  multiple(value: number): string;
  /** A local day (days since 1970-01-01) as a date. */
  day(day: number): string;
  /** The label of the period starting on a day. */
  period(startDay: number, period: Period): string;
  /** A shorter period label for axes (`Dec 26` for days and weeks). */
  periodShort(startDay: number, period: Period): string;
  /** A return multiple for axes: 12×, 2.5×. */
  multipleShort(value: number): string;
  /** A time (epoch ms) as date and time in a time zone. */
  dateTime(epochMs: number, timeZone: string): string;
  /** A time (epoch ms) as the date in a time zone. */
  date(epochMs: number, timeZone: string): string;
}

/** What is shown for a number that does not exist. */
export const MISSING = '–';

const cache = new Map<string, Formats>();

let browserZone: string | null = null;

/** The time zone of the person looking (resolved once: building an `Intl.DateTimeFormat` costs ~1 ms). */
export function localTimeZone(): string {
  browserZone ??= new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return browserZone;
}

/** Names as the widgets' English text lists them: `a`, `a and b`, `a, b and c`. */
export function nameList(names: readonly string[]): string {
  return names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

/** The formats of a locale (default: the browser's) and currency (null: plain numbers). */
export function formats(locale?: string | null, currency?: string | null): Formats {
  const key = `${locale ?? ''}|${currency ?? ''}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = build(locale ?? undefined, currency ?? null);
    if (cache.size > 32) cache.clear();
    cache.set(key, found);
  }
  return found;
}

function safeLocale(locale: string | undefined): string {
  try {
    return new Intl.NumberFormat(locale).resolvedOptions().locale;
  } catch {
    // an invalid locale tag from an attribute falls back to the browser's
    return new Intl.NumberFormat().resolvedOptions().locale;
  }
}

function safeCurrency(currency: string | null): string | null {
  if (currency === null || currency === '') return null;
  try {
    new Intl.NumberFormat('en', { style: 'currency', currency });
    return currency.toUpperCase();
  } catch {
    return null;
  }
}

function build(requested: string | undefined, requestedCurrency: string | null): Formats {
  const locale = safeLocale(requested);
  const currency = safeCurrency(requestedCurrency);
  const moneyFull = currency !== null ? new Intl.NumberFormat(locale, { style: 'currency', currency }) : new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const moneyCompact =
    currency !== null
      ? new Intl.NumberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 })
      : new Intl.NumberFormat(locale, { notation: 'compact', maximumFractionDigits: 1 });
  const moneyWhole = currency !== null ? new Intl.NumberFormat(locale, { style: 'currency', currency, maximumFractionDigits: 0 }) : new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const plain = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const whole = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 });
  const percents = new Map<number, Intl.NumberFormat>();
  const percentOf = (digits: number): Intl.NumberFormat => {
    let f = percents.get(digits);
    if (f === undefined) {
      f = new Intl.NumberFormat(locale, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits });
      percents.set(digits, f);
    }
    return f;
  };
  const signed = new Intl.NumberFormat(locale, { style: 'percent', signDisplay: 'exceptZero', minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const twoDecimals = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const days = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
  const months = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', timeZone: 'UTC' });
  const years = new Intl.DateTimeFormat(locale, { year: 'numeric', timeZone: 'UTC' });
  const monthDays = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
  const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const dateTimes = new Map<string, Intl.DateTimeFormat>();
  const dates = new Map<string, Intl.DateTimeFormat>();
  const zoned = (cache: Map<string, Intl.DateTimeFormat>, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat => {
    let f = cache.get(timeZone);
    if (f === undefined) {
      try {
        f = new Intl.DateTimeFormat(locale, { ...options, timeZone });
      } catch {
        f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
      }
      cache.set(timeZone, f);
    }
    return f;
  };
  const ok = (v: number): boolean => Number.isFinite(v);
  return {
    locale,
    currency,
    money: (v) => (ok(v) ? moneyFull.format(v) : MISSING),
    moneyRound: (v) => (ok(v) ? (Math.abs(v) >= 1000 ? moneyWhole.format(v) : moneyFull.format(v)) : MISSING),
    moneyShort: (v) => (ok(v) ? moneyCompact.format(v) : MISSING),
    number: (v) => (ok(v) ? plain.format(v) : MISSING),
    count: (v) => (ok(v) ? whole.format(v) : MISSING),
    percent: (v, digits = 1) => (ok(v) ? percentOf(digits).format(v) : MISSING),
    change: (v) => (ok(v) ? signed.format(v) : MISSING),
    multiple: (v) => (ok(v) ? `${twoDecimals.format(v)}×` : MISSING),
    day: (d) => (ok(d) ? days.format(d * MS_PER_DAY) : MISSING),
    period: (start, period) => {
      if (!ok(start)) return MISSING;
      const at = start * MS_PER_DAY;
      switch (period) {
        case 'day':
        case 'week':
          return days.format(at);
        case 'month':
          return months.format(at);
        case 'quarter':
          return `Q${Math.floor(new Date(at).getUTCMonth() / 3) + 1} ${years.format(at)}`;
      }
    },
    periodShort: (start, period) => {
      if (!ok(start)) return MISSING;
      return period === 'day' || period === 'week' ? monthDays.format(start * MS_PER_DAY) : period === 'month' ? months.format(start * MS_PER_DAY) : `Q${Math.floor(new Date(start * MS_PER_DAY).getUTCMonth() / 3) + 1} ${years.format(start * MS_PER_DAY)}`;
    },
    multipleShort: (v) => (ok(v) ? `${oneDecimal.format(v)}×` : MISSING),
    dateTime: (ms, timeZone) => (ok(ms) ? zoned(dateTimes, timeZone, { dateStyle: 'medium', timeStyle: 'short' }).format(ms) : MISSING),
    date: (ms, timeZone) => (ok(ms) ? zoned(dates, timeZone, { dateStyle: 'medium' }).format(ms) : MISSING),
  };
}
