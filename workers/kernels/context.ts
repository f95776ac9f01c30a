/**
 * What every kernel needs besides the columns, computed once per dataset and cached: the day span of
 * the data, period lookup tables, customer filter masks, lifecycle stages, and per-basis indexes of
 * touches in event order. A parameter change re-runs a kernel over these, never the ingest.
 */
import { CrmError } from '../../src/core/errors.js';
import { periodOf, periodTable, type Period, type WeekStart } from '../../src/core/periods.js';
import { resolveRange, type Basis, type CustomerFilter, type DateRange } from '../../src/core/queries.js';
import type { ResultRange } from '../../src/core/results.js';
import type { DatasetColumns } from '../../src/core/tables.js';
import { formatDay, TimeZone } from '../../src/core/time.js';

/** Lifecycle stage codes of orders (metrics.md section 2). */
export const STAGE_NONE = -1;
export const STAGE_NEW = 0;
export const STAGE_RETURNING = 1;
export const STAGE_REACTIVATED = 2;
/** Stage names by code. */
export const STAGE_NAMES = ['new', 'returning', 'reactivated'];

/** Treatment touches of each customer in event-time order, for one basis. */
export interface EventIndex {
  /** Touches of customer c are entries `start[c] .. start[c+1]`. */
  start: Int32Array;
  /** Touch index of each entry. */
  touch: Int32Array;
  /** Event time of each entry (sent, opened or clicked). */
  time: Float64Array;
  /** Channel code of each entry's touch (read with the time, in the same pass). */
  channel: Int32Array;
}

/** Each order's last event at or before it, in a basis's event index (`KernelContext.lastEventAtOrder`). */
export interface LastEvents {
  /** The entry of that event, or the customer's first entry − 1 when there is none. */
  entry: Int32Array;
  /**
   * The event's time; NaN when there is none or the order is not a purchase, so that no comparison with
   * the start of an attribution lookback holds, however long it is. A purchase whose last event is
   * older than the longest lookback has no eligible touch: attribution skips it on this alone.
   */
  time: Float64Array;
  /**
   * The event's channel (−1 when `time` is NaN). With it, last touch decides most purchases on
   * sequential reads: the last event is credited when its channel's lookback reaches it.
   */
  channel: Int32Array;
}

/** Local days of each customer's treatment touches, ascending (for "recipients in range"). */
export interface TreatmentDays {
  /** Days of customer c are entries `start[c] .. start[c+1]`. */
  start: Int32Array;
  day: Int32Array;
}

/** Inclusive day bounds of a query. */
export interface DayRange {
  fromDay: number;
  toDay: number;
}

/** a / b, or NaN (shown as "none") when b is 0: a rate or share of nothing is undefined, never 0 or ∞. */
export function ratio(a: number, b: number): number {
  return b === 0 ? Number.NaN : a / b;
}

/**
 * A return on spend (ROAS, incremental ROAS): none (NaN) unless the cost is positive. A cost of 0 has
 * no return, and a negative one (credit notes above the spend) no meaningful one (metrics.md, section 7).
 */
export function perCost(a: number, cost: number): number {
  return cost > 0 ? a / cost : Number.NaN;
}

/** `perCost` of each value over the cost at its index. */
export function perCosts(values: Float64Array, costs: Float64Array): Float64Array {
  return values.map((a, i) => perCost(a, costs[i]!));
}

/** A margin cell's mark: a purchase has credit in it (with a weight other than 0). */
export const MARGIN_CREDITED = 1;
/** A margin cell's mark: a purchase with a known margin has credit in it. */
export const MARGIN_KNOWN = 2;

/**
 * Margin is summed over the purchases whose margin is known, as SQL's `sum` skips NULL (metrics.md,
 * "Margin"): a cell with credited purchases, none of them with a known margin, is unknown (NaN, a gap),
 * not 0; a cell without any purchase stays 0.
 */
export function unknownMargins(margin: Float64Array, marks: Uint8Array): void {
  for (let cell = 0; cell < marks.length; cell++) if (marks[cell] === MARGIN_CREDITED) margin[cell] = Number.NaN;
}

/** Runs a generator of slices of work (see `KernelContext.prepare`) to its end; returns its value. */
export function finish<T>(steps: Generator<void, T, void>): T {
  let step = steps.next();
  while (step.done !== true) step = steps.next();
  return step.value;
}

/** The key of work begun ahead, by its value's namespace and key. */
function pendingId(namespace: string, key: string): string {
  return `${namespace}\u0000${key}`;
}

