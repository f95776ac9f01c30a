/**
 * The KPI set of metrics.md section 3 for a range and for the equal-length range just before it.
 */
import { spanPartial } from '../../src/core/periods.js';
import type { ResolvedAttribution } from '../../src/core/queries.js';
import type { KpiResult, KpiValues } from '../../src/core/results.js';
import { creditedStart } from './attribution.js';
import { KernelContext, ratio, type DayRange } from './context.js';

/** KPIs of a range and its previous period. */
export function kpiResult(ctx: KernelContext, p: ResolvedAttribution, days: DayRange | null, mask: Uint8Array | null, maskKey: string): KpiResult {
  const length = days === null ? 0 : days.toDay - days.fromDay + 1;
  const previousDays = days === null ? null : { fromDay: days.fromDay - length, toDay: days.fromDay - 1 };
  const sums = kpiSums(ctx, p, days, mask, maskKey);
  return {
    kind: 'kpis',
    range: KernelContext.label(days),
    previousRange: KernelContext.label(previousDays),
    model: p.model,
    basis: p.basis,
    current: kpiValues(sums, CURRENT),
    previous: kpiValues(sums, PREVIOUS),
    partial: partialRange(ctx, days),
    previousPartial: partialRange(ctx, previousDays),
  };
}

/** 1 when the orders cover a range only in part, as the period axes flag partial periods. */
function partialRange(ctx: KernelContext, days: DayRange | null): number {
  if (days === null) return 0;
  const { from, end } = ctx.covered(days);
  return spanPartial(days.fromDay, days.toDay + 1, from, end);
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
 * The sums of the range and of the equal-length range just before it. What does not depend on the
 * attribution parameters comes from the range and filter's `KpiScope`, made by one walk of every
 * customer's orders and treatment-touch days (`kpiScope`) and kept; CRM revenue, margin and converted
 * recipients are then summed over the customers with a purchase in the ranges (`addCredited`), so a
 * change of window or model costs that pass alone. At 1m in Chromium's worker the walk took 12–25 ms
 * of a window change; `npm run bench:kernels`' KPIs changes went from a p50 of 14–15 ms to 6 ms with
 * the scope kept.
 */
function kpiSums(ctx: KernelContext, p: ResolvedAttribution, days: DayRange | null, mask: Uint8Array | null, maskKey: string): Float64Array {
  const previousFrom = days === null ? 0 : days.fromDay - (days.toDay - days.fromDay + 1);
  // no range, or both ranges wholly outside the data, need no pass: every sum would stay zero
  if (days === null || ctx.firstDay === null || days.toDay < ctx.firstDay || previousFrom > ctx.lastDay!) return new Float64Array(2 * FIELDS);
  const scope = ctx.remember('kpi-scope', `${days.fromDay}|${days.toDay}|${maskKey}`, () => kpiScope(ctx, days, mask), 4);
  // a purchase's credit weights sum to 1 under every model (metrics.md section 3), so its CRM revenue
  // is its whole revenue when it has credit at all: the KPIs need only which purchases have, which
  // does not depend on the model (a model change computes no credits for them)
  const start = creditedStart(ctx, p);
  const sums = scope.fixed.slice();
  const { revenue, margin } = ctx.columns.orders;
  for (const range of [CURRENT, PREVIOUS]) {
    const base = range === CURRENT ? 0 : FIELDS;
    // [revenue, margin, credited purchases, those of them with a known margin]
    const money = new Float64Array(4);
    const runs = scope.runs[range]!;
    const recipient = scope.recipient[range]!;
    let converted = 0;
    for (let r = 0; r < recipient.length; r += KPI_BLOCK) {
      converted += addCredited(money, runs, recipient, r, Math.min(r + KPI_BLOCK, recipient.length), start, revenue, margin);
    }
    sums[base + CRM_REVENUE] = money[0]!;
    // summed where known; unknown when no credited purchase has a margin (context.ts: unknownMargins)
    sums[base + CRM_MARGIN] = money[2]! > 0 && money[3] === 0 ? Number.NaN : money[1]!;
    sums[base + CONVERTED_RECIPIENTS] = converted;
  }
  return sums;
}

/** What the KPIs of one range and filter keep for the next change of window or model. */
interface KpiScope {
  /** The sums of both ranges but CRM revenue, CRM margin and converted recipients (zero here). */
  fixed: Float64Array;
  /**
   * Per range (current, previous): for each customer with a purchase in it, in customer order, the
   * [from, to) order indexes of their orders in that range (adjustments among them).
   */
  runs: Int32Array[];
  /** Per range: 1 for each run whose customer is a recipient in that range. */
  recipient: Uint8Array[];
}

/**
 * Customers per call of the walk and of the credited pass: V8 optimises a short function called often
 * sooner than one long loop run once per query (see the holdout lift's OUTCOME_BLOCK).
 */
const KPI_BLOCK = 2048;

/** Grow-only scratch for the scope's runs (fresh big arrays are page-fault bound). */
let scratchRuns: Int32Array[] = [new Int32Array(0), new Int32Array(0)];
let scratchRecipient: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0)];

