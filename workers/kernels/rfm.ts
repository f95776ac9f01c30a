/**
 * RFM (metrics.md section 6): per-customer recency, frequency and monetary value, scores 1..B, the
 * R × F grid, segments, and paged customer lists.
 */
import { CrmError } from '../../src/core/errors.js';
import type { CustomerSortKey, ResolvedRfm, RfmCustomersParams, SegmentRule } from '../../src/core/queries.js';
import type { RfmCustomersResult, RfmResult } from '../../src/core/results.js';
import { csvCell } from '../../src/core/csv.js';
import { formatDay, formatLocalIso, MS_PER_DAY } from '../../src/core/time.js';
import { KernelContext, ratio, type DayRange } from './context.js';
import { radixOrder } from '../table/order.js';

/**
 * Money rounded to 4 decimals, so that the same amounts summed in another order (0.1 + 0.2 and 0.3)
 * compare equal when scored, and read 317.91 rather than 317.90999999999997.
 */
function roundMoney(value: number): number {
  return Math.round(value * 1e4) / 1e4 + 0;
}

/** R, F and M of every customer with a purchase in the range, in customer-code order. */
interface RfmTable {
  customer: Int32Array;
  /** Whole days from the last purchase to the as-of time. */
  recency: Float64Array;
  /** Purchases in the range. */
  frequency: Float64Array;
  /** Net revenue in the range, or purchase revenue per purchase (`aov`); sums kept to 4 decimals. */
  monetary: Float64Array;
  /** Net revenue in the range (for revenue totals, whatever the monetary mode). */
  revenue: Float64Array;
  asOf: number;
  asOfLabel: string;
}

/** Scores and segment of every customer of a table. */
interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  segment: Int32Array;
  /** The map's segment of every (r, f, m) triple (`segmentTable`). */
  lookup: Int32Array;
}

/** Parses an as-of option: a day (start of that day in the dataset zone) or an ISO 8601 instant. */
function parseAsOf(ctx: KernelContext, text: string): { utc: number; local: number } {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text.trim());
  if (day !== null) {
    const local = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    return { utc: ctx.zone.toUtc(local), local };
  }
  const utc = Date.parse(text);
  if (!Number.isFinite(utc) || !/(z|[+-]\d{2}:?\d{2})$/i.test(text.trim())) {
    throw new CrmError('bad-option', `asOf must be a day (2024-03-01) or an instant with offset (2024-03-01T10:00:00Z), not "${text}".`);
  }
  return { utc, local: ctx.zone.toLocal(utc) };
}

/**
 * What one walk of the orders gives for a range, filter and as-of time, whatever the monetary mode:
 * both modes' tables are read from it (and kept with it), so switching between net and AOV costs one
 * division per customer and one ordering of the new values instead of another walk and three orderings.
 */
interface RfmBase extends Omit<RfmTable, 'monetary'> {
  /** The purchases' revenue in the range (AOV's numerator). */
  purchaseRevenue: Float64Array;
  /** The tables read from this walk, by monetary mode. */
  tables: Partial<Record<ResolvedRfm['monetary'], RfmTable>>;
}

/** The RFM table: the walk cached per range, filter and as-of, each monetary mode's table with it. */
function rfmTable(ctx: KernelContext, p: ResolvedRfm, days: DayRange | null, mask: Uint8Array | null, maskKey: string): RfmTable {
  const base = ctx.remember('rfm', `${days?.fromDay}|${days?.toDay}|${maskKey}|${p.asOf}`, () => buildBase(ctx, p.asOf, days, mask), 4);
  return (base.tables[p.monetary] ??= monetaryTable(base, p.monetary));
}

/** The table of one monetary mode, from a walk's sums. */
function monetaryTable(base: RfmBase, mode: ResolvedRfm['monetary']): RfmTable {
  const { frequency, revenue, purchaseRevenue } = base;
  const n = frequency.length;
  const monetary = new Float64Array(n);
  // sums to 4 decimals (a hundredth of a cent), so the same amounts summed in another order tie
  if (mode === 'aov') for (let j = 0; j < n; j++) monetary[j] = roundMoney(purchaseRevenue[j]!) / frequency[j]!;
  else for (let j = 0; j < n; j++) monetary[j] = roundMoney(revenue[j]!);
  return { customer: base.customer, recency: base.recency, frequency, monetary, revenue, asOf: base.asOf, asOfLabel: base.asOfLabel };
}