/** Work begun ahead of need: a generator that yields between slices and returns the value to remember. */
interface Pending {
  namespace: string;
  key: string;
  keep: number;
  steps: Generator<void, unknown, void>;
}

/** Per-dataset caches for the kernels. */
export class KernelContext {
  readonly columns: DatasetColumns;
  readonly zone: TimeZone;
  /** First and last day with any order, touch or cost; null for an empty dataset. */
  readonly firstDay: number | null;
  readonly lastDay: number | null;
  /** Earliest order day, null without orders. */
  readonly firstOrderDay: number | null;
  /** Latest order time and its day, or NaN / null without orders. */
  readonly lastOrderTime: number;
  readonly lastOrderDay: number | null;
  private readonly tables = new Map<string, Int32Array>();
  private readonly masks = new Map<string, Uint8Array>();
  private readonly stages = new Map<number, Int8Array>();
  private readonly events = new Map<Basis, EventIndex>();
  private readonly lastEvents = new Map<Basis, LastEvents>();
  private readonly orderPeriodCache = new Map<string, Int32Array>();
  private treatment: TreatmentDays | null = null;
  private paid: Int32Array | null = null;
  /** Caches of kernels (attribution credits, RFM tables, ...) by namespace, keyed by their parameters; small and LRU. */
  private readonly memo = new Map<string, Map<string, unknown>>();
  /** Work begun ahead of need (`prepare`), by namespace and key; stepped by `work`, or finished by `remember` when asked for. */
  private readonly pending = new Map<string, Pending>();
  /** Work begun ahead that threw: not begun again (`prepare`). */
  private readonly failed = new Set<string>();

  constructor(columns: DatasetColumns) {
    this.columns = columns;
    this.zone = TimeZone.get(columns.timezone);
    // the passes are calls of their own, as V8 optimises a call whole: as loops in this constructor,
    // which runs once per dataset, they ran partly unoptimised over their 3.4M steps at 1m (Node, the
    // first run in 12 fresh processes a side: median about 29 ms as loops, 20 ms as calls)
    const bounds = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    widenDays(columns.orders.day, bounds);
    this.firstOrderDay = bounds[0]! <= bounds[1]! ? bounds[0]! : null;
    for (const days of [columns.touches.day, columns.costs.day]) widenDays(days, bounds);
    const [first, last] = bounds as [number, number];
    this.firstDay = first <= last ? first : null;
    this.lastDay = first <= last ? last : null;
    const lastTime = maxOf(columns.orders.time, columns.orders.count);
    this.lastOrderTime = lastTime > Number.NEGATIVE_INFINITY ? lastTime : Number.NaN;
    this.lastOrderDay = Number.isNaN(this.lastOrderTime) ? null : this.zone.dayOf(this.lastOrderTime);
  }

  /**
   * Remembers a computed value under a key within a namespace, keeping that namespace's `keep` most
   * recent values (each kernel's cache has its own size, so one kernel cannot evict another's).
   */
  remember<T>(namespace: string, key: string, compute: () => T, keep: number): T {
    const space = this.space(namespace);
    const hit = space.get(key);
    if (hit !== undefined) {
      space.delete(key);
      space.set(key, hit);
      return hit as T;
    }
    // work begun ahead is finished here, from where it stopped, rather than begun again
    const id = pendingId(namespace, key);
    const job = this.pending.get(id);
    let value: T;
    if (job === undefined) {
      value = compute();
    } else {
      this.pending.delete(id);
      value = finish(job.steps) as T;
    }
    this.store(space, key, value, keep);
    return value;
  }

  /**
   * Begins, ahead of need, a value `remember` would compute under this namespace and key: `steps`
   * yields between slices of the work, which `work` runs while the worker has no query to answer; a
   * `remember` of the value before then finishes it at once (a query may instead `peek` and do without).
   * The generator must compute exactly what `remember`'s `compute` would. Nothing happens when the value
   * is held, already begun, or failed before.
   */
  prepare(namespace: string, key: string, steps: () => Generator<void, unknown, void>, keep: number): void {
    const id = pendingId(namespace, key);
    if (this.pending.has(id) || this.failed.has(id) || this.memo.get(namespace)?.has(key) === true) return;
    this.pending.set(id, { namespace, key, keep, steps: steps() });
  }

  /**
   * Stores a value computed elsewhere (in a helper worker, from this context's columns) as `remember`
   * would have computed it under this namespace and key; nothing happens when one is held already.
   */
  provide(namespace: string, key: string, value: unknown, keep: number): void {
    const space = this.space(namespace);
    if (space.has(key)) return;
    this.pending.delete(pendingId(namespace, key));
    this.store(space, key, value, keep);
  }

