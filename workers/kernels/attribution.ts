/**
 * Attribution (metrics.md section 3): which touches get credit for each purchase, and how much.
 *
 * `creditsFor` assigns credit for every purchase of the dataset once per (model, basis, windows,
 * half-life) and caches it; the attribution, KPI and ROAS kernels then only aggregate over the credits
 * of the purchases in their range, so a change of range, period, dimension or filter costs one pass.
 */
import { windowOf, type ResolvedAttribution } from '../../src/core/queries.js';
import type { AttributionResult } from '../../src/core/results.js';
import { KernelContext, STAGE_NAMES, type DayRange, type EventIndex } from './context.js';
import { periodAxis, type Axis } from './periods.js';

/** Credit of each purchase, as a CSR over order indexes. Adjustments have none. */
export interface Credits {
  /** Credits of order i are entries `start[i] .. start[i+1]`. */
  start: Int32Array;
  touch: Int32Array;
  /** Channel code of each credited touch. */
  channel: Int32Array;
  weight: Float64Array;
}

/**
 * The eligible touches of every purchase under one basis and set of windows, in event order (t1
 * first): the part of attribution that depends on the windows. A credit model then only weighs them,
 * so switching models does not repeat the search.
 */
export interface Eligibility {
  /** Eligible touches of order i are entries `start[i] .. start[i+1]` (none for adjustments). */
  start: Int32Array;
  touch: Int32Array;
  channel: Int32Array;
  /** Event time of each entry. */
  time: Float64Array;
}

/** Cache key of the eligibility of resolved parameters. */
function eligibilityKey(p: ResolvedAttribution): string {
  return `${p.basis}|${p.defaultWindow}|${JSON.stringify(p.windows)}`;
}

/** The credits for every purchase under the parameters (cached: the last 4 assignments). */
export function creditsFor(ctx: KernelContext, p: ResolvedAttribution): Credits {
  if (p.model === 'last_touch' || p.model === 'first_touch') {
    // one touch per purchase: found directly, without listing every eligible touch first (a window
    // change under last touch went from about 70 to 30 ms at 1m)
    return ctx.remember('credits', `${eligibilityKey(p)}|${p.model}`, () => singleTouch(ctx, p), 4);
  }
  const eligible = ctx.remember('eligibility', eligibilityKey(p), () => findEligible(ctx, p), 2);
  return ctx.remember('credits', `${eligibilityKey(p)}|${p.model}|${p.halfLife}`, () => weigh(ctx, p, eligible), 4);
}

/** Grow-only scratch buffers for the eligibility search (fresh big arrays are page-fault bound). */
let scratchTouch = new Int32Array(0);
let scratchChannel = new Int32Array(0);
let scratchTime = new Float64Array(0);

function growScratch(needed: number): void {
  if (needed <= scratchTouch.length) return;
  const size = Math.max(needed, Math.ceil(scratchTouch.length * 1.5), 1 << 16);
  const touch = new Int32Array(size);
  touch.set(scratchTouch);
  const channel = new Int32Array(size);
  channel.set(scratchChannel);
  const time = new Float64Array(size);
  time.set(scratchTime);
  scratchTouch = touch;
  scratchChannel = channel;
  scratchTime = time;
}

/** What the per-customer eligibility scan reads and writes (one object shape, so it stays monomorphic). */
interface EligibilityScan {
  maxWindow: number;
  channelWindow: Float64Array;
  orderStart: Int32Array;
  orderTime: Float64Array;
  isPurchase: Uint8Array;
  eventStart: Int32Array;
  eventTime: Float64Array;
  eventTouch: Int32Array;
  eventChannel: Int32Array;
  start: Int32Array;
  touch: Int32Array;
  channel: Int32Array;
  time: Float64Array;
  n: number;
}

function findEligible(ctx: KernelContext, p: ResolvedAttribution): Eligibility {
  const { orders: o, dictionaries, index } = ctx.columns;
  const events = ctx.eventIndex(p.basis);
  const { channelWindow, maxWindow } = channelWindows(p, dictionaries.channels);
  growScratch(Math.max(1 << 16, o.count));
  const scan: EligibilityScan = {
    maxWindow,
    channelWindow,
    orderStart: index.orderStart,
    orderTime: o.time,
    isPurchase: o.isPurchase,
    eventStart: events.start,
    eventTime: events.time,
    eventTouch: events.touch,
    eventChannel: events.channel,
    start: new Int32Array(o.count + 1),
    touch: scratchTouch,
    channel: scratchChannel,
    time: scratchTime,
    n: 0,
  };
  // one call per customer: a short function V8 optimises as a whole (a long loop compiled on the fly
  // would be thrown away at the first branch it had not seen taken)
  const nCustomers = dictionaries.customers.length;
  for (let c = 0; c < nCustomers; c++) eligibleOfCustomer(scan, c);
  const n = scan.n;
  scan.start[o.count] = n;
  return { start: scan.start, touch: scan.touch.slice(0, n), channel: scan.channel.slice(0, n), time: scan.time.slice(0, n) };
}

