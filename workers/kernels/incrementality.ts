/**
 * Holdout incrementality (metrics.md section 4), for all CRM, each channel and each campaign at once.
 *
 * A customer's assignment in a scope is their earliest touch (either group) in the scope and range;
 * a customer with touches of both groups there is excluded and counted. The outcome is the net revenue
 * and whether there was a purchase in [assignment, assignment + lift window).
 *
 * Each customer's touches are grouped by scope once per dataset (scope runs, with each run's first
 * touch, channel and whether it mixes groups at hand). For a range and filter, one visit of every
 * run reads the first touch in range as the assignment and finds the customer's first order at or
 * after it (shared by scopes assigned by the same touch); these assignments are cached, so a change
 * of the lift window only sums the few orders each assignment has inside it. Sums are cached per
 * range, filter and lift window, so a `minHoldout` change only re-reads them.
 */
import type { ResolvedIncrementality } from '../../src/core/queries.js';
import type { IncrementalityResult, LiftScope } from '../../src/core/results.js';
import { MS_PER_DAY } from '../../src/core/time.js';
import { KernelContext, type DayRange } from './context.js';

/** The two-sided 95% quantile of the standard normal distribution. */
export const Z95 = 1.959963984540054;

/**
 * Each customer's touches split into runs by scope (all CRM, each channel, each campaign), in sent
 * order. Scope s is 0 for all CRM, 1 + channel for a channel, 1 + channels + campaign for a campaign.
 */
interface ScopeRuns {
  /** Runs of customer c are `start[c] .. start[c+1]`. */
  start: Int32Array;
  scope: Int32Array;
  /** Entries of run r are `from[r] .. from[r+1]`. */
  from: Int32Array;
  /** Day and touch index of the run's first touch (the assignment when the range starts before it). */
  firstDay: Int32Array;
  firstTouch: Int32Array;
  /** Day of the run's last touch: a run that ends before the range is skipped without a search. */
  lastDay: Int32Array;
  /** 1 when every touch of the run has the same group. */
  uniform: Uint8Array;
  /** The channel of every touch of the run, or −1 when they differ (campaigns on several channels). */
  channel: Int32Array;
  /** Touch index of each entry. */
  entry: Int32Array;
}

