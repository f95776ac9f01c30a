/**
 * ROAS (metrics.md section 7): per period and channel (or campaign), cost from the costs table plus
 * per-touch costs of treatment touches sent in the period, against revenue attributed (current model,
 * window and basis) to that channel's touches from purchases in the period.
 */
import type { ResolvedAttribution } from '../../src/core/queries.js';
import type { RoasResult } from '../../src/core/results.js';
import type { OrdersColumns } from '../../src/core/tables.js';
import { campaignPairs, creditPairKeys, creditsFor, type Credits } from './attribution.js';
import { net } from '../../src/core/money.js';
import { KernelContext, MARGIN_CREDITED, MARGIN_KNOWN, perCost, perCosts, unknownMargins, type DayRange } from './context.js';
import { periodAxis, type Axis } from './periods.js';

/** ROAS per period × key, and blended. */
export function roasResult(
  ctx: KernelContext,
  p: ResolvedAttribution,
  byCampaign: boolean,
  days: DayRange | null,
  mask: Uint8Array | null,
  maskKey: string,
): RoasResult {
  const { orders: o, dictionaries } = ctx.columns;
  const credits = creditsFor(ctx, p);
  // keys: channels, or (channel, campaign) pairs of touches and costs
  const pairs = byCampaign ? ctx.remember('roas-pairs', '', () => campaignPairs(ctx, true), 1) : null;
  const keys = pairs === null ? [...dictionaries.channels] : pairs.keys;
  const keyChannels = pairs === null ? [...dictionaries.channels] : pairs.keyChannels;
  const pairKey = pairs?.pairKey ?? null;
  const creditKey = pairs === null ? credits.channel : creditPairKeys(ctx, credits, pairs.pairKey, 'roas');
  const axis = periodAxis(ctx, days, p.period, p.weekStart);
  const nKeys = keys.length;
  const nPeriods = axis.count;
  const revenue = new Float64Array(nPeriods * nKeys);
  const margin = new Float64Array(nPeriods * nKeys);
  // per cell: MARGIN_CREDITED | MARGIN_KNOWN, for the cells whose credited purchases all lack a margin
  const marks = new Uint8Array(nPeriods * nKeys);
  let cost = new Float64Array(nPeriods * nKeys);
  // per cell, the sum of the costs' absolute amounts (`net`), read not transferred
  let size: Float64Array = new Float64Array(nPeriods * nKeys);
  if (days !== null) {
    const { fromDay, toDay } = days;
    // the cost side does not depend on the model or the windows: a window change reuses it (a copy,
    // since the result's buffers are transferred away)
    const costKey = `${fromDay}|${toDay}|${p.period}|${p.weekStart}|${byCampaign}|${maskKey}`;
    const kept = ctx.remember('roas-cost', costKey, () => periodCosts(ctx, p, axis, days, mask, pairKey, nKeys), 4);
    cost = kept.cost.slice();
    size = kept.size;
    addCredited(o, ctx.orderPeriods(p.period, p.weekStart), axis.first, days, mask, credits, creditKey, nKeys, revenue, margin, marks);
  }
  const blendedCost = new Float64Array(nPeriods);
  const blendedRevenue = new Float64Array(nPeriods);
  const blendedMargin = new Float64Array(nPeriods);
  const blendedMarks = new Uint8Array(nPeriods);
  const blendedSize = new Float64Array(nPeriods);
  // each key, and everything, over the range
  const keyCost = new Float64Array(nKeys);
  const keyRevenue = new Float64Array(nKeys);
  const keyMargin = new Float64Array(nKeys);
  const keyMarks = new Uint8Array(nKeys);
  const keySize = new Float64Array(nKeys);
  let rangeSize = 0;
  let rangeCost = 0;
  let rangeRevenue = 0;
  let rangeMargin = 0;
  let rangeMarks = 0;
  for (let pi = 0; pi < nPeriods; pi++) {
    for (let k = 0; k < nKeys; k++) {
      const cell = pi * nKeys + k;
      const c = cost[cell]!;
      const z = size[cell]!;
      const r = revenue[cell]!;
      const m = margin[cell]!;
      blendedSize[pi]! += z;
      keySize[k]! += z;
      rangeSize += z;
      blendedCost[pi]! += c;
      blendedRevenue[pi]! += r;
      blendedMargin[pi]! += m;
      blendedMarks[pi]! |= marks[cell]!;
      keyCost[k]! += c;
      keyRevenue[k]! += r;
      keyMargin[k]! += m;
      keyMarks[k]! |= marks[cell]!;
      rangeCost += c;
      rangeRevenue += r;
      rangeMargin += m;
      rangeMarks |= marks[cell]!;
    }
  }
  // sums of costs that cancel are 0, not residue (the cells are, in periodCosts)
  for (let pi = 0; pi < nPeriods; pi++) blendedCost[pi] = net(blendedCost[pi]!, blendedSize[pi]!);
  for (let k = 0; k < nKeys; k++) keyCost[k] = net(keyCost[k]!, keySize[k]!);
  rangeCost = net(rangeCost, rangeSize);
  // after the sums, which add the known margins (a cell of unknown margin holds 0 until here)
  unknownMargins(blendedMargin, blendedMarks);
  unknownMargins(keyMargin, keyMarks);
  if (rangeMarks === MARGIN_CREDITED) rangeMargin = Number.NaN;
  unknownMargins(margin, marks);
  return {
    kind: 'roas',
    range: KernelContext.label(days),
    model: p.model,
    basis: p.basis,
    periods: axis.toAxis(),
    keys,
    keyChannels,
    cost,
    revenue,
    margin,
    roas: perCosts(revenue, cost),
    marginRoas: perCosts(margin, cost),
    blendedCost,
    blendedRevenue,
    blendedMargin,
    blendedRoas: perCosts(blendedRevenue, blendedCost),
    blendedMarginRoas: perCosts(blendedMargin, blendedCost),
    keyCost,
    keyRevenue,
    keyMargin,
    keyRoas: perCosts(keyRevenue, keyCost),
    keyMarginRoas: perCosts(keyMargin, keyCost),
    rangeCost,
    rangeRevenue,
    rangeMargin,
    rangeRoas: perCost(rangeRevenue, rangeCost),
    rangeMarginRoas: perCost(rangeMargin, rangeCost),
  };
}