/** Eligible touches of one customer's purchases. */
function eligibleOfCustomer(s: EligibilityScan, c: number): void {
  const { orderStart, eventStart, start } = s;
  const oa = orderStart[c]!;
  const ob = orderStart[c + 1]!;
  const ea = eventStart[c]!;
  const eb = eventStart[c + 1]!;
  let n = s.n;
  if (ea === eb) {
    for (let i = oa; i < ob; i++) start[i] = n;
    return;
  }
  const { orderTime, isPurchase, eventTime, eventTouch, eventChannel, channelWindow } = s;
  let { touch, channel, time } = s;
  let hi = ea; // first event after the purchase time
  for (let i = oa; i < ob; i++) {
    start[i] = n;
    if (isPurchase[i] === 0) continue;
    const at = orderTime[i]!;
    while (hi < eb && eventTime[hi]! <= at) hi++;
    // events within the longest window, then within their own channel's window, in event order
    const earliest = at - s.maxWindow;
    let lo = hi;
    while (lo > ea && eventTime[lo - 1]! >= earliest) lo--;
    if (n + (hi - lo) > touch.length) {
      growScratch(n + (hi - lo));
      s.touch = touch = scratchTouch;
      s.channel = channel = scratchChannel;
      s.time = time = scratchTime;
    }
    for (let e = lo; e < hi; e++) {
      const ch = eventChannel[e]!;
      if (eventTime[e]! < at - channelWindow[ch]!) continue;
      touch[n] = eventTouch[e]!;
      channel[n] = ch;
      time[n] = eventTime[e]!;
      n++;
    }
  }
  s.n = n;
}

/** Last- or first-touch credits: the same touch `weigh` would pick from the eligible list, found directly. */
function singleTouch(ctx: KernelContext, p: ResolvedAttribution): Credits {
  const { orders: o, dictionaries } = ctx.columns;
  const events = ctx.eventIndex(p.basis);
  const lastEvent = ctx.lastEventAtOrder(p.basis);
  const { channelWindow, maxWindow } = channelWindows(p, dictionaries.channels);
  const count = o.count;
  const start = new Int32Array(count + 1);
  const found = new Int32Array(count);
  const n = p.model === 'last_touch'
    ? lastTouches(o.time, o.isPurchase, o.customer, lastEvent, events, channelWindow, maxWindow, start, found)
    : firstTouches(o.time, o.isPurchase, o.customer, lastEvent, events, channelWindow, maxWindow, start, found);
  start[count] = n;
  const touch = new Int32Array(n);
  const channel = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    const e = found[q]!;
    touch[q] = events.touch[e]!;
    channel[q] = events.channel[e]!;
  }
  return { start, touch, channel, weight: new Float64Array(n).fill(1) };
}

/**
 * For each purchase, the latest event (entry of the event index) within its own channel's window,
 * written to `found`; `start` gets each order's first credit. Returns the number of credits.
 */
function lastTouches(
  orderTime: Float64Array,
  isPurchase: Uint8Array,
  customer: Int32Array,
  lastEvent: Int32Array,
  events: EventIndex,
  channelWindow: Float64Array,
  maxWindow: number,
  start: Int32Array,
  found: Int32Array,
): number {
  const { start: eventStart, time: eventTime, channel: eventChannel } = events;
  let n = 0;
  for (let i = 0; i < orderTime.length; i++) {
    start[i] = n;
    if (isPurchase[i] === 0) continue;
    const at = orderTime[i]!;
    const earliest = at - maxWindow;
    const ea = eventStart[customer[i]!]!;
    for (let e = lastEvent[i]!; e >= ea && eventTime[e]! >= earliest; e--) {
      if (eventTime[e]! >= at - channelWindow[eventChannel[e]!]!) {
        found[n++] = e;
        break;
      }
    }
  }
  return n;
}

