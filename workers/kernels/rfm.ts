/**
 * RFM (metrics.md section 6): per-customer recency, frequency and monetary value, scores 1..B, the
 * R × F grid, segments, and paged customer lists.
 */
import { CrmError } from '../../src/core/errors.js';
import type { CustomerSortKey, ResolvedRfm, RfmCustomersParams, SegmentRule } from '../../src/core/queries.js';
import type { RfmCustomersResult, RfmResult } from '../../src/core/results.js';
import { formatDay, formatLocalIso, MS_PER_DAY } from '../../src/core/time.js';
import { KernelContext, type DayRange } from './context.js';

/** R, F and M of every customer with a purchase in the range, in customer-code order. */
export interface RfmTable {
  customer: Int32Array;
  /** Whole days from the last purchase to the as-of time. */
  recency: Float64Array;
  /** Purchases in the range. */
  frequency: Float64Array;
  /** Net revenue in the range, or purchase revenue per purchase (`aov`). */
  monetary: Float64Array;
  /** Net revenue in the range (for revenue totals, whatever the monetary mode). */
  revenue: Float64Array;
  asOf: number;
  asOfLabel: string;
}

/** Scores and segment of every customer of a table. */
export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
  segment: Int32Array;
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

/** The RFM table (cached per range, filter, as-of and monetary mode). */
export function rfmTable(ctx: KernelContext, p: ResolvedRfm, days: DayRange | null, mask: Uint8Array | null, maskKey: string): RfmTable {
  const key = `rfm|${days?.fromDay}|${days?.toDay}|${maskKey}|${p.asOf}|${p.monetary}`;
  return ctx.remember(key, () => buildTable(ctx, p, days, mask), 4);
}

function buildTable(ctx: KernelContext, p: ResolvedRfm, days: DayRange | null, mask: Uint8Array | null): RfmTable {
  const { orders: o, dictionaries, index } = ctx.columns;
  const nCustomers = dictionaries.customers.length;
  const customer: number[] = [];
  const frequency: number[] = [];
  const net: number[] = [];
  const purchaseRevenue: number[] = [];
  const last: number[] = [];
  let latest = Number.NEGATIVE_INFINITY;
  if (days !== null) {
    for (let c = 0; c < nCustomers; c++) {
      if (mask !== null && mask[c] === 0) continue;
      let f = 0;
      let revenue = 0;
      let bought = 0;
      let lastTime = Number.NEGATIVE_INFINITY;
      for (let i = index.orderStart[c]!; i < index.orderStart[c + 1]!; i++) {
        const day = o.day[i]!;
        if (day < days.fromDay || day > days.toDay) continue;
        revenue += o.revenue[i]!;
        if (o.isPurchase[i] === 1) {
          f++;
          bought += o.revenue[i]!;
          if (o.time[i]! > lastTime) lastTime = o.time[i]!;
        }
      }
      if (f === 0) continue;
      customer.push(c);
      frequency.push(f);
      net.push(revenue);
      purchaseRevenue.push(bought);
      last.push(lastTime);
      if (lastTime > latest) latest = lastTime;
    }
  }
  let asOf: { utc: number; local: number };
  if (p.asOf !== null) asOf = parseAsOf(ctx, p.asOf);
  else if (latest > Number.NEGATIVE_INFINITY) {
    const local = (ctx.zone.dayOf(latest) + 1) * MS_PER_DAY;
    asOf = { utc: ctx.zone.toUtc(local), local };
  } else asOf = { utc: Number.NaN, local: Number.NaN };
  const n = customer.length;
  const recency = new Float64Array(n);
  for (let i = 0; i < n; i++) recency[i] = Math.floor((asOf.local - ctx.zone.toLocal(last[i]!)) / MS_PER_DAY);
  const monetary = Float64Array.from(p.monetary === 'aov' ? purchaseRevenue.map((r, i) => r / frequency[i]!) : net);
  const label = Number.isNaN(asOf.local) ? '' : asOf.local % MS_PER_DAY === 0 ? formatDay(asOf.local / MS_PER_DAY) : formatLocalIso(asOf.local);
  return {
    customer: Int32Array.from(customer),
    recency,
    frequency: Float64Array.from(frequency),
    monetary,
    revenue: Float64Array.from(net),
    asOf: asOf.utc,
    asOfLabel: label,
  };
}

/** First index of `sorted` with a value ≥ v. */
function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index of `sorted` with a value > v. */
function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Rank of each customer when ordered by value ascending (descending with `descending`), ties by
 * customer id ascending — table rows are in customer-code order, which is customer-id order. A native
 * sort of the values plus a stable placement, instead of a comparator sort.
 */
function ranks(values: Float64Array, descending: boolean): Int32Array {
  const n = values.length;
  const keys = descending ? values.map((v) => -v) : values.slice();
  const sorted = keys.slice().sort();
  const seen = new Int32Array(n);
  const rank = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const at = lowerBound(sorted, keys[i]!);
    rank[i] = at + seen[at]!++;
  }
  return rank;
}

