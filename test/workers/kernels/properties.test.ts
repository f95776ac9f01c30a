import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import type { AttributionParams, CustomerFilter, RfmParams } from '../../../src/core/queries.js';
import { toPayload, type AttributionResult, type QueryResult } from '../../../src/core/results.js';
import { KernelContext } from '../../../workers/kernels/context.js';
import { runQuery } from '../../../workers/kernels/query.js';
import { loadSources, type HarnessSource } from '../../support/harness.js';
import {
  inRange,
  local,
  previousRange,
  rangeOf,
  refAttribution,
  refIncrementality,
  refKpis,
  refRetention,
  refRfm,
  netCost,
  refRoas,
  type RefData,
  type RefOrderRow,
  type RefTouch,
} from '../../support/reference.js';
import { toCsv } from '../../support/writers.js';

const BASE = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'];

// Dense on purpose: few customers, a short span and many touches, so purchases often have several
// eligible touches (a sparse generator let a wrong position-based weight pass unnoticed).
const instant = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 8 * 24 * 60 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 100 * 24 * 60 }) },
).map((minutes) => BASE + minutes * 60_000);
const money = fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 20000 }) }, { weight: 1, arbitrary: fc.integer({ min: -5000, max: 0 }) }).map((c) => c / 100);

const orderRow: fc.Arbitrary<RefOrderRow> = fc.record({
  // two ids whose UTF-16 order differs from their code-point order (U+FF5E against U+1F600)
  order_id: fc.option(fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o\uFF5E', 'o\u{1F600}'), { nil: null, freq: 2 }),
  customer_id: fc.constantFrom('c1', 'c1', 'c1', 'c2', 'c2', 'c3', 'c4', 'c5'),
  ordered_at: instant,
  revenue: money,
  margin: fc.option(fc.integer({ min: -1000, max: 8000 }).map((c) => c / 100), { nil: null }),
});
const touch: fc.Arbitrary<RefTouch> = fc
  .record({
    customer_id: fc.constantFrom('c1', 'c1', 'c1', 'c2', 'c2', 'c3', 'c4', 'c5'),
    channel: fc.constantFrom('email', 'sms', 'push'),
    campaign: fc.option(fc.constantFrom('a', 'b'), { nil: null }),
    sent_at: instant,
    open: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
    click: fc.option(fc.integer({ min: 0, max: 3 * 24 * 60 }), { nil: null }),
    holdout: fc.integer({ min: 0, max: 4 }),
    cost: fc.constantFrom(0, 0, 0.25),
  })
  .map((t) => ({
    customer_id: t.customer_id,
    channel: t.channel,
    campaign: t.campaign,
    sent_at: t.sent_at,
    opened_at: t.open === null ? null : t.sent_at + t.open * 60_000,
    clicked_at: t.click === null ? null : t.sent_at + t.click * 60_000,
    group: t.holdout === 0 ? ('holdout' as const) : ('treatment' as const),
    cost: t.holdout === 0 ? 0 : t.cost,
  }));
const cost = fc.record({
  date: fc.integer({ min: 0, max: 40 }).map((d) => new Date(BASE + d * DAY).toISOString().slice(0, 10)),
  channel: fc.constantFrom('email', 'sms', 'push'),
  campaign: fc.option(fc.constantFrom('a', 'b'), { nil: null }),
  // some negative: credit notes, which can leave a period's or a channel's cost below 0 (no ROAS), and
  // amounts that cancel to binary residue (0.1 + 0.2 − 0.3), which must read as no cost
  amount: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: -3000, max: 5000 }).map((c) => c / 100) }, { weight: 1, arbitrary: fc.constantFrom(0.1, 0.2, -0.3) }),
});

const dataset: fc.Arbitrary<RefData> = fc.record({
  timezone: fc.constantFrom(...ZONES),
  orders: fc.array(orderRow, { minLength: 4, maxLength: 30, size: 'max' }),
  touches: fc.array(touch, { minLength: 8, maxLength: 50, size: 'max' }),
  costs: fc.array(cost, { maxLength: 8, size: 'max' }),
  customers: fc.tuple(...['c1', 'c2', 'c3', 'c4', 'c5'].map((c) => fc.option(fc.constantFrom('pro', 'free'), { nil: null }).map((plan) => ({ customer_id: c, plan })))),
});