/** Grow-only scratch of the walk, one slot per customer (fresh arrays of that size cost page faults on every range). */
let walkCustomer = new Int32Array(0);
let walkFrequency = new Float64Array(0);
let walkNet = new Float64Array(0);
let walkPurchase = new Float64Array(0);
let walkLast = new Float64Array(0);

/** The columns one range's walk reads, and the scratch it writes. */
interface RangeWalk {
  day: Int32Array;
  time: Float64Array;
  revenue: Float64Array;
  isPurchase: Uint8Array;
  fromDay: number;
  toDay: number;
  /** The as-of instant (UTC ms): later orders had not happened yet. +Infinity without one. */
  until: number;
  customer: Int32Array;
  frequency: Float64Array;
  net: Float64Array;
  purchaseRevenue: Float64Array;
  last: Float64Array;
}

/**
 * One customer's orders `oa .. ob` within the range, written to row `n` of the scratch when one is a
 * purchase (then true). A function per customer: V8 optimises it whole, where the same loop inline ran
 * compiled on the fly (OSR) for most of a range's first walk.
 */
function walkCustomerRange(w: RangeWalk, c: number, oa: number, ob: number, n: number): boolean {
  const { day, time, revenue, isPurchase, fromDay, toDay, until } = w;
  let i = oa;
  while (i < ob && day[i]! < fromDay) i++;
  let f = 0;
  let sum = 0;
  let bought = 0;
  let lastTime = Number.NEGATIVE_INFINITY;
  for (; i < ob && day[i]! <= toDay && time[i]! <= until; i++) {
    const r = revenue[i]!;
    sum += r;
    if (isPurchase[i] === 1) {
      f++;
      bought += r;
      lastTime = time[i]!;
    }
  }
  if (f === 0) return false;
  w.customer[n] = c;
  w.frequency[n] = f;
  w.net[n] = sum;
  w.purchaseRevenue[n] = bought;
  w.last[n] = lastTime;
  return true;
}

function buildBase(ctx: KernelContext, asOfText: string | null, days: DayRange | null, mask: Uint8Array | null): RfmBase {
  const { orders: o, dictionaries, index } = ctx.columns;
  const nCustomers = dictionaries.customers.length;
  if (walkCustomer.length < nCustomers) {
    walkCustomer = new Int32Array(nCustomers);
    walkFrequency = new Float64Array(nCustomers);
    walkNet = new Float64Array(nCustomers);
    walkPurchase = new Float64Array(nCustomers);
    walkLast = new Float64Array(nCustomers);
  }
  const customer = walkCustomer;
  const frequency = walkFrequency;
  const net = walkNet;
  const purchaseRevenue = walkPurchase;
  const last = walkLast;
  // a bad as-of fails before the walk
  const given = asOfText === null ? null : parseAsOf(ctx, asOfText);
  let n = 0;
  let latest = Number.NEGATIVE_INFINITY;
  if (days !== null) {
    // as of a past time, the orders after it are left out: the grid as it stood then (metrics.md section 6)
    const until = given === null ? Number.POSITIVE_INFINITY : given.utc;
    const walk: RangeWalk = { day: o.day, time: o.time, revenue: o.revenue, isPurchase: o.isPurchase, fromDay: days.fromDay, toDay: days.toDay, until, customer, frequency, net, purchaseRevenue, last };
    const { orderStart } = index;
    const { day } = o;
    const { fromDay, toDay } = days;
    for (let c = 0; c < nCustomers; c++) {
      const oa = orderStart[c]!;
      const ob = orderStart[c + 1]!;
      // orders are in time order: a customer whose first order is after the range, or last before it, has none in it
      if (oa === ob || day[oa]! > toDay || day[ob - 1]! < fromDay || (mask !== null && mask[c] === 0)) continue;
      if (walkCustomerRange(walk, c, oa, ob, n)) {
        if (last[n]! > latest) latest = last[n]!;
        n++;
      }
    }
  }
  let asOf: { utc: number; local: number };
  if (given !== null) asOf = given;
  else if (latest > Number.NEGATIVE_INFINITY) {
    const local = (ctx.zone.dayOf(latest) + 1) * MS_PER_DAY;
    asOf = { utc: ctx.zone.toUtc(local), local };
  } else asOf = { utc: Number.NaN, local: Number.NaN };
  const recency = new Float64Array(n);
  const zone = ctx.zone;
  for (let j = 0; j < n; j++) recency[j] = Math.floor((asOf.local - zone.toLocal(last[j]!)) / MS_PER_DAY) + 0;
  const label = Number.isNaN(asOf.local) ? '' : asOf.local % MS_PER_DAY === 0 ? formatDay(asOf.local / MS_PER_DAY) : formatLocalIso(asOf.local);
  return {
    customer: customer.slice(0, n),
    recency,
    frequency: frequency.slice(0, n),
    revenue: net.slice(0, n),
    purchaseRevenue: purchaseRevenue.slice(0, n),
    asOf: asOf.utc,
    asOfLabel: label,
    tables: {},
  };
}

