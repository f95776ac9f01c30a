/**
 * The KPI set of metrics.md section 3 for a range and for the equal-length range just before it.
 */
import type { ResolvedAttribution } from '../../src/core/queries.js';
import type { KpiResult, KpiValues } from '../../src/core/results.js';
import { creditsFor } from './attribution.js';
import { KernelContext, type DayRange } from './context.js';

/** KPIs of a range and its previous period. */
export function kpiResult(ctx: KernelContext, p: ResolvedAttribution, days: DayRange | null, mask: Uint8Array | null): KpiResult {
  const length = days === null ? 0 : days.toDay - days.fromDay + 1;
  const previousDays = days === null ? null : { fromDay: days.fromDay - length, toDay: days.fromDay - 1 };
  return {
    kind: 'kpis',
    range: KernelContext.label(days),
    previousRange: KernelContext.label(previousDays),
    model: p.model,
    basis: p.basis,
    current: kpiValues(ctx, p, days, mask),
    previous: kpiValues(ctx, p, previousDays, mask),
  };
}

function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

/** KPIs of one range. */
export function kpiValues(ctx: KernelContext, p: ResolvedAttribution, days: DayRange | null, mask: Uint8Array | null): KpiValues {
  let netRevenue = 0;
  let crmRevenue = 0;
  let crmMargin = 0;
  let purchases = 0;
  let purchaseRevenue = 0;
  let customers = 0;
  let repeatCustomers = 0;
  let recipients = 0;
  let convertedRecipients = 0;
  // a range with no data at all (the previous period of an "all time" range) needs no pass: every
  // count below would stay zero
  const outside = days === null || ctx.firstDay === null || days.toDay < ctx.firstDay || days.fromDay > ctx.lastDay!;
  if (!outside) {
    const { orders: o, dictionaries, index } = ctx.columns;
    const credits = creditsFor(ctx, p);
    const treatment = ctx.treatmentDays();
    const { fromDay, toDay } = days!;
    const orderStart = index.orderStart;
    const day = o.day;
    const orderRevenue = o.revenue;
    const orderMargin = o.margin;
    const isPurchase = o.isPurchase;
    const start = credits.start;
    const weight = credits.weight;
    const tStart = treatment.start;
    const tDay = treatment.day;
    const nCustomers = dictionaries.customers.length;
    // one pass per customer: orders and treatment-touch days are each in time order, so the range is
    // a contiguous run of each
    for (let c = 0; c < nCustomers; c++) {
      if (mask !== null && mask[c] === 0) continue;
      let bought = 0;
      let converted = false;
      const ob = orderStart[c + 1]!;
      let i = orderStart[c]!;
      while (i < ob && day[i]! < fromDay) i++;
      for (; i < ob && day[i]! <= toDay; i++) {
        const rev = orderRevenue[i]!;
        netRevenue += rev;
        if (isPurchase[i] === 0) continue;
        purchases++;
        purchaseRevenue += rev;
        bought++;
        const a = start[i]!;
        const b = start[i + 1]!;
        if (a === b) continue;
        converted = true;
        const mar = orderMargin[i]!;
        for (let q = a; q < b; q++) {
          const w = weight[q]!;
          crmRevenue += rev * w;
          if (mar === mar) crmMargin += mar * w;
        }
      }
      if (bought >= 1) customers++;
      if (bought >= 2) repeatCustomers++;
      // a recipient: a treatment touch sent on a day in range
      const tb = tStart[c + 1]!;
      let k = tStart[c]!;
      while (k < tb && tDay[k]! < fromDay) k++;
      if (k < tb && tDay[k]! <= toDay) {
        recipients++;
        if (converted) convertedRecipients++;
      }
    }
  }
  return {
    netRevenue,
    crmRevenue,
    crmMargin,
    crmShare: ratio(crmRevenue, netRevenue),
    purchases,
    purchaseRevenue,
    aov: ratio(purchaseRevenue, purchases),
    customers,
    repeatCustomers,
    repeatRate: ratio(repeatCustomers, customers),
    recipients,
    revenuePerRecipient: ratio(crmRevenue, recipients),
    convertedRecipients,
    conversionRate: ratio(convertedRecipients, recipients),
  };
}
