/**
 * Attribution (metrics.md section 3): which touches get credit for each purchase, and how much.
 *
 * `creditsFor` assigns credit for every purchase of the dataset once per (model, basis, windows,
 * half-life) and caches it; the attribution, KPI and ROAS kernels then only aggregate over the credits
 * of the purchases in their range, so a change of range, period, dimension or filter costs one pass.
 */
import { windowOf, type ResolvedAttribution } from '../../src/core/queries.js';
import type { AttributionResult } from '../../src/core/results.js';
import { KernelContext, STAGE_NAMES, type DayRange } from './context.js';
import { periodAxis, type Axis } from './periods.js';

/** Credit of each purchase, as a CSR over order indexes. Adjustments have none. */
export interface Credits {
  /** Credits of order i are entries `start[i] .. start[i+1]`. */
  start: Int32Array;
  touch: Int32Array;
  weight: Float64Array;
}

/** Cache key of the credit assignment of resolved parameters. */
function creditKey(p: ResolvedAttribution): string {
  return `credits|${p.model}|${p.basis}|${p.defaultWindow}|${JSON.stringify(p.windows)}|${p.halfLife}`;
}

/** The credits for every purchase under the parameters (cached). */
export function creditsFor(ctx: KernelContext, p: ResolvedAttribution): Credits {
  return ctx.remember(creditKey(p), () => assignCredits(ctx, p), 4);
}

function assignCredits(ctx: KernelContext, p: ResolvedAttribution): Credits {
  const { orders: o, touches: t, dictionaries, index } = ctx.columns;
  const events = ctx.eventIndex(p.basis);
  const nChannels = dictionaries.channels.length;
  const channelWindow = new Float64Array(nChannels);
  const channelHalfLife = new Float64Array(nChannels);
  let maxWindow = p.defaultWindow;
  for (let ch = 0; ch < nChannels; ch++) {
    const w = windowOf(p, dictionaries.channels[ch]!);
    channelWindow[ch] = w;
    channelHalfLife[ch] = p.halfLife ?? w / 4;
    if (w > maxWindow) maxWindow = w;
  }
  const model = p.model;
  const single = model === 'last_touch' || model === 'first_touch';
  const start = new Int32Array(o.count + 1);
  let cap = Math.max(1024, single ? o.count : o.count * 2);
  let touch = new Int32Array(cap);
  let weight = new Float64Array(cap);
  let n = 0;
  // eligible touches of the current purchase, in event order
  let eligible = new Int32Array(64);
  let eligibleTime = new Float64Array(64);
  const nCustomers = dictionaries.customers.length;
  for (let c = 0; c < nCustomers; c++) {
    const oa = index.orderStart[c]!;
    const ob = index.orderStart[c + 1]!;
    const ea = events.start[c]!;
    const eb = events.start[c + 1]!;
    let hi = ea; // first event after the purchase time
    for (let i = oa; i < ob; i++) {
      start[i] = n;
      if (o.isPurchase[i] === 0 || ea === eb) continue;
      const time = o.time[i]!;
      while (hi < eb && events.time[hi]! <= time) hi++;
      // walk back over events within the longest window; keep those within their channel's window
      let count = 0;
      for (let e = hi - 1; e >= ea; e--) {
        const at = events.time[e]!;
        if (at < time - maxWindow) break;
        const k = events.touch[e]!;
        if (at < time - channelWindow[t.channel[k]!]!) continue;
        if (count === eligible.length) {
          const grown = new Int32Array(count * 2);
          grown.set(eligible);
          eligible = grown;
          const grownTime = new Float64Array(count * 2);
          grownTime.set(eligibleTime);
          eligibleTime = grownTime;
        }
        eligible[count] = k;
        eligibleTime[count] = at;
        count++;
      }
      if (count === 0) continue;
      // collected newest first: entry count − 1 is t1, entry 0 is tn
      const needed = n + (single ? 1 : count);
      if (needed > cap) {
        cap = Math.max(needed, cap * 2);
        const grownTouch = new Int32Array(cap);
        grownTouch.set(touch);
        touch = grownTouch;
        const grownWeight = new Float64Array(cap);
        grownWeight.set(weight);
        weight = grownWeight;
      }
      if (model === 'last_touch') {
        touch[n] = eligible[0]!;
        weight[n++] = 1;
      } else if (model === 'first_touch') {
        touch[n] = eligible[count - 1]!;
        weight[n++] = 1;
      } else if (model === 'linear') {
        for (let j = count - 1; j >= 0; j--) {
          touch[n] = eligible[j]!;
          weight[n++] = 1 / count;
        }
      } else if (model === 'position_based') {
        for (let j = count - 1; j >= 0; j--) {
          touch[n] = eligible[j]!;
          const rank = count - 1 - j; // 0 = first
          weight[n++] = count === 1 ? 1 : count === 2 ? 0.5 : rank === 0 || rank === count - 1 ? 0.4 : 0.2 / (count - 2);
        }
      } else {
        // time decay: 2^(−Δ/h), normalised
        let sum = 0;
        const from = n;
        for (let j = count - 1; j >= 0; j--) {
          const k = eligible[j]!;
          const h = channelHalfLife[t.channel[k]!]!;
          const delta = time - eligibleTime[j]!;
          const w = h > 0 ? Math.pow(2, -delta / h) : delta === 0 ? 1 : 0;
          touch[n] = k;
          weight[n++] = w;
          sum += w;
        }
        for (let q = from; q < n; q++) weight[q] = sum > 0 ? weight[q]! / sum : 1 / count;
      }
    }
  }
  start[o.count] = n;
  // orders of customers without any order entry keep start = 0 only if the loop never reached them
  return { start, touch: touch.slice(0, n), weight: weight.slice(0, n) };
}

