/**
 * Attribution (metrics.md section 3): which touches get credit for each purchase, and how much.
 *
 * `creditsFor` assigns credit for every purchase of the dataset once per (model, basis, windows,
 * half-life) and caches it; the attribution and ROAS kernels then only aggregate over the credits of
 * the purchases in their range, so a change of range, period, dimension or filter costs one pass. The
 * KPIs read only which purchases have credit (`creditedStart`).
 */
import { windowOf, type ResolvedAttribution } from '../../src/core/queries.js';
import type { AttributionResult } from '../../src/core/results.js';
import type { OrdersColumns } from '../../src/core/tables.js';
import { KernelContext, MARGIN_CREDITED, MARGIN_KNOWN, STAGE_NAMES, unknownMargins, type DayRange, type EventIndex } from './context.js';
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

/** Whether a model credits one touch per purchase (found without listing the eligible touches). */
function singleTouchModel(p: ResolvedAttribution): boolean {
  return p.model === 'last_touch' || p.model === 'first_touch';
}

/** Cache key of the credits of resolved parameters (the half-life only matters to multi-touch models). */
function creditsKey(p: ResolvedAttribution): string {
  return singleTouchModel(p) ? `${eligibilityKey(p)}|${p.model}` : `${eligibilityKey(p)}|${p.model}|${p.halfLife}`;
}

/** The eligible touches under the parameters' basis and windows (cached: the last 2). */
function eligibilityFor(ctx: KernelContext, p: ResolvedAttribution): Eligibility {
  return ctx.remember('eligibility', eligibilityKey(p), () => findEligible(ctx, p), 2);
}

/** The credits for every purchase under the parameters (cached: the last 4 assignments). */
export function creditsFor(ctx: KernelContext, p: ResolvedAttribution): Credits {
  // one touch per purchase: found directly, without listing every eligible touch first (a window
  // change under last touch went from about 70 to 30 ms at 1m)
  if (singleTouchModel(p)) return ctx.remember('credits', creditsKey(p), () => singleTouch(ctx, p), 4);
  const eligible = eligibilityFor(ctx, p);
  return ctx.remember('credits', creditsKey(p), () => weigh(ctx, p, eligible), 4);
}

/**
 * Which purchases have credit under the parameters' basis and windows, whatever the model: order i has
 * credit when `start[i] < start[i+1]`. Every model gives credit to exactly the purchases with an
 * eligible touch, so the start of any cached credits or eligibility of the same windows answers. When
 * none is cached, it computes what the model's own credits start from (the attribution chart asks for
 * them with the same parameters): its single-touch credits, or the eligibility a multi-touch model weighs.
 */
export function creditedStart(ctx: KernelContext, p: ResolvedAttribution): Int32Array {
  const key = eligibilityKey(p);
  const cached =
    ctx.peek<Credits>('credits', creditsKey(p)) ??
    ctx.peek<Eligibility>('eligibility', key) ??
    ctx.peek<Credits>('credits', creditsKey({ ...p, model: 'last_touch' })) ??
    ctx.peek<Credits>('credits', creditsKey({ ...p, model: 'first_touch' }));
  if (cached !== undefined) return cached.start;
  return singleTouchModel(p) ? creditsFor(ctx, p).start : eligibilityFor(ctx, p).start;
}

/** Grow-only scratch buffers for the eligibility search (fresh big arrays are page-fault bound). */
let scratchTouch = new Int32Array(0);
let scratchChannel = new Int32Array(0);
let scratchTime = new Float64Array(0);
/** Grow-only scratch for the event entries `findSingle` finds. */
let scratchFound = new Int32Array(0);

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

/** What the eligibility scans read. */
interface WindowScan {
  orderTime: Float64Array;
  customer: Int32Array;
  /** Per order: the customer's last event entry at or before the order (`KernelContext.lastEventAtOrder`). */
  lastEvent: Int32Array;
  /** Per order: that event's time, NaN for none or for an order that is not a purchase. */
  lastTime: Float64Array;
  /** Per order: that event's channel, −1 where `lastTime` is NaN. */
  lastChannel: Int32Array;
  eventStart: Int32Array;
  eventTime: Float64Array;
  eventChannel: Int32Array;
  channelWindow: Float64Array;
  maxWindow: number;
}