/** What `walkKpiCustomers` reads and writes: one walk's columns, ranges, sums and runs. */
interface KpiWalk {
  day: Int32Array;
  revenue: Float64Array;
  isPurchase: Uint8Array;
  orderStart: Int32Array;
  tStart: Int32Array;
  tDay: Int32Array;
  mask: Uint8Array | null;
  previousFrom: number;
  fromDay: number;
  toDay: number;
  sums: Float64Array;
  /** Per range (current, previous): the runs so far, their recipient flags and how many. */
  runs: Int32Array[];
  recipient: Uint8Array[];
  count: Int32Array;
}

/**
 * The scope of a range and the one before it, in one walk (each customer's orders and treatment-touch
 * days are in time order, so the two ranges are adjacent runs of each).
 */
function kpiScope(ctx: KernelContext, days: DayRange, mask: Uint8Array | null): KpiScope {
  const { orders: o, dictionaries, index } = ctx.columns;
  const treatment = ctx.treatmentDays();
  const nCustomers = dictionaries.customers.length;
  if (scratchRecipient[0]!.length < nCustomers) {
    scratchRuns = [new Int32Array(2 * nCustomers), new Int32Array(2 * nCustomers)];
    scratchRecipient = [new Uint8Array(nCustomers), new Uint8Array(nCustomers)];
  }
  const w: KpiWalk = {
    day: o.day,
    revenue: o.revenue,
    isPurchase: o.isPurchase,
    orderStart: index.orderStart,
    tStart: treatment.start,
    tDay: treatment.day,
    mask,
    previousFrom: days.fromDay - (days.toDay - days.fromDay + 1),
    fromDay: days.fromDay,
    toDay: days.toDay,
    sums: new Float64Array(2 * FIELDS),
    runs: scratchRuns,
    recipient: scratchRecipient,
    count: new Int32Array(2),
  };
  for (let c = 0; c < nCustomers; c += KPI_BLOCK) walkKpiCustomers(w, c, Math.min(c + KPI_BLOCK, nCustomers));
  return {
    fixed: w.sums,
    runs: [CURRENT, PREVIOUS].map((r) => w.runs[r]!.slice(0, 2 * w.count[r]!)),
    recipient: [CURRENT, PREVIOUS].map((r) => w.recipient[r]!.slice(0, w.count[r]!)),
  };
}