/** As `lastTouches`, the earliest event within its own channel's window. */
function firstTouches(
  orderTime: Float64Array,
  isPurchase: Uint8Array,
  customer: Int32Array,
  lastEvent: Int32Array,
  events: EventIndex,
  channelWindow: Float64Array,
  maxWindow: number,
  start: Int32Array,
  found: Int32Array,
): number {
  const { start: eventStart, time: eventTime, channel: eventChannel } = events;
  let n = 0;
  for (let i = 0; i < orderTime.length; i++) {
    start[i] = n;
    if (isPurchase[i] === 0) continue;
    const at = orderTime[i]!;
    const earliest = at - maxWindow;
    const ea = eventStart[customer[i]!]!;
    const hi = lastEvent[i]! + 1;
    let lo = hi;
    while (lo > ea && eventTime[lo - 1]! >= earliest) lo--;
    for (let e = lo; e < hi; e++) {
      if (eventTime[e]! >= at - channelWindow[eventChannel[e]!]!) {
        found[n++] = e;
        break;
      }
    }
  }
  return n;
}

/** Each channel's window and the longest of them (and of the default). */
function channelWindows(p: ResolvedAttribution, channels: readonly string[]): { channelWindow: Float64Array; maxWindow: number } {
  const channelWindow = new Float64Array(channels.length);
  let maxWindow = p.defaultWindow;
  for (let ch = 0; ch < channels.length; ch++) {
    channelWindow[ch] = windowOf(p, channels[ch]!);
    if (channelWindow[ch]! > maxWindow) maxWindow = channelWindow[ch]!;
  }
  return { channelWindow, maxWindow };
}

/** Credits of a multi-touch model (linear, position-based, time decay) over the eligible touches. */
function weigh(ctx: KernelContext, p: ResolvedAttribution, el: Eligibility): Credits {
  const { orders: o, dictionaries } = ctx.columns;
  const count = o.count;
  // every eligible touch gets credit: same entries, own weights
  const weight = new Float64Array(el.touch.length);
  if (p.model === 'linear') {
    for (let i = 0; i < count; i++) {
      const a = el.start[i]!;
      const b = el.start[i + 1]!;
      for (let q = a; q < b; q++) weight[q] = 1 / (b - a);
    }
  } else if (p.model === 'position_based') {
    // 40% first, 40% last, 20% over the middle; one touch 100%, two 50/50
    for (let i = 0; i < count; i++) {
      const a = el.start[i]!;
      const n = el.start[i + 1]! - a;
      for (let rank = 0; rank < n; rank++) weight[a + rank] = n === 1 ? 1 : n === 2 ? 0.5 : rank === 0 || rank === n - 1 ? 0.4 : 0.2 / (n - 2);
    }
  } else {
    // time decay: 2^(−Δ/h), normalised; with every weight zero, an even split
    const nChannels = dictionaries.channels.length;
    const halfLife = new Float64Array(nChannels);
    for (let ch = 0; ch < nChannels; ch++) halfLife[ch] = p.halfLife ?? windowOf(p, dictionaries.channels[ch]!) / 4;
    for (let i = 0; i < count; i++) {
      const a = el.start[i]!;
      const b = el.start[i + 1]!;
      if (a === b) continue;
      const at = o.time[i]!;
      let sum = 0;
      for (let q = a; q < b; q++) {
        const h = halfLife[el.channel[q]!]!;
        const delta = at - el.time[q]!;
        const w = h > 0 ? Math.pow(2, -delta / h) : delta === 0 ? 1 : 0;
        weight[q] = w;
        sum += w;
      }
      for (let q = a; q < b; q++) weight[q] = sum > 0 ? weight[q]! / sum : 1 / (b - a);
    }
  }
  return { start: el.start, touch: el.touch, channel: el.channel, weight };
}

/** Keys of a breakdown and how each credit (or order) maps to one. */
export interface DimensionKeys {
  keys: string[];
  keyChannels: string[];
  /** Key of each credit (channel or campaign breakdowns), parallel to the credits' entries. */
  creditKey: Int32Array | null;
  /** Key of each order (stage breakdown). */
  orderKey: Int8Array | null;
}

/**
 * Key of every (channel, campaign) pair: one per pair seen in the given tables, in channel then campaign
 * order, `(none)` for no campaign. Pair p = channel × (campaigns + 1) + campaign + 1.
 */