/**
 * Rows of a table from worst to best on one dimension (recency descending, the others ascending), ties
 * by customer id. Cached per value array, which the tables of one walk share (recency and frequency
 * for both monetary modes): changing the bins, the scoring or the monetary mode re-reads orders
 * instead of sorting ~200k values again.
 */
function rankOrder(values: Float64Array, descending: boolean): Int32Array {
  let order = orderCache.get(values);
  if (order === undefined) {
    // radixOrder answers in scratch that the next call reuses: keep a copy
    order = radixOrder(values, descending).slice(0, values.length);
    orderCache.set(values, order);
  }
  return order;
}

/** Rank orders by value array (each array is one dimension's, so it has one direction). */
const orderCache = new WeakMap<Float64Array, Int32Array>();

function scoreDimension(table: RfmTable, p: ResolvedRfm, dimension: 'r' | 'f' | 'm'): Uint8Array {
  const values = dimension === 'r' ? table.recency : dimension === 'f' ? table.frequency : table.monetary;
  const n = values.length;
  const B = p.bins;
  const out = new Uint8Array(n);
  const lowerIsBetter = dimension === 'r';
  if (p.scoring === 'thresholds') {
    const cuts = p.thresholds![dimension];
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      let k = 0;
      if (lowerIsBetter) {
        for (const c of cuts) if (c < v) k++;
        out[i] = B - k;
      } else {
        for (const c of cuts) if (c <= v) k++;
        out[i] = 1 + k;
      }
    }
    return out;
  }
  const order = rankOrder(values, lowerIsBetter);
  if (p.scoring === 'ntile') {
    // SQL's NTILE(B): buckets of n / B rows in rank order, the first n mod B of them one row more
    const size = Math.floor(n / B);
    const bigger = n % B;
    let rank = 0;
    for (let bucket = 1; bucket <= B; bucket++) {
      const end = rank + size + (bucket <= bigger ? 1 : 0);
      for (; rank < end; rank++) out[order[rank]!] = bucket;
    }
    return out;
  }
  // percentile: 1 + floor(B × (customers with a worse value) / N), clamped; the worse ones are
  // exactly those before the value's first occurrence in the order, so the score changes only there
  let previous = Number.NaN;
  let score = 1;
  for (let rank = 0; rank < n; rank++) {
    const i = order[rank]!;
    const value = values[i]!;
    if (value !== previous) {
      score = Math.min(B, 1 + Math.floor((B * rank) / n));
      previous = value;
    }
    out[i] = score;
  }
  return out;
}

/** Segment of every (r, f, m) score triple of a map, −1 where none applies: [(r−1)·B² + (f−1)·B + (m−1)]. */
function segmentTable(rules: SegmentRule[], bins: number): Int32Array {
  const table = new Int32Array(bins * bins * bins);
  for (let r = 1; r <= bins; r++) {
    for (let f = 1; f <= bins; f++) {
      for (let m = 1; m <= bins; m++) table[((r - 1) * bins + (f - 1)) * bins + (m - 1)] = segmentOf(rules, r, f, m);
    }
  }
  return table;
}