function buildScopeRuns(ctx: KernelContext): ScopeRuns {
  const { touches: t, dictionaries, index } = ctx.columns;
  const nChannels = dictionaries.channels.length;
  const campaignBase = 1 + nChannels;
  const nScopes = campaignBase + dictionaries.campaigns.length;
  const nCustomers = dictionaries.customers.length;
  const touchStart = index.touchStart;
  const tChannel = t.channel;
  const tCampaign = t.campaign;
  const tGroup = t.group;
  // pass 1: runs per customer (distinct scopes) and entries (all CRM, channel, campaign per touch)
  const stamp = new Int32Array(nScopes).fill(-1);
  let nRuns = 0;
  let nEntries = 0;
  for (let c = 0; c < nCustomers; c++) {
    for (let k = touchStart[c]!; k < touchStart[c + 1]!; k++) {
      const sc = 1 + tChannel[k]!;
      const cp = tCampaign[k]!;
      if (stamp[0] !== c) {
        stamp[0] = c;
        nRuns++;
      }
      if (stamp[sc] !== c) {
        stamp[sc] = c;
        nRuns++;
      }
      nEntries += 2;
      if (cp >= 0) {
        const sp = campaignBase + cp;
        if (stamp[sp] !== c) {
          stamp[sp] = c;
          nRuns++;
        }
        nEntries++;
      }
    }
  }
  const start = new Int32Array(nCustomers + 1);
  const scope = new Int32Array(nRuns);
  const from = new Int32Array(nRuns + 1);
  const firstDay = new Int32Array(nRuns);
  const lastDay = new Int32Array(nRuns);
  const firstTouch = new Int32Array(nRuns);
  const uniform = new Uint8Array(nRuns);
  const channel = new Int32Array(nRuns);
  const entry = new Int32Array(nEntries);
  // pass 2: per customer, runs in order of first appearance, then the entries placed by run
  const runOf = new Int32Array(nScopes);
  const fill = new Int32Array(nScopes);
  stamp.fill(-1);
  let r = 0;
  let nextEntry = 0;
  const open = (s: number, c: number, k: number): void => {
    if (stamp[s] !== c) {
      stamp[s] = c;
      runOf[s] = r;
      scope[r] = s;
      firstTouch[r] = k;
      firstDay[r] = t.day[k]!;
      lastDay[r] = t.day[k]!;
      uniform[r] = 1;
      channel[r] = tChannel[k]!;
      fill[s] = 0;
      r++;
    } else {
      const run = runOf[s]!;
      lastDay[run] = t.day[k]!;
      if (tGroup[k] !== tGroup[firstTouch[run]!]) uniform[run] = 0;
      if (channel[run] !== tChannel[k]) channel[run] = -1;
    }
    fill[s]!++;
  };
  for (let c = 0; c < nCustomers; c++) {
    start[c] = r;
    const ta = touchStart[c]!;
    const tb = touchStart[c + 1]!;
    if (ta === tb) continue;
    const first = r;
    for (let k = ta; k < tb; k++) {
      open(0, c, k);
      open(1 + tChannel[k]!, c, k);
      if (tCampaign[k]! >= 0) open(campaignBase + tCampaign[k]!, c, k);
    }
    for (let q = first; q < r; q++) {
      from[q] = nextEntry;
      const s = scope[q]!;
      nextEntry += fill[s]!;
      fill[s] = from[q]!;
    }
    for (let k = ta; k < tb; k++) {
      entry[fill[0]!++] = k;
      entry[fill[1 + tChannel[k]!]!++] = k;
      if (tCampaign[k]! >= 0) entry[fill[campaignBase + tCampaign[k]!]!++] = k;
    }
  }
  start[nCustomers] = r;
  from[r] = nextEntry;
  return { start, scope, from, firstDay, firstTouch, lastDay, uniform, channel, entry };
}

/**
 * The assignments of one range and filter: everything but the outcome, which depends on the lift
 * window (cached: a change of that window only re-reads the orders of assignments followed by one
 * inside it).
 */
interface Assignments {
  /** Assignment a (a customer and a time): the time, and the customer's orders from the first at or after it. */
  time: Float64Array;
  firstOrder: Int32Array;
  endOrder: Int32Array;
  /** Time from the assignment to that first order (+∞ without one): no outcome when the window is shorter. */
  gap: Float64Array;
  /** Cells (group × nScopes + scope) of assignment a are `rowCell[rowStart[a] .. rowStart[a+1]]`, in run order. */
  rowStart: Int32Array;
  rowCell: Int32Array;
  /** Assignments per cell (does not depend on the lift window). */
  count: Int32Array;
  excluded: Int32Array;
  present: Uint8Array;
  /** Channel of each campaign scope (the lowest among its touches in range). */
  scopeChannel: Int32Array;
  cost: Float64Array;
}

/** Per-cell sums of one range, filter and lift window (cell = group × nScopes + scope). */
interface LiftSums {
  count: Int32Array;
  sum: Float64Array;
  converted: Int32Array;
  /** Sum of squared deviations from the cell mean (for the sample variance). */
  m2: Float64Array;
  excluded: Int32Array;
  present: Uint8Array;
  scopeChannel: Int32Array;
  cost: Float64Array;
}

/** Grow-only scratch for the assignment scan (fresh big arrays are page-fault bound). */
let scratchTime = new Float64Array(0);
let scratchGap = new Float64Array(0);
let scratchFirst = new Int32Array(0);
let scratchEnd = new Int32Array(0);
let scratchRowStart = new Int32Array(0);
let scratchCell = new Int32Array(0);
/** Grow-only scratch of (cell, revenue) of the rows with a non-zero outcome, for the variance's second pass. */
let nonZeroCell = new Int32Array(0);
let nonZeroRevenue = new Float64Array(0);

