/**
 * A deliberately naive reference implementation of metrics.md, for property tests: row objects, the
 * definitions read literally, local dates from `Intl` (not the engine's time-zone code), no indexes,
 * no caches, no typed arrays. Slow and obvious on purpose.
 */
import {
  DEFAULT_SEGMENTS,
  windowOf,
  parseDuration,
  resolveAttribution,
  type AttributionParams,
  type IncrementalityParams,
  type ResolvedAttribution,
  type RetentionParams,
  type RfmParams,
  type SegmentRule,
} from '../../src/core/queries.js';

export interface RefOrderRow {
  order_id: string | null;
  customer_id: string;
  ordered_at: number;
  revenue: number;
  margin: number | null;
}
export interface RefTouch {
  customer_id: string;
  channel: string;
  campaign: string | null;
  sent_at: number;
  opened_at: number | null;
  clicked_at: number | null;
  group: 'treatment' | 'holdout';
  cost: number;
}
export interface RefCost {
  date: string;
  channel: string;
  campaign: string | null;
  amount: number;
}
export interface RefData {
  timezone: string;
  orders: RefOrderRow[];
  touches: RefTouch[];
  costs: RefCost[];
  customers: { customer_id: string; plan: string | null }[];
}

/** A normalised order. */
export interface RefOrder {
  id: string | null;
  customer: string;
  time: number;
  revenue: number;
  margin: number | null;
  purchase: boolean;
}

const DAY = 86_400_000;
/** The normal distribution's 97.5% quantile (the reference keeps its own copy, independent of the kernel's). */
const Z95 = 1.959963984540054;