function windowScan(ctx: KernelContext, p: ResolvedAttribution): { scan: WindowScan; events: EventIndex } {
  const { orders: o, dictionaries } = ctx.columns;
  const events = ctx.eventIndex(p.basis);
  const { channelWindow, maxWindow } = channelWindows(p, dictionaries.channels);
  const last = ctx.lastEventAtOrder(p.basis);
  const scan: WindowScan = {
    orderTime: o.time,
    customer: o.customer,
    lastEvent: last.entry,
    lastTime: last.time,
    lastChannel: last.channel,
    eventStart: events.start,
    eventTime: events.time,
    eventChannel: events.channel,
    channelWindow,
    maxWindow,
  };
  return { scan, events };
}

/** The first of the entries `ea..hi` (one customer's events, ascending) at or after `earliest`. */
function windowStart(eventTime: Float64Array, ea: number, hi: number, earliest: number): number {
  let lo = hi;
  while (lo > ea && eventTime[lo - 1]! >= earliest) lo--;
  return lo;
}

// Both scans below walk, for each purchase, its customer's events from the last one at or before the
// purchase (`lastEvent`) back to the longest window; an event is eligible when it is also within the
// window of its own channel. A purchase whose last event is already outside the longest window (most of
// them under short windows) is passed over on two sequential reads (`lastTime`). Fields are read into
// locals first: V8 would reload them from the scan object on every iteration (about 40% slower at 1m).

function findEligible(ctx: KernelContext, p: ResolvedAttribution): Eligibility {
  const { scan, events } = windowScan(ctx, p);
  const { orderTime, customer, lastEvent, lastTime, eventStart, eventTime, eventChannel, channelWindow, maxWindow } = scan;
  const eventTouch = events.touch;
  const count = orderTime.length;
  growScratch(Math.max(1 << 16, count));
  const start = new Int32Array(count + 1);
  let n = 0;
  for (let i = 0; i < count; i++) {
    start[i] = n;
    const at = orderTime[i]!;
    if (!(lastTime[i]! >= at - maxWindow)) continue;
    const hi = lastEvent[i]! + 1;
    const lo = windowStart(eventTime, eventStart[customer[i]!]!, hi, at - maxWindow);
    if (n + (hi - lo) > scratchTouch.length) growScratch(n + (hi - lo));
    // in event order
    for (let e = lo; e < hi; e++) {
      const ch = eventChannel[e]!;
      if (eventTime[e]! < at - channelWindow[ch]!) continue;
      scratchTouch[n] = eventTouch[e]!;
      scratchChannel[n] = ch;
      scratchTime[n] = eventTime[e]!;
      n++;
    }
  }
  start[count] = n;
  return { start, touch: scratchTouch.slice(0, n), channel: scratchChannel.slice(0, n), time: scratchTime.slice(0, n) };
}