const range = fc.option(
  fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 40 })).map(([a, len]) => ({
    from: new Date(BASE + a * DAY).toISOString().slice(0, 10),
    to: new Date(BASE + (a + len) * DAY).toISOString().slice(0, 10),
  })),
  { nil: undefined },
);
const filter: fc.Arbitrary<CustomerFilter | undefined> = fc.option(fc.constantFrom<CustomerFilter>({ attribute: 'plan', values: ['pro'] }, { attribute: 'plan', values: ['free', 'pro'] }), { nil: undefined });

const attributionParams: fc.Arbitrary<AttributionParams> = fc.record({
  model: fc.constantFrom('last_touch', 'first_touch', 'linear', 'time_decay', 'position_based'),
  basis: fc.constantFrom('send', 'send', 'send', 'open', 'click'),
  window: fc.oneof(fc.constantFrom('1d', '5d', '10d', '12h'), fc.constant({ email: '5d', sms: '1d', default: '2d' })),
  period: fc.constantFrom('day', 'week', 'month'),
  dimension: fc.constantFrom('channel', 'campaign', 'stage'),
  range,
  filter,
}) as fc.Arbitrary<AttributionParams>;

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

/** The dataset as CSV sources, in a row order and chunking of choice. */
function sources(data: RefData, order: (rows: unknown[]) => unknown[] = (r) => r, chunks?: number[]): HarnessSource[] {
  const orders = order(data.orders.map((o) => ({ order_id: o.order_id, customer_id: o.customer_id, ordered_at: iso(o.ordered_at), revenue: o.revenue, margin: o.margin }))) as Record<string, string | number | null>[];
  const touches = order(
    data.touches.map((t) => ({ customer_id: t.customer_id, channel: t.channel, campaign: t.campaign, sent_at: iso(t.sent_at), opened_at: iso(t.opened_at), clicked_at: iso(t.clicked_at), group: t.group, cost: t.cost === 0 ? null : t.cost })),
  ) as Record<string, string | number | null>[];
  const costs = order(data.costs.map((c) => ({ ...c }))) as Record<string, string | number | null>[];
  const out: HarnessSource[] = [
    { table: 'orders', body: toCsv(['order_id', 'customer_id', 'ordered_at', 'revenue', 'margin'], orders) },
    { table: 'touches', body: toCsv(['customer_id', 'channel', 'campaign', 'sent_at', 'opened_at', 'clicked_at', 'group', 'cost'], touches) },
    { table: 'costs', body: toCsv(['date', 'channel', 'campaign', 'amount'], costs) },
    { table: 'customers', body: toCsv(['customer_id', 'plan'], data.customers) },
  ];
  if (chunks !== undefined) for (const s of out) s.chunks = chunks;
  return out;
}

function engineFor(data: RefData, order?: (rows: unknown[]) => unknown[], chunks?: number[]): (request: never) => QueryResult {
  const { engine, dataset: id } = loadSources(sources(data, order, chunks), { timezone: data.timezone });
  return (request) => engine.query(id, request);
}

/** Equal to 1e-9 relative, and of `scale` too (a lift bound near zero is a difference of amounts of that size). */
function close(a: number, b: number, scale = 0): boolean {
  // unknown (a margin all of whose purchases lack one, a rate of nothing) equals only unknown
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b), Math.abs(scale));
}

/**
 * The dataset with each customer's touches all in one group, as a holdout test assigns them: their
 * scope runs are then mostly of one group (the kernel's settled runs), where the mixed generator above
 * mostly excludes.
 */
const holdoutByCustomer: fc.Arbitrary<RefData> = fc.tuple(dataset, fc.array(fc.boolean(), { minLength: 5, maxLength: 5 })).map(([data, holdout]) => ({
  ...data,
  touches: data.touches.map((t) => {
    const inHoldout = holdout[Number(t.customer_id.slice(1)) - 1]!;
    return { ...t, group: inHoldout ? ('holdout' as const) : ('treatment' as const), cost: inHoldout ? 0 : t.cost };
  }),
}));

/**
 * The same data with customer c5 also touched in 1901 and 2190, in UTC. The span passes the 16 bits of
 * days the later entries' index packs, so runs begun before a range are searched; with `wide`, each of
 * those touches opens runs of campaigns of their own, so runs start 289 years apart and the first-touch
 * table does not fit either, and every run is searched.
 */