/** The walk of customers `c0 .. c1` (see `kpiScope`). */
function walkKpiCustomers(w: KpiWalk, c0: number, c1: number): void {
  const { day, revenue, isPurchase, orderStart, tStart, tDay, mask, previousFrom, fromDay, toDay, sums, count } = w;
  const currentRuns = w.runs[CURRENT]!;
  const previousRuns = w.runs[PREVIOUS]!;
  const currentRecipient = w.recipient[CURRENT]!;
  const previousRecipient = w.recipient[PREVIOUS]!;
  for (let c = c0; c < c1; c++) {
    if (mask !== null && mask[c] === 0) continue;
    // purchases per range (previous, then current)
    let boughtBefore = 0;
    let bought = 0;
    const ob = orderStart[c + 1]!;
    let i = orderStart[c]!;
    while (i < ob && day[i]! < previousFrom) i++;
    const previousStart = i;
    let currentStart = -1;
    for (; i < ob && day[i]! <= toDay; i++) {
      const current = day[i]! >= fromDay;
      if (current && currentStart < 0) currentStart = i;
      const base = current ? 0 : FIELDS;
      const rev = revenue[i]!;
      sums[base + NET_REVENUE]! += rev;
      if (isPurchase[i] === 0) continue;
      sums[base + PURCHASES]!++;
      sums[base + PURCHASE_REVENUE]! += rev;
      if (current) bought++;
      else boughtBefore++;
    }
    if (bought >= 1) sums[CUSTOMERS]!++;
    if (bought >= 2) sums[REPEAT_CUSTOMERS]!++;
    if (boughtBefore >= 1) sums[FIELDS + CUSTOMERS]!++;
    if (boughtBefore >= 2) sums[FIELDS + REPEAT_CUSTOMERS]!++;
    // a recipient: a treatment touch sent on a day in the range
    const tb = tStart[c + 1]!;
    let k = tStart[c]!;
    let recipientBefore = 0;
    let recipient = 0;
    while (k < tb && tDay[k]! < previousFrom) k++;
    if (k < tb && tDay[k]! < fromDay) {
      recipientBefore = 1;
      sums[FIELDS + RECIPIENTS]!++;
      while (k < tb && tDay[k]! < fromDay) k++;
    }
    if (k < tb && tDay[k]! <= toDay) {
      recipient = 1;
      sums[RECIPIENTS]!++;
    }
    // the runs the credited sums go over: customers with a purchase in the range
    if (boughtBefore > 0) {
      const n = count[PREVIOUS]!++;
      previousRuns[2 * n] = previousStart;
      previousRuns[2 * n + 1] = currentStart < 0 ? i : currentStart;
      previousRecipient[n] = recipientBefore;
    }
    if (bought > 0) {
      const n = count[CURRENT]!++;
      currentRuns[2 * n] = currentStart;
      currentRuns[2 * n + 1] = i;
      currentRecipient[n] = recipient;
    }
  }
}

/**
 * Adds the revenue and margin of the purchases with credit in runs `from..to` to `money` ([revenue,
 * margin, purchases, purchases with a known margin], one purchase after the other, customer by
 * customer in time order); returns how many of those runs' customers are recipients with such a
 * purchase.
 */
function addCredited(
  money: Float64Array,
  runs: Int32Array,
  recipient: Uint8Array,
  from: number,
  to: number,
  start: Int32Array,
  revenue: Float64Array,
  margin: Float64Array,
): number {
  let crmRevenue = money[0]!;
  let crmMargin = money[1]!;
  let credits = money[2]!;
  let known = money[3]!;
  let converted = 0;
  for (let r = from; r < to; r++) {
    const end = runs[2 * r + 1]!;
    let credited = false;
    for (let i = runs[2 * r]!; i < end; i++) {
      // adjustments among the run's orders have no credit (attribution.ts: Credits, Eligibility)
      if (start[i] === start[i + 1]) continue;
      credited = true;
      crmRevenue += revenue[i]!;
      credits++;
      const mar = margin[i]!;
      if (mar === mar) {
        crmMargin += mar;
        known++;
      }
    }
    if (credited && recipient[r] === 1) converted++;
  }
  money[0] = crmRevenue;
  money[1] = crmMargin;
  money[2] = credits;
  money[3] = known;
  return converted;
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
