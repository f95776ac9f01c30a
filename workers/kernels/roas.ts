/**
 * ROAS (metrics.md section 7): per period and channel (or campaign), cost from the costs table plus
 * per-touch costs of treatment touches sent in the period, against revenue attributed (current model,
 * window and basis) to that channel's touches from purchases in the period.
 */
import type { ResolvedAttribution } from '../../src/core/queries.js';
import type { RoasResult } from '../../src/core/results.js';
import { creditsFor } from './attribution.js';
import { KernelContext, type DayRange } from './context.js';
import { periodAxis } from './periods.js';

/** Keys of ROAS rows and the key of a (channel, campaign) pair. */
function roasKeys(ctx: KernelContext, byCampaign: boolean): { keys: string[]; keyChannels: string[]; keyOf: (channel: number, campaign: number) => number } {
  const { touches: t, costs, dictionaries } = ctx.columns;
  if (!byCampaign) {
    return { keys: [...dictionaries.channels], keyChannels: [...dictionaries.channels], keyOf: (channel) => channel };
  }
  const nCampaigns = dictionaries.campaigns.length + 1;
  const pairKey = new Int32Array(dictionaries.channels.length * nCampaigns).fill(-1);
  for (let k = 0; k < t.count; k++) pairKey[t.channel[k]! * nCampaigns + t.campaign[k]! + 1] = 0;
  for (let i = 0; i < costs.count; i++) pairKey[costs.channel[i]! * nCampaigns + costs.campaign[i]! + 1] = 0;
  const keys: string[] = [];
  const keyChannels: string[] = [];
  for (let pair = 0; pair < pairKey.length; pair++) {
    if (pairKey[pair] === -1) continue;
    pairKey[pair] = keys.length;
    const campaign = (pair % nCampaigns) - 1;
    keys.push(campaign < 0 ? '(none)' : dictionaries.campaigns[campaign]!);
    keyChannels.push(dictionaries.channels[Math.floor(pair / nCampaigns)]!);
  }
  return { keys, keyChannels, keyOf: (channel, campaign) => pairKey[channel * nCampaigns + campaign + 1]! };
}

/** ROAS per period × key, and blended. */
export function roasResult(ctx: KernelContext, p: ResolvedAttribution, byCampaign: boolean, days: DayRange | null, mask: Uint8Array | null): RoasResult {
  const { orders: o, touches: t, costs } = ctx.columns;
  const { keys, keyChannels, keyOf } = roasKeys(ctx, byCampaign);
  const axis = periodAxis(ctx, days, p.period, p.weekStart);
  const nKeys = keys.length;
  const nPeriods = axis.count;
  const cost = new Float64Array(nPeriods * nKeys);
  const revenue = new Float64Array(nPeriods * nKeys);
  const margin = new Float64Array(nPeriods * nKeys);
  if (days !== null) {
    for (let i = 0; i < costs.count; i++) {
      const day = costs.day[i]!;
      if (day < days.fromDay || day > days.toDay) continue;
      cost[axis.indexOfDay(day) * nKeys + keyOf(costs.channel[i]!, costs.campaign[i]!)]! += costs.amount[i]!;
    }
    for (let k = 0; k < t.count; k++) {
      if (t.group[k] !== 0 || t.cost[k] === 0) continue;
      const day = t.day[k]!;
      if (day < days.fromDay || day > days.toDay) continue;
      if (mask !== null && mask[t.customer[k]!] === 0) continue;
      cost[axis.indexOfDay(day) * nKeys + keyOf(t.channel[k]!, t.campaign[k]!)]! += t.cost[k]!;
    }
    const credits = creditsFor(ctx, p);
    for (let i = 0; i < o.count; i++) {
      if (o.isPurchase[i] === 0) continue;
      const a = credits.start[i]!;
      const b = credits.start[i + 1]!;
      if (a === b) continue;
      const day = o.day[i]!;
      if (day < days.fromDay || day > days.toDay) continue;
      if (mask !== null && mask[o.customer[i]!] === 0) continue;
      const row = axis.indexOfDay(day) * nKeys;
      const rev = o.revenue[i]!;
      const mar = o.margin[i]!;
      for (let q = a; q < b; q++) {
        const k = credits.touch[q]!;
        const w = credits.weight[q]!;
        const cell = row + keyOf(t.channel[k]!, t.campaign[k]!);
        revenue[cell]! += rev * w;
        if (mar === mar) margin[cell]! += mar * w;
      }
    }
  }
  const ratio = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);
  const blendedCost = new Float64Array(nPeriods);
  const blendedRevenue = new Float64Array(nPeriods);
  const blendedMargin = new Float64Array(nPeriods);
  for (let pi = 0; pi < nPeriods; pi++) {
    for (let k = 0; k < nKeys; k++) {
      const cell = pi * nKeys + k;
      blendedCost[pi]! += cost[cell]!;
      blendedRevenue[pi]! += revenue[cell]!;
      blendedMargin[pi]! += margin[cell]!;
    }
  }
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
    roas: revenue.map((r, i) => ratio(r, cost[i]!)),
    marginRoas: margin.map((m, i) => ratio(m, cost[i]!)),
    blendedCost,
    blendedRevenue,
    blendedMargin,
    blendedRoas: blendedRevenue.map((r, i) => ratio(r, blendedCost[i]!)),
    blendedMarginRoas: blendedMargin.map((m, i) => ratio(m, blendedCost[i]!)),
  };
}