function farApart(wide: boolean): fc.Arbitrary<RefData> {
  return holdoutByCustomer.map((data) => {
    const group = data.touches.find((t) => t.customer_id === 'c5')?.group ?? 'treatment';
    const at = (iso: string, campaign: string | null): RefTouch => ({ customer_id: 'c5', channel: 'email', campaign, sent_at: Date.parse(iso), opened_at: null, clicked_at: null, group, cost: 0 });
    const extra = [at('1901-03-01T10:00:00Z', wide ? 'old1' : null), at('2190-06-01T10:00:00Z', wide ? 'new1' : null)];
    if (wide) extra.push(at('1901-03-02T10:00:00Z', 'old2'), at('2190-06-02T10:00:00Z', 'new2'), at('2190-06-03T10:00:00Z', 'new3'), at('2190-06-04T10:00:00Z', 'new4'));
    return { ...data, timezone: 'UTC', touches: [...data.touches, ...extra] };
  });
}

/** The kernel's lift rows against the reference's: counts exactly, money, conversion and the interval to 1e-9. */
function checkIncrementality(data: RefData, params: { range: { from: string; to: string } | undefined; filter?: CustomerFilter | undefined; liftWindow: string; minHoldout: number }): void {
  const result = engineFor(data)({ kind: 'incrementality', params } as never) as Extract<QueryResult, { kind: 'incrementality' }>;
  const expected = refIncrementality(data, params);
  for (const [name, rows] of expected) {
    const i = result.name.indexOf(name);
    if (i < 0) {
      expect(rows.treatment + rows.holdout + rows.excluded, `scope ${name} missing`).to.equal(0);
      continue;
    }
    expect([result.treatment[i], result.holdout[i], result.excluded[i]], name).to.deep.equal([rows.treatment, rows.holdout, rows.excluded]);
    expect(close(result.revenueTreatment[i]!, rows.revenueTreatment!) && close(result.revenueHoldout[i]!, rows.revenueHoldout!), `${name} revenue`).to.equal(true);
    expect(close(result.cost[i]!, rows.cost!), `${name} cost ${result.cost[i]} vs ${rows.cost}`).to.equal(true);
    if (result.sufficient[i] === 1) {
      // incremental ROAS: none unless the scope's cost is positive
      const roas = rows.cost! > 0 ? result.incrementalRevenue[i]! / rows.cost! : Number.NaN;
      expect(close(result.incrementalRoas[i]!, roas), `${name} incremental ROAS ${result.incrementalRoas[i]} vs ${roas}`).to.equal(true);
      expect(close(result.conversionTreatment[i]!, rows.convertedTreatment! / rows.treatment!), `${name} conversion`).to.equal(true);
      expect(close(result.conversionHoldout[i]!, rows.convertedHoldout! / rows.holdout!), `${name} holdout conversion`).to.equal(true);
      // the interval: NaN when a group has one customer (no sample variance)
      for (const bound of ['liftLow', 'liftHigh'] as const) {
        const [got, want] = [result[bound][i]!, rows[bound]!];
        expect(Number.isNaN(want) ? Number.isNaN(got) : close(got, want, rows.revenueTreatment! + rows.revenueHoldout!), `${name} ${bound}: ${got} vs ${want}`).to.equal(true);
      }
    }
  }
  // a campaign's channel: the first by name among its touches in the range (channels are coded in name order)
  const days = rangeOf(data, params.range);
  for (let i = 0; i < result.name.length; i++) {
    if (result.scope[i] !== 'campaign' || days === null || params.filter !== undefined) continue;
    const channels = data.touches.filter((t) => t.campaign === result.name[i] && inRange(local(data.timezone, t.sent_at).date, days)).map((t) => t.channel);
    expect(result.channel[i], `${result.name[i]} channel`).to.equal(channels.sort()[0]);
  }
}

function expectSameMaps(actual: Map<string, number>, expected: Map<string, number>, what: string): void {
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(key) ?? 0;
    const b = expected.get(key) ?? 0;
    expect(close(a, b), `${what} ${key}: engine ${a}, reference ${b}`).to.equal(true);
  }
}