  /** Whether work begun ahead is left. */
  get working(): boolean {
    return this.pending.size > 0;
  }

  /**
   * Runs work begun ahead, one slice after another, while `more()` says so; returns whether any is
   * left. Work that fails is dropped and not begun again: a `remember` of its value computes it and
   * reports the error.
   */
  work(more: () => boolean): boolean {
    for (const [id, job] of this.pending) {
      while (more()) {
        let step: IteratorResult<void, unknown>;
        try {
          step = job.steps.next();
        } catch {
          this.pending.delete(id);
          this.failed.add(id);
          break;
        }
        if (step.done === true) {
          this.pending.delete(id);
          this.store(this.space(job.namespace), job.key, step.value, job.keep);
          break;
        }
      }
      if (!more()) break;
    }
    return this.pending.size > 0;
  }

  private space(namespace: string): Map<string, unknown> {
    let space = this.memo.get(namespace);
    if (space === undefined) {
      space = new Map();
      this.memo.set(namespace, space);
    }
    return space;
  }

  private store(space: Map<string, unknown>, key: string, value: unknown, keep: number): void {
    space.set(key, value);
    while (space.size > keep) space.delete(space.keys().next().value!);
  }

  /** A value `remember` holds under a key, without computing or reordering anything; undefined when none. */
  peek<T>(namespace: string, key: string): T | undefined {
    return this.memo.get(namespace)?.get(key) as T | undefined;
  }

  /**
   * The days `[from, end)` the orders and a range cover in full: from the later of the range's start
   * and the first order day, up to the earlier of the day after the range and the last order day, which
   * is not over yet; without orders, every day (nothing is partial). Period axes and the KPIs flag what
   * reaches outside it (`spanPartial`).
   */
  covered(days: DayRange): { from: number; end: number } {
    if (this.firstOrderDay === null || this.lastOrderDay === null) return { from: Number.NEGATIVE_INFINITY, end: Number.POSITIVE_INFINITY };
    return { from: Math.max(days.fromDay, this.firstOrderDay), end: Math.min(days.toDay + 1, this.lastOrderDay) };
  }

  /** The query's days: the range, with open ends at the data bounds. Null when there is no data. */
  days(range: DateRange | undefined): DayRange | null {
    const resolved = resolveRange(range);
    if (this.firstDay === null || this.lastDay === null) {
      if (resolved.fromDay !== null && resolved.toDay !== null) return { fromDay: resolved.fromDay, toDay: resolved.toDay };
      return null;
    }
    // an open end takes the data's bound, but never crosses the given end: a range from after the
    // data's last day is that one empty day, not an inverted range (whose axis would have -8 periods)
    const fromDay = resolved.fromDay ?? Math.min(this.firstDay, resolved.toDay ?? this.firstDay);
    return { fromDay, toDay: resolved.toDay ?? Math.max(this.lastDay, fromDay) };
  }

  /** A day range as result range labels. */
  static label(days: DayRange | null): ResultRange {
    return days === null ? { from: null, to: null } : { from: formatDay(days.fromDay), to: formatDay(days.toDay) };
  }

  /**
   * Period index of a day: from a cached table over the data's day span (extended by a margin), or
   * computed for days outside it.
   */
  periodOfDay(day: number, period: Period, weekStart: WeekStart): number {
    const table = this.periodTableFor(period, weekStart);
    const i = day - this.tableFirst;
    return i >= 0 && i < table.length ? table[i]! : periodOf(day, period, weekStart);
  }

  /** The cached table (day − `tableFirst` → period index) of a period. */
  periodTableFor(period: Period, weekStart: WeekStart): Int32Array {
    const key = `${period}/${weekStart}`;
    let table = this.tables.get(key);
    if (table === undefined) {
      table = this.firstDay === null ? new Int32Array(0) : periodTable(this.tableFirst, this.lastDay! + 800, period, weekStart);
      this.tables.set(key, table);
    }
    return table;
  }

  /**
   * Period index of every order (cached per period and week start): kernels read it instead of
   * converting days in their hot loops.
   */
  orderPeriods(period: Period, weekStart: WeekStart): Int32Array {
    const key = `${period}/${weekStart}`;
    let periods = this.orderPeriodCache.get(key);
    if (periods === undefined) {
      const days = this.columns.orders.day;
      const table = this.periodTableFor(period, weekStart);
      const offset = this.tableFirst;
      periods = new Int32Array(days.length);
      for (let i = 0; i < days.length; i++) {
        const j = days[i]! - offset;
        periods[i] = j >= 0 && j < table.length ? table[j]! : periodOf(days[i]!, period, weekStart);
      }
      if (this.orderPeriodCache.size >= 6) this.orderPeriodCache.clear();
      this.orderPeriodCache.set(key, periods);
    }
    return periods;
  }

