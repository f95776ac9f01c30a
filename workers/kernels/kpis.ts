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

const RECIPIENT = 1;
const CONVERTED = 2;

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
  if (days !== null) {
    const { orders: o, touches: t, dictionaries } = ctx.columns;
    const credits = creditsFor(ctx, p);
    const flags = new Uint8Array(dictionaries.customers.length);
    let current = -1;
    let count = 0;
    for (let i = 0; i < o.count; i++) {
      const day = o.day[i]!;
      if (day < days.fromDay || day > days.toDay) continue;
      const c = o.customer[i]!;
      if (mask !== null && mask[c] === 0) continue;
      const rev = o.revenue[i]!;
      netRevenue += rev;
      if (o.isPurchase[i] === 0) continue;
      purchases++;
      purchaseRevenue += rev;
      if (c !== current) {
        if (count >= 1) customers++;
        if (count >= 2) repeatCustomers++;
        current = c;
        count = 0;
      }
      count++;
      const a = credits.start[i]!;
      const b = credits.start[i + 1]!;
      if (a === b) continue;
      flags[c]! |= CONVERTED;
      const mar = o.margin[i]!;
      for (let q = a; q < b; q++) {
        const w = credits.weight[q]!;
        crmRevenue += rev * w;
        if (mar === mar) crmMargin += mar * w;
      }
    }
    if (count >= 1) customers++;
    if (count >= 2) repeatCustomers++;
    for (let k = 0; k < t.count; k++) {
      if (t.group[k] !== 0) continue;
      const day = t.day[k]!;
      if (day < days.fromDay || day > days.toDay) continue;
      const c = t.customer[k]!;
      if (mask !== null && mask[c] === 0) continue;
      if ((flags[c]! & RECIPIENT) === 0) {
        flags[c]! |= RECIPIENT;
        recipients++;
        if ((flags[c]! & CONVERTED) !== 0) convertedRecipients++;
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