/** Keys of a dimension: names, the channel of each key, and a function from (order, touch) to key index. */
export interface DimensionKeys {
  keys: string[];
  keyChannels: string[];
  keyOf: (order: number, touch: number) => number;
}

/** The keys of attribution by channel, campaign (within channel, `(none)` without one) or stage. */
export function dimensionKeys(ctx: KernelContext, dimension: 'channel' | 'campaign' | 'stage', reactivationMs: number): DimensionKeys {
  const { touches: t, dictionaries } = ctx.columns;
  if (dimension === 'channel') {
    return { keys: [...dictionaries.channels], keyChannels: [...dictionaries.channels], keyOf: (_o, k) => t.channel[k]! };
  }
  if (dimension === 'stage') {
    const stages = ctx.stagesFor(reactivationMs);
    return { keys: [...STAGE_NAMES], keyChannels: STAGE_NAMES.map(() => ''), keyOf: (i) => stages[i]! };
  }
  // campaign: one key per (channel, campaign) pair seen in touches, in channel then campaign order
  const nCampaigns = dictionaries.campaigns.length + 1;
  const pairKey = new Int32Array(dictionaries.channels.length * nCampaigns).fill(-1);
  for (let k = 0; k < t.count; k++) pairKey[t.channel[k]! * nCampaigns + t.campaign[k]! + 1] = 0;
  const keys: string[] = [];
  const keyChannels: string[] = [];
  for (let pair = 0; pair < pairKey.length; pair++) {
    if (pairKey[pair] === -1) continue;
    pairKey[pair] = keys.length;
    const campaign = (pair % nCampaigns) - 1;
    keys.push(campaign < 0 ? '(none)' : dictionaries.campaigns[campaign]!);
    keyChannels.push(dictionaries.channels[Math.floor(pair / nCampaigns)]!);
  }
  return { keys, keyChannels, keyOf: (_o, k) => pairKey[t.channel[k]! * nCampaigns + t.campaign[k]! + 1]! };
}

/** Attributed revenue by period × key for the purchases in a range (metrics.md section 3). */
export function attributionResult(
  ctx: KernelContext,
  p: ResolvedAttribution,
  days: DayRange | null,
  mask: Uint8Array | null,
): AttributionResult {
  const { keys, keyChannels, keyOf } = dimensionKeys(ctx, p.dimension, p.reactivationMs);
  const axis: Axis = periodAxis(ctx, days, p.period, p.weekStart);
  const nKeys = keys.length;
  const nPeriods = axis.count;
  const revenue = new Float64Array(nPeriods * nKeys);
  const margin = new Float64Array(nPeriods * nKeys);
  const purchases = new Float64Array(nPeriods * nKeys);
  const nonCrmRevenue = new Float64Array(nPeriods);
  const nonCrmMargin = new Float64Array(nPeriods);
  const nonCrmPurchases = new Float64Array(nPeriods);
  const netRevenue = new Float64Array(nPeriods);
  const purchaseRevenue = new Float64Array(nPeriods);
  const purchaseCount = new Float64Array(nPeriods);
  if (days !== null) {
    const credits = creditsFor(ctx, p);
    const o = ctx.columns.orders;
    for (let i = 0; i < o.count; i++) {
      const day = o.day[i]!;
      if (day < days.fromDay || day > days.toDay) continue;
      if (mask !== null && mask[o.customer[i]!] === 0) continue;
      const pi = axis.indexOfDay(day);
      const rev = o.revenue[i]!;
      const mar = o.margin[i]!;
      netRevenue[pi]! += rev;
      if (o.isPurchase[i] === 0) continue;
      purchaseRevenue[pi]! += rev;
      purchaseCount[pi]!++;
      const a = credits.start[i]!;
      const b = credits.start[i + 1]!;
      if (a === b) {
        nonCrmRevenue[pi]! += rev;
        if (mar === mar) nonCrmMargin[pi]! += mar;
        nonCrmPurchases[pi]!++;
        continue;
      }
      for (let q = a; q < b; q++) {
        const w = credits.weight[q]!;
        const cell = pi * nKeys + keyOf(i, credits.touch[q]!);
        revenue[cell]! += rev * w;
        if (mar === mar) margin[cell]! += mar * w;
        purchases[cell]! += w;
      }
    }
  }
  return {
    kind: 'attribution',
    range: KernelContext.label(days),
    model: p.model,
    basis: p.basis,
    dimension: p.dimension,
    periods: axis.toAxis(),
    keys,
    keyChannels,
    revenue,
    margin,
    purchases,
    nonCrmRevenue,
    nonCrmMargin,
    nonCrmPurchases,
    netRevenue,
    purchaseRevenue,
    purchaseCount,
  };
}