export function campaignPairs(ctx: KernelContext, withCosts: boolean): { pairKey: Int32Array; keys: string[]; keyChannels: string[] } {
  const { touches: t, costs, dictionaries } = ctx.columns;
  const nCampaigns = dictionaries.campaigns.length + 1;
  const pairKey = new Int32Array(dictionaries.channels.length * nCampaigns).fill(-1);
  for (let k = 0; k < t.count; k++) pairKey[t.channel[k]! * nCampaigns + t.campaign[k]! + 1] = 0;
  if (withCosts) for (let i = 0; i < costs.count; i++) pairKey[costs.channel[i]! * nCampaigns + costs.campaign[i]! + 1] = 0;
  const keys: string[] = [];
  const keyChannels: string[] = [];
  for (let pair = 0; pair < pairKey.length; pair++) {
    if (pairKey[pair] === -1) continue;
    pairKey[pair] = keys.length;
    const campaign = (pair % nCampaigns) - 1;
    keys.push(campaign < 0 ? '(none)' : dictionaries.campaigns[campaign]!);
    keyChannels.push(dictionaries.channels[Math.floor(pair / nCampaigns)]!);
  }
  return { pairKey, keys, keyChannels };
}

/** Campaign-pair key of every credit, cached with the credits (per pair table: attribution's or ROAS's). */
const creditPairCache = new WeakMap<Credits, Map<string, Int32Array>>();

/** The pair key (see `campaignPairs`) of every credit of an assignment; `tag` names the pair table. */
export function creditPairKeys(ctx: KernelContext, credits: Credits, pairKey: Int32Array, tag: string): Int32Array {
  let perCredits = creditPairCache.get(credits);
  if (perCredits === undefined) {
    perCredits = new Map();
    creditPairCache.set(credits, perCredits);
  }
  let keys = perCredits.get(tag);
  if (keys === undefined) {
    const campaign = ctx.columns.touches.campaign;
    const nCampaigns = ctx.columns.dictionaries.campaigns.length + 1;
    keys = new Int32Array(credits.touch.length);
    for (let q = 0; q < keys.length; q++) keys[q] = pairKey[credits.channel[q]! * nCampaigns + campaign[credits.touch[q]!]! + 1]!;
    perCredits.set(tag, keys);
  }
  return keys;
}

/** The keys of attribution by channel, campaign (within channel, `(none)` without one) or stage. */
export function dimensionKeys(ctx: KernelContext, credits: Credits, dimension: 'channel' | 'campaign' | 'stage', reactivationMs: number): DimensionKeys {
  const { dictionaries } = ctx.columns;
  if (dimension === 'channel') {
    return { keys: [...dictionaries.channels], keyChannels: [...dictionaries.channels], creditKey: credits.channel, orderKey: null };
  }
  if (dimension === 'stage') {
    return { keys: [...STAGE_NAMES], keyChannels: STAGE_NAMES.map(() => ''), creditKey: null, orderKey: ctx.stagesFor(reactivationMs) };
  }
  const pairs = ctx.remember('attribution-pairs', '', () => campaignPairs(ctx, false), 1);
  return { keys: pairs.keys, keyChannels: pairs.keyChannels, creditKey: creditPairKeys(ctx, credits, pairs.pairKey, 'attribution'), orderKey: null };
}

/** Attributed revenue by period × key for the purchases in a range (metrics.md section 3). */
export function attributionResult(
  ctx: KernelContext,
  p: ResolvedAttribution,
  days: DayRange | null,
  mask: Uint8Array | null,
): AttributionResult {
  const credits = creditsFor(ctx, p);
  const { keys, keyChannels, creditKey, orderKey } = dimensionKeys(ctx, credits, p.dimension, p.reactivationMs);
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
    const o = ctx.columns.orders;
    const periods = ctx.orderPeriods(p.period, p.weekStart);
    const first = axis.first;
    const { fromDay, toDay } = days;
    const day = o.day;
    const customer = o.customer;
    const orderRevenue = o.revenue;
    const orderMargin = o.margin;
    const isPurchase = o.isPurchase;
    const start = credits.start;
    const weight = credits.weight;
    for (let i = 0; i < o.count; i++) {
      const d = day[i]!;
      if (d < fromDay || d > toDay) continue;
      if (mask !== null && mask[customer[i]!] === 0) continue;
      const pi = periods[i]! - first;
      const rev = orderRevenue[i]!;
      const mar = orderMargin[i]!;
      netRevenue[pi]! += rev;
      if (isPurchase[i] === 0) continue;
      purchaseRevenue[pi]! += rev;
      purchaseCount[pi]!++;
      const a = start[i]!;
      const b = start[i + 1]!;
      if (a === b) {
        nonCrmRevenue[pi]! += rev;
        if (mar === mar) nonCrmMargin[pi]! += mar;
        nonCrmPurchases[pi]!++;
        continue;
      }
      const row = pi * nKeys;
      for (let q = a; q < b; q++) {
        const w = weight[q]!;
        const cell = row + (creditKey !== null ? creditKey[q]! : orderKey![i]!);
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