/** What the per-customer scan reads and writes (one object shape, so it stays monomorphic). */
interface AssignScan {
  fromDay: number;
  toDay: number;
  nScopes: number;
  campaignBase: number;
  runs: ScopeRuns;
  orderStart: Int32Array;
  orderTime: Float64Array;
  tDay: Int32Array;
  tGroup: Uint8Array;
  tSent: Float64Array;
  tChannel: Int32Array;
  count: Int32Array;
  excluded: Int32Array;
  present: Uint8Array;
  scopeChannel: Int32Array;
  /** The scratch arrays the scan fills (see `Assignments`). */
  time: Float64Array;
  gap: Float64Array;
  firstOrder: Int32Array;
  endOrder: Int32Array;
  rowStart: Int32Array;
  rowCell: Int32Array;
  assignments: number;
  rows: number;
}

function computeAssignments(ctx: KernelContext, days: DayRange, mask: Uint8Array | null): Assignments {
  const { orders: o, touches: t, dictionaries, index } = ctx.columns;
  const nChannels = dictionaries.channels.length;
  const nScopes = 1 + nChannels + dictionaries.campaigns.length;
  const runs = ctx.remember('scope-runs', '', () => buildScopeRuns(ctx), 1);
  if (scratchRowStart.length < runs.scope.length + 1) {
    const n = runs.scope.length;
    scratchTime = new Float64Array(n);
    scratchGap = new Float64Array(n);
    scratchFirst = new Int32Array(n);
    scratchEnd = new Int32Array(n);
    scratchRowStart = new Int32Array(n + 1);
    scratchCell = new Int32Array(n);
  }
  const scan: AssignScan = {
    fromDay: days.fromDay,
    toDay: days.toDay,
    nScopes,
    campaignBase: 1 + nChannels,
    runs,
    orderStart: index.orderStart,
    orderTime: o.time,
    tDay: t.day,
    tGroup: t.group,
    tSent: t.sentAt,
    tChannel: t.channel,
    count: new Int32Array(2 * nScopes),
    excluded: new Int32Array(nScopes),
    present: new Uint8Array(nScopes),
    scopeChannel: new Int32Array(nScopes).fill(-1),
    time: scratchTime,
    gap: scratchGap,
    firstOrder: scratchFirst,
    endOrder: scratchEnd,
    rowStart: scratchRowStart,
    rowCell: scratchCell,
    assignments: 0,
    rows: 0,
  };
  // one call per customer: a short function V8 optimises as a whole, where one long loop would be
  // compiled on the fly (OSR) and thrown away at the first branch it had not seen taken
  // a customer's touches are in sent order, so their first and last days bound every run: customers
  // with no touch in the range are passed over without reading their runs
  const nCustomers = dictionaries.customers.length;
  const touchStart = index.touchStart;
  const tDay = t.day;
  const { fromDay, toDay } = days;
  for (let c = 0; c < nCustomers; c++) {
    const ta = touchStart[c]!;
    const tb = touchStart[c + 1]!;
    if (ta === tb || tDay[tb - 1]! < fromDay || tDay[ta]! > toDay) continue;
    if (mask === null || mask[c] === 1) assignCustomer(scan, c);
  }
  for (let s = 1; s <= nChannels; s++) scan.scopeChannel[s] = s - 1;
  const n = scan.assignments;
  scratchRowStart[n] = scan.rows;
  return {
    time: scratchTime.slice(0, n),
    firstOrder: scratchFirst.slice(0, n),
    endOrder: scratchEnd.slice(0, n),
    gap: scratchGap.slice(0, n),
    rowStart: scratchRowStart.slice(0, n + 1),
    rowCell: scratchCell.slice(0, scan.rows),
    count: scan.count,
    excluded: scan.excluded,
    present: scan.present,
    scopeChannel: scan.scopeChannel,
    cost: scopeCosts(ctx, days, mask, nScopes),
  };
}