function formatter(zone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** Local wall clock of an instant as [date 'YYYY-MM-DD', wall ms as if UTC]. */
export function local(zone: string, ms: number): { date: string; wall: number } {
  const parts = formatter(zone).formatToParts(new Date(ms));
  const get = (type: string): string => parts.find((p) => p.type === type)!.value;
  const date = `${get('year')}-${get('month')}-${get('day')}`;
  const wall = Date.UTC(Number(get('year')), Number(get('month')) - 1, Number(get('day')), Number(get('hour')), Number(get('minute')), Number(get('second'))) + (ms % 1000 + 1000) % 1000;
  return { date, wall };
}

function dateToDays(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

function daysToDate(days: number): string {
  return new Date(days * DAY).toISOString().slice(0, 10);
}

/** Period index of a local date (comparable across periods of one kind; +1 per period). */
export function periodIndex(date: string, period: string): number {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const days = dateToDays(date);
  if (period === 'day') return days;
  if (period === 'week') return Math.floor((days + 3) / 7); // Monday weeks; 1970-01-01 was a Thursday
  if (period === 'month') return y * 12 + m - 1;
  return y * 4 + Math.floor((m - 1) / 3);
}

/** First local date of a period index. */
export function periodDate(index: number, period: string): string {
  if (period === 'day') return daysToDate(index);
  if (period === 'week') return daysToDate(index * 7 - 3);
  if (period === 'month') return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
  return `${Math.floor(index / 4)}-${String((index % 4) * 3 + 1).padStart(2, '0')}-01`;
}

/** Line items merged by order id; orders naming two customers dropped. */
export function normalise(rows: RefOrderRow[]): RefOrder[] {
  const byId = new Map<string, RefOrderRow[]>();
  const out: RefOrder[] = [];
  for (const r of rows) {
    if (r.order_id === null) {
      out.push({ id: null, customer: r.customer_id, time: r.ordered_at, revenue: r.revenue, margin: r.margin, purchase: r.revenue > 0 });
    } else {
      byId.set(r.order_id, [...(byId.get(r.order_id) ?? []), r]);
    }
  }
  for (const [id, lines] of byId) {
    if (new Set(lines.map((l) => l.customer_id)).size > 1) continue;
    const revenue = lines.reduce((s, l) => s + l.revenue, 0);
    const margin = lines.some((l) => l.margin === null) ? null : lines.reduce((s, l) => s + l.margin!, 0);
    // whether the order is a purchase, decided in whole cents (the generators' unit), free of binary residue
    const cents = lines.reduce((s, l) => s + Math.round(l.revenue * 100), 0);
    out.push({ id, customer: lines[0]!.customer_id, time: Math.min(...lines.map((l) => l.ordered_at)), revenue: cents === 0 ? 0 : revenue, margin, purchase: cents > 0 });
  }
  return out;
}

/** The query days: the range, open ends at the first / last local date of orders, touches and costs. */
export function rangeOf(data: RefData, range: { from?: string; to?: string } | undefined): { from: string; to: string } | null {
  const dates = [
    ...data.orders.map((o) => local(data.timezone, o.ordered_at).date),
    ...data.touches.map((t) => local(data.timezone, t.sent_at).date),
    ...data.costs.map((c) => c.date),
  ].sort();
  if (dates.length === 0) return null;
  return { from: range?.from ?? dates[0]!, to: range?.to ?? dates[dates.length - 1]! };
}

/** The equal-length range just before a range (the KPIs' "previous period"). */
export function previousRange(range: { from: string; to: string }): { from: string; to: string } {
  const from = dateToDays(range.from);
  const length = dateToDays(range.to) - from + 1;
  return { from: daysToDate(from - length), to: daysToDate(from - 1) };
}

export function inRange(date: string, range: { from: string; to: string }): boolean {
  return date >= range.from && date <= range.to;
}

function passes(data: RefData, customer: string, filter: { attribute: string; values: string[] } | undefined): boolean {
  if (filter === undefined) return true;
  const plan = data.customers.find((c) => c.customer_id === customer)?.plan ?? null;
  return plan !== null && filter.values.includes(plan);
}

/** Credit weights of one purchase: [touch, weight][]. */
export function credit(data: RefData, p: ResolvedAttribution, order: RefOrder): [RefTouch, number][] {
  if (!order.purchase) return [];
  const event = (t: RefTouch): number | null => (p.basis === 'send' ? t.sent_at : p.basis === 'open' ? t.opened_at : t.clicked_at);
  const eligible = data.touches
    .filter((t) => t.customer_id === order.customer && t.group === 'treatment')
    .filter((t) => {
      const e = event(t);
      return e !== null && e <= order.time && e >= order.time - windowOf(p, t.channel);
    })
    .sort((a, b) => event(a)! - event(b)! || (a.channel < b.channel ? -1 : a.channel > b.channel ? 1 : 0) || ((a.campaign ?? '') < (b.campaign ?? '') ? -1 : (a.campaign ?? '') > (b.campaign ?? '') ? 1 : 0));
  const n = eligible.length;
  if (n === 0) return [];
  switch (p.model) {
    case 'last_touch':
      return [[eligible[n - 1]!, 1]];
    case 'first_touch':
      return [[eligible[0]!, 1]];
    case 'linear':
      return eligible.map((t) => [t, 1 / n]);
    case 'position_based':
      if (n === 1) return [[eligible[0]!, 1]];
      if (n === 2) return eligible.map((t) => [t, 0.5]);
      return eligible.map((t, i) => [t, i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2)]);
    case 'time_decay': {
      const raw = eligible.map((t) => {
        const h = p.halfLife ?? windowOf(p, t.channel) / 4;
        const delta = order.time - event(t)!;
        return h > 0 ? Math.pow(2, -delta / h) : delta === 0 ? 1 : 0;
      });
      const sum = raw.reduce((a, b) => a + b, 0);
      return eligible.map((t, i) => [t, sum > 0 ? raw[i]! / sum : 1 / n]);
    }
  }
}

/** Attributed revenue per `period|key`, and non-CRM revenue and net revenue per period. */
export function refAttribution(data: RefData, params: AttributionParams): Map<string, number> {
  const p = resolveAttribution(params, 'month');
  const out = new Map<string, number>();
  const add = (key: string, v: number): void => void out.set(key, (out.get(key) ?? 0) + v);
  const range = rangeOf(data, params.range);
  if (range === null) return out;
  const orders = normalise(data.orders);
  const stageOf = (o: RefOrder): string => {
    const before = orders.filter((x) => x.customer === o.customer && x.purchase && (x.time < o.time || (x.time === o.time && precedes(x, o))));
    if (before.length === 0) return 'new';
    const prev = Math.max(...before.map((x) => x.time));
    return o.time - prev > p.reactivationMs ? 'reactivated' : 'returning';
  };
  for (const o of orders) {
    const { date } = local(data.timezone, o.time);
    if (!inRange(date, range) || !passes(data, o.customer, params.filter)) continue;
    const period = periodDate(periodIndex(date, p.period), p.period);
    add(`net|${period}`, o.revenue);
    if (!o.purchase) continue;
    out.set(`purchaseMargin|${period}`, sqlSum(out.get(`purchaseMargin|${period}`), o.margin));
    const credits = credit(data, p, o);
    if (credits.length === 0) {
      add(`noncrm|${period}`, o.revenue);
      out.set(`noncrmMargin|${period}`, sqlSum(out.get(`noncrmMargin|${period}`), o.margin));
      continue;
    }
    for (const [t, w] of credits) {
      const key = p.dimension === 'channel' ? t.channel : p.dimension === 'campaign' ? `${t.channel}/${t.campaign ?? '(none)'}` : stageOf(o);
      add(`rev|${period}|${key}`, o.revenue * w);
      add(`keyRev|${key}`, o.revenue * w);
      if (w !== 0) {
        out.set(`margin|${period}|${key}`, sqlSum(out.get(`margin|${period}|${key}`), o.margin === null ? null : o.margin * w));
        out.set(`keyMargin|${key}`, sqlSum(out.get(`keyMargin|${key}`), o.margin === null ? null : o.margin * w));
      }
      add(`credit|${period}|${key}`, w);
    }
  }
  return out;
}

/**
 * One more term of a margin sum as SQL's sum() takes it: NULL terms skipped, NULL (NaN) when every
 * term so far is NULL; `had` undefined before the first term.
 */
function sqlSum(had: number | undefined, v: number | null): number {
  if (v === null) return had ?? Number.NaN;
  return had === undefined || Number.isNaN(had) ? v : had + v;
}

/**
 * Order of two orders at the same time (the build's canonical order, `workers/table/build.ts`: order id
 * by code point, orders without id last, then revenue, then margin, a missing margin last; the
 * reference has no discounts).
 */
function precedes(a: RefOrder, b: RefOrder): boolean {
  if (a.id !== b.id) {
    if (a.id === null) return false;
    if (b.id === null) return true;
    const x = Array.from(a.id, (c) => c.codePointAt(0)!);
    const y = Array.from(b.id, (c) => c.codePointAt(0)!);
    for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! < y[k]!;
    return x.length < y.length;
  }
  if (a.revenue !== b.revenue) return a.revenue < b.revenue;
  if (a.margin === b.margin || a.margin === null) return false;
  return b.margin === null || a.margin < b.margin;
}

/** KPIs of a range. */
export function refKpis(data: RefData, params: AttributionParams): Record<string, number> {
  const p = resolveAttribution(params, 'month');
  const range = rangeOf(data, params.range);
  const zero = { netRevenue: 0, crmRevenue: 0, crmMargin: 0, purchases: 0, purchaseRevenue: 0, customers: 0, repeatCustomers: 0, recipients: 0, convertedRecipients: 0 };
  if (range === null) return zero;
  const orders = normalise(data.orders).filter((o) => inRange(local(data.timezone, o.time).date, range) && passes(data, o.customer, params.filter));
  const out = { ...zero };
  const purchasesBy = new Map<string, number>();
  const converted = new Set<string>();
  let creditedPurchases = 0;
  let withMargin = 0;
  for (const o of orders) {
    out.netRevenue += o.revenue;
    if (!o.purchase) continue;
    out.purchases++;
    out.purchaseRevenue += o.revenue;
    purchasesBy.set(o.customer, (purchasesBy.get(o.customer) ?? 0) + 1);
    const credits = credit(data, p, o);
    if (credits.length > 0) {
      converted.add(o.customer);
      creditedPurchases++;
      if (o.margin !== null) withMargin++;
    }
    for (const [, w] of credits) {
      out.crmRevenue += o.revenue * w;
      // an order without a known margin adds none
      if (o.margin !== null) out.crmMargin += o.margin * w;
    }
  }
  // and with none known among credited purchases, CRM margin is unknown
  if (creditedPurchases > 0 && withMargin === 0) out.crmMargin = Number.NaN;
  out.customers = [...purchasesBy.values()].filter((n) => n >= 1).length;
  out.repeatCustomers = [...purchasesBy.values()].filter((n) => n >= 2).length;
  const recipients = new Set(
    data.touches.filter((t) => t.group === 'treatment' && inRange(local(data.timezone, t.sent_at).date, range) && passes(data, t.customer_id, params.filter)).map((t) => t.customer_id),
  );
  out.recipients = recipients.size;
  out.convertedRecipients = [...recipients].filter((c) => converted.has(c)).length;
  return out;
}

/** Lift rows per scope name ('all', a channel, a campaign). */
export function refIncrementality(data: RefData, params: IncrementalityParams): Map<string, Record<string, number>> {
  const liftMs = parseDuration(params.liftWindow ?? '14d', 'liftWindow');
  const range = rangeOf(data, params.range);
  const out = new Map<string, Record<string, number>>();
  if (range === null) return out;
  const orders = normalise(data.orders);
  const touches = data.touches.filter((t) => inRange(local(data.timezone, t.sent_at).date, range) && passes(data, t.customer_id, params.filter));
  const scopes: [string, (t: RefTouch) => boolean][] = [['all', () => true]];
  for (const ch of [...new Set(touches.map((t) => t.channel))].sort()) scopes.push([ch, (t) => t.channel === ch]);
  for (const k of [...new Set(touches.map((t) => t.campaign).filter((c): c is string => c !== null))].sort()) scopes.push([k, (t) => t.campaign === k]);
  for (const [name, inScope] of scopes) {
    const rows = { treatment: 0, holdout: 0, excluded: 0, revenueTreatment: 0, revenueHoldout: 0, convertedTreatment: 0, convertedHoldout: 0, cost: 0, liftLow: Number.NaN, liftHigh: Number.NaN };
    const outcomes: Record<'treatment' | 'holdout', number[]> = { treatment: [], holdout: [] };
    const scoped = touches.filter(inScope);
    for (const customer of new Set(scoped.map((t) => t.customer_id))) {
      const mine = scoped.filter((t) => t.customer_id === customer);
      if (new Set(mine.map((t) => t.group)).size > 1) {
        rows.excluded++;
        continue;
      }
      const start = Math.min(...mine.map((t) => t.sent_at));
      const window = orders.filter((o) => o.customer === customer && o.time >= start && o.time < start + liftMs);
      const revenue = window.reduce((s, o) => s + o.revenue, 0);
      const bought = window.some((o) => o.purchase) ? 1 : 0;
      if (mine[0]!.group === 'treatment') {
        outcomes.treatment.push(revenue);
        rows.treatment++;
        rows.revenueTreatment += revenue;
        rows.convertedTreatment += bought;
      } else {
        outcomes.holdout.push(revenue);
        rows.holdout++;
        rows.revenueHoldout += revenue;
        rows.convertedHoldout += bought;
      }
    }
    const costRows = data.costs.filter((c) => inRange(c.date, range) && (name === 'all' || c.channel === name || c.campaign === name));
    const paid = scoped.filter((t) => t.group === 'treatment');
    rows.cost = netCost(
      costRows.reduce((s, c) => s + c.amount, 0) + paid.reduce((s, t) => s + t.cost, 0),
      costRows.reduce((s, c) => s + Math.abs(c.amount), 0) + paid.reduce((s, t) => s + Math.abs(t.cost), 0),
    );
    // the 95% interval of the lift per customer: each group's sample variance, two passes
    const meanOf = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
    const varianceOf = (xs: number[]): number => {
      const mean = meanOf(xs);
      return xs.length < 2 ? Number.NaN : xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
    };
    if (outcomes.treatment.length > 0 && outcomes.holdout.length > 0) {
      const lift = meanOf(outcomes.treatment) - meanOf(outcomes.holdout);
      const se = Math.sqrt(varianceOf(outcomes.treatment) / outcomes.treatment.length + varianceOf(outcomes.holdout) / outcomes.holdout.length);
      rows.liftLow = lift - Z95 * se;
      rows.liftHigh = lift + Z95 * se;
    }
    out.set(name, rows);
  }
  return out;
}

/** Retention cells per `group|cohort|offset`: [size, customers, rolling, revenue]. */
export function refRetention(data: RefData, params: RetentionParams): Map<string, number[]> {
  const period = params.period ?? 'month';
  const K = params.offsets ?? 12;
  const range = rangeOf(data, params.range);
  const out = new Map<string, number[]>();
  if (range === null) return out;
  const orders = normalise(data.orders);
  const customers = [...new Set(orders.filter((o) => o.purchase).map((o) => o.customer))];
  const firstIndex = periodIndex(range.from, period);
  const lastIndex = periodIndex(range.to, period);
  const groupOf = (c: string): string => (params.breakdown === undefined ? 'all' : data.customers.find((x) => x.customer_id === c)?.plan ?? '(none)');
  for (const c of customers) {
    if (!passes(data, c, params.filter)) continue;
    const mine = orders.filter((o) => o.customer === c);
    const first = Math.min(...mine.filter((o) => o.purchase).map((o) => o.time));
    const firstDate = local(data.timezone, first).date;
    // whole cohorts: every period the range touches
    const cohort = periodIndex(firstDate, period);
    if (cohort < firstIndex || cohort > lastIndex) continue;
    const key = (k: number): string => `${groupOf(c)}|${periodDate(cohort, period)}|${k}`;
    let lastOffset = 0;
    for (const o of mine) {
      const k = periodIndex(local(data.timezone, o.time).date, period) - cohort;
      if (k >= 0 && o.purchase) lastOffset = Math.max(lastOffset, k);
    }
    for (let k = 0; k < K; k++) {
      const cell = out.get(key(k)) ?? [0, 0, 0, 0];
      cell[0]!++;
      const inCell = mine.filter((o) => periodIndex(local(data.timezone, o.time).date, period) - cohort === k);
      if (inCell.some((o) => o.purchase)) cell[1]!++;
      if (lastOffset >= k) cell[2]!++;
      cell[3]! += inCell.reduce((s, o) => s + o.revenue, 0);
      out.set(key(k), cell);
    }
  }
  return out;
}

/** RFM per customer: recency, frequency, monetary and the scores. */
export function refRfm(data: RefData, params: RfmParams): Map<string, { recency: number; frequency: number; monetary: number; r: number; f: number; m: number; segment: string }> {
  const B = params.bins ?? 5;
  const range = rangeOf(data, params.range);
  const out = new Map<string, { recency: number; frequency: number; monetary: number; r: number; f: number; m: number; segment: string }>();
  if (range === null) return out;
  // as of a day (its start in the dataset's zone), the orders after it had not happened yet
  const given = params.asOf !== undefined ? dateToDays(params.asOf) * DAY : Number.POSITIVE_INFINITY;
  const orders = normalise(data.orders).filter((o) => inRange(local(data.timezone, o.time).date, range) && local(data.timezone, o.time).wall <= given && passes(data, o.customer, params.filter));
  const purchasers = [...new Set(orders.filter((o) => o.purchase).map((o) => o.customer))].sort((a, b) => (a < b ? -1 : 1));
  if (purchasers.length === 0) return out;
  const latest = Math.max(...orders.filter((o) => o.purchase).map((o) => o.time));
  const asOfWall = params.asOf !== undefined ? given : (dateToDays(local(data.timezone, latest).date) + 1) * DAY;
  const rows = purchasers.map((c) => {
    const mine = orders.filter((o) => o.customer === c);
    const buys = mine.filter((o) => o.purchase);
    const last = Math.max(...buys.map((o) => o.time));
    const net = mine.reduce((s, o) => s + o.revenue, 0);
    // sums kept to 4 decimals (a hundredth of a cent) by definition, so equal amounts tie
    const cents4 = (v: number): number => Number(v.toFixed(4)) + 0;
    const monetary = params.monetary === 'aov' ? cents4(buys.reduce((s, o) => s + o.revenue, 0)) / buys.length : cents4(net);
    return { c, recency: Math.floor((asOfWall - local(data.timezone, last).wall) / DAY), frequency: buys.length, monetary };
  });
  const N = rows.length;
  const score = (value: number, all: number[], lowerIsBetter: boolean, dimension: 'r' | 'f' | 'm', index: number): number => {
    if (params.scoring === 'thresholds') {
      const cuts = params.thresholds![dimension];
      return lowerIsBetter ? B - cuts.filter((x) => x < value).length : 1 + cuts.filter((x) => x <= value).length;
    }
    if (params.scoring === 'ntile') {
      const order = rows.map((_, i) => i).sort((a, b) => (lowerIsBetter ? all[b]! - all[a]! : all[a]! - all[b]!) || (rows[a]!.c < rows[b]!.c ? -1 : 1));
      const rank = order.indexOf(index);
      const q = Math.floor(N / B);
      const r = N % B;
      return rank < r * (q + 1) ? Math.floor(rank / (q + 1)) + 1 : r + Math.floor((rank - r * (q + 1)) / q) + 1;
    }
    const worse = lowerIsBetter ? all.filter((x) => x > value).length : all.filter((x) => x < value).length;
    return Math.min(B, 1 + Math.floor((B * worse) / N));
  };
  const segments: SegmentRule[] = params.segments ?? DEFAULT_SEGMENTS[B]!;
  rows.forEach((row, i) => {
    const r = score(row.recency, rows.map((x) => x.recency), true, 'r', i);
    const f = score(row.frequency, rows.map((x) => x.frequency), false, 'f', i);
    const m = score(row.monetary, rows.map((x) => x.monetary), false, 'm', i);
    const segment = segments.find((s) => r >= s.r[0] && r <= s.r[1] && f >= s.f[0] && f <= s.f[1] && (s.m === undefined || (m >= s.m[0] && m <= s.m[1])))?.name ?? '';
    out.set(row.c, { recency: row.recency, frequency: row.frequency, monetary: row.monetary, r, f, m, segment });
  });
  return out;
}

/** A sum of costs that cancels to residue (under a billionth of its amounts' absolute sum) is 0. */
export function netCost(cost: number, size: number): number {
  return Math.abs(cost) <= 1e-9 * size ? 0 : cost;
}

/**
 * ROAS inputs per `period|channel`: [cost, revenue, margin, 1 once a purchase has credit, the sum of
 * the costs' absolute amounts]; the cost is netCost's.
 */
export function refRoas(data: RefData, params: AttributionParams): Map<string, number[]> {
  const p = resolveAttribution(params, 'week');
  const range = rangeOf(data, params.range);
  const out = new Map<string, number[]>();
  if (range === null) return out;
  const cell = (period: string, channel: string): number[] => {
    const key = `${period}|${channel}`;
    let v = out.get(key);
    if (v === undefined) {
      v = [0, 0, 0, 0, 0];
      out.set(key, v);
    }
    return v;
  };
  const periodOfDate = (date: string): string => periodDate(periodIndex(date, p.period), p.period);
  const addCost = (v: number[], amount: number): void => {
    v[0]! += amount;
    v[4]! += Math.abs(amount);
  };
  for (const c of data.costs) if (inRange(c.date, range)) addCost(cell(periodOfDate(c.date), c.channel), c.amount);
  for (const t of data.touches) {
    const date = local(data.timezone, t.sent_at).date;
    if (t.group === 'treatment' && t.cost !== 0 && inRange(date, range) && passes(data, t.customer_id, params.filter)) addCost(cell(periodOfDate(date), t.channel), t.cost);
  }
  for (const o of normalise(data.orders)) {
    const date = local(data.timezone, o.time).date;
    if (!inRange(date, range) || !passes(data, o.customer, params.filter)) continue;
    for (const [t, w] of credit(data, p, o)) {
      const v = cell(periodOfDate(date), t.channel);
      v[1]! += o.revenue * w;
      if (w === 0) continue;
      v[2] = sqlSum(v[3] === 1 ? v[2] : undefined, o.margin === null ? null : o.margin * w);
      v[3] = 1;
    }
  }
  for (const v of out.values()) v[0] = netCost(v[0]!, v[4]!);
  return out;
}