/** NTILE(B) bucket (1-based) of a 0-based rank among n rows, as SQL computes it. */
export function ntile(rank: number, n: number, bins: number): number {
  const q = Math.floor(n / bins);
  const r = n % bins;
  const big = r * (q + 1);
  return rank < big ? Math.floor(rank / (q + 1)) + 1 : r + Math.floor((rank - big) / q) + 1;
}

function scoreDimension(values: Float64Array, p: ResolvedRfm, dimension: 'r' | 'f' | 'm'): Uint8Array {
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
  if (p.scoring === 'ntile') {
    const rank = ranks(values, lowerIsBetter);
    for (let i = 0; i < n; i++) out[i] = ntile(rank[i]!, n, B);
    return out;
  }
  // percentile: 1 + floor(B × (customers with a worse value) / N), clamped
  const sorted = values.slice().sort();
  for (let i = 0; i < n; i++) {
    const worse = lowerIsBetter ? n - upperBound(sorted, values[i]!) : lowerBound(sorted, values[i]!);
    const score = 1 + Math.floor((B * worse) / n);
    out[i] = score > B ? B : score;
  }
  return out;
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
export function rfmScores(ctx: KernelContext, table: RfmTable, p: ResolvedRfm): RfmScores {
  const key = `rfm-scores|${p.bins}|${p.scoring}|${JSON.stringify(p.thresholds)}|${JSON.stringify(p.segments)}`;
  let perTable = scoreCache.get(table);
  if (perTable === undefined) {
    perTable = new Map();
    scoreCache.set(table, perTable);
  }
  let scores = perTable.get(key);
  if (scores === undefined) {
    const r = scoreDimension(table.recency, p, 'r');
    const f = scoreDimension(table.frequency, p, 'f');
    const m = scoreDimension(table.monetary, p, 'm');
    const segment = new Int32Array(r.length);
    for (let i = 0; i < r.length; i++) segment[i] = segmentOf(p.segments, r[i]!, f[i]!, m[i]!);
    scores = { r, f, m, segment };
    if (perTable.size > 4) perTable.clear();
    perTable.set(key, scores);
  }
  void ctx;
  return scores;
}

const scoreCache = new WeakMap<RfmTable, Map<string, RfmScores>>();

/** The grid and segment summary. */
export function rfmResult(ctx: KernelContext, p: ResolvedRfm, days: DayRange | null, mask: Uint8Array | null, maskKey: string): RfmResult {
  const table = rfmTable(ctx, p, days, mask, maskKey);
  const scores = rfmScores(ctx, table, p);
  const B = p.bins;
  const n = table.customer.length;
  const cellCustomers = new Int32Array(B * B);
  const cellRevenue = new Float64Array(B * B);
  const cellMonetary = new Float64Array(B * B);
  const cellSegment = new Int32Array(B * B).fill(-2);
  const segments = p.segments.map((s) => s.name);
  const segmentCustomers = new Int32Array(segments.length);
  const segmentRevenue = new Float64Array(segments.length);
  let totalRevenue = 0;
  for (let i = 0; i < n; i++) {
    const cell = (scores.r[i]! - 1) * B + (scores.f[i]! - 1);
    cellCustomers[cell]!++;
    cellRevenue[cell]! += table.revenue[i]!;
    cellMonetary[cell]! += table.monetary[i]!;
    totalRevenue += table.revenue[i]!;
    const s = scores.segment[i]!;
    segmentCustomers[s]!++;
    segmentRevenue[s]! += table.revenue[i]!;
  }
  // the segment of each cell from the map itself (so empty cells have one too); −1 when M splits it
  for (let r = 1; r <= B; r++) {
    for (let f = 1; f <= B; f++) {
      const found = new Set<number>();
      for (let m = 1; m <= B; m++) found.add(segmentOf(p.segments, r, f, m));
      cellSegment[(r - 1) * B + (f - 1)] = found.size === 1 ? [...found][0]! : -1;
    }
  }
  const share = (a: number, b: number): number => (b === 0 ? Number.NaN : a / b);
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
    cellCustomerShare: Float64Array.from(cellCustomers, (c) => share(c, n)),
    cellRevenueShare: cellRevenue.map((r) => share(r, totalRevenue)),
    cellMeanMonetary: cellMonetary.map((m, i) => share(m, cellCustomers[i]!)),
    cellSegment,
    segments,
    segmentCustomers,
    segmentRevenue,
    segmentCustomerShare: Float64Array.from(segmentCustomers, (c) => share(c, n)),
    segmentRevenueShare: segmentRevenue.map((r) => share(r, totalRevenue)),
  };
}

/** CSV text of a field: quoted when needed, and neutralised when a spreadsheet would run it as a formula. */
export function csvCell(value: string | number): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  let text = value;
  if (/^[=+\-@\t\r]/.test(text) && !/^[-+]?\d+(\.\d+)?$/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
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
  const scores = rfmScores(ctx, table, p);
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
