/**
 * The KPI set of metrics.md section 3 for a range and for the equal-length range just before it.
 */
import type { ResolvedAttribution } from '../../src/core/queries.js';
import type { KpiResult, KpiValues } from '../../src/core/results.js';
import { creditedStart } from './attribution.js';
import { KernelContext, ratio, type DayRange } from './context.js';

/** KPIs of a range and its previous period. */
export function kpiResult(ctx: KernelContext, p: ResolvedAttribution, days: DayRange | null, mask: Uint8Array | null): KpiResult {
  const length = days === null ? 0 : days.toDay - days.fromDay + 1;
  const previousDays = days === null ? null : { fromDay: days.fromDay - length, toDay: days.fromDay - 1 };
  const sums = kpiSums(ctx, p, days, mask);
  return {
    kind: 'kpis',
    range: KernelContext.label(days),
    previousRange: KernelContext.label(previousDays),
    model: p.model,
    basis: p.basis,
    current: kpiValues(sums, CURRENT),
    previous: kpiValues(sums, PREVIOUS),
  };
}

// The sums of both ranges sit in one array: range r's field f at r × FIELDS + f.
const CURRENT = 0;
const PREVIOUS = 1;
const NET_REVENUE = 0;
const CRM_REVENUE = 1;
const CRM_MARGIN = 2;
const PURCHASES = 3;
const PURCHASE_REVENUE = 4;
const CUSTOMERS = 5;
const REPEAT_CUSTOMERS = 6;
const RECIPIENTS = 7;
const CONVERTED_RECIPIENTS = 8;
const FIELDS = 9;

/**
 * The sums of the range and of the equal-length range just before it, in one pass: each customer's
 * orders and treatment-touch days are in time order, so the two ranges are adjacent runs of each, and
 * one walk serves both.
 */
function kpiSums(ctx: KernelContext, p: ResolvedAttribution, days: DayRange | null, mask: Uint8Array | null): Float64Array {
  const sums = new Float64Array(2 * FIELDS);
  if (days === null || ctx.firstDay === null) return sums;
  const fromDay = days.fromDay;
  const toDay = days.toDay;
  const previousFrom = fromDay - (toDay - fromDay + 1);
  // both ranges wholly outside the data need no pass: every sum would stay zero
  if (toDay < ctx.firstDay || previousFrom > ctx.lastDay!) return sums;
  const { orders: o, dictionaries, index } = ctx.columns;
  // a purchase's credit weights sum to 1 under every model (metrics.md section 3), so its CRM revenue
  // is its whole revenue when it has credit at all: the KPIs need only which purchases have, which
  // does not depend on the model (a model change computes no credits for them)
  const start = creditedStart(ctx, p);
  const treatment = ctx.treatmentDays();
  const orderStart = index.orderStart;
  const day = o.day;
  const orderRevenue = o.revenue;
  const orderMargin = o.margin;
  const isPurchase = o.isPurchase;
  const tStart = treatment.start;
  const tDay = treatment.day;
  const nCustomers = dictionaries.customers.length;
  for (let c = 0; c < nCustomers; c++) {
    if (mask !== null && mask[c] === 0) continue;
    // purchases and whether one had CRM credit, per range (previous, then current)
    let boughtBefore = 0;
    let bought = 0;
    let convertedBefore = false;
    let converted = false;
    const ob = orderStart[c + 1]!;
    let i = orderStart[c]!;
    while (i < ob && day[i]! < previousFrom) i++;
    for (; i < ob && day[i]! <= toDay; i++) {
      const current = day[i]! >= fromDay;
      const base = current ? 0 : FIELDS;
      const rev = orderRevenue[i]!;
      sums[base + NET_REVENUE]! += rev;
      if (isPurchase[i] === 0) continue;
      sums[base + PURCHASES]!++;
      sums[base + PURCHASE_REVENUE]! += rev;
      if (current) bought++;
      else boughtBefore++;
      if (start[i] === start[i + 1]) continue;
      if (current) converted = true;
      else convertedBefore = true;
      sums[base + CRM_REVENUE]! += rev;
      const mar = orderMargin[i]!;
      if (mar === mar) sums[base + CRM_MARGIN]! += mar;
    }
    if (bought >= 1) sums[CUSTOMERS]!++;
    if (bought >= 2) sums[REPEAT_CUSTOMERS]!++;
    if (boughtBefore >= 1) sums[FIELDS + CUSTOMERS]!++;
    if (boughtBefore >= 2) sums[FIELDS + REPEAT_CUSTOMERS]!++;
    // a recipient: a treatment touch sent on a day in the range
    const tb = tStart[c + 1]!;
    let k = tStart[c]!;
    while (k < tb && tDay[k]! < previousFrom) k++;
    if (k < tb && tDay[k]! < fromDay) {
      sums[FIELDS + RECIPIENTS]!++;
      if (convertedBefore) sums[FIELDS + CONVERTED_RECIPIENTS]!++;
      while (k < tb && tDay[k]! < fromDay) k++;
    }
    if (k < tb && tDay[k]! <= toDay) {
      sums[RECIPIENTS]!++;
      if (converted) sums[CONVERTED_RECIPIENTS]!++;
    }
  }
  return sums;
}

/** The KPIs of one range's sums. */
function kpiValues(sums: Float64Array, range: number): KpiValues {
  const at = range === CURRENT ? 0 : FIELDS;
  const get = (field: number): number => sums[at + field]!;
  const crmRevenue = get(CRM_REVENUE);
  return {
    netRevenue: get(NET_REVENUE),
    crmRevenue,
    crmMargin: get(CRM_MARGIN),
    crmShare: ratio(crmRevenue, get(NET_REVENUE)),
    purchases: get(PURCHASES),
    purchaseRevenue: get(PURCHASE_REVENUE),
    aov: ratio(get(PURCHASE_REVENUE), get(PURCHASES)),
    customers: get(CUSTOMERS),
    repeatCustomers: get(REPEAT_CUSTOMERS),
    repeatRate: ratio(get(REPEAT_CUSTOMERS), get(CUSTOMERS)),
    recipients: get(RECIPIENTS),
    revenuePerRecipient: ratio(crmRevenue, get(RECIPIENTS)),
    convertedRecipients: get(CONVERTED_RECIPIENTS),
    conversionRate: ratio(get(CONVERTED_RECIPIENTS), get(RECIPIENTS)),
  };
}