  /** Local days of each customer's treatment touches, ascending (cached). */
  treatmentDays(): TreatmentDays {
    if (this.treatment === null) {
      const { group, day: touchDay, count } = this.columns.touches;
      const touchStart = this.columns.index.touchStart;
      const nCustomers = this.columns.dictionaries.customers.length;
      const start = new Int32Array(nCustomers + 1);
      // touches are stored by customer, then sent time, so one pass lists each customer's days
      // ascending; the list is as long as the table and keeps the treatment part (a counting pass
      // first would save the holdout's few entries and cost a pass over every touch)
      const day = new Int32Array(count);
      let n = 0;
      for (let c = 0; c < nCustomers; c++) {
        for (let k = touchStart[c]!; k < touchStart[c + 1]!; k++) if (group[k] === 0) day[n++] = touchDay[k]!;
        start[c + 1] = n;
      }
      this.treatment = { start, day: day.subarray(0, n) };
    }
    return this.treatment;
  }

  /** Treatment touches that carry a per-touch cost, ascending (cached; usually a small share). */
  paidTouches(): Int32Array {
    if (this.paid === null) {
      const t = this.columns.touches;
      let n = 0;
      for (let k = 0; k < t.count; k++) if (t.group[k] === 0 && t.cost[k] !== 0) n++;
      this.paid = new Int32Array(n);
      n = 0;
      for (let k = 0; k < t.count; k++) if (t.group[k] === 0 && t.cost[k] !== 0) this.paid[n++] = k;
    }
    return this.paid;
  }

  /** Treatment touches with a per-touch cost sent in a range, from customers passing a filter. */
  paidTouchesIn(days: DayRange, mask: Uint8Array | null): Int32Array {
    const paid = this.paidTouches();
    const t = this.columns.touches;
    const out = new Int32Array(paid.length);
    let n = 0;
    for (let j = 0; j < paid.length; j++) {
      const k = paid[j]!;
      const day = t.day[k]!;
      if (day < days.fromDay || day > days.toDay) continue;
      if (mask !== null && mask[t.customer[k]!] === 0) continue;
      out[n++] = k;
    }
    return out.subarray(0, n);
  }

  /** First day of the period tables (a margin before the data, for ranges that start earlier). */
  get tableFirst(): number {
    return (this.firstDay ?? 0) - 800;
  }

  /**
   * Customers passing a filter (1) or not (0); null without a filter. A customer without the
   * attribute does not pass.
   */
  customerMask(filter: CustomerFilter | undefined): Uint8Array | null {
    if (filter === undefined) return null;
    const key = JSON.stringify([filter.attribute, [...filter.values].sort()]);
    let mask = this.masks.get(key);
    if (mask === undefined) {
      const attribute = this.columns.attributes.find((a) => a.name === filter.attribute);
      if (attribute === undefined) {
        const names = this.columns.attributes.map((a) => a.name);
        throw new CrmError('bad-option', `There is no customer attribute "${filter.attribute}".`, {
          hint: names.length > 0 ? `Attributes are ${names.join(', ')}.` : 'Load a customers table with attribute columns to filter by them.',
        });
      }
      const wanted = new Uint8Array(attribute.values.length);
      for (const v of filter.values) {
        const code = attribute.values.indexOf(v);
        if (code >= 0) wanted[code] = 1;
      }
      mask = new Uint8Array(this.columns.dictionaries.customers.length);
      for (let c = 0; c < mask.length; c++) {
        const code = attribute.codes[c]!;
        mask[c] = code >= 0 ? wanted[code]! : 0;
      }
      if (this.masks.size > 8) this.masks.clear();
      this.masks.set(key, mask);
    }
    return mask;
  }

  /**
   * Lifecycle stage of every order: new (the customer's first purchase), reactivated (previous purchase
   * more than `reactivationMs` earlier), returning; STAGE_NONE for adjustments.
   */
  stagesFor(reactivationMs: number): Int8Array {
    let stages = this.stages.get(reactivationMs);
    if (stages === undefined) {
      const o = this.columns.orders;
      stages = new Int8Array(o.count);
      for (let i = 0; i < o.count; i++) {
        if (o.isPurchase[i] === 0) stages[i] = STAGE_NONE;
        else {
          const prev = o.prevPurchaseAt[i]!;
          stages[i] = Number.isNaN(prev) ? STAGE_NEW : o.time[i]! - prev > reactivationMs ? STAGE_REACTIVATED : STAGE_RETURNING;
        }
      }
      this.stages.set(reactivationMs, stages);
    }
    return stages;
  }