/**
 * Adds the credits of the purchases of a day range (and of the customers in `mask`) to the revenue and
 * margin cells, and marks the cells credited, and whether with a known margin. A function of its own,
 * so that V8 keeps its optimised code from one query to the next (as `findSingle` in attribution.ts
 * explains). In `roasResult`'s body the loop was compiled on the fly and the code thrown away again:
 * 8 compilations over 100 window changes in Node 20, against 5 for the two functions now.
 */
function addCredited(
  o: OrdersColumns,
  periods: Int32Array,
  first: number,
  days: DayRange,
  mask: Uint8Array | null,
  credits: Credits,
  creditKey: Int32Array,
  nKeys: number,
  revenue: Float64Array,
  margin: Float64Array,
  marks: Uint8Array,
): void {
  const { fromDay, toDay } = days;
  const { start, weight } = credits;
  const { day: orderDay, customer, revenue: orderRevenue, margin: orderMargin, count } = o;
  for (let i = 0; i < count; i++) {
    const a = start[i]!;
    const b = start[i + 1]!;
    if (a === b) continue; // adjustments and purchases without CRM credit
    const day = orderDay[i]!;
    if (day < fromDay || day > toDay) continue;
    if (mask !== null && mask[customer[i]!] === 0) continue;
    const row = (periods[i]! - first) * nKeys;
    const rev = orderRevenue[i]!;
    const mar = orderMargin[i]!;
    const mark = mar === mar ? MARGIN_CREDITED | MARGIN_KNOWN : MARGIN_CREDITED;
    for (let q = a; q < b; q++) {
      const w = weight[q]!;
      const cell = row + creditKey[q]!;
      revenue[cell]! += rev * w;
      if (mar === mar) margin[cell]! += mar * w;
      if (w !== 0) marks[cell]! |= mark;
    }
  }
}

/**
 * Cost per period × key of a range: the costs table's rows plus the per-touch costs of treatment
 * touches sent in the range to customers passing the filter; with the sum of their absolute amounts
 * per cell (`size`), by which a cell of amounts that cancel is 0 (`net`).
 */
function periodCosts(
  ctx: KernelContext,
  p: ResolvedAttribution,
  axis: Axis,
  days: DayRange,
  mask: Uint8Array | null,
  pairKey: Int32Array | null,
  nKeys: number,
): { cost: Float64Array; size: Float64Array } {
  const { touches: t, costs, dictionaries } = ctx.columns;
  const nCampaigns = dictionaries.campaigns.length + 1;
  const { fromDay, toDay } = days;
  const cost = new Float64Array(axis.count * nKeys);
  const size = new Float64Array(axis.count * nKeys);
  const keyOf = (channel: number, campaign: number): number => (pairKey === null ? channel : pairKey[channel * nCampaigns + campaign + 1]!);
  for (let i = 0; i < costs.count; i++) {
    const day = costs.day[i]!;
    if (day < fromDay || day > toDay) continue;
    const cell = axis.indexOfDay(day) * nKeys + keyOf(costs.channel[i]!, costs.campaign[i]!);
    cost[cell]! += costs.amount[i]!;
    size[cell]! += Math.abs(costs.amount[i]!);
  }
  // the paid touches (324k at 1m) in one loop, the period read from the table inline: a new cost table
  // took 16 ms p50 in Node through paidTouchesIn and a closure call per touch, 9 ms like this
  const table = ctx.periodTableFor(p.period, p.weekStart);
  const tableFirst = ctx.tableFirst;
  const first = axis.first;
  const paid = ctx.paidTouches();
  const { day: touchDay, customer, channel, campaign, cost: touchCost } = t;
  for (let j = 0; j < paid.length; j++) {
    const k = paid[j]!;
    const day = touchDay[k]!;
    if (day < fromDay || day > toDay) continue;
    if (mask !== null && mask[customer[k]!] === 0) continue;
    const at = day - tableFirst;
    const row = at >= 0 && at < table.length ? table[at]! - first : axis.indexOfDay(day);
    const ch = channel[k]!;
    const cell = row * nKeys + (pairKey === null ? ch : pairKey[ch * nCampaigns + campaign[k]! + 1]!);
    cost[cell]! += touchCost[k]!;
    size[cell]! += Math.abs(touchCost[k]!);
  }
  for (let cell = 0; cell < cost.length; cell++) cost[cell] = net(cost[cell]!, size[cell]!);
  return { cost, size };
}