/** Segment index of a score triple under a map. */
function segmentOf(rules: SegmentRule[], r: number, f: number, m: number): number {
  for (let s = 0; s < rules.length; s++) {
    const rule = rules[s]!;
    if (r >= rule.r[0] && r <= rule.r[1] && f >= rule.f[0] && f <= rule.f[1] && (rule.m === undefined || (m >= rule.m[0] && m <= rule.m[1]))) return s;
  }
  return -1;
}

/** Scores and segments of a table (cached with it). */
function rfmScores(table: RfmTable, p: ResolvedRfm): RfmScores {
  const key = `rfm-scores|${p.bins}|${p.scoring}|${JSON.stringify(p.thresholds)}|${JSON.stringify(p.segments)}`;
  let perTable = scoreCache.get(table);
  if (perTable === undefined) {
    perTable = new Map();
    scoreCache.set(table, perTable);
  }
  let scores = perTable.get(key);
  if (scores === undefined) {
    const r = scoreDimension(table, p, 'r');
    const f = scoreDimension(table, p, 'f');
    const m = scoreDimension(table, p, 'm');
    const segment = new Int32Array(r.length);
    const lookup = segmentTable(p.segments, p.bins);
    const B = p.bins;
    for (let i = 0; i < r.length; i++) segment[i] = lookup[((r[i]! - 1) * B + (f[i]! - 1)) * B + (m[i]! - 1)]!;
    scores = { r, f, m, segment, lookup };
    if (perTable.size > 4) perTable.clear();
    perTable.set(key, scores);
  }
  return scores;
}

const scoreCache = new WeakMap<RfmTable, Map<string, RfmScores>>();

/** The grid and segment summary. */
export function rfmResult(ctx: KernelContext, p: ResolvedRfm, days: DayRange | null, mask: Uint8Array | null, maskKey: string): RfmResult {
  const table = rfmTable(ctx, p, days, mask, maskKey);
  const scores = rfmScores(table, p);
  const B = p.bins;
  const n = table.customer.length;
  const cellCustomers = new Int32Array(B * B);
  const cellRevenue = new Float64Array(B * B);
  const cellMonetary = new Float64Array(B * B);
  const cellSegment = new Int32Array(B * B);
  const segments = p.segments.map((s) => s.name);
  const segmentCustomers = new Int32Array(segments.length);
  const segmentRevenue = new Float64Array(segments.length);
  let totalRevenue = 0;
  const { r: rScore, f: fScore, segment } = scores;
  const { revenue, monetary } = table;
  for (let i = 0; i < n; i++) {
    const cell = (rScore[i]! - 1) * B + (fScore[i]! - 1);
    const rev = revenue[i]!;
    cellCustomers[cell]!++;
    cellRevenue[cell]! += rev;
    cellMonetary[cell]! += monetary[i]!;
    totalRevenue += rev;
    // −1: no rule of the map covers the scores; a write at −1 would be dropped, but through V8's
    // slow path for every such customer (about 20 ms at 1m with a 3-bin map)
    const s = segment[i]!;
    if (s < 0) continue;
    segmentCustomers[s]!++;
    segmentRevenue[s]! += rev;
  }
  // the segment of each cell from the map itself (so empty cells have one too); −1 when M splits it
  const lookup = scores.lookup;
  for (let cell = 0; cell < B * B; cell++) {
    const first = lookup[cell * B]!;
    let same = true;
    for (let m = 1; m < B; m++) if (lookup[cell * B + m] !== first) same = false;
    cellSegment[cell] = same ? first : -1;
  }
  return {
    kind: 'rfm',
    range: KernelContext.label(days),
    bins: B,
    scoring: p.scoring,
    monetary: p.monetary,
    asOf: table.asOf,
    asOfLabel: table.asOfLabel,
    customers: n,
    totalRevenue,
    cellCustomers,
    cellRevenue,
    cellCustomerShare: Float64Array.from(cellCustomers, (c) => ratio(c, n)),
    cellRevenueShare: cellRevenue.map((r) => ratio(r, totalRevenue)),
    cellMeanMonetary: cellMonetary.map((m, i) => ratio(m, cellCustomers[i]!)),
    cellSegment,
    segments,
    segmentCustomers,
    segmentRevenue,
    segmentCustomerShare: Float64Array.from(segmentCustomers, (c) => ratio(c, n)),
    segmentRevenueShare: segmentRevenue.map((r) => ratio(r, totalRevenue)),
  };
}

