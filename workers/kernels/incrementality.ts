/**
 * Holdout incrementality (metrics.md section 4), for all CRM, each channel and each campaign at once.
 *
 * A customer's assignment in a scope is their earliest touch (either group) in the scope and range;
 * a customer with touches of both groups there is excluded and counted. The outcome is the net revenue
 * and whether there was a purchase in [assignment, assignment + lift window).
 */
import type { ResolvedIncrementality } from '../../src/core/queries.js';
import type { IncrementalityResult, LiftScope } from '../../src/core/results.js';
import { MS_PER_DAY } from '../../src/core/time.js';
import { KernelContext, type DayRange } from './context.js';

/** The two-sided 95% quantile of the standard normal distribution. */
export const Z95 = 1.959963984540054;

/** First index in `[a, b)` of `times` with a value ≥ `t` (times ascending). */
function lowerBound(times: Float64Array, a: number, b: number, t: number): number {
  let lo = a;
  let hi = b;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Lift per scope. */
export function incrementalityResult(ctx: KernelContext, p: ResolvedIncrementality, days: DayRange | null, mask: Uint8Array | null): IncrementalityResult {
  const { orders: o, touches: t, costs, dictionaries, index } = ctx.columns;
  const nChannels = dictionaries.channels.length;
  const nCampaigns = dictionaries.campaigns.length;
  const nScopes = 1 + nChannels + nCampaigns;
  // per scope, per group: customers, revenue, conversions; outcome rows kept for the variance
  const count = [new Int32Array(nScopes), new Int32Array(nScopes)];
  const sum = [new Float64Array(nScopes), new Float64Array(nScopes)];
  const converted = [new Int32Array(nScopes), new Int32Array(nScopes)];
  const excluded = new Int32Array(nScopes);
  const present = new Uint8Array(nScopes);
  const scopeChannel = new Int32Array(nScopes).fill(-1);
  let rowScope = new Int32Array(1024);
  let rowGroup = new Uint8Array(1024);
  let rowRevenue = new Float64Array(1024);
  let rows = 0;
  // per customer scratch, reset by stamp
  const stamp = new Int32Array(nScopes).fill(-1);
  const firstTime = new Float64Array(nScopes);
  const firstGroup = new Uint8Array(nScopes);
  const mixed = new Uint8Array(nScopes);
  const touched = new Int32Array(nScopes);
  const lift = p.liftWindowMs;
  if (days !== null) {
    const nCustomers = dictionaries.customers.length;
    for (let c = 0; c < nCustomers; c++) {
      if (mask !== null && mask[c] === 0) continue;
      const ta = index.touchStart[c]!;
      const tb = index.touchStart[c + 1]!;
      if (ta === tb) continue;
      let nTouched = 0;
      for (let k = ta; k < tb; k++) {
        const day = t.day[k]!;
        if (day < days.fromDay || day > days.toDay) continue;
        const group = t.group[k]!;
        const time = t.sentAt[k]!;
        const channel = t.channel[k]!;
        const campaign = t.campaign[k]!;
        for (let s = 0; s < 3; s++) {
          const scope = s === 0 ? 0 : s === 1 ? 1 + channel : campaign < 0 ? -1 : 1 + nChannels + campaign;
          if (scope < 0) continue;
          if (scopeChannel[scope] === -1) scopeChannel[scope] = channel;
          if (stamp[scope] !== c) {
            stamp[scope] = c;
            firstTime[scope] = time;
            firstGroup[scope] = group;
            mixed[scope] = 0;
            touched[nTouched++] = scope;
          } else {
            // touches are in sent order, so the first one seen is the earliest
            if (firstGroup[scope] !== group) mixed[scope] = 1;
          }
        }
      }
      if (nTouched === 0) continue;
      const oa = index.orderStart[c]!;
      const ob = index.orderStart[c + 1]!;
      for (let j = 0; j < nTouched; j++) {
        const scope = touched[j]!;
        present[scope] = 1;
        if (mixed[scope] === 1) {
          excluded[scope]!++;
          continue;
        }
        const from = firstTime[scope]!;
        const to = from + lift;
        let revenue = 0;
        let bought = 0;
        for (let i = lowerBound(o.time, oa, ob, from); i < ob && o.time[i]! < to; i++) {
          revenue += o.revenue[i]!;
          if (o.isPurchase[i] === 1) bought = 1;
        }
        const g = firstGroup[scope]!;
        count[g]![scope]!++;
        sum[g]![scope]! += revenue;
        converted[g]![scope]! += bought;
        if (rows === rowScope.length) {
          const size = rows * 2;
          const s = new Int32Array(size);
          s.set(rowScope);
          rowScope = s;
          const gr = new Uint8Array(size);
          gr.set(rowGroup);
          rowGroup = gr;
          const rv = new Float64Array(size);
          rv.set(rowRevenue);
          rowRevenue = rv;
        }
        rowScope[rows] = scope;
        rowGroup[rows] = g;
        rowRevenue[rows] = revenue;
        rows++;
      }
    }
  }
  // sample variance per scope and group, from deviations (two passes, as var_samp)
  const mean = [new Float64Array(nScopes), new Float64Array(nScopes)];
  for (let g = 0; g < 2; g++) for (let s = 0; s < nScopes; s++) mean[g]![s] = count[g]![s]! > 0 ? sum[g]![s]! / count[g]![s]! : Number.NaN;
  const squares = [new Float64Array(nScopes), new Float64Array(nScopes)];
  for (let r = 0; r < rows; r++) {
    const g = rowGroup[r]!;
    const s = rowScope[r]!;
    const d = rowRevenue[r]! - mean[g]![s]!;
    squares[g]![s]! += d * d;
  }
  // cost per scope in range: cost rows, plus per-touch costs of treatment touches sent in range
  const cost = new Float64Array(nScopes);
  if (days !== null) {
    for (let i = 0; i < costs.count; i++) {
      const day = costs.day[i]!;
      if (day < days.fromDay || day > days.toDay) continue;
      const amount = costs.amount[i]!;
      cost[0]! += amount;
      cost[1 + costs.channel[i]!]! += amount;
      if (costs.campaign[i]! >= 0) cost[1 + nChannels + costs.campaign[i]!]! += amount;
    }
    for (let k = 0; k < t.count; k++) {
      if (t.group[k] !== 0 || t.cost[k] === 0) continue;
      const day = t.day[k]!;
      if (day < days.fromDay || day > days.toDay) continue;
      if (mask !== null && mask[t.customer[k]!] === 0) continue;
      const amount = t.cost[k]!;
      cost[0]! += amount;
      cost[1 + t.channel[k]!]! += amount;
      if (t.campaign[k]! >= 0) cost[1 + nChannels + t.campaign[k]!]! += amount;
    }
  }
  // rows: all, then channels and campaigns with touches in the range
  const order: number[] = [];
  if (present[0] === 1 || days !== null) order.push(0);
  for (let s = 1; s < nScopes; s++) if (present[s] === 1) order.push(s);
  const n = order.length;
  const out: IncrementalityResult = {
    kind: 'incrementality',
    range: KernelContext.label(days),
    liftWindowDays: lift / MS_PER_DAY,
    minHoldout: p.minHoldout,
    scope: new Array<LiftScope>(n),
    name: new Array<string>(n),
    channel: new Array<string>(n),
    treatment: new Int32Array(n),
    holdout: new Int32Array(n),
    excluded: new Int32Array(n),
    sufficient: new Uint8Array(n),
    revenueTreatment: new Float64Array(n),
    revenueHoldout: new Float64Array(n),
    revenuePerCustomerTreatment: new Float64Array(n),
    revenuePerCustomerHoldout: new Float64Array(n),
    conversionTreatment: new Float64Array(n),
    conversionHoldout: new Float64Array(n),
    absoluteLift: new Float64Array(n),
    relativeLift: new Float64Array(n),
    incrementalRevenue: new Float64Array(n),
    liftLow: new Float64Array(n),
    liftHigh: new Float64Array(n),
    cost: new Float64Array(n),
    incrementalRoas: new Float64Array(n),
  };
  order.forEach((s, row) => {
    const kind: LiftScope = s === 0 ? 'all' : s <= nChannels ? 'channel' : 'campaign';
    out.scope[row] = kind;
    out.name[row] = kind === 'all' ? 'all' : kind === 'channel' ? dictionaries.channels[s - 1]! : dictionaries.campaigns[s - 1 - nChannels]!;
    out.channel[row] = kind === 'all' ? '' : scopeChannel[s]! >= 0 ? dictionaries.channels[scopeChannel[s]!]! : '';
    const nt = count[0]![s]!;
    const nh = count[1]![s]!;
    out.treatment[row] = nt;
    out.holdout[row] = nh;
    out.excluded[row] = excluded[s]!;
    out.revenueTreatment[row] = sum[0]![s]!;
    out.revenueHoldout[row] = sum[1]![s]!;
    out.cost[row] = cost[s]!;
    const ok = nh >= p.minHoldout && nh > 0 && nt > 0;
    out.sufficient[row] = ok ? 1 : 0;
    if (!ok) {
      for (const field of ['revenuePerCustomerTreatment', 'revenuePerCustomerHoldout', 'conversionTreatment', 'conversionHoldout', 'absoluteLift', 'relativeLift', 'incrementalRevenue', 'liftLow', 'liftHigh', 'incrementalRoas'] as const) {
        out[field][row] = Number.NaN;
      }
      return;
    }
    const rpcT = mean[0]![s]!;
    const rpcH = mean[1]![s]!;
    const abs = rpcT - rpcH;
    out.revenuePerCustomerTreatment[row] = rpcT;
    out.revenuePerCustomerHoldout[row] = rpcH;
    out.conversionTreatment[row] = converted[0]![s]! / nt;
    out.conversionHoldout[row] = converted[1]![s]! / nh;
    out.absoluteLift[row] = abs;
    out.relativeLift[row] = rpcH === 0 ? Number.NaN : abs / rpcH;
    out.incrementalRevenue[row] = abs * nt;
    const varT = nt > 1 ? squares[0]![s]! / (nt - 1) : Number.NaN;
    const varH = nh > 1 ? squares[1]![s]! / (nh - 1) : Number.NaN;
    const se = Math.sqrt(varT / nt + varH / nh);
    out.liftLow[row] = abs - Z95 * se;
    out.liftHigh[row] = abs + Z95 * se;
    out.incrementalRoas[row] = cost[s] === 0 ? Number.NaN : (abs * nt) / cost[s]!;
  });
  return out;
}