  /**
   * For every order, its customer's last event at or before the order time in the event index of a
   * basis (cached per basis). Attribution then walks back from there for each new window instead of
   * walking every customer's events up to each purchase again.
   */
  lastEventAtOrder(basis: Basis): LastEvents {
    let last = this.lastEvents.get(basis);
    if (last !== undefined) return last;
    const o = this.columns.orders;
    const events = this.eventIndex(basis);
    const orderStart = this.columns.index.orderStart;
    const nCustomers = this.columns.dictionaries.customers.length;
    const entry = new Int32Array(o.count);
    const lastTime = new Float64Array(o.count);
    const lastChannel = new Int32Array(o.count);
    const { time, channel } = events;
    for (let c = 0; c < nCustomers; c++) {
      const ea = events.start[c]!;
      const eb = events.start[c + 1]!;
      let hi = ea;
      for (let i = orderStart[c]!; i < orderStart[c + 1]!; i++) {
        const at = o.time[i]!;
        while (hi < eb && time[hi]! <= at) hi++;
        entry[i] = hi - 1;
        const found = hi > ea && o.isPurchase[i] === 1;
        lastTime[i] = found ? time[hi - 1]! : Number.NaN;
        lastChannel[i] = found ? channel[hi - 1]! : -1;
      }
    }
    last = { entry, time: lastTime, channel: lastChannel };
    this.lastEvents.set(basis, last);
    return last;
  }

  /**
   * Treatment touches per customer in event order — (event time, channel, campaign), the tie order of
   * metrics.md — for a basis. Touches without that event are left out.
   */
  eventIndex(basis: Basis): EventIndex {
    let index = this.events.get(basis);
    if (index !== undefined) return index;
    const t = this.columns.touches;
    const times = basis === 'send' ? t.sentAt : basis === 'open' ? t.openedAt : t.clickedAt;
    const { group, channel: touchChannel, campaign } = t;
    const touchStart = this.columns.index.touchStart;
    const nCustomers = this.columns.dictionaries.customers.length;
    let n = 0;
    for (let i = 0; i < t.count; i++) if (group[i] === 0 && times[i] === times[i]) n++;
    const start = new Int32Array(nCustomers + 1);
    const touch = new Int32Array(n);
    const time = new Float64Array(n);
    const channel = new Int32Array(n);
    // Touches are stored by customer (`touchStart`), then sent time, channel and campaign: one pass in
    // that order lists each customer's entries, for send already in event order, and for open and click
    // mostly; an entry out of that order is moved back into place. (A counting sort by customer, then a
    // sort check and a gather, each a pass of its own, took about a third longer: 61-66 against 40-50
    // ms for the first index at 1m in Node 20.)
    const before = (a: number, b: number): boolean =>
      times[a]! < times[b]! || (times[a] === times[b] && (touchChannel[a]! < touchChannel[b]! || (touchChannel[a] === touchChannel[b] && campaign[a]! < campaign[b]!)));
    let k = 0;
    for (let c = 0; c < nCustomers; c++) {
      const first = k;
      for (let i = touchStart[c]!; i < touchStart[c + 1]!; i++) {
        const at = times[i]!;
        if (group[i] !== 0 || at !== at) continue;
        let j = k;
        // later than the entry before it: in place without the full comparison
        if (j > first && at <= time[j - 1]!) {
          while (j > first && before(i, touch[j - 1]!)) {
            touch[j] = touch[j - 1]!;
            time[j] = time[j - 1]!;
            channel[j] = channel[j - 1]!;
            j--;
          }
        }
        touch[j] = i;
        time[j] = at;
        channel[j] = touchChannel[i]!;
        k++;
      }
      start[c + 1] = k;
    }
    index = { start, touch, time, channel };
    this.events.set(basis, index);
    return index;
  }
}

/** Widens `bounds` ([lowest, highest]) to the day numbers of `days`. */
function widenDays(days: Int32Array, bounds: number[]): void {
  let first = bounds[0]!;
  let last = bounds[1]!;
  for (let i = 0; i < days.length; i++) {
    const d = days[i]!;
    if (d < first) first = d;
    if (d > last) last = d;
  }
  bounds[0] = first;
  bounds[1] = last;
}

/** The largest of the first `count` values (−Infinity when there are none). */
function maxOf(values: Float64Array, count: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) if (values[i]! > max) max = values[i]!;
  return max;
}
