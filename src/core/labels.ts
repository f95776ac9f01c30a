/** Words for parameters, as the widgets show them and the footnotes state them. */
import type { Period } from './periods.js';
import type { Basis, CreditModel, Dimension, RetentionMeasure, Scoring } from './queries.js';

export const MODEL_LABELS: Record<CreditModel, string> = {
  last_touch: 'Last touch',
  first_touch: 'First touch',
  linear: 'Linear',
  time_decay: 'Time decay',
  position_based: 'Position based',
};

export const BASIS_LABELS: Record<Basis, string> = { send: 'sent', open: 'opened', click: 'clicked' };

export const PERIOD_LABELS: Record<Period, string> = { day: 'Day', week: 'Week', month: 'Month', quarter: 'Quarter' };

export const DIMENSION_LABELS: Record<Dimension, string> = { channel: 'Channel', campaign: 'Campaign', stage: 'Lifecycle stage' };

export const MEASURE_LABELS: Record<RetentionMeasure, string> = {
  customers: 'Active customers',
  rolling: 'Rolling (active then or later)',
  revenue: 'Revenue per customer',
  cumulative_revenue: 'Cumulative revenue per customer (LTV)',
  revenue_retention: 'Revenue retention',
};

export const SCORING_LABELS: Record<Scoring, string> = { percentile: 'Percentile', ntile: 'Equal groups (n-tile)', thresholds: 'Thresholds' };

/** A window or duration as words: `5d` → "5-day", `24h` → "24-hour". */
export function durationWords(value: string | number): string {
  if (typeof value === 'number') return `${Math.round(value / 3_600_000)}-hour`;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d|w)\s*$/.exec(value);
  if (m === null) return value;
  const unit = { ms: 'millisecond', s: 'second', min: 'minute', m: 'minute', h: 'hour', d: 'day', w: 'week' }[m[2]!]!;
  return `${m[1]}-${unit}`;
}

/** The attribution definition in words, for footnotes: "Last touch attribution, 5-day window, counted when sent". */
export function attributionWords(model: CreditModel, window: string | null, basis: Basis): string {
  return `${MODEL_LABELS[model]} attribution${window !== null ? `, ${durationWords(window)} window` : ''}, counted when ${BASIS_LABELS[basis]}`;
}

/** A window as a menu label: "1 day", "5 days", "24 hours". */
export function windowLabel(value: string): string {
  const words = durationWords(value);
  // not a duration (a host's typo): shown as given, beside the error that names it
  if (words === value) return value;
  return /^1-/.test(words) ? words.replace('-', ' ') : `${words.replace('-', ' ')}s`;
}