/** Last- or first-touch credits: the touch `weigh` would pick from the eligible list, found without listing it. */
function singleTouch(ctx: KernelContext, p: ResolvedAttribution): Credits {
  const { scan, events } = windowScan(ctx, p);
  const count = scan.orderTime.length;
  const start = new Int32Array(count + 1);
  if (scratchFound.length < count) scratchFound = new Int32Array(count);
  const found = scratchFound;
  const n = findSingle(scan, p.model === 'last_touch', start, found);
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
 * The scan of `singleTouch`: fills `start` (a CSR over orders) and `found` (event entries), returns the
 * number found. A function of its own, so that V8 keeps its optimised code from one query to the next.
 * Inside the caller, the loop was optimised on the fly (on-stack replacement) and the code thrown away
 * on reaching the lines after the loop, which had never run optimised: 12 compilations each of this
 * scan and of the walk of the orders after it (now `addPurchases`) over 40 window changes, in Node 20.
 */
function findSingle(scan: WindowScan, last: boolean, start: Int32Array, found: Int32Array): number {
  const { orderTime, customer, lastEvent, lastTime, lastChannel, eventStart, eventTime, eventChannel, channelWindow, maxWindow } = scan;
  const count = orderTime.length;
  let n = 0;
  for (let i = 0; i < count; i++) {
    start[i] = n;
    const at = orderTime[i]!;
    const earliest = at - maxWindow;
    if (!(lastTime[i]! >= earliest)) continue;
    const hi = lastEvent[i]! + 1;
    if (last) {
      // from the purchase backwards: the first event in its own window is the last eligible one. Most
      // often that is the last event itself, decided without reading the event index
      if (lastTime[i]! >= at - channelWindow[lastChannel[i]!]!) {
        found[n++] = hi - 1;
        continue;
      }
      const ea = eventStart[customer[i]!]!;
      for (let e = hi - 2; e >= ea && eventTime[e]! >= earliest; e--) {
        if (eventTime[e]! >= at - channelWindow[eventChannel[e]!]!) {
          found[n++] = e;
          break;
        }
      }
    } else {
      const ea = eventStart[customer[i]!]!;
      for (let e = windowStart(eventTime, ea, hi, earliest); e < hi; e++) {
        if (eventTime[e]! >= at - channelWindow[eventChannel[e]!]!) {
          found[n++] = e;
          break;
        }
      }
    }
  }
  start[count] = n;
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
    // 2^(−Δ/h) as e^(−Δ·ln2/h): equal up to rounding, and V8's Math.exp is about 5× faster than its
    // Math.pow (3M weights: 40 against 200 ms in Node 20)
    const decay = new Float64Array(nChannels);
    for (let ch = 0; ch < nChannels; ch++) decay[ch] = Math.LN2 / (p.halfLife ?? windowOf(p, dictionaries.channels[ch]!) / 4);
    for (let i = 0; i < count; i++) {
      const a = el.start[i]!;
      const b = el.start[i + 1]!;
      if (a === b) continue;
      const at = o.time[i]!;
      let sum = 0;
      for (let q = a; q < b; q++) {
        const k = decay[el.channel[q]!]!;
        const delta = at - el.time[q]!;
        // a zero half-life (a zero window) gives k = ∞: full weight at Δ = 0 only
        const w = k !== Number.POSITIVE_INFINITY ? Math.exp(-delta * k) : delta === 0 ? 1 : 0;
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
  maskKey: string,
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
  const keyRevenue = new Float64Array(nKeys);
  const keyMargin = new Float64Array(nKeys);
  let totals: OrderTotals = {
    netRevenue: new Float64Array(nPeriods),
    purchaseRevenue: new Float64Array(nPeriods),
    purchaseMargin: new Float64Array(nPeriods),
    purchaseCount: new Float64Array(nPeriods),
  };
  if (days !== null) {
    const orderPeriods = ctx.orderPeriods(p.period, p.weekStart);
    const o = ctx.columns.orders;
    // the same for every model and window: kept, and copied out (a result's arrays are transferred)
    const key = `${days.fromDay}|${days.toDay}|${p.period}|${p.weekStart}|${maskKey}`;
    const kept = ctx.remember('attribution-totals', key, () => orderTotals(o, orderPeriods, axis.first, nPeriods, days, mask), 4);
    totals = { netRevenue: kept.netRevenue.slice(), purchaseRevenue: kept.purchaseRevenue.slice(), purchaseMargin: kept.purchaseMargin.slice(), purchaseCount: kept.purchaseCount.slice() };
    const sums: CreditSums = { revenue, margin, purchases, nonCrmRevenue, nonCrmMargin, nonCrmPurchases };
    // margin cells whose purchases all lack a margin become NaN (context.ts: unknownMargins)
    const marks = new Uint8Array(nPeriods * nKeys);
    const nonCrmMarks = new Uint8Array(nPeriods);
    addPurchases(o, orderPeriods, axis.first, days, mask, credits, creditKey, orderKey, nKeys, sums, marks, nonCrmMarks);
    // each key over the range, from the cells while unknown margins still hold 0
    const keyMarks = new Uint8Array(nKeys);
    for (let cell = 0; cell < revenue.length; cell++) {
      const k = cell % nKeys;
      keyRevenue[k]! += revenue[cell]!;
      keyMargin[k]! += margin[cell]!;
      keyMarks[k]! |= marks[cell]!;
    }
    unknownMargins(keyMargin, keyMarks);
    unknownMargins(margin, marks);
    unknownMargins(nonCrmMargin, nonCrmMarks);
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
    keyRevenue,
    keyMargin,
    ...totals,
  };
}

/** The sums of an attribution result that do not depend on the credits. */
type OrderTotals = Pick<AttributionResult, 'netRevenue' | 'purchaseRevenue' | 'purchaseMargin' | 'purchaseCount'>;

/** The sums of an attribution result that depend on the credits. */
type CreditSums = Pick<AttributionResult, 'revenue' | 'margin' | 'purchases' | 'nonCrmRevenue' | 'nonCrmMargin' | 'nonCrmPurchases'>;

/**
 * Net revenue, and revenue, margin and count of purchases, per period for the orders of a day range (and of
 * the customers in `mask`). They do not depend on the model or the windows, so a window change reads
 * them from the cache, and its walk of the orders (`addPurchases`) does less per order: in Node at 1m,
 * about 10 against 13 ms.
 */
function orderTotals(o: OrdersColumns, periods: Int32Array, first: number, nPeriods: number, days: DayRange, mask: Uint8Array | null): OrderTotals {
  const netRevenue = new Float64Array(nPeriods);
  const purchaseRevenue = new Float64Array(nPeriods);
  const purchaseMargin = new Float64Array(nPeriods);
  const purchaseCount = new Float64Array(nPeriods);
  const marks = new Uint8Array(nPeriods);
  const { fromDay, toDay } = days;
  const { day, customer, revenue: orderRevenue, margin: orderMargin, isPurchase, count } = o;
  for (let i = 0; i < count; i++) {
    const d = day[i]!;
    if (d < fromDay || d > toDay) continue;
    if (mask !== null && mask[customer[i]!] === 0) continue;
    const pi = periods[i]! - first;
    const rev = orderRevenue[i]!;
    netRevenue[pi]! += rev;
    if (isPurchase[i] === 0) continue;
    purchaseRevenue[pi]! += rev;
    purchaseCount[pi]!++;
    const mar = orderMargin[i]!;
    if (mar === mar) {
      purchaseMargin[pi]! += mar;
      marks[pi] = MARGIN_CREDITED | MARGIN_KNOWN;
    } else marks[pi]! |= MARGIN_CREDITED;
  }
  unknownMargins(purchaseMargin, marks);
  return { netRevenue, purchaseRevenue, purchaseMargin, purchaseCount };
}

/**
 * Adds the purchases of a day range (and of the customers in `mask`) to the sums: each credit to its
 * period × key cell, a purchase without credit to the non-CRM sums. Kept apart from `attributionResult`
 * for the reason given at `findSingle`.
 */
function addPurchases(
  o: OrdersColumns,
  periods: Int32Array,
  first: number,
  days: DayRange,
  mask: Uint8Array | null,
  credits: Credits,
  creditKey: Int32Array | null,
  orderKey: Int8Array | null,
  nKeys: number,
  sums: CreditSums,
  marks: Uint8Array,
  nonCrmMarks: Uint8Array,
): void {
  const { revenue, margin, purchases, nonCrmRevenue, nonCrmMargin, nonCrmPurchases } = sums;
  const { fromDay, toDay } = days;
  const { day, customer, revenue: orderRevenue, margin: orderMargin, isPurchase, count } = o;
  const { start, weight } = credits;
  for (let i = 0; i < count; i++) {
    if (isPurchase[i] === 0) continue;
    const d = day[i]!;
    if (d < fromDay || d > toDay) continue;
    if (mask !== null && mask[customer[i]!] === 0) continue;
    const pi = periods[i]! - first;
    const rev = orderRevenue[i]!;
    const mar = orderMargin[i]!;
    const mark = mar === mar ? MARGIN_CREDITED | MARGIN_KNOWN : MARGIN_CREDITED;
    const a = start[i]!;
    const b = start[i + 1]!;
    if (a === b) {
      nonCrmRevenue[pi]! += rev;
      if (mar === mar) nonCrmMargin[pi]! += mar;
      nonCrmPurchases[pi]!++;
      nonCrmMarks[pi]! |= mark;
      continue;
    }
    const row = pi * nKeys;
    for (let q = a; q < b; q++) {
      const w = weight[q]!;
      const cell = row + (creditKey !== null ? creditKey[q]! : orderKey![i]!);
      revenue[cell]! += rev * w;
      if (mar === mar) margin[cell]! += mar * w;
      purchases[cell]! += w;
      if (w !== 0) marks[cell]! |= mark;
    }
  }
}