function attributionMap(r: AttributionResult): Map<string, number> {
  const out = new Map<string, number>();
  const n = r.keys.length;
  const key = (k: number): string => (r.dimension === 'campaign' ? `${r.keyChannels[k]}/${r.keys[k]}` : r.keys[k]!);
  r.periods.labels.forEach((period, p) => {
    out.set(`net|${period}`, r.netRevenue[p]!);
    out.set(`noncrm|${period}`, r.nonCrmRevenue[p]!);
    out.set(`noncrmMargin|${period}`, r.nonCrmMargin[p]!);
    out.set(`purchaseMargin|${period}`, r.purchaseMargin[p]!);
    for (let k = 0; k < n; k++) {
      out.set(`rev|${period}|${key(k)}`, r.revenue[p * n + k]!);
      out.set(`margin|${period}|${key(k)}`, r.margin[p * n + k]!);
      out.set(`credit|${period}|${key(k)}`, r.purchases[p * n + k]!);
    }
  });
  for (let k = 0; k < n; k++) {
    out.set(`keyRev|${key(k)}`, r.keyRevenue[k]!);
    out.set(`keyMargin|${key(k)}`, r.keyMargin[k]!);
  }
  return out;
}

const RUNS = 60;

describe('kernels equal the naive reference on random datasets', function () {
  this.timeout(120_000);

  it('attribution (every model, basis, window, period, dimension, range and filter)', () => {
    fc.assert(
      fc.property(dataset, attributionParams, (data, params) => {
        const query = engineFor(data);
        const result = query({ kind: 'attribution', params } as never) as AttributionResult;
        expectSameMaps(attributionMap(result), refAttribution(data, params), 'attribution');
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('KPIs (asked first, and after the same range under other credits)', () => {
    fc.assert(
      fc.property(dataset, attributionParams, attributionParams, (data, params, before) => {
        const fresh = engineFor(data)({ kind: 'kpis', params } as never) as Extract<QueryResult, { kind: 'kpis' }>;
        // the same range and filter under another model, basis and window first: the second query
        // starts from what the first kept of the range (the kernel's KpiScope)
        const warm = engineFor(data);
        warm({ kind: 'kpis', params: { ...before, range: params.range, filter: params.filter } } as never);
        const after = warm({ kind: 'kpis', params } as never) as Extract<QueryResult, { kind: 'kpis' }>;
        const range = rangeOf(data, params.range);
        const periods = [['current', params.range], ['previous', range === null ? undefined : previousRange(range)]] as const;
        for (const [period, r] of periods) {
          if (period === 'previous' && r === undefined) continue;
          for (const [key, value] of Object.entries(refKpis(data, { ...params, range: r }))) {
            for (const [label, result] of [['first', fresh], ['after', after]] as const) {
              const got = result[period][key as keyof typeof result.current];
              expect(close(got, value), `${label}: ${period} ${key}: ${got} vs ${value}`).to.equal(true);
            }
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('incrementality (counts, sums, exclusions, costs and intervals per scope)', () => {
    fc.assert(
      fc.property(dataset, range, filter, fc.constantFrom('3d', '14d'), (data, r, f, liftWindow) => checkIncrementality(data, { range: r, filter: f, liftWindow, minHoldout: 0 })),
      { numRuns: RUNS },
    );
  });

  it('incrementality with the holdout drawn per customer (most runs of one group, assigned before or in the range)', () => {
    fc.assert(
      fc.property(holdoutByCustomer, range, fc.constantFrom('1d', '3d', '14d', '36h'), (data, r, liftWindow) => checkIncrementality(data, { range: r, liftWindow, minHoldout: 0 })),
      { numRuns: RUNS },
    );
  });

  it('incrementality over a range after the first touch is the same whether its later entries were made ahead or not yet (the runs begun before the range are then searched)', () => {
    fc.assert(
      fc.property(holdoutByCustomer, range, fc.oneof(fc.nat(4), fc.constant(Number.POSITIVE_INFINITY)), (data, r, steps) => {
        const { columns } = loadSources(sources(data), { timezone: data.timezone });
        const request = { kind: 'incrementality', params: { range: r, liftWindow: '3d', minHoldout: 0 } } as const;
        const searched = runQuery(new KernelContext(columns), request);
        // a query over the whole range begins the later entries; some slices run before the range's
        // query, which uses them only when all did
        const ahead = new KernelContext(columns);
        runQuery(ahead, { kind: 'incrementality', params: { liftWindow: '3d', minHoldout: 0 } });
        let left = steps;
        ahead.work(() => left-- > 0);
        expect(JSON.stringify(toPayload(runQuery(ahead, request)))).to.equal(JSON.stringify(toPayload(searched)));
      }),
      { numRuns: RUNS },
    );
  });

  it('incrementality when the span is too long for the later entries (runs begun before a range are searched) or for the first-touch table', () => {
    fc.assert(
      fc.property(fc.boolean().chain(farApart), range, fc.constantFrom('3d', '14d'), (data, r, liftWindow) => checkIncrementality(data, { range: r, liftWindow, minHoldout: 0 })),
      { numRuns: RUNS },
    );
  });

  it('retention (sizes, active and rolling customers, revenue and their values per cell)', () => {
    fc.assert(
      fc.property(dataset, range, filter, fc.constantFrom('day', 'week', 'month'), fc.boolean(), (data, r, f, period, breakdown) => {
        const params = { range: r, filter: f, period, offsets: 6, ...(breakdown ? { breakdown: 'plan' } : {}) } as never;
        const query = engineFor(data);
        const expected = refRetention(data, params);
        for (const measure of ['customers', 'rolling', 'revenue', 'cumulative_revenue', 'revenue_retention'] as const) {
          const result = query({ kind: 'retention', params: { ...(params as object), measure } } as never) as Extract<QueryResult, { kind: 'retention' }>;
          const K = result.offsets;
          result.cohortLabels.forEach((label, c) => {
            const at = (k: number): number[] => expected.get(`${result.groups[result.cohortGroup[c]!]}|${label}|${k}`) ?? [0, 0, 0, 0];
            let cumulative = 0;
            for (let k = 0; k < K; k++) {
              const cell = at(k);
              cumulative += cell[3]!;
              expect(result.cohortSize[c], `size ${label}`).to.equal(cell[0]);
              const count = result.counts[c * K + k]!;
              if (Number.isNaN(count)) continue; // future cell
              const want = measure === 'customers' ? cell[1]! : measure === 'rolling' ? cell[2]! : measure === 'cumulative_revenue' ? cumulative : cell[3]!;
              expect(close(count, want), `${measure} ${label} +${k}: ${count} vs ${want}`).to.equal(true);
              // the value: per cohort customer, or revenue retention against a positive first period
              const base = measure === 'revenue_retention' ? at(0)[3]! : cell[0]!;
              const value = base > 0 ? want / base : Number.NaN;
              expect(close(result.values[c * K + k]!, value), `${measure} value ${label} +${k}: ${result.values[c * K + k]} vs ${value}`).to.equal(true);
            }
          });
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('RFM (values and scores in every scoring mode and bin count)', () => {
    const params: fc.Arbitrary<RfmParams> = fc.record({
      bins: fc.constantFrom(3, 4, 5),
      scoring: fc.constantFrom('percentile', 'ntile'),
      monetary: fc.constantFrom('net', 'aov'),
      range,
      filter,
    }) as fc.Arbitrary<RfmParams>;
    fc.assert(
      fc.property(dataset, params, (data, p) => {
        const result = engineFor(data)({ kind: 'rfm-customers', params: { ...p, limit: Number.POSITIVE_INFINITY, sort: { by: 'customer' } } } as never) as Extract<QueryResult, { kind: 'rfm-customers' }>;
        const expected = refRfm(data, p);
        expect(result.ids).to.deep.equal([...expected.keys()]);
        result.ids.forEach((id, i) => {
          const e = expected.get(id)!;
          expect([result.recency[i], result.frequency[i], result.r[i], result.f[i], result.m[i], result.segment[i]], id).to.deep.equal([e.recency, e.frequency, e.r, e.f, e.m, e.segment]);
          expect(close(result.monetary[i]!, e.monetary), `${id} monetary`).to.equal(true);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('ROAS (cost, revenue and margin per period and channel)', () => {
    fc.assert(
      fc.property(dataset, attributionParams, (data, params) => {
        const p = { ...params, dimension: 'channel' as const };
        const result = engineFor(data)({ kind: 'roas', params: p } as never) as Extract<QueryResult, { kind: 'roas' }>;
        const got = new Map<string, number>();
        const n = result.keys.length;
        result.periods.labels.forEach((period, pi) => {
          for (let k = 0; k < n; k++) {
            got.set(`cost|${period}|${result.keys[k]}`, result.cost[pi * n + k]!);
            got.set(`rev|${period}|${result.keys[k]}`, result.revenue[pi * n + k]!);
            got.set(`margin|${period}|${result.keys[k]}`, result.margin[pi * n + k]!);
          }
        });
        const want = new Map<string, number>();
        // the same sums per period over the channels (blended), per channel and over everything:
        // [cost, revenue, margin, credited, known, the costs' absolute amounts]; a cost that cancels
        // to residue is 0 (netCost), and a margin is unknown when its credited purchases all lack one
        const totals = new Map<string, number[]>();
        const addTo = (name: string, c: number, r: number, m: number, credited: boolean, size: number): void => {
          const t = totals.get(name) ?? [0, 0, 0, 0, 0, 0];
          t[0]! += c;
          t[1]! += r;
          t[5]! += size;
          if (credited) t[3] = 1;
          if (!Number.isNaN(m)) {
            t[2]! += m;
            if (credited) t[4] = 1;
          }
          totals.set(name, t);
        };
        for (const [key, [c, r, m, credited, size]] of refRoas(data, p)) {
          want.set(`cost|${key}`, c!);
          want.set(`rev|${key}`, r!);
          want.set(`margin|${key}`, m!);
          const period = key.slice(0, key.indexOf('|'));
          // a range's only cells: the reference has none for an empty period or channel
          if (result.periods.labels.includes(period)) {
            addTo(`key|${key.slice(key.indexOf('|') + 1)}`, c!, r!, m!, credited === 1, size!);
            addTo('range', c!, r!, m!, credited === 1, size!);
            addTo(`blend|${period}`, c!, r!, m!, credited === 1, size!);
          }
        }
        for (const [name, [sum, r, m, credited, known, size]] of totals) {
          const c = netCost(sum!, size!);
          const margin = credited === 1 && known === 0 ? Number.NaN : m!;
          want.set(`${name}|cost`, c!);
          want.set(`${name}|rev`, r!);
          want.set(`${name}|margin`, margin);
          want.set(`${name}|roas`, c! > 0 ? r! / c! : Number.NaN);
          want.set(`${name}|marginRoas`, c! > 0 ? margin / c! : Number.NaN);
        }
        result.periods.labels.forEach((period, pi) => {
          // each cell's ROAS where the reference has the cell: none unless its cost is positive
          result.keys.forEach((key, k) => {
            const cell = `${period}|${key}`;
            if (!want.has(`cost|${cell}`)) return;
            const [c, r] = [want.get(`cost|${cell}`)!, want.get(`rev|${cell}`)!];
            got.set(`roas|${cell}`, result.roas[pi * n + k]!);
            want.set(`roas|${cell}`, c > 0 ? r / c : Number.NaN);
          });
        });
        const gotTotals = (name: string, c: number, r: number, m: number, roas: number, marginRoas: number): void => {
          got.set(`${name}|cost`, c);
          got.set(`${name}|rev`, r);
          got.set(`${name}|margin`, m);
          // a channel with nothing at all has no reference row: its 0 cost gives NaN ROAS on both sides
          if (want.has(`${name}|roas`)) {
            got.set(`${name}|roas`, roas);
            got.set(`${name}|marginRoas`, marginRoas);
          }
        };
        result.keys.forEach((key, k) => gotTotals(`key|${key}`, result.keyCost[k]!, result.keyRevenue[k]!, result.keyMargin[k]!, result.keyRoas[k]!, result.keyMarginRoas[k]!));
        result.periods.labels.forEach((period, pi) =>
          gotTotals(`blend|${period}`, result.blendedCost[pi]!, result.blendedRevenue[pi]!, result.blendedMargin[pi]!, result.blendedRoas[pi]!, result.blendedMarginRoas[pi]!),
        );
        if (result.periods.labels.length > 0) gotTotals('range', result.rangeCost, result.rangeRevenue, result.rangeMargin, result.rangeRoas, result.rangeMarginRoas);
        expectSameMaps(got, want, 'roas');
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

describe('kernel invariants', function () {
  this.timeout(120_000);

  it('credits sum to 1 per attributed purchase, and attributed revenue never exceeds purchase revenue', () => {
    fc.assert(
      fc.property(dataset, attributionParams, (data, params) => {
        const r = engineFor(data)({ kind: 'attribution', params } as never) as AttributionResult;
        const n = r.keys.length;
        r.periods.labels.forEach((period, p) => {
          let credited = 0;
          let revenue = 0;
          for (let k = 0; k < n; k++) {
            credited += r.purchases[p * n + k]!;
            revenue += r.revenue[p * n + k]!;
          }
          expect(close(credited, r.purchaseCount[p]! - r.nonCrmPurchases[p]!), `credits in ${period}`).to.equal(true);
          expect(close(revenue + r.nonCrmRevenue[p]!, r.purchaseRevenue[p]!), `revenue in ${period}`).to.equal(true);
          expect(revenue).to.be.at.most(r.purchaseRevenue[p]! + 1e-9);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('a dataset asked many things answers each as a fresh one would (caches change no result)', () => {
    // the kernels cache credits, eligibility, lift assignments and sums, and RFM tables by their
    // parameters: a sequence of changes on one dataset must give what a fresh dataset gives. Few
    // ranges and filters, so that requests often share some parameters and differ in others.
    const day = (d: number): string => new Date(BASE + d * DAY).toISOString().slice(0, 10);
    // two of them start on the same day, so that a cache keyed by a range's start alone would show
    const fewRanges = fc.constantFrom(undefined, { from: day(5), to: day(20) }, { from: day(5), to: day(33) }, { from: day(12), to: day(40) });
    const few = { range: fewRanges, filter };
    const request = fc.oneof(
      fc.tuple(attributionParams, fc.record(few)).map(([params, f]) => ({ kind: 'attribution', params: { ...params, ...f } })),
      fc.tuple(attributionParams, fc.record(few)).map(([params, f]) => ({ kind: 'kpis', params: { ...params, ...f } })),
      fc.tuple(attributionParams, fc.record(few), fc.boolean()).map(([params, f, byCampaign]) => ({ kind: 'roas', params: { ...params, ...f, byCampaign } })),
      fc.record({ ...few, liftWindow: fc.constantFrom('1d', '3d', '7d', '14d', '36h'), minHoldout: fc.constantFrom(0, 1, 2) }).map((params) => ({ kind: 'incrementality', params })),
      fc
        .record({ ...few, bins: fc.constantFrom(3, 5), scoring: fc.constantFrom('percentile', 'ntile'), monetary: fc.constantFrom('net', 'aov'), asOf: fc.constantFrom(undefined, day(45)) })
        .map((params) => ({ kind: 'rfm', params })),
    );
    fc.assert(
      fc.property(dataset, fc.array(request, { minLength: 6, maxLength: 16 }), (data, requests) => {
        const warm = engineFor(data);
        for (const r of requests) {
          const fresh = engineFor(data);
          expect(JSON.stringify(toPayload(warm(r as never))), `${r.kind} ${JSON.stringify(r.params)}`).to.equal(JSON.stringify(toPayload(fresh(r as never))));
        }
      }),
      { numRuns: 40 },
    );
  });

  it('row order and chunking change no result', () => {
    fc.assert(
      fc.property(dataset, attributionParams, fc.integer(), fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 4 }), (data, params, seed, chunks) => {
        const shuffle = (rows: unknown[]): unknown[] => {
          const out = [...rows];
          let s = seed;
          for (let i = out.length - 1; i > 0; i--) {
            s = (Math.imul(s, 1103515245) + 12345) | 0;
            const j = Math.abs(s) % (i + 1);
            [out[i], out[j]] = [out[j], out[i]];
          }
          return out;
        };
        const a = engineFor(data);
        const b = engineFor(data, shuffle, chunks);
        const requests = [
          { kind: 'attribution', params },
          { kind: 'kpis', params },
          { kind: 'roas', params },
          { kind: 'incrementality', params: { range: params.range, minHoldout: 1 } },
          { kind: 'retention', params: { range: params.range, measure: 'cumulative_revenue' } },
          { kind: 'rfm', params: { range: params.range, scoring: 'ntile' } },
        ];
        for (const request of requests) {
          expect(JSON.stringify(toPayload(b(request as never))), request.kind).to.equal(JSON.stringify(toPayload(a(request as never))));
        }
      }),
      { numRuns: 40 },
    );
  });
});