/** Assignments of one customer in every scope they were touched in, within the range. */
function assignCustomer(s: AssignScan, c: number): void {
  const runs = s.runs;
  const ra = runs.start[c]!;
  const rb = runs.start[c + 1]!;
  if (ra === rb) return;
  // everything in locals: the loop calls helpers, across which V8 would reload object fields
  const { firstTouch, firstDay, lastDay, from, scope: runScope, channel: runChannel, uniform, entry } = runs;
  const { tDay, tGroup, tSent, fromDay, toDay, nScopes, campaignBase, present, scopeChannel, count, excluded, orderTime, orderStart } = s;
  const { time: aTime, gap: aGap, firstOrder: aFirst, endOrder: aEnd, rowStart: aRowStart, rowCell: aRowCell } = s;
  let rows = s.rows;
  let assignment = s.assignments - 1;
  // scopes assigned by the same touch (the same time) share one assignment, so one outcome
  let lastTime = Number.NaN;
  // the customer's first order at or after the latest assignment: later assignments search on from it
  const oa = orderStart[c]!;
  const ob = orderStart[c + 1]!;
  let i = oa;
  for (let r = ra; r < rb; r++) {
    // the scope's touches in range are one contiguous part of its run; the assignment is the first
    let k = firstTouch[r]!;
    let e = from[r]!;
    let day = firstDay[r]!;
    if (day < fromDay) {
      if (lastDay[r]! < fromDay) continue;
      e = firstInRange(s, r, fromDay);
      k = entry[e]!;
      day = tDay[k]!;
    }
    if (day > toDay) continue;
    const scope = runScope[r]!;
    present[scope] = 1;
    if (scope >= campaignBase) {
      const channel = runChannel[r]! >= 0 ? runChannel[r]! : lowestChannelInRange(s, r, e);
      const known = scopeChannel[scope]!;
      if (known === -1 || channel < known) scopeChannel[scope] = channel;
    }
    const group = tGroup[k]!;
    // a customer with both groups in the scope (within the range) is excluded
    if (uniform[r] === 0 && mixedInRange(s, r, e, group)) {
      excluded[scope]!++;
      continue;
    }
    const time = tSent[k]!;
    if (time !== lastTime) {
      assignment++;
      if (time < lastTime) i = oa;
      while (i < ob && orderTime[i]! < time) i++;
      aTime[assignment] = time;
      aGap[assignment] = i < ob ? orderTime[i]! - time : Number.POSITIVE_INFINITY;
      aFirst[assignment] = i;
      aEnd[assignment] = ob;
      aRowStart[assignment] = rows;
      lastTime = time;
    }
    const cell = group * nScopes + scope;
    count[cell]!++;
    aRowCell[rows] = cell;
    rows++;
  }
  s.rows = rows;
  s.assignments = assignment + 1;
}

