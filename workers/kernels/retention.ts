/**
 * Cohort retention (metrics.md section 5): cohorts by the period of each customer's first purchase in
 * the whole dataset, selected by the range; cells from all the data after it.
 */
import { periodLabel, periodStartDay } from '../../src/core/periods.js';
import type { ResolvedRetention } from '../../src/core/queries.js';
import { CELL_COMPLETE, CELL_FUTURE, CELL_INCOMPLETE, type RetentionResult } from '../../src/core/results.js';
import { KernelContext, perCost, ratio, type DayRange } from './context.js';

/** The cohort matrix. */
export function retentionResult(ctx: KernelContext, p: ResolvedRetention, days: DayRange | null, mask: Uint8Array | null): RetentionResult {
  const { orders: o, dictionaries, index, attributes } = ctx.columns;
  const K = p.offsets;
  // groups of the breakdown
  let groups = ['all'];
  let groupOf: (c: number) => number = () => 0;
  if (p.breakdown !== null) {
    const attribute = attributes.find((a) => a.name === p.breakdown);
    if (attribute === undefined) {
      // reuse the filter's message for an unknown attribute
      ctx.customerMask({ attribute: p.breakdown, values: [] });
    } else {
      groups = [...attribute.values, '(none)'];
      const none = attribute.values.length;
      groupOf = (c) => (attribute.codes[c]! < 0 ? none : attribute.codes[c]!);
    }
  }
  const nGroups = groups.length;
  const firstPeriod = days === null ? 0 : ctx.periodOfDay(days.fromDay, p.period, p.weekStart);
  const lastPeriod = days === null ? -1 : ctx.periodOfDay(days.toDay, p.period, p.weekStart);
  const perGroup = lastPeriod - firstPeriod + 1;
  const nCohorts = nGroups * Math.max(0, perGroup);
  const size = new Int32Array(nCohorts);
  const active = new Float64Array(nCohorts * K);
  const revenue = new Float64Array(nCohorts * K);
  const rollingDiff = new Float64Array(nCohorts * (K + 1));
  if (days !== null) {
    const nCustomers = dictionaries.customers.length;
    const periods = ctx.orderPeriods(p.period, p.weekStart);
    const orderStart = index.orderStart;
    const firstPurchase = index.firstPurchase;
    const orderRevenue = o.revenue;
    const isPurchase = o.isPurchase;
    for (let c = 0; c < nCustomers; c++) {
      const first = firstPurchase[c]!;
      if (first < 0) continue;
      // whole cohorts: every customer whose first purchase falls in a period the range touches, so a
      // range from mid-month shows that month's cohort whole, as its label says (metrics.md section 5)
      const cohortPeriod = periods[first]!;
      if (cohortPeriod < firstPeriod || cohortPeriod > lastPeriod) continue;
      if (mask !== null && mask[c] === 0) continue;
      const row = groupOf(c) * perGroup + (cohortPeriod - firstPeriod);
      size[row]!++;
      const base = row * K;
      let lastActive = -1;
      let lastPurchaseOffset = 0;
      // every order of the customer in the cohort period or later (an adjustment earlier in the cohort
      // period counts at offset 0, as in a GROUP BY period)
      const ob = orderStart[c + 1]!;
      for (let i = orderStart[c]!; i < ob; i++) {
        const k = periods[i]! - cohortPeriod;
        if (k < 0) continue;
        const bought = isPurchase[i] === 1;
        if (bought) lastPurchaseOffset = k;
        if (k >= K) continue;
        revenue[base + k]! += orderRevenue[i]!;
        if (bought && k !== lastActive) {
          active[base + k]!++;
          lastActive = k;
        }
      }
      // rolling: active in period k or any later one, i.e. for every k up to the last purchase
      rollingDiff[row * (K + 1)]!++;
      rollingDiff[row * (K + 1) + Math.min(lastPurchaseOffset, K - 1) + 1]!--;
    }
  }
  const lastDay = ctx.lastOrderDay;
  const cohortGroup = new Int32Array(nCohorts);
  const cohortStart = new Int32Array(nCohorts);
  const cohortLabels = new Array<string>(nCohorts);
  const values = new Float64Array(nCohorts * K);
  const counts = new Float64Array(nCohorts * K);
  const status = new Uint8Array(nCohorts * K);
  for (let row = 0; row < nCohorts; row++) {
    const g = Math.floor(row / perGroup);
    const cohortPeriod = firstPeriod + (row % perGroup);
    cohortGroup[row] = g;
    cohortStart[row] = periodStartDay(cohortPeriod, p.period, p.weekStart);
    cohortLabels[row] = periodLabel(cohortPeriod, p.period, p.weekStart);
    const n = size[row]!;
    let rolling = 0;
    let cumulative = 0;
    for (let k = 0; k < K; k++) {
      const cell = row * K + k;
      const start = periodStartDay(cohortPeriod + k, p.period, p.weekStart);
      const end = periodStartDay(cohortPeriod + k + 1, p.period, p.weekStart);
      status[cell] = lastDay === null || start > lastDay ? CELL_FUTURE : end <= lastDay ? CELL_COMPLETE : CELL_INCOMPLETE;
      rolling += rollingDiff[row * (K + 1) + k]!;
      cumulative += revenue[cell]!;
      let count: number;
      switch (p.measure) {
        case 'customers':
          count = active[cell]!;
          break;
        case 'rolling':
          count = rolling;
          break;
        case 'revenue':
        case 'revenue_retention':
          count = revenue[cell]!;
          break;
        case 'cumulative_revenue':
          count = cumulative;
          break;
      }
      // per customer of the cohort; revenue retention against the cohort's first period instead, none
      // unless that revenue is positive (refunds above it would flip the sign)
      let value = p.measure === 'revenue_retention' ? perCost(count, revenue[row * K]!) : ratio(count, n);
      if (status[cell] === CELL_FUTURE) {
        value = Number.NaN;
        count = Number.NaN;
      }
      counts[cell] = count;
      values[cell] = value;
    }
  }
  // means over complete cells with a value, per group and offset
  const weightedMean = new Float64Array(nGroups * K);
  const simpleMean = new Float64Array(nGroups * K);
  const meanCells = new Int32Array(nGroups * K);
  for (let g = 0; g < nGroups; g++) {
    for (let k = 0; k < K; k++) {
      let weighted = 0;
      let weight = 0;
      let simple = 0;
      let cells = 0;
      for (let r = 0; r < perGroup; r++) {
        const row = g * perGroup + r;
        const cell = row * K + k;
        const v = values[cell]!;
        if (status[cell] !== CELL_COMPLETE || size[row] === 0 || v !== v) continue;
        weighted += v * size[row]!;
        weight += size[row]!;
        simple += v;
        cells++;
      }
      weightedMean[g * K + k] = ratio(weighted, weight);
      simpleMean[g * K + k] = ratio(simple, cells);
      meanCells[g * K + k] = cells;
    }
  }
  return {
    kind: 'retention',
    range: KernelContext.label(days),
    measure: p.measure,
    period: p.period,
    offsets: K,
    groups,
    breakdown: p.breakdown,
    cohortGroup,
    cohortStart,
    cohortLabels,
    cohortSize: size,
    values,
    counts,
    status,
    weightedMean,
    simpleMean,
    meanCells,
  };
}
