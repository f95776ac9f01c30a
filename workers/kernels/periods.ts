/**
 * The period axis of a result: every period from the one holding the range's first day to the one
 * holding its last day, empty ones included, so charts show gaps as gaps.
 */
import { partialPeriods, periodLabel, periodStartDay, type Period, type WeekStart } from '../../src/core/periods.js';
import type { PeriodAxis } from '../../src/core/results.js';
import type { DayRange, KernelContext } from './context.js';

/** A period axis being filled. */
export interface Axis {
  count: number;
  /** Period index of the axis's first period: an order's position is `orderPeriods[i] − first`. */
  first: number;
  /** Position on the axis of a day inside the range (for the few rows without a cached period column). */
  indexOfDay(day: number): number;
  toAxis(): PeriodAxis;
}

/** The axis of a range and period. */
export function periodAxis(ctx: KernelContext, days: DayRange | null, period: Period, weekStart: WeekStart): Axis {
  if (days === null) {
    return { count: 0, first: 0, indexOfDay: () => 0, toAxis: () => ({ period, start: new Int32Array(0), labels: [], partial: new Uint8Array(0) }) };
  }
  const table = ctx.periodTableFor(period, weekStart);
  const first = ctx.periodOfDay(days.fromDay, period, weekStart);
  const last = ctx.periodOfDay(days.toDay, period, weekStart);
  const count = last - first + 1;
  const tableFirst = ctx.tableFirst;
  return {
    count,
    first,
    indexOfDay: (day) => {
      const i = day - tableFirst;
      return (i >= 0 && i < table.length ? table[i]! : ctx.periodOfDay(day, period, weekStart)) - first;
    },
    toAxis: () => {
      const start = new Int32Array(count);
      const labels = new Array<string>(count);
      for (let k = 0; k < count; k++) {
        start[k] = periodStartDay(first + k, period, weekStart);
        labels[k] = periodLabel(first + k, period, weekStart);
      }
      const { from, end } = ctx.covered(days);
      return { period, start, labels, partial: partialPeriods(first, count, period, weekStart, from, end) };
    },
  };
}