/** The sums of the assignments' outcomes: net revenue and any purchase in [time, time + lift). */
function computeLiftSums(ctx: KernelContext, a: Assignments, nScopes: number, lift: number): LiftSums {
  const { time, gap, firstOrder, endOrder, rowStart, rowCell, count } = a;
  const o = ctx.columns.orders;
  const orderTime = o.time;
  const orderRevenue = o.revenue;
  const isPurchase = o.isPurchase;
  const nAssignments = time.length;
  if (nonZeroCell.length < rowCell.length) {
    nonZeroCell = new Int32Array(rowCell.length);
    nonZeroRevenue = new Float64Array(rowCell.length);
  }
  const nzCell = nonZeroCell;
  const nzRevenue = nonZeroRevenue;
  const sum = new Float64Array(2 * nScopes);
  const converted = new Int32Array(2 * nScopes);
  const nonZero = new Int32Array(2 * nScopes);
  let m = 0;
  for (let x = 0; x < nAssignments; x++) {
    // an assignment with no order inside the lift window adds nothing but zeros to its cells, whose
    // share of the variance is added below
    if (gap[x]! >= lift) continue;
    const to = time[x]! + lift;
    const ob = endOrder[x]!;
    let revenue = 0;
    let bought = 0;
    for (let i = firstOrder[x]!; i < ob && orderTime[i]! < to; i++) {
      revenue += orderRevenue[i]!;
      bought |= isPurchase[i]!;
    }
    for (let j = rowStart[x]!; j < rowStart[x + 1]!; j++) {
      const cell = rowCell[j]!;
      sum[cell]! += revenue;
      converted[cell]! += bought;
      if (revenue !== 0) {
        nonZero[cell]!++;
        nzCell[m] = cell;
        nzRevenue[m] = revenue;
        m++;
      }
    }
  }
  // the variance from deviations around each cell's mean (two passes, as var_samp): the rows with a
  // non-zero outcome one by one, then the rest, whose deviation is the mean itself, at once
  const mean = new Float64Array(2 * nScopes);
  for (let x = 0; x < mean.length; x++) mean[x] = count[x]! > 0 ? sum[x]! / count[x]! : 0;
  const m2 = new Float64Array(2 * nScopes);
  for (let j = 0; j < m; j++) {
    const cell = nzCell[j]!;
    const d = nzRevenue[j]! - mean[cell]!;
    m2[cell]! += d * d;
  }
  for (let x = 0; x < m2.length; x++) m2[x]! += (count[x]! - nonZero[x]!) * mean[x]! * mean[x]!;
  return { count, sum, converted, m2, excluded: a.excluded, present: a.present, scopeChannel: a.scopeChannel, cost: a.cost };
}

/** First entry of run r on or after a day, for a run whose last touch is on or after it. */
function firstInRange(s: AssignScan, r: number, fromDay: number): number {
  const { entry, from } = s.runs;
  const tDay = s.tDay;
  // a run's entries are in sent order, so their days ascend: binary search
  let lo = from[r]!;
  let hi = from[r + 1]!;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tDay[entry[mid]!]! < fromDay) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The lowest channel among a run's entries from `e` to the range's last day. */
function lowestChannelInRange(s: AssignScan, r: number, e: number): number {
  const { entry, from } = s.runs;
  const end = from[r + 1]!;
  let lowest = s.tChannel[entry[e]!]!;
  for (let x = e + 1; x < end; x++) {
    const k = entry[x]!;
    if (s.tDay[k]! > s.toDay) break;
    if (s.tChannel[k]! < lowest) lowest = s.tChannel[k]!;
  }
  return lowest;
}

/** Whether a run's entries after `e`, up to the range's last day, include the other group. */
function mixedInRange(s: AssignScan, r: number, e: number, group: number): boolean {
  const { entry, from } = s.runs;
  const end = from[r + 1]!;
  for (let x = e + 1; x < end; x++) {
    const k = entry[x]!;
    if (s.tDay[k]! > s.toDay) return false;
    if (s.tGroup[k] !== group) return true;
  }
  return false;
}

/** Cost per scope in range: cost rows, plus per-touch costs of treatment touches sent in range. */
function scopeCosts(ctx: KernelContext, days: DayRange, mask: Uint8Array | null, nScopes: number): Float64Array {
  const { touches: t, costs, dictionaries } = ctx.columns;
  const { fromDay, toDay } = days;
  const campaignBase = 1 + dictionaries.channels.length;
  const cost = new Float64Array(nScopes);
  for (let i = 0; i < costs.count; i++) {
    const day = costs.day[i]!;
    if (day < fromDay || day > toDay) continue;
    const amount = costs.amount[i]!;
    cost[0]! += amount;
    cost[1 + costs.channel[i]!]! += amount;
    if (costs.campaign[i]! >= 0) cost[campaignBase + costs.campaign[i]!]! += amount;
  }
  for (const k of ctx.paidTouchesIn(days, mask)) {
    const amount = t.cost[k]!;
    cost[0]! += amount;
    cost[1 + t.channel[k]!]! += amount;
    if (t.campaign[k]! >= 0) cost[campaignBase + t.campaign[k]!]! += amount;
  }
  return cost;
}