/** A page (and optionally the whole CSV) of the customers of a cell or segment. */
export function rfmCustomers(
  ctx: KernelContext,
  p: ResolvedRfm,
  params: RfmCustomersParams,
  days: DayRange | null,
  mask: Uint8Array | null,
  maskKey: string,
): RfmCustomersResult {
  const table = rfmTable(ctx, p, days, mask, maskKey);
  const scores = rfmScores(table, p);
  const names = ctx.columns.dictionaries.customers;
  const segmentIndex = params.segment === undefined ? -1 : p.segments.findIndex((s) => s.name === params.segment);
  if (params.segment !== undefined && segmentIndex < 0) {
    throw new CrmError('bad-option', `There is no segment "${params.segment}".`, { hint: `Segments are ${p.segments.map((s) => s.name).join(', ')}.` });
  }
  const rows: number[] = [];
  for (let i = 0; i < table.customer.length; i++) {
    if (params.cell !== undefined && (scores.r[i] !== params.cell.r || scores.f[i] !== params.cell.f)) continue;
    if (segmentIndex >= 0 && scores.segment[i] !== segmentIndex) continue;
    rows.push(i);
  }
  const by: CustomerSortKey = params.sort?.by ?? 'monetary';
  const direction = params.sort?.direction ?? (by === 'recency' || by === 'customer' ? 'asc' : 'desc');
  const sign = direction === 'asc' ? 1 : -1;
  const value = (i: number): number => {
    switch (by) {
      case 'recency':
        return table.recency[i]!;
      case 'frequency':
        return table.frequency[i]!;
      case 'monetary':
        return table.monetary[i]!;
      case 'r':
        return scores.r[i]!;
      case 'f':
        return scores.f[i]!;
      case 'm':
        return scores.m[i]!;
      case 'customer':
        return table.customer[i]!;
    }
  };
  // ties by customer id, always ascending, so pages are stable
  rows.sort((a, b) => sign * (value(a) - value(b)) || table.customer[a]! - table.customer[b]!);
  const offset = Math.max(0, params.offset ?? 0);
  const limit = params.limit === undefined ? 50 : Math.max(0, params.limit);
  const page = rows.slice(offset, limit === Number.POSITIVE_INFINITY ? undefined : offset + limit);
  const segmentName = (i: number): string => p.segments[scores.segment[i]!]?.name ?? '';
  let csv: string | null = null;
  if (params.csv === true) {
    const lines = ['customer_id,recency_days,frequency,monetary,r,f,m,segment'];
    for (const i of rows) {
      lines.push(
        [csvCell(names[table.customer[i]!]!), csvCell(table.recency[i]!), csvCell(table.frequency[i]!), csvCell(table.monetary[i]!), csvCell(scores.r[i]!), csvCell(scores.f[i]!), csvCell(scores.m[i]!), csvCell(segmentName(i))].join(','),
      );
    }
    csv = lines.join('\n') + '\n';
  }
  return {
    kind: 'rfm-customers',
    total: rows.length,
    offset,
    ids: page.map((i) => names[table.customer[i]!]!),
    recency: Float64Array.from(page, (i) => table.recency[i]!),
    frequency: Float64Array.from(page, (i) => table.frequency[i]!),
    monetary: Float64Array.from(page, (i) => table.monetary[i]!),
    r: Uint8Array.from(page, (i) => scores.r[i]!),
    f: Uint8Array.from(page, (i) => scores.f[i]!),
    m: Uint8Array.from(page, (i) => scores.m[i]!),
    segment: page.map(segmentName),
    csv,
  };
}
