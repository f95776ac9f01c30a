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
 *
 * Most runs are settled: one group and one channel. When such a run starts inside the range, its
 * assignment is its first touch and it is never excluded, whatever the range's ends, so its outcome
 * is summed once per lift window into a table by the run's first day and cell. A settled run that
 * began before the range is assigned at its first entry on a day in it: the entry whose previous one
 * is before the range. Those entries are indexed by day once per dataset (the later entries), so
 * without a filter a range reads the table over its days and the later entries of its days, and
 * visits only the customers with a run that is not settled (none in the benchmark's data).
 *
 * The later entries are made ahead, while no query comes. A range query that finds them not made yet
 * does not make them (300-480 ms in Chromium at 1m): it searches the runs begun before the range
 * instead, as a filter does (50-105 ms there, against 32-46 ms with the entries).
 */
import type { QueryRequest, ResolvedIncrementality } from '../../src/core/queries.js';
import type { IncrementalityResult, LiftScope } from '../../src/core/results.js';
import type { TouchesColumns } from '../../src/core/tables.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../../src/core/time.js';
import type { ScopeCounts } from '../table/build.js';
import { net } from '../../src/core/money.js';
import { KernelContext, perCost, ratio, type DayRange } from './context.js';

/** The two-sided 95% quantile of the standard normal distribution. */
const Z95 = 1.959963984540054;

/**
 * Each customer's touches split into runs by scope (all CRM, each channel, each campaign), in sent
 * order. Scope s is 0 for all CRM, 1 + channel for a channel, 1 + channels + campaign for a campaign.
 */
export interface ScopeRuns {
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
  /**
   * 1 when the run is uniform and has one channel: starting inside a range, it is assigned at its first
   * touch, not excluded, and in its channel, whatever the range's ends (the first-touch table's runs).
   */
  settled: Uint8Array;
  /** First and last day any run starts on (the first-touch table's rows), or 0 and −1 without runs. */
  minFirstDay: number;
  maxFirstDay: number;
  /** Last day any run ends on (the later entries' days), or −1 without runs. */
  maxLastDay: number;
  /** 1 for a customer whose runs are all settled: with the first touch in a range, the table has them all. */
  allSettled: Uint8Array;
}

/**
 * What the scope runs are built from: the touches' columns in the touch index's order. The helper that
 * sorts a build's touches keeps copies of these and builds the runs while the engine finishes the build
 * and answers the first queries (`provideScopeRuns`).
 */
export interface ScopeRunsInput extends ScopeCounts {
  /** Touches of customer c are `touchStart[c] .. touchStart[c+1]`. */
  touchStart: Int32Array;
  channel: Int32Array;
  campaign: Int32Array;
  group: Uint8Array;
  day: Int32Array;
}

/**
 * The inputs of the scope runs from a touches table and its per-customer ranges: views, or with `copy`
 * copies to keep once the table is sent away (the helper that sorted the table keeps them).
 */
export function scopeRunsInputOf(touches: TouchesColumns, touchStart: Int32Array, counts: ScopeCounts, copy: boolean): ScopeRunsInput {
  const own = <T extends Int32Array | Uint8Array>(view: T): T => (copy ? (view.slice() as T) : view);
  return {
    nChannels: counts.nChannels,
    nCampaigns: counts.nCampaigns,
    touchStart: own(touchStart),
    channel: own(touches.channel),
    campaign: own(touches.campaign),
    group: own(touches.group),
    day: own(touches.day),
  };
}

/** Whether a query reads the scope runs (a query that waits for runs a helper is building). */
export function readsScopeRuns(request: QueryRequest): boolean {
  return request.kind === 'incrementality';
}

/** The `KernelContext` namespace of the scope runs (one per dataset, under the key ''). */
const SCOPE_RUNS = 'scope-runs';

/** Stores scope runs built elsewhere (by a helper, from `scopeRunsInputOf`) as `scopeRuns` would have. */
export function provideScopeRuns(ctx: KernelContext, runs: ScopeRuns): void {
  ctx.provide(SCOPE_RUNS, '', runs, 1);
}

export function buildScopeRuns(input: ScopeRunsInput): ScopeRuns {
  const nChannels = input.nChannels;
  const campaignBase = 1 + nChannels;
  const nScopes = campaignBase + input.nCampaigns;
  const touchStart = input.touchStart;
  const nCustomers = touchStart.length - 1;
  const tChannel = input.channel;
  const tCampaign = input.campaign;
  const tGroup = input.group;
  const tDay = input.day;
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
      firstDay[r] = tDay[k]!;
      lastDay[r] = tDay[k]!;
      uniform[r] = 1;
      channel[r] = tChannel[k]!;
      fill[s] = 0;
      r++;
    } else {
      const run = runOf[s]!;
      lastDay[run] = tDay[k]!;
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
  const settled = new Uint8Array(nRuns);
  let minFirstDay = 0;
  let maxFirstDay = -1;
  let maxLastDay = -1;
  for (let q = 0; q < nRuns; q++) {
    settled[q] = uniform[q] === 1 && (scope[q]! < campaignBase || channel[q]! >= 0) ? 1 : 0;
    const day = firstDay[q]!;
    if (q === 0 || day < minFirstDay) minFirstDay = day;
    if (q === 0 || day > maxFirstDay) maxFirstDay = day;
    if (q === 0 || lastDay[q]! > maxLastDay) maxLastDay = lastDay[q]!;
  }
  const allSettled = new Uint8Array(nCustomers);
  for (let c = 0; c < nCustomers; c++) {
    let all = 1;
    for (let q = start[c]!; q < start[c + 1]!; q++) if (settled[q] === 0) all = 0;
    allSettled[c] = all;
  }
  return { start, scope, from, firstDay, firstTouch, lastDay, uniform, channel, entry, settled, minFirstDay, maxFirstDay, maxLastDay, allSettled };
}

/**
 * The settled runs by first touch, for the first-touch table of every lift window (once per dataset):
 * their counts by first day and cell, and the first touches followed by an order (the only ones
 * whose outcome can differ from zero), with the cells they assign.
 */
interface SettledUnits {
  /** Day of row 0 and the number of rows (days). */
  firstDay: number;
  days: number;
  /** Runs per day and cell (cell = group × nScopes + scope): `days × 2·nScopes`. */
  count: Int32Array;
  /** Lowest channel of the runs starting on each day, per scope (`days × nScopes`), or `NO_CHANNEL`. */
  lowestChannel: Int32Array;
  /** Unit u: the touch's time, the time to the customer's next order, and those orders. */
  rows: OutcomeRows;
  /** Slots (row × 2·nScopes + cell) of unit u are `slot[slotStart[u] .. slotStart[u+1]]`. */
  slotStart: Int32Array;
  slot: Int32Array;
}

/**
 * One lift window's outcomes of the settled runs, per day and cell (`days × 2·nScopes`): runs with a
 * purchase, the sum of outcomes, and the sum of squared deviations from that day and cell's mean
 * (zeros included), which a range merges day by day (Chan et al.'s pairwise update): squares of raw
 * outcomes would cancel catastrophically for large, close amounts.
 */
interface FirstTouchTable {
  units: SettledUnits;
  converted: Int32Array;
  sum: Float64Array;
  m2: Float64Array;
}

const NO_CHANNEL = 0x7fffffff;

/**
 * The table's size limit in day × cell slots (28 bytes each, plus 4 per day × scope): a dataset with
 * many campaigns over a long span would need more, and reads every run per range instead.
 */
const TABLE_SLOTS = 1 << 21;

function firstTouchTableFits(runs: ScopeRuns, nScopes: number): boolean {
  return (runs.maxFirstDay - runs.minFirstDay + 1) * 2 * nScopes <= TABLE_SLOTS;
}

function buildSettledUnits(ctx: KernelContext, runs: ScopeRuns, nScopes: number): SettledUnits {
  const { orders: o, touches: t, dictionaries, index } = ctx.columns;
  const nCells = 2 * nScopes;
  const days = Math.max(0, runs.maxFirstDay - runs.minFirstDay + 1);
  const base = runs.minFirstDay;
  const count = new Int32Array(days * nCells);
  const lowestChannel = new Int32Array(days * nScopes).fill(NO_CHANNEL);
  const { start, scope: runScope, firstTouch, firstDay, settled, channel: runChannel } = runs;
  const { orderStart } = index;
  const orderTime = o.time;
  const tSent = t.sentAt;
  const tGroup = t.group;
  const nCustomers = dictionaries.customers.length;
  // at most one unit per settled run; cut to size at the end
  const nRuns = runScope.length;
  const time = new Float64Array(nRuns);
  const gap = new Float64Array(nRuns);
  const firstOrder = new Int32Array(nRuns);
  const endOrder = new Int32Array(nRuns);
  const slotStart = new Int32Array(nRuns + 1);
  const slot = new Int32Array(nRuns);
  let u = -1;
  let n = 0;
  for (let c = 0; c < nCustomers; c++) {
    const ra = start[c]!;
    const rb = start[c + 1]!;
    // runs open in sent order, so their first touches ascend and the order search only moves on
    const ob = orderStart[c + 1]!;
    let i = orderStart[c]!;
    let lastTouch = -1;
    let unit = false;
    for (let r = ra; r < rb; r++) {
      if (settled[r] === 0) continue;
      const k = firstTouch[r]!;
      const row = firstDay[r]! - base;
      const x = row * nCells + tGroup[k]! * nScopes + runScope[r]!;
      count[x]!++;
      const y = row * nScopes + runScope[r]!;
      if (runChannel[r]! < lowestChannel[y]!) lowestChannel[y] = runChannel[r]!;
      if (k !== lastTouch) {
        // scopes opened by the same touch share its outcome
        lastTouch = k;
        const at = tSent[k]!;
        while (i < ob && orderTime[i]! < at) i++;
        unit = i < ob;
        if (unit) {
          u++;
          time[u] = at;
          gap[u] = orderTime[i]! - at;
          firstOrder[u] = i;
          endOrder[u] = ob;
          slotStart[u] = n;
        }
      }
      if (unit) slot[n++] = x;
    }
  }
  slotStart[u + 1] = n;
  return {
    firstDay: base,
    days,
    count,
    lowestChannel,
    rows: outcomeRows(time, gap, firstOrder, endOrder, u + 1),
    slotStart: slotStart.slice(0, u + 2),
    slot: slot.slice(0, n),
  };
}

function buildFirstTouchTable(ctx: KernelContext, units: SettledUnits, lift: number): FirstTouchTable {
  const { slotStart, slot, count } = units;
  const acc = outcomeSums(new Float64Array(count.length), new Int32Array(count.length), slot.length);
  // two passes, as var_samp: the sums, then each non-zero outcome's deviation from its slot's mean
  addRowOutcomes(ctx.columns.orders, units.rows, slotStart, slot, lift, acc);
  return { units, converted: acc.converted, sum: acc.sum, m2: squaredDeviations(acc, cellMeans(acc.sum, count), count) };
}

/**
 * The later entries of the settled runs, by day (once per dataset): an entry of a settled run on a
 * later day than the run's previous entry. For a range starting on day F, a settled run that began
 * before F is assigned at its first entry on or after F: the later entry e with
 * `day(e − 1) < F ≤ day(e)`. So a range reads the entries of its own days and keeps those whose run's
 * previous entry is before its first day, instead of searching every run that began before it.
 */
interface LaterEntries {
  /**
   * Day of row 0; the entries of row d are `dayStart[d] .. dayStart[d+1]`, the longest since the run's
   * previous entry first, so a range keeps a prefix of each of its days and reads no further.
   */
  firstDay: number;
  dayStart: Int32Array;
  /** Days since the run's previous entry (≥ 1) in the low 16 bits, the run's cell (group × nScopes + scope) in the high. */
  sinceCell: Uint32Array;
  touch: Int32Array;
  /**
   * Per touch, whole hours to the customer's next order (65535 when none, or later): an assignment
   * whose `gapHours · 1 h` is not below the lift window has no order inside it.
   */
  gapHours: Uint16Array;
}

const NO_GAP = 0xffff;

/**
 * The later entries, or null when cells or days do not fit 16 bits (the range then searches the runs).
 * A generator that yields between slices of a few milliseconds at 1m (1,024 customers, 2^18 entries
 * placed, 16 days sorted), so that the engine can build them while it has no query to answer
 * (`KernelContext.prepare`). Its loops are calls: V8 runs a generator's own loops unoptimised (a loop
 * over the 2 million runs or the entries took 50–65 ms in one slice, against a few ms in a function).
 */
function* laterEntriesSteps(ctx: KernelContext, runs: ScopeRuns, nScopes: number): Generator<void, LaterEntries | null, void> {
  const { touches: t, dictionaries } = ctx.columns;
  const nRuns = runs.scope.length;
  if (2 * nScopes > 0x10000 || nRuns === 0) return null;
  const minDay = runs.minFirstDay;
  const maxDay = runs.maxLastDay;
  if (maxDay - minDay >= 0xffff) return null;
  // one walk over each customer's touches writes the entries in touch order (and each touch's gap to
  // the next order), counting them by day; then they are placed by day. A run's first entry is not a
  // later one, so there are at most entries − runs (fresh arrays cost page faults: no more than that)
  const size = runs.from[nRuns]! - nRuns;
  const walk: LaterWalk = {
    nScopes,
    campaignBase: 1 + dictionaries.channels.length,
    minDay,
    runs,
    touchStart: ctx.columns.index.touchStart,
    orderStart: ctx.columns.index.orderStart,
    orderTime: ctx.columns.orders.time,
    tDay: t.day,
    tSent: t.sentAt,
    tGroup: t.group,
    tChannel: t.channel,
    tCampaign: t.campaign,
    runCell: new Int32Array(nScopes),
    latest: new Int32Array(nScopes),
    perDay: new Int32Array(maxDay - minDay + 2),
    day: new Uint16Array(size),
    sinceCell: new Uint32Array(size),
    touch: new Int32Array(size),
    gapHours: new Uint16Array(t.count),
    n: 0,
  };
  const nCustomers = dictionaries.customers.length;
  for (let c = 0; c < nCustomers; c++) {
    walkLaterEntries(walk, c);
    if ((c & 1023) === 1023) yield;
  }
  const n = walk.n;
  const dayStart = walk.perDay;
  runningSum(dayStart);
  const fill = dayStart.slice(0, dayStart.length - 1);
  const sinceCell = new Uint32Array(n);
  const touch = new Int32Array(n);
  for (let x = 0; x < n; x += 1 << 18) {
    placeByDay(walk, fill, sinceCell, touch, x, Math.min(n, x + (1 << 18)));
    yield;
  }
  // then each day's entries longest since first: a counting sort within the day, which stays in cache
  // (one pass over all entries by days since, then by day, wrote across a thousand places at once and
  // doubled the build)
  const most = longestDay(dayStart);
  const daySinceCell = new Uint32Array(most);
  const dayTouch = new Int32Array(most);
  const perSince = new Int32Array(dayStart.length + 1);
  for (let d = 0; d + 1 < dayStart.length; d++) {
    sortDayBySince(sinceCell, touch, dayStart[d]!, dayStart[d + 1]!, perSince, daySinceCell, dayTouch);
    if ((d & 15) === 15) yield;
  }
  return { firstDay: minDay, dayStart, sinceCell, touch, gapHours: walk.gapHours };
}

/** Counts into starts, in place: each slot plus all before it. */
function runningSum(values: Int32Array): void {
  for (let i = 1; i < values.length; i++) values[i]! += values[i - 1]!;
}

/** The most entries of one day. */
function longestDay(dayStart: Int32Array): number {
  let most = 0;
  for (let d = 0; d + 1 < dayStart.length; d++) most = Math.max(most, dayStart[d + 1]! - dayStart[d]!);
  return most;
}

/** Places the walk's entries `x0 .. x1` (in touch order) at their day's next free slot (`fill`). */
function placeByDay(walk: LaterWalk, fill: Int32Array, sinceCell: Uint32Array, touch: Int32Array, x0: number, x1: number): void {
  const { day: entryDay, sinceCell: entrySinceCell, touch: entryTouch } = walk;
  for (let x = x0; x < x1; x++) {
    const at = fill[entryDay[x]!]!++;
    sinceCell[at] = entrySinceCell[x]!;
    touch[at] = entryTouch[x]!;
  }
}

const NO_DAY = -0x80000000;

/** What `walkLaterEntries` reads and writes (one object shape, so it stays monomorphic). */
interface LaterWalk {
  nScopes: number;
  campaignBase: number;
  minDay: number;
  runs: ScopeRuns;
  touchStart: Int32Array;
  orderStart: Int32Array;
  orderTime: Float64Array;
  tDay: Int32Array;
  tSent: Float64Array;
  tGroup: Uint8Array;
  tChannel: Int32Array;
  tCampaign: Int32Array;
  /** Per scope, the walked customer's settled run's cell (−1 when not settled) and the day of its latest entry. */
  runCell: Int32Array;
  latest: Int32Array;
  /** Entries per day (at day + 1). */
  perDay: Int32Array;
  /** The entries in walk order: day (from minDay), since | cell << 16, touch; `n` of them so far. */
  day: Uint16Array;
  sinceCell: Uint32Array;
  touch: Int32Array;
  gapHours: Uint16Array;
  n: number;
}

/** One customer's later entries of settled runs, in touch order, and their touches' gaps to the next order. */
function walkLaterEntries(w: LaterWalk, c: number): void {
  const { runs, runCell, latest, tDay, tSent, tChannel, tCampaign, nScopes, campaignBase, orderTime, gapHours } = w;
  for (let r = runs.start[c]!; r < runs.start[c + 1]!; r++) {
    const sc = runs.scope[r]!;
    runCell[sc] = runs.settled[r] === 1 ? w.tGroup[runs.firstTouch[r]!]! * nScopes + sc : -1;
    latest[sc] = NO_DAY;
  }
  const ob = w.orderStart[c + 1]!;
  let i = w.orderStart[c]!;
  for (let k = w.touchStart[c]!; k < w.touchStart[c + 1]!; k++) {
    const day = tDay[k]!;
    // touches and orders are both in time order: one merge
    const time = tSent[k]!;
    while (i < ob && orderTime[i]! < time) i++;
    gapHours[k] = i < ob ? Math.min(NO_GAP, Math.floor((orderTime[i]! - time) / MS_PER_HOUR)) : NO_GAP;
    // all CRM, the channel, the campaign
    laterEntry(w, 0, day, k);
    laterEntry(w, 1 + tChannel[k]!, day, k);
    if (tCampaign[k]! >= 0) laterEntry(w, campaignBase + tCampaign[k]!, day, k);
  }
}

/** Touch k on `day` in scope sc: a later entry when the scope's latest entry is on an earlier day. */
function laterEntry(w: LaterWalk, sc: number, day: number, k: number): void {
  const before = w.latest[sc]!;
  if (day === before) return;
  w.latest[sc] = day;
  const cell = w.runCell[sc]!;
  if (before === NO_DAY || cell < 0) return;
  const n = w.n++;
  const d = day - w.minDay;
  w.day[n] = d;
  w.sinceCell[n] = ((cell << 16) | (day - before)) >>> 0;
  w.touch[n] = k;
  w.perDay[d + 1]!++;
}

/**
 * Orders the entries `j0 .. j1` of one day by days since their run's previous entry, longest first
 * (stable), through the scratch `perSince` (one slot per possible number of days, plus one) and the
 * day-sized `daySinceCell` and `dayTouch`.
 */
function sortDayBySince(sinceCell: Uint32Array, touch: Int32Array, j0: number, j1: number, perSince: Int32Array, daySinceCell: Uint32Array, dayTouch: Int32Array): void {
  if (j1 - j0 < 2) return;
  let longest = 0;
  for (let j = j0; j < j1; j++) longest = Math.max(longest, sinceCell[j]! & 0xffff);
  perSince.fill(0, 0, longest + 1);
  for (let j = j0; j < j1; j++) perSince[sinceCell[j]! & 0xffff]!++;
  for (let since = longest, sum = 0; since >= 0; since--) {
    const c = perSince[since]!;
    perSince[since] = sum;
    sum += c;
  }
  for (let j = j0; j < j1; j++) {
    const sc = sinceCell[j]!;
    const at = perSince[sc & 0xffff]!++;
    daySinceCell[at] = sc;
    dayTouch[at] = touch[j]!;
  }
  sinceCell.set(daySinceCell.subarray(0, j1 - j0), j0);
  touch.set(dayTouch.subarray(0, j1 - j0), j0);
}

/** A range's later entries that assign a settled run: their touches ascending, and cells. */
interface LaterAssigned {
  touch: Int32Array;
  cell: Uint16Array;
}

/** Grow-only scratch of a range's assigned later entries (two of each, for the sort). */
let scratchLaterTouch = [new Int32Array(0), new Int32Array(0)];
let scratchLaterCell = [new Uint16Array(0), new Uint16Array(0)];

/**
 * The later entries that assign a settled run in the range (see `LaterEntries`), added to the
 * assignments' counts, scopes present and campaign channels; returned sorted by touch, so that each
 * lift window reads their touches and orders in memory order.
 */
function laterEntriesOfRange(later: LaterEntries, days: DayRange, scan: AssignScan): LaterAssigned {
  const { dayStart, firstDay } = later;
  const nDays = dayStart.length - 1;
  const a = Math.max(days.fromDay, firstDay) - firstDay;
  const b = Math.min(days.toDay, firstDay + nDays - 1) - firstDay;
  const most = a > b ? 0 : dayStart[b + 1]! - dayStart[a]!;
  if (scratchLaterTouch[0]!.length < most) {
    scratchLaterTouch = [new Int32Array(most), new Int32Array(most)];
    scratchLaterCell = [new Uint16Array(most), new Uint16Array(most)];
  }
  const outTouch = scratchLaterTouch[0]!;
  const outCell = scratchLaterCell[0]!;
  let m = 0;
  // one call per day: a short function V8 optimises early, where one loop over a long range's million
  // entries ran unoptimised for most of a range's first query (57 against 14 ms in Node)
  for (let d = a; d <= b; d++) m = keepLaterOfDay(later, scan, dayStart[d]!, dayStart[d + 1]!, d + firstDay - days.fromDay, outTouch, outCell, m);
  return sortByTouch(m, later.gapHours.length);
}

/**
 * Keeps the later entries of one day (`j0 .. j1`, longest since first) whose run's previous entry is
 * more than `before` days earlier, so before the range's first day, counting them into the scan;
 * returns the new count kept.
 */
function keepLaterOfDay(later: LaterEntries, scan: AssignScan, j0: number, j1: number, before: number, outTouch: Int32Array, outCell: Uint16Array, m: number): number {
  const { sinceCell, touch } = later;
  const { count, present, scopeChannel, nScopes, campaignBase, tChannel } = scan;
  for (let j = j0; j < j1; j++) {
    const sc = sinceCell[j]!;
    if ((sc & 0xffff) <= before) break;
    const cell = sc >>> 16;
    count[cell]!++;
    const scope = cell < nScopes ? cell : cell - nScopes;
    present[scope] = 1;
    const k = touch[j]!;
    // a settled campaign run is on one channel, so its entry's touch names it
    if (scope >= campaignBase) noteChannel(scopeChannel, scope, tChannel[k]!);
    outTouch[m] = k;
    outCell[m] = cell;
    m++;
  }
  return m;
}

/**
 * Radix sort (11 bits a pass, stable) of the first m scratch (touch, cell) pairs by touch; copies out.
 * Each pass is two calls: V8 optimises such short functions whole, where the loops written inline (with
 * a destructuring swap between passes) ran unoptimised or were thrown away for a range's first two or
 * three sorts (11–67 against 4–8 ms for 230k pairs in Chromium's worker).
 */
function sortByTouch(m: number, nTouches: number): LaterAssigned {
  let fromTouch = scratchLaterTouch[0]!;
  let fromCell = scratchLaterCell[0]!;
  let toTouch = scratchLaterTouch[1]!;
  let toCell = scratchLaterCell[1]!;
  const counts = new Int32Array(2049);
  for (let shift = 0; nTouches - 1 >= 2 ** shift; shift += 11) {
    touchDigitStarts(fromTouch, m, shift, counts);
    scatterByTouchDigit(fromTouch, fromCell, toTouch, toCell, m, shift, counts);
    const touch = fromTouch;
    fromTouch = toTouch;
    toTouch = touch;
    const cell = fromCell;
    fromCell = toCell;
    toCell = cell;
  }
  return { touch: fromTouch.slice(0, m), cell: fromCell.slice(0, m) };
}

/** Where each 11-bit digit of the touches at `shift` begins in the sorted order: `counts[d]`. */
function touchDigitStarts(touch: Int32Array, m: number, shift: number, counts: Int32Array): void {
  counts.fill(0);
  for (let x = 0; x < m; x++) counts[((touch[x]! >>> shift) & 2047) + 1]!++;
  runningSum(counts);
}

/** One stable scatter of the pairs by their touch's digit at `shift`, from the digits' starts. */
function scatterByTouchDigit(fromTouch: Int32Array, fromCell: Uint16Array, toTouch: Int32Array, toCell: Uint16Array, m: number, shift: number, counts: Int32Array): void {
  for (let x = 0; x < m; x++) {
    const k = fromTouch[x]!;
    const at = counts[(k >>> shift) & 2047]!++;
    toTouch[at] = k;
    toCell[at] = fromCell[x]!;
  }
}

/**
 * The assignments of one range and filter: everything but the outcome, which depends on the lift
 * window (cached: a change of that window only re-reads the orders of assignments followed by one
 * inside it).
 */
interface Assignments {
  /** Assignment a (a customer and a time): the time, the time to the customer's first order at or after it, and their orders from that one. */
  rows: OutcomeRows;
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
  /** Whether the settled runs starting in the range were left to the first-touch table. */
  useTable: boolean;
  /** The later entries assigning the settled runs that began before the range (null: the scan did). */
  later: LaterEntries | null;
  laterAssigned: LaterAssigned;
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

/** Whether the orders `windowOutcome` last summed include a purchase (1) or not (0). */
let outcomeBought = 0;

/**
 * An assignment's outcome: the net revenue of a customer's orders from `first` (the first at or after
 * the assignment) while before `to` and before `end`; whether one is a purchase is left in `outcomeBought`.
 */
function windowOutcome(orderTime: Float64Array, orderRevenue: Float64Array, isPurchase: Uint8Array, first: number, end: number, to: number): number {
  let revenue = 0;
  let bought = 0;
  for (let i = first; i < end && orderTime[i]! < to; i++) {
    revenue += orderRevenue[i]!;
    bought |= isPurchase[i]!;
  }
  outcomeBought = bought;
  return revenue;
}

/** Grow-only scratch for the assignment scan (fresh big arrays are page-fault bound). */
let scratchTime = new Float64Array(0);
let scratchGap = new Float64Array(0);
let scratchFirst = new Int32Array(0);
let scratchEnd = new Int32Array(0);
let scratchRowStart = new Int32Array(0);
let scratchCell = new Int32Array(0);

/** What the per-customer scan reads and writes (one object shape, so it stays monomorphic). */
interface AssignScan {
  /** Whether the settled runs starting in the range are left to the first-touch table. */
  useTable: boolean;
  /** Whether the settled runs that began before the range are left to the later entries. */
  useLater: boolean;
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
  touchStart: Int32Array;
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
  const runs = scopeRuns(ctx);
  if (scratchRowStart.length < runs.scope.length + 1) {
    const n = runs.scope.length;
    scratchTime = new Float64Array(n);
    scratchGap = new Float64Array(n);
    scratchFirst = new Int32Array(n);
    scratchEnd = new Int32Array(n);
    scratchRowStart = new Int32Array(n + 1);
    scratchCell = new Int32Array(n);
  }
  const useTable = mask === null && firstTouchTableFits(runs, nScopes);
  // the later entries serve ranges that begin after the first touch; any query without a filter begins
  // them, and the engine builds them while it has no query to answer. A range that finds them not made
  // searches the runs begun before it instead (the header says what each costs)
  const laterSteps = (): Generator<void, LaterEntries | null, void> => laterEntriesSteps(ctx, runs, nScopes);
  const needsLater = useTable && days.fromDay > runs.minFirstDay;
  const later = needsLater ? (ctx.peek<LaterEntries | null>('lift-later', '') ?? null) : null;
  if (useTable && later === null) ctx.prepare('lift-later', '', laterSteps, 1);
  const scan: AssignScan = {
    useTable,
    useLater: later !== null,
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
    touchStart: index.touchStart,
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
  const allSettled = runs.allSettled;
  const { fromDay, toDay } = days;
  for (let c = 0; c < nCustomers; c++) {
    const ta = touchStart[c]!;
    const tb = touchStart[c + 1]!;
    if (ta === tb || tDay[tb - 1]! < fromDay || tDay[ta]! > toDay) continue;
    // every run of a settled customer is the table's or the later entries' (with the first touch in
    // the range, the table's alone)
    if (scan.useTable && allSettled[c] === 1 && (scan.useLater || tDay[ta]! >= fromDay)) continue;
    if (mask === null || mask[c] === 1) assignCustomer(scan, c);
  }
  const laterAssigned = later === null ? { touch: new Int32Array(0), cell: new Uint16Array(0) } : laterEntriesOfRange(later, days, scan);
  for (let s = 1; s <= nChannels; s++) scan.scopeChannel[s] = s - 1;
  const n = scan.assignments;
  scratchRowStart[n] = scan.rows;
  return {
    rows: outcomeRows(scratchTime, scratchGap, scratchFirst, scratchEnd, n),
    rowStart: scratchRowStart.slice(0, n + 1),
    rowCell: scratchCell.slice(0, scan.rows),
    count: scan.count,
    excluded: scan.excluded,
    present: scan.present,
    scopeChannel: scan.scopeChannel,
    cost: scopeCosts(ctx, days, mask, nScopes),
    useTable: scan.useTable,
    later,
    laterAssigned,
  };
}

/** The dataset's scope runs, built from views of its columns on first use. */
function scopeRuns(ctx: KernelContext): ScopeRuns {
  const { touches, index, dictionaries } = ctx.columns;
  const counts = { nChannels: dictionaries.channels.length, nCampaigns: dictionaries.campaigns.length };
  return ctx.remember(SCOPE_RUNS, '', () => buildScopeRuns(scopeRunsInputOf(touches, index.touchStart, counts, false)), 1);
}

/** Assignments of one customer in every scope they were touched in, within the range. */
function assignCustomer(s: AssignScan, c: number): void {
  const runs = s.runs;
  const ra = runs.start[c]!;
  const rb = runs.start[c + 1]!;
  if (ra === rb) return;
  // everything in locals: the loop calls helpers, across which V8 would reload object fields
  const { firstTouch, firstDay, lastDay, from, scope: runScope, channel: runChannel, uniform, entry, settled } = runs;
  const { useTable, useLater, tDay, tGroup, tSent, fromDay, toDay, nScopes, campaignBase, present, scopeChannel, count, excluded, orderTime, orderStart } = s;
  const { time: aTime, gap: aGap, firstOrder: aFirst, endOrder: aEnd, rowStart: aRowStart, rowCell: aRowCell } = s;
  let rows = s.rows;
  let assignment = s.assignments - 1;
  // scopes assigned by the same touch (the same time) share one assignment, so one outcome
  let lastTime = Number.NaN;
  // the customer's first order at or after the latest assignment: later assignments search on from it
  const oa = orderStart[c]!;
  const ob = orderStart[c + 1]!;
  let i = oa;
  // the customer's first touch on or after the range's first day, once a run that starts before needs it
  let first = -1;
  for (let r = ra; r < rb; r++) {
    // the scope's touches in range are one contiguous part of its run; the assignment is the first
    let day = firstDay[r]!;
    let k: number;
    let e: number;
    if (day >= fromDay) {
      // in range, a settled run is the first-touch table's (out of it, after the range, it is nothing)
      if (useTable && settled[r] === 1) continue;
      k = firstTouch[r]!;
      e = from[r]!;
    } else {
      if (lastDay[r]! < fromDay || (useLater && settled[r] === 1)) continue;
      // a customer's touches are in sent order, so their days ascend
      if (first < 0) first = lowerBound(tDay, s.touchStart[c]!, s.touchStart[c + 1]!, fromDay);
      // all CRM's run has every touch of the customer; a run's entries ascend, so others search
      e = runScope[r] === 0 ? from[r]! + first - s.touchStart[c]! : lowerBound(entry, from[r]!, from[r + 1]!, first);
      k = entry[e]!;
      day = tDay[k]!;
    }
    if (day > toDay) continue;
    const scope = runScope[r]!;
    present[scope] = 1;
    if (scope >= campaignBase) {
      noteChannel(scopeChannel, scope, runChannel[r]! >= 0 ? runChannel[r]! : lowestChannelInRange(s, r, e));
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

/**
 * The sums of a range's outcomes (net revenue and any purchase in [time, time + lift)): the
 * assignments' own, plus the first-touch table's rows of the range's days when the assignments left
 * the settled runs to it.
 */
function computeLiftSums(ctx: KernelContext, a: Assignments, lift: number, days: DayRange, table: FirstTouchTable | null): LiftSums {
  const nScopes = a.present.length;
  const { rowStart, rowCell } = a;
  const o = ctx.columns.orders;
  const orderTime = o.time;
  const orderRevenue = o.revenue;
  const isPurchase = o.isPurchase;
  const nCells = 2 * nScopes;
  const count = a.count.slice();
  const present = a.present.slice();
  const scopeChannel = a.scopeChannel.slice();
  // the table's runs first (a fresh part per call: its sums are added to in place), then the assignments'
  const part = table === null ? null : tableOfRange(table, days, nScopes);
  const sum = part === null ? new Float64Array(nCells) : part.sum;
  const converted = part === null ? new Int32Array(nCells) : part.converted;
  if (part !== null) {
    for (let sc = 0; sc < nScopes; sc++) {
      if (part.count[sc]! + part.count[nScopes + sc]! === 0) continue;
      present[sc] = 1;
      // channels' own scopes have their channel already; all CRM has none
      if (sc > 0) noteChannel(scopeChannel, sc, part.lowestChannel[sc]!);
    }
    for (let x = 0; x < nCells; x++) count[x]! += part.count[x]!;
  }
  const nLater = a.laterAssigned.touch.length;
  const acc = outcomeSums(sum, converted, rowCell.length + nLater);
  // an assignment with no order inside the lift window adds nothing but zeros to its cells, whose
  // share of the variance is added below
  addRowOutcomes(o, a.rows, rowStart, rowCell, lift, acc);
  if (a.later !== null) {
    // the later entries assigned in the range: those followed by an order inside the window
    const w: LaterOutcomes = {
      gapHours: a.later.gapHours,
      touch: a.laterAssigned.touch,
      cell: a.laterAssigned.cell,
      tSent: ctx.columns.touches.sentAt,
      tCustomer: ctx.columns.touches.customer,
      orderStart: ctx.columns.index.orderStart,
      orderTime,
      orderRevenue,
      isPurchase,
      lift,
    };
    for (let x = 0; x < nLater; x += OUTCOME_BLOCK) addLaterOutcomes(w, acc, x, Math.min(nLater, x + OUTCOME_BLOCK));
  }
  // the variance from deviations around each cell's mean (as var_samp), for the assignments' rows; the
  // table's runs from their own squared deviations, moved to the cell's mean: M2 + n·(mean − cell mean)²
  const mean = cellMeans(sum, count);
  const m2 = squaredDeviations(acc, mean, a.count);
  if (part !== null) {
    for (let x = 0; x < nCells; x++) {
      if (part.count[x]! === 0) continue;
      const d = part.mean[x]! - mean[x]!;
      m2[x]! += part.m2[x]! + part.count[x]! * d * d;
    }
  }
  return { count, sum, converted, m2, excluded: a.excluded, present, scopeChannel, cost: a.cost };
}

/**
 * Rows a call to `addRowOutcomes` or `addLaterOutcomes` reads: V8 optimises such a call whole after a
 * few, where one loop over a million rows ran compiled on the fly (OSR) or unoptimised for most of a
 * range's or a lift window's first query.
 */
const OUTCOME_BLOCK = 4096;

/** What the later entries' outcomes read. */
interface LaterOutcomes {
  gapHours: Uint16Array;
  touch: Int32Array;
  cell: Uint16Array;
  tSent: Float64Array;
  tCustomer: Int32Array;
  orderStart: Int32Array;
  orderTime: Float64Array;
  orderRevenue: Float64Array;
  isPurchase: Uint8Array;
  lift: number;
}

/**
 * Adds the outcomes of the later entries `x0 .. x1` (in touch order) that are followed by an order
 * inside the lift window; the entries of one touch share its outcome.
 */
function addLaterOutcomes(w: LaterOutcomes, acc: OutcomeSums, x0: number, x1: number): void {
  const { gapHours, touch, cell, tSent, tCustomer, orderStart, orderTime, orderRevenue, isPurchase, lift } = w;
  let lastTouch = -1;
  let lastCustomer = -1;
  let i = 0;
  let revenue = 0;
  let bought = 0;
  for (let x = x0; x < x1; x++) {
    const k = touch[x]!;
    if (gapHours[k]! * MS_PER_HOUR >= lift) continue;
    if (k !== lastTouch) {
      lastTouch = k;
      const time = tSent[k]!;
      const c = tCustomer[k]!;
      const end = orderStart[c + 1]!;
      // entries are in touch order, so by customer and time: a customer's search goes on from the last
      if (c !== lastCustomer) {
        lastCustomer = c;
        i = orderStart[c]!;
      }
      while (i < end && orderTime[i]! < time) i++;
      revenue = windowOutcome(orderTime, orderRevenue, isPurchase, i, end, time + lift);
      bought = outcomeBought;
    }
    addOutcome(acc, cell[x]!, revenue, bought);
  }
}

/**
 * Rows that each add one outcome to some cells: the settled units of the first-touch table, a range's
 * assignments. Both make theirs with `outcomeRows`, so that `addRowOutcomes` sees one shape from both
 * callers: given the units and the assignments themselves, the first lift query of a new range took
 * 120–159 ms in Node against 80–126 ms with one shape.
 */
interface OutcomeRows {
  /** When each row's lift window opens. */
  time: Float64Array;
  /** Time to the customer's first order at or after `time` (a lift window no longer than it adds zeros). */
  gap: Float64Array;
  /** The customer's orders from the first at or after `time` (`firstOrder .. endOrder`). */
  firstOrder: Int32Array;
  endOrder: Int32Array;
}

/** The first `n` rows of the four columns, as one `OutcomeRows` (the one place its shape is made). */
function outcomeRows(time: Float64Array, gap: Float64Array, firstOrder: Int32Array, endOrder: Int32Array, n: number): OutcomeRows {
  return { time: time.slice(0, n), gap: gap.slice(0, n), firstOrder: firstOrder.slice(0, n), endOrder: endOrder.slice(0, n) };
}

/**
 * Adds each row's outcome (its customer's purchases in `[time, time + lift)`) to the cells
 * `cells[start[x] .. start[x+1])`; rows whose first order is not inside the window are skipped.
 */
function addRowOutcomes(o: KernelContext['columns']['orders'], rows: OutcomeRows, start: Int32Array, cells: Int32Array, lift: number, acc: OutcomeSums): void {
  const n = rows.time.length;
  for (let x = 0; x < n; x += OUTCOME_BLOCK) addRowOutcomesOf(o, rows, start, cells, lift, acc, x, Math.min(n, x + OUTCOME_BLOCK));
}

/** `addRowOutcomes` of the rows `x0 .. x1`. */
function addRowOutcomesOf(o: KernelContext['columns']['orders'], rows: OutcomeRows, start: Int32Array, cells: Int32Array, lift: number, acc: OutcomeSums, x0: number, x1: number): void {
  const { time, gap, firstOrder, endOrder } = rows;
  const orderTime = o.time;
  const orderRevenue = o.revenue;
  const isPurchase = o.isPurchase;
  for (let x = x0; x < x1; x++) {
    if (gap[x]! >= lift) continue;
    const revenue = windowOutcome(orderTime, orderRevenue, isPurchase, firstOrder[x]!, endOrder[x]!, time[x]! + lift);
    const bought = outcomeBought;
    for (let j = start[x]!; j < start[x + 1]!; j++) addOutcome(acc, cells[j]!, revenue, bought);
  }
}

/** Outcome sums per cell as they are added up, with the non-zero outcomes listed for the variance. */
interface OutcomeSums {
  sum: Float64Array;
  converted: Int32Array;
  nonZero: Int32Array;
  /** The first m non-zero outcomes: cell and revenue. */
  nzCell: Int32Array;
  nzRevenue: Float64Array;
  m: number;
}

/** Grow-only scratch of the non-zero outcomes (cell, revenue), for the variance's second pass. */
let nonZeroCell = new Int32Array(0);
let nonZeroRevenue = new Float64Array(0);

/**
 * Sums that add to `sum` and `converted`, listing at most `rows` non-zero outcomes in the shared
 * scratch: valid until the next call (the first-touch table is built before a range's sums).
 */
function outcomeSums(sum: Float64Array, converted: Int32Array, rows: number): OutcomeSums {
  if (nonZeroCell.length < rows) {
    nonZeroCell = new Int32Array(rows);
    nonZeroRevenue = new Float64Array(rows);
  }
  return { sum, converted, nonZero: new Int32Array(sum.length), nzCell: nonZeroCell, nzRevenue: nonZeroRevenue, m: 0 };
}

/** Keeps the lowest channel seen in a scope (a campaign's channel; −1 while none is known). */
function noteChannel(scopeChannel: Int32Array, scope: number, channel: number): void {
  const known = scopeChannel[scope]!;
  if (known === -1 || channel < known) scopeChannel[scope] = channel;
}

/** Adds one assigned row's outcome to its cell. */
function addOutcome(acc: OutcomeSums, cell: number, revenue: number, bought: number): void {
  acc.sum[cell]! += revenue;
  acc.converted[cell]! += bought;
  if (revenue === 0) return;
  acc.nonZero[cell]!++;
  acc.nzCell[acc.m] = cell;
  acc.nzRevenue[acc.m] = revenue;
  acc.m++;
}

/** Each cell's mean outcome over its `count` rows (0 for none). */
function cellMeans(sum: Float64Array, count: Int32Array): Float64Array {
  const mean = new Float64Array(sum.length);
  for (let x = 0; x < sum.length; x++) mean[x] = count[x]! > 0 ? sum[x]! / count[x]! : 0;
  return mean;
}

/**
 * Squared deviations from `mean` per cell of the `rows[x]` outcomes added: the listed non-zero ones
 * one by one, then the zeros, whose deviation is the mean itself, at once.
 */
function squaredDeviations(acc: OutcomeSums, mean: Float64Array, rows: Int32Array): Float64Array {
  const { nonZero, nzCell, nzRevenue, m } = acc;
  const m2 = new Float64Array(mean.length);
  for (let j = 0; j < m; j++) {
    const cell = nzCell[j]!;
    const d = nzRevenue[j]! - mean[cell]!;
    m2[cell]! += d * d;
  }
  for (let x = 0; x < mean.length; x++) {
    const mu = mean[x]!;
    m2[x]! += (rows[x]! - nonZero[x]!) * mu * mu;
  }
  return m2;
}

/** The first-touch table's runs of a range's days, per cell, and the lowest channel per scope. */
interface TablePart {
  count: Int32Array;
  converted: Int32Array;
  sum: Float64Array;
  /** Mean and squared deviations from it, merged day by day. */
  mean: Float64Array;
  m2: Float64Array;
  lowestChannel: Int32Array;
}

function tableOfRange(table: FirstTouchTable, days: DayRange, nScopes: number): TablePart {
  const nCells = 2 * nScopes;
  const { firstDay: base, days: nDays, count: counts, lowestChannel: lowestByDay } = table.units;
  const { converted: dayConverted, sum: daySum, m2: dayM2 } = table;
  const part: TablePart = {
    count: new Int32Array(nCells),
    converted: new Int32Array(nCells),
    sum: new Float64Array(nCells),
    mean: new Float64Array(nCells),
    m2: new Float64Array(nCells),
    lowestChannel: new Int32Array(nScopes).fill(NO_CHANNEL),
  };
  const { count, converted, sum, mean, m2, lowestChannel } = part;
  const first = Math.max(days.fromDay, base) - base;
  const last = Math.min(days.toDay, base + nDays - 1) - base;
  for (let d = first; d <= last; d++) {
    const b = d * nCells;
    for (let x = 0; x < nCells; x++) {
      const nb = counts[b + x]!;
      if (nb === 0) continue;
      // Chan et al.'s pairwise update of (count, mean, squared deviations) with the day's
      const sb = daySum[b + x]!;
      const na = count[x]!;
      const n = na + nb;
      const delta = sb / nb - mean[x]!;
      m2[x]! += dayM2[b + x]! + (delta * delta * na * nb) / n;
      mean[x]! += (delta * nb) / n;
      count[x] = n;
      converted[x]! += dayConverted[b + x]!;
      sum[x]! += sb;
    }
    const bs = d * nScopes;
    for (let sc = 0; sc < nScopes; sc++) if (lowestByDay[bs + sc]! < lowestChannel[sc]!) lowestChannel[sc] = lowestByDay[bs + sc]!;
  }
  return part;
}

/** The first of `values[lo .. hi)` (ascending) that is `x` or more; `hi` when none is. */
function lowerBound(values: Int32Array, lo: number, hi: number, x: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! < x) lo = mid + 1;
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

/**
 * Cost per scope in range: cost rows, plus per-touch costs of treatment touches sent in range; 0 where
 * the amounts cancel (`net`, by the sum of their absolute values).
 */
function scopeCosts(ctx: KernelContext, days: DayRange, mask: Uint8Array | null, nScopes: number): Float64Array {
  const { fromDay, toDay } = days;
  const cost = new Float64Array(nScopes);
  const size = new Float64Array(nScopes);
  const first = ctx.firstDay;
  const span = ctx.lastDay === null || first === null ? 0 : ctx.lastDay - first + 1;
  if (mask === null && first !== null && span * nScopes <= TABLE_SLOTS) {
    // without a filter, from the costs of every day and scope (computed once)
    const daily = ctx.remember('lift-costs', '', () => {
      const all = { cost: new Float64Array(span * nScopes), size: new Float64Array(span * nScopes) };
      addCosts(ctx, { fromDay: first, toDay: first + span - 1 }, null, (day) => (day - first) * nScopes, all.cost, all.size);
      return all;
    }, 1);
    const a = Math.max(fromDay, first) - first;
    const b = Math.min(toDay, first + span - 1) - first;
    for (let d = a; d <= b; d++) {
      for (let sc = 0; sc < nScopes; sc++) {
        cost[sc]! += daily.cost[d * nScopes + sc]!;
        size[sc]! += daily.size[d * nScopes + sc]!;
      }
    }
  } else addCosts(ctx, days, mask, () => 0, cost, size);
  for (let sc = 0; sc < nScopes; sc++) cost[sc] = net(cost[sc]!, size[sc]!);
  return cost;
}

/**
 * Adds the costs of a range to `cost[row(day) + scope]`, and their absolute amounts to `size`: cost
 * rows, then paid treatment touches.
 */
function addCosts(ctx: KernelContext, days: DayRange, mask: Uint8Array | null, row: (day: number) => number, cost: Float64Array, size: Float64Array): void {
  const { touches: t, costs, dictionaries } = ctx.columns;
  const { fromDay, toDay } = days;
  const campaignBase = 1 + dictionaries.channels.length;
  const add = (x: number, amount: number): void => {
    cost[x]! += amount;
    size[x]! += Math.abs(amount);
  };
  for (let i = 0; i < costs.count; i++) {
    const day = costs.day[i]!;
    if (day < fromDay || day > toDay) continue;
    const amount = costs.amount[i]!;
    const x = row(day);
    add(x, amount);
    add(x + 1 + costs.channel[i]!, amount);
    if (costs.campaign[i]! >= 0) add(x + campaignBase + costs.campaign[i]!, amount);
  }
  for (const k of ctx.paidTouchesIn(days, mask)) {
    const amount = t.cost[k]!;
    const x = row(t.day[k]!);
    add(x, amount);
    add(x + 1 + t.channel[k]!, amount);
    if (t.campaign[k]! >= 0) add(x + campaignBase + t.campaign[k]!, amount);
  }
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
      const runs = scopeRuns(ctx);
      const table = assignments.useTable
        ? ctx.remember('lift-table', String(lift), () => buildFirstTouchTable(ctx, ctx.remember('lift-units', '', () => buildSettledUnits(ctx, runs, nScopes), 1), lift), 2)
        : null;
      return computeLiftSums(ctx, assignments, lift, days, table);
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
    out.relativeLift[row] = ratio(abs, rpcH);
    out.incrementalRevenue[row] = abs * nt;
    const varT = nt > 1 ? m2[s]! / (nt - 1) : Number.NaN;
    const varH = nh > 1 ? m2[nScopes + s]! / (nh - 1) : Number.NaN;
    const se = Math.sqrt(varT / nt + varH / nh);
    out.liftLow[row] = abs - Z95 * se;
    out.liftHigh[row] = abs + Z95 * se;
    out.incrementalRoas[row] = perCost(abs * nt, cost[s]!);
  });
  return out;
}