/** Lift per scope. */
export function incrementalityResult(ctx: KernelContext, p: ResolvedIncrementality, days: DayRange | null, mask: Uint8Array | null, maskKey: string): IncrementalityResult {
  const { dictionaries } = ctx.columns;
  const nChannels = dictionaries.channels.length;
  const nScopes = 1 + nChannels + dictionaries.campaigns.length;
  const lift = p.liftWindowMs;
  let count: Int32Array = new Int32Array(2 * nScopes);
  let sum: Float64Array = new Float64Array(2 * nScopes);
  let converted: Int32Array = new Int32Array(2 * nScopes);
  let m2: Float64Array = new Float64Array(2 * nScopes);
  let excluded: Int32Array = new Int32Array(nScopes);
  let present: Uint8Array = new Uint8Array(nScopes);
  let scopeChannel: Int32Array = new Int32Array(nScopes).fill(-1);
  let cost: Float64Array = new Float64Array(nScopes);
  if (days !== null) {
    // assignments cached per range and filter, so a lift window change only re-reads their orders;
    // sums per range, filter and window, so a minHoldout change only re-reads the sums
    const key = `${days.fromDay}|${days.toDay}|${maskKey}`;
    const sums = ctx.remember('lift', `${key}|${lift}`, () => {
      const assignments = ctx.remember('lift-assignments', key, () => computeAssignments(ctx, days, mask), 2);
      return computeLiftSums(ctx, assignments, nScopes, lift);
    }, 8);
    ({ count, sum, converted, m2, excluded, present, scopeChannel, cost } = sums);
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
    const nt = count[s]!;
    const nh = count[nScopes + s]!;
    out.treatment[row] = nt;
    out.holdout[row] = nh;
    out.excluded[row] = excluded[s]!;
    out.revenueTreatment[row] = sum[s]!;
    out.revenueHoldout[row] = sum[nScopes + s]!;
    out.cost[row] = cost[s]!;
    const ok = nh >= p.minHoldout && nh > 0 && nt > 0;
    out.sufficient[row] = ok ? 1 : 0;
    if (!ok) {
      for (const field of ['revenuePerCustomerTreatment', 'revenuePerCustomerHoldout', 'conversionTreatment', 'conversionHoldout', 'absoluteLift', 'relativeLift', 'incrementalRevenue', 'liftLow', 'liftHigh', 'incrementalRoas'] as const) {
        out[field][row] = Number.NaN;
      }
      return;
    }
    const rpcT = sum[s]! / nt;
    const rpcH = sum[nScopes + s]! / nh;
    const abs = rpcT - rpcH;
    out.revenuePerCustomerTreatment[row] = rpcT;
    out.revenuePerCustomerHoldout[row] = rpcH;
    out.conversionTreatment[row] = converted[s]! / nt;
    out.conversionHoldout[row] = converted[nScopes + s]! / nh;
    out.absoluteLift[row] = abs;
    out.relativeLift[row] = rpcH === 0 ? Number.NaN : abs / rpcH;
    out.incrementalRevenue[row] = abs * nt;
    const varT = nt > 1 ? m2[s]! / (nt - 1) : Number.NaN;
    const varH = nh > 1 ? m2[nScopes + s]! / (nh - 1) : Number.NaN;
    const se = Math.sqrt(varT / nt + varH / nh);
    out.liftLow[row] = abs - Z95 * se;
    out.liftHigh[row] = abs + Z95 * se;
    out.incrementalRoas[row] = cost[s] === 0 ? Number.NaN : (abs * nt) / cost[s]!;
  });
  return out;
}
