// Arquero (pure-JS columnar) computing the benchmark's results (bench/lib/results.ts: RESULTS, and the
// orders-only pipeline's ORDERS_ONLY) from the CSV texts, written with its verbs to metrics.md's
// definitions, in UTC. Each request is built by its kind, with the benchmark's parameters (those of
// RESULTS; the request's own are not read): KPIs of the data's range and the one before it; last-touch attribution (send basis,
// 5-day window) by channel × month; holdout lift per scope (14-day window, 100 holdout customers at
// least); monthly cohort retention (customers, 12 offsets); RFM percentile scores on the 5 × 5 grid
// with the default segment map; weekly ROAS per channel (weeks from Monday). Each result is assembled
// into the payload our engine's `toPayload` gives, so the harness compares them field by field.
// It follows the sql/ pack's steps (the pack is checked against the engine by the oracle test), in the
// way an analyst would write it in Arquero: tables, joins and grouped aggregates; plain loops only to
// lay the small aggregated tables out as the payload's arrays. It is written for the benchmark's files
// (src/core/sample.ts): orders as line items with order_id, quantity, unit_price and cost; timestamps
// in ISO 8601 with an offset. Shapes those files never take (a revenue or margin column, rows without
// an order_id, timestamps without an offset, mixed currencies) are not handled here, as they are by
// the engine and the pack. No DOM and no Node imports: it runs in the benchmark's Arquero worker and in
// a Node test (test/node/arquero-results.test.ts).
import * as aq from 'arquero';
import { net } from '../../src/core/money.js';
import { DEFAULT_SEGMENTS, type QueryRequest } from '../../src/core/queries.js';
import type { TableName } from '../../src/core/schema.js';

const op = aq.op;
const DAY = 86_400_000;
const WINDOW_MS = 5 * DAY;
const LIFT_WINDOW_MS = 14 * DAY;
const MIN_HOLDOUT = 100;
const OFFSETS = 12;
const BINS = 5;
const Z95 = 1.959963984540054;

type Table = ReturnType<typeof aq.table>;
type Row = Record<string, unknown>;

export interface ArqueroRun {
  /** Each table's text decoded and parsed, the orders' line items merged into orders, the range and keys (ms). */
  parseMs: Record<TableName | 'orders merged' | 'range and keys', number>;
  /** Each result asked for, cold, in that order (ms); shared steps count in the first result that needs them. */
  resultMs: Record<string, number>;
  /** Each result asked for as our engine's payload, by its name in the requests. */
  payloads: Record<string, unknown>;
}

// The calendar is this file's own, not src/core's periods: a peer that shared the engine's code would
// share its mistakes, and the comparison would not catch them.
/** ms → whole UTC days since 1970-01-01. */
const dayOf = (ms: number): number => Math.floor(ms / DAY);
/** A day number as YYYY-MM-DD. */
const dayLabel = (day: number): string => new Date(day * DAY).toISOString().slice(0, 10);
/** Month index (year × 12 + month − 1) of a day number. */
const monthOfDay = (day: number): number => {
  const d = new Date(day * DAY);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};
const monthStart = (index: number): number => Date.UTC(Math.floor(index / 12), index % 12, 1) / DAY;
/** Week index of a day number, weeks starting on Monday (sql/setup.sql crm_period_index). */
const weekOfDay = (day: number): number => Math.floor((day + 3) / 7);
const weekStart = (index: number): number => index * 7 - 3;
/** x / y, or null where SQL's nullif(y, 0) would give NULL (and JSON has no NaN). */
const ratio = (x: number | null, y: number | null): number | null => (x === null || y === null || y === 0 ? null : x / y);
/** A sum of costs with its absolute amounts (`size`): 0 when the amounts cancel to residue (metrics.md, section 7). */
const netCost = (row: Row | undefined): number => net(num(row?.cost), num(row?.size));
/** A return on spend: none unless the cost is positive (metrics.md, section 7). */
const perCost = (x: number | null, cost: number): number | null => (x === null || !(cost > 0) ? null : x / cost);
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
/**
 * A margin sum of a group that `op.valid('margin')` counted: unknown (null, as a payload gives NaN) when
 * the group has rows but none with a margin, as the engine and SQL's sum() give it; 0 for no group.
 */
const marginOf = (row: Row | undefined): number | null => (row === undefined ? 0 : (row.known as number) === 0 ? null : num(row.margin));
/** A CSV field as a number, or null when empty (named, not left to Arquero's guess from the first rows). */
const numberOrNull = (v: string | null | undefined): number | null => (v == null || v === '' ? null : Number(v));
/** An ISO 8601 instant as ms, or null when empty. */
const instant = (v: string | null | undefined): number | null => (v == null || v === '' ? null : Date.parse(v));

/** Rows of a small aggregated table keyed by `key(row)`. */
function index(table: Table, key: (row: Row) => string): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const row of table.objects() as Row[]) out.set(key(row), row);
  return out;
}

/**
 * The results of `requests` (RESULTS, ORDERS_ONLY, or some of them), by name, from the four files'
 * texts (a table's header line alone for a table left empty); only those results are computed.
 */
export function arqueroResults(text: (table: TableName) => string, requests: Readonly<Record<string, QueryRequest>>): ArqueroRun {
  const parseMs = {} as ArqueroRun['parseMs'];
  const resultMs: Record<string, number> = {};
  const payloads: Record<string, unknown> = {};
  const timed = <T>(into: Record<string, number>, name: string, work: () => T): T => {
    const t = performance.now();
    const out = work();
    into[name] = performance.now() - t;
    return out;
  };

  // ---- ingest: parse the four files, merge line items into orders (metrics.md sections 1–2)
  // touches' and costs' channel (lower case) and campaign (none when empty), read alike
  const keyColumns = {
    channel: (d: Row) => op.lower(op.trim(d.channel as string)),
    campaign: (d: Row) => (d.campaign == null || op.trim(d.campaign as string) === '' ? null : op.trim(d.campaign as string)),
  };
  const lines = timed(parseMs, 'orders', () =>
    aq.fromCSV(text('orders'), {
      parse: { order_id: String, customer_id: String, ordered_at: instant, sku: String, quantity: numberOrNull, unit_price: numberOrNull, discount: numberOrNull, cost: numberOrNull },
    }),
  );
  const touches = timed(parseMs, 'touches', () =>
    aq
      .fromCSV(text('touches'), { parse: { customer_id: String, channel: String, campaign: String, sent_at: instant, opened_at: String, clicked_at: String, group: String, cost: numberOrNull } })
      .derive({
        ...keyColumns,
        grp: (d: Row) => (op.lower(op.trim(d.group as string)) === 'holdout' || op.lower(op.trim(d.group as string)) === 'control' ? 'holdout' : 'treatment'),
        cost: (d: Row) => (d.cost == null ? 0 : d.cost),
        day: aq.escape((d: Row) => (d.sent_at === null ? null : dayOf(d.sent_at as number))),
      })
      .select('customer_id', 'channel', 'campaign', 'sent_at', 'grp', 'cost', 'day'),
  );
  const costs = timed(parseMs, 'costs', () =>
    aq
      .fromCSV(text('costs'), { parse: { date: (v: string) => dayOf(Date.parse(v)), channel: String, campaign: String, amount: numberOrNull, kind: String } })
      .derive(keyColumns)
      .rename({ date: 'day' }),
  );
  timed(parseMs, 'customers', () => aq.fromCSV(text('customers'), { parse: { customer_id: String } }));
  const orders = timed(parseMs, 'orders merged', () =>
    lines
      .derive({ revenue: (d: Row) => (d.quantity == null || d.unit_price == null ? null : (d.quantity as number) * (d.unit_price as number)) })
      .derive({ margin: (d: Row) => (d.cost == null || d.revenue == null ? null : (d.revenue as number) - (d.cost as number)), size: (d: Row) => op.abs(d.revenue as number) })
      .groupby('order_id')
      .rollup({
        customer_id: op.min('customer_id'),
        last_customer: op.max('customer_id'),
        t: op.min('ordered_at'),
        revenue: op.sum('revenue'),
        size: op.sum('size'),
        margin: op.sum('margin'),
        margins: op.valid('margin'),
        lines: op.count(),
      })
      // an order naming two customers is dropped; its margin is unknown when any line's is
      .filter((d: Row) => d.customer_id === d.last_customer)
      // lines that cancel leave binary residue: a net under a billionth of the lines' amounts is zero
      .derive({ revenue: aq.escape((d: Row) => net(d.revenue as number, d.size as number)) })
      .derive({
        margin: (d: Row) => (d.margins === d.lines ? d.margin : null),
        is_purchase: (d: Row) => (d.revenue as number) > 0,
        day: aq.escape((d: Row) => dayOf(d.t as number)),
      })
      .select('order_id', 'customer_id', 't', 'revenue', 'margin', 'is_purchase', 'day'),
  );

  // the data's first and last local day over orders, touches and costs (the default range; a table
  // without days counts for nothing), and the channels of touches and costs (the results' keys)
  const { fromDay, toDay, channels } = timed(parseMs, 'range and keys', () => {
    const days = [orders, touches, costs].map((table) => table.rollup({ lo: op.min('day'), hi: op.max('day') }).object() as { lo?: number; hi?: number });
    const lows = days.flatMap((d) => (typeof d.lo === 'number' ? [d.lo] : []));
    const highs = days.flatMap((d) => (typeof d.hi === 'number' ? [d.hi] : []));
    if (lows.length === 0) throw new Error('Arquero: no dated rows in orders, touches or costs');
    const keys = [...new Set([...(touches.dedupe('channel').array('channel') as string[]), ...(costs.dedupe('channel').array('channel') as string[])])].sort();
    return { fromDay: Math.min(...lows), toDay: Math.max(...highs), channels: keys };
  });
  const range = { from: dayLabel(fromDay), to: dayLabel(toDay) };
  // 1 for a period the orders or the range cover only in part: covered are the days from the later of
  // the range's start and the first order day up to the earlier of the day after the range and the
  // last order day (not over yet); 0 for every period without orders
  const orderDays = orders.rollup({ lo: op.min('day'), hi: op.max('day') }).object() as { lo?: number | null; hi?: number | null };
  const partialOf = (indexes: number[], start: (index: number) => number): number[] =>
    indexes.map((p) => (typeof orderDays.lo !== 'number' ? 0 : start(p) < Math.max(fromDay, orderDays.lo) || start(p + 1) > Math.min(toDay + 1, orderDays.hi!) ? 1 : 0));
  const partialRange = (a: number, b: number): number => (typeof orderDays.lo !== 'number' ? 0 : a < orderDays.lo || b >= orderDays.hi! ? 1 : 0);
  /** The month indexes of the range (attribution's periods, retention's cohorts). */
  const months: number[] = [];
  for (let p = monthOfDay(fromDay); p <= monthOfDay(toDay); p++) months.push(p);
  const inRange = (a: number, b: number) => aq.escape((d: Row) => d.day !== null && (d.day as number) >= a && (d.day as number) <= b);

  // ---- shared: purchases with their last touch (section 3: the latest eligible treatment touch sent at
  // or before the purchase and at most 5 days before it; ties go to the last channel, then campaign)
  let credited: Table | null = null;
  const purchasesWithChannel = (): Table => {
    if (credited !== null) return credited;
    const purchases = orders.filter((d: Row) => d.is_purchase);
    // a touch without a campaign sorts before every campaign (NULLS FIRST), as '' does
    const sent = touches
      .filter((d: Row) => d.grp === 'treatment' && d.sent_at !== null)
      .derive({ campaign_key: (d: Row) => (d.campaign == null ? '' : d.campaign) })
      .select('customer_id', 'channel', 'campaign_key', 'sent_at');
    // without treatment touches (the orders-only pipeline) every purchase is non-CRM: no join to run
    if (sent.numRows() === 0) {
      credited = purchases.derive({ channel: () => null, crm: () => 0 });
      return credited;
    }
    const last = purchases
      .select('order_id', 'customer_id', 't')
      .join(sent, 'customer_id')
      .filter(aq.escape((d: Row) => (d.sent_at as number) <= (d.t as number) && (d.sent_at as number) >= (d.t as number) - WINDOW_MS))
      .groupby('order_id')
      .filter((d: Row) => d.sent_at === op.max(d.sent_at))
      .filter((d: Row) => d.channel === op.max(d.channel))
      .filter((d: Row) => d.campaign_key === op.max(d.campaign_key))
      .ungroup()
      .dedupe('order_id')
      .select('order_id', 'channel');
    // channel: the purchase's last touch, or null for non-CRM revenue
    credited = purchases.join_left(last, 'order_id').derive({ crm: (d: Row) => (d.channel == null ? 0 : 1) });
    return credited;
  };

  /** Each result's computation, by its RESULTS name. */
  const builders: Partial<Record<QueryRequest['kind'], () => unknown>> = {};

  // ---- KPIs of the range and of the equal-length range before it
  builders.kpis = () => {
    const pc = purchasesWithChannel();
    const kpiSet = (a: number, b: number): Row => {
      const all = orders.filter(inRange(a, b)).rollup({ net: op.sum('revenue') }).object() as Row;
      const bought = pc.filter(inRange(a, b));
      const sums = bought
        .derive({ crm_revenue: (d: Row) => (d.crm ? d.revenue : 0), crm_margin: (d: Row) => (d.crm ? d.margin : null) })
        .rollup({
          purchases: op.count(),
          purchase_revenue: op.sum('revenue'),
          crm_revenue: op.sum('crm_revenue'),
          crm_margin: op.sum('crm_margin'),
          crm_purchases: op.sum('crm'),
          crm_known: op.valid('crm_margin'),
        })
        .object() as Row;
      const perCustomer = bought.groupby('customer_id').rollup({ n: op.count(), converted: op.max('crm') });
      const customers = perCustomer.numRows();
      const repeatCustomers = perCustomer.filter((d: Row) => (d.n as number) >= 2).numRows();
      const recipients = touches.filter((d: Row) => d.grp === 'treatment').filter(inRange(a, b)).dedupe('customer_id').select('customer_id');
      const converted = recipients.semijoin(perCustomer.filter((d: Row) => d.converted === 1), 'customer_id').numRows();
      const netRevenue = num(all.net);
      const crmRevenue = num(sums.crm_revenue);
      const purchases = num(sums.purchases);
      const purchaseRevenue = num(sums.purchase_revenue);
      const nRecipients = recipients.numRows();
      return {
        netRevenue,
        crmRevenue,
        crmMargin: num(sums.crm_purchases) > 0 && num(sums.crm_known) === 0 ? null : num(sums.crm_margin),
        crmShare: ratio(crmRevenue, netRevenue),
        purchases,
        purchaseRevenue,
        aov: ratio(purchaseRevenue, purchases),
        customers,
        repeatCustomers,
        repeatRate: ratio(repeatCustomers, customers),
        recipients: nRecipients,
        revenuePerRecipient: ratio(crmRevenue, nRecipients),
        convertedRecipients: converted,
        conversionRate: ratio(converted, nRecipients),
      };
    };
    const length = toDay - fromDay + 1;
    return {
      kind: 'kpis',
      range,
      previousRange: { from: dayLabel(fromDay - length), to: dayLabel(fromDay - 1) },
      model: 'last_touch',
      basis: 'send',
      current: kpiSet(fromDay, toDay),
      previous: kpiSet(fromDay - length, fromDay - 1),
      // whether the orders cover each range only in part (as the period axes' flags)
      partial: partialRange(fromDay, toDay),
      previousPartial: partialRange(fromDay - length, fromDay - 1),
    };
  };

  // ---- attributed revenue by channel × month
  builders.attribution = () => {
    const pc = purchasesWithChannel().filter(inRange(fromDay, toDay)).derive({ p: aq.escape((d: Row) => monthOfDay(d.day as number)) });
    const byKey = index(
      pc.filter((d: Row) => d.crm === 1).groupby('p', 'channel').rollup({ revenue: op.sum('revenue'), margin: op.sum('margin'), known: op.valid('margin'), purchases: op.count() }),
      (r) => `${r.p as number}|${r.channel as string}`,
    );
    const nonCrm = index(pc.filter((d: Row) => d.crm === 0).groupby('p').rollup({ revenue: op.sum('revenue'), margin: op.sum('margin'), known: op.valid('margin'), n: op.count() }), (r) => String(r.p));
    const perChannel = index(
      pc.filter((d: Row) => d.crm === 1).groupby('channel').rollup({ revenue: op.sum('revenue'), margin: op.sum('margin'), known: op.valid('margin') }),
      (r) => r.channel as string,
    );
    const bought = index(pc.groupby('p').rollup({ revenue: op.sum('revenue'), margin: op.sum('margin'), known: op.valid('margin'), n: op.count() }), (r) => String(r.p));
    const net = index(
      orders.filter(inRange(fromDay, toDay)).derive({ p: aq.escape((d: Row) => monthOfDay(d.day as number)) }).groupby('p').rollup({ revenue: op.sum('revenue') }),
      (r) => String(r.p),
    );
    const periods = months;
    const grid = (field: string): number[] => periods.flatMap((p) => channels.map((c) => num(byKey.get(`${p}|${c}`)?.[field])));
    const series = (map: Map<string, Row>, field: string): number[] => periods.map((p) => num(map.get(String(p))?.[field]));
    return {
      kind: 'attribution',
      range,
      model: 'last_touch',
      basis: 'send',
      dimension: 'channel',
      periods: { period: 'month', start: periods.map(monthStart), labels: periods.map((p) => dayLabel(monthStart(p))), partial: partialOf(periods, monthStart) },
      keys: channels,
      keyChannels: channels,
      revenue: grid('revenue'),
      margin: periods.flatMap((p) => channels.map((c) => marginOf(byKey.get(`${p}|${c}`)))),
      purchases: grid('purchases'),
      nonCrmRevenue: series(nonCrm, 'revenue'),
      nonCrmMargin: periods.map((p) => marginOf(nonCrm.get(String(p)))),
      nonCrmPurchases: series(nonCrm, 'n'),
      keyRevenue: channels.map((c) => num(perChannel.get(c)?.revenue)),
      keyMargin: channels.map((c) => marginOf(perChannel.get(c))),
      netRevenue: series(net, 'revenue'),
      purchaseRevenue: series(bought, 'revenue'),
      purchaseMargin: periods.map((p) => marginOf(bought.get(String(p)))),
      purchaseCount: series(bought, 'n'),
    };
  };

  // ---- holdout lift per scope: all CRM, each channel, each campaign (section 4)
  builders.incrementality = () => {
    // a customer's assignment in a scope: the earliest touch (treatment or holdout) in the range; a
    // customer with both groups in one scope (h, 1 for holdout, not constant) is excluded
    const scoped = touches.filter(inRange(fromDay, toDay)).derive({ h: (d: Row) => (d.grp === 'holdout' ? 1 : 0) });
    const campaigns = scoped.filter((d: Row) => d.campaign != null);
    const assign = { assigned_at: op.min('sent_at'), lo: op.min('h'), hi: op.max('h') };
    const assignments = scoped
      .groupby('customer_id')
      .rollup(assign)
      .derive({ scope: () => 'all', name: () => 'all' })
      .concat(
        scoped.groupby('channel', 'customer_id').rollup(assign).derive({ scope: () => 'channel', name: (d: Row) => d.channel }).select(aq.not('channel')),
        campaigns.groupby('campaign', 'customer_id').rollup(assign).derive({ scope: () => 'campaign', name: (d: Row) => d.campaign }).select(aq.not('campaign')),
      )
      .derive({ excluded: (d: Row) => (d.lo === d.hi ? 0 : 1) });
    const assigned = assignments.filter((d: Row) => d.excluded === 0);
    // the outcome of an assignment depends on the customer and its time alone: each pair once
    const inWindow = assigned
      .select('customer_id', 'assigned_at')
      .dedupe()
      .join(orders.select('customer_id', 't', 'revenue', 'is_purchase'), 'customer_id')
      .filter(aq.escape((d: Row) => (d.t as number) >= (d.assigned_at as number) && (d.t as number) < (d.assigned_at as number) + LIFT_WINDOW_MS))
      .groupby('customer_id', 'assigned_at')
      .rollup({ revenue: op.sum('revenue'), bought: (d: Row) => op.max(d.is_purchase ? 1 : 0) });
    const outcomes = assigned
      .join_left(inWindow, [['customer_id', 'assigned_at'], ['customer_id', 'assigned_at']])
      .derive({ revenue: (d: Row) => (d.revenue == null ? 0 : d.revenue), bought: (d: Row) => (d.bought == null ? 0 : d.bought) });
    const groups = index(
      outcomes
        .groupby('scope', 'name', 'lo')
        .rollup({ n: op.count(), revenue: op.sum('revenue'), mean: op.mean('revenue'), variance: op.variance('revenue'), converted: op.sum('bought') }),
      (r) => `${r.scope as string}|${r.name as string}|${r.lo === 1 ? 'holdout' : 'treatment'}`,
    );
    // spend: the costs table's rows in the range by scope, plus the per-touch costs of treatment touches
    const spendRows = costs.filter(inRange(fromDay, toDay));
    const paid = scoped.filter((d: Row) => d.grp === 'treatment' && d.cost !== 0).derive({ amount: (d: Row) => d.cost });
    // each amount once per scope it counts in: all CRM, its channel, its campaign (when it has one)
    const perScope = (rows: Table): Table[] => [
      rows.derive({ scope: () => 'all', name: () => 'all' }).select('scope', 'name', 'amount'),
      rows.derive({ scope: () => 'channel', name: (d: Row) => d.channel }).select('scope', 'name', 'amount'),
      rows.filter((d: Row) => d.campaign != null).derive({ scope: () => 'campaign', name: (d: Row) => d.campaign }).select('scope', 'name', 'amount'),
    ];
    const [first, ...rest] = [...perScope(spendRows), ...perScope(paid)];
    const spend = index(
      first!
        .concat(...rest)
        .derive({ size: (d: Row) => op.abs(d.amount as number) })
        .groupby('scope', 'name')
        .rollup({ cost: op.sum('amount'), size: op.sum('size') }),
      (r) => `${r.scope as string}|${r.name as string}`,
    );
    // the scopes in order: all, channels, campaigns (each by name); a campaign's channel is its first by name
    const campaignChannel = index(campaigns.groupby('campaign').rollup({ channel: op.min('channel') }), (r) => r.campaign as string);
    const scopes = assignments
      .groupby('scope', 'name')
      .rollup({ excluded: op.sum('excluded') })
      .derive({ kind_order: (d: Row) => (d.scope === 'all' ? 0 : d.scope === 'channel' ? 1 : 2) })
      .orderby('kind_order', 'name')
      .objects() as { scope: string; name: string; excluded: number }[];
    if (scopes.length === 0 || scopes[0]!.scope !== 'all') scopes.unshift({ scope: 'all', name: 'all', excluded: 0 });
    const out: Record<string, (number | string | null)[]> = {};
    const push = (field: string, value: number | string | null): void => {
      (out[field] ??= []).push(value);
    };
    for (const s of scopes) {
      const key = `${s.scope}|${s.name}`;
      const tr = groups.get(`${key}|treatment`);
      const ho = groups.get(`${key}|holdout`);
      const nt = num(tr?.n);
      const nh = num(ho?.n);
      const ok = nh >= MIN_HOLDOUT && nt > 0;
      const rpcT = ok ? (tr!.mean as number) : null;
      const rpcH = ok ? (ho!.mean as number) : null;
      const lift = ok ? rpcT! - rpcH! : null;
      const vt = tr?.variance;
      const vh = ho?.variance;
      const se = ok && typeof vt === 'number' && typeof vh === 'number' ? Math.sqrt(vt / nt + vh / nh) : null;
      const c = netCost(spend.get(key));
      push('scope', s.scope);
      push('name', s.name);
      push('channel', s.scope === 'all' ? '' : s.scope === 'channel' ? s.name : (campaignChannel.get(s.name)!.channel as string));
      push('treatment', nt);
      push('holdout', nh);
      push('excluded', s.excluded);
      push('sufficient', ok ? 1 : 0);
      push('revenueTreatment', num(tr?.revenue));
      push('revenueHoldout', num(ho?.revenue));
      push('revenuePerCustomerTreatment', rpcT);
      push('revenuePerCustomerHoldout', rpcH);
      push('conversionTreatment', ok ? num(tr!.converted) / nt : null);
      push('conversionHoldout', ok ? num(ho!.converted) / nh : null);
      push('absoluteLift', lift);
      push('relativeLift', lift === null ? null : ratio(lift, rpcH));
      push('incrementalRevenue', lift === null ? null : lift * nt);
      push('liftLow', lift === null || se === null ? null : lift - Z95 * se);
      push('liftHigh', lift === null || se === null ? null : lift + Z95 * se);
      push('cost', c);
      push('incrementalRoas', lift === null ? null : perCost(lift * nt, c));
    }
    return { kind: 'incrementality', range, liftWindowDays: LIFT_WINDOW_MS / DAY, minHoldout: MIN_HOLDOUT, ...out };
  };

  // ---- monthly cohort retention, customers measure (section 5)
  builders.retention = () => {
    const purchases = orders.filter((d: Row) => d.is_purchase).derive({ p: aq.escape((d: Row) => monthOfDay(d.day as number)) });
    // a customer's cohort: the month of their first purchase in the whole dataset (the benchmark's range
    // is the data's bounds, so every cohort is in it)
    const members = purchases.groupby('customer_id').rollup({ cohort: op.min('p') });
    const sizes = index(members.groupby('cohort').count({ as: 'size' }), (r) => String(r.cohort));
    const active = index(
      purchases
        .select('customer_id', 'p')
        .dedupe('customer_id', 'p')
        .join(members.select('customer_id', 'cohort'), 'customer_id')
        .derive({ k: (d: Row) => (d.p as number) - (d.cohort as number) })
        .filter(aq.escape((d: Row) => (d.k as number) < OFFSETS))
        .groupby('cohort', 'k')
        .count({ as: 'n' }),
      (r) => `${r.cohort as number}|${r.k as number}`,
    );
    const lastDay = orders.rollup({ d: op.max('day') }).get('d', 0) as number;
    const cohorts = months;
    const values: (number | null)[] = [];
    const counts: (number | null)[] = [];
    const status: number[] = [];
    const weighted = new Array<number>(OFFSETS).fill(0);
    const weights = new Array<number>(OFFSETS).fill(0);
    const simple = new Array<number>(OFFSETS).fill(0);
    const cells = new Array<number>(OFFSETS).fill(0);
    for (const c of cohorts) {
      const size = num(sizes.get(String(c))?.size);
      for (let k = 0; k < OFFSETS; k++) {
        const s = monthStart(c + k) > lastDay ? 2 : monthStart(c + k + 1) <= lastDay ? 0 : 1;
        const n = num(active.get(`${c}|${k}`)?.n);
        const value = s === 2 || size === 0 ? null : n / size;
        status.push(s);
        counts.push(s === 2 ? null : n);
        values.push(value);
        if (s === 0 && value !== null) {
          weighted[k] += value * size;
          weights[k] += size;
          simple[k] += value;
          cells[k]++;
        }
      }
    }
    return {
      kind: 'retention',
      range,
      measure: 'customers',
      period: 'month',
      offsets: OFFSETS,
      groups: ['all'],
      breakdown: null,
      cohortGroup: cohorts.map(() => 0),
      cohortStart: cohorts.map(monthStart),
      cohortLabels: cohorts.map((c) => dayLabel(monthStart(c))),
      cohortSize: cohorts.map((c) => num(sizes.get(String(c))?.size)),
      values,
      counts,
      status,
      weightedMean: weighted.map((w, k) => (cells[k] === 0 ? null : w / weights[k]!)),
      simpleMean: simple.map((s, k) => (cells[k] === 0 ? null : s / cells[k]!)),
      meanCells: cells,
    };
  };

  // ---- RFM percentile scores on the 5 × 5 grid, default segment map (section 6)
  builders.rfm = () => {
    const perCustomer = orders
      .filter(inRange(fromDay, toDay))
      .derive({ bought: (d: Row) => (d.is_purchase ? 1 : 0), bought_at: (d: Row) => (d.is_purchase ? d.t : null) })
      .groupby('customer_id')
      .rollup({ frequency: op.sum('bought'), revenue: op.sum('revenue'), last: op.max('bought_at') })
      .filter((d: Row) => (d.frequency as number) > 0);
    const n = perCustomer.numRows();
    const latest = n === 0 ? null : (perCustomer.rollup({ last: op.max('last') }).get('last', 0) as number);
    const asOf = latest === null ? null : (dayOf(latest) + 1) * DAY;
    const rules = DEFAULT_SEGMENTS[BINS]!;
    const segmentOf = (r: number, f: number): number => rules.findIndex((g) => r >= g.r[0] && r <= g.r[1] && f >= g.f[0] && f <= g.f[1]);
    const score = (worse: number): number => Math.min(BINS, 1 + Math.floor((BINS * worse) / n));
    // rank − 1 = customers with a worse value (ties share a rank): higher recency, lower frequency
    const scored = perCustomer
      .derive({ recency: aq.escape((d: Row) => Math.floor((asOf! - (d.last as number)) / DAY)), monetary: aq.escape((d: Row) => Math.round((d.revenue as number) * 1e4) / 1e4) })
      .orderby(aq.desc('recency'))
      .derive({ r_rank: op.rank() })
      .orderby('frequency')
      .derive({ f_rank: op.rank() })
      .derive({ r: aq.escape((d: Row) => score((d.r_rank as number) - 1)), f: aq.escape((d: Row) => score((d.f_rank as number) - 1)) })
      .derive({ segment: aq.escape((d: Row) => segmentOf(d.r as number, d.f as number)) });
    const totalRevenue = n === 0 ? 0 : num(scored.rollup({ s: op.sum('revenue') }).get('s', 0));
    const cells = index(scored.groupby('r', 'f').rollup({ n: op.count(), revenue: op.sum('revenue'), monetary: op.sum('monetary') }), (row) => `${row.r as number}|${row.f as number}`);
    const segments = index(scored.groupby('segment').rollup({ n: op.count(), revenue: op.sum('revenue') }), (row) => String(row.segment));
    const grid = Array.from({ length: BINS * BINS }, (_, i) => cells.get(`${Math.floor(i / BINS) + 1}|${(i % BINS) + 1}`));
    const bySegment = rules.map((_, s) => segments.get(String(s)));
    return {
      kind: 'rfm',
      range,
      bins: BINS,
      scoring: 'percentile',
      monetary: 'net',
      asOf,
      asOfLabel: asOf === null ? '' : dayLabel(asOf / DAY),
      customers: n,
      totalRevenue,
      cellCustomers: grid.map((c) => num(c?.n)),
      cellRevenue: grid.map((c) => num(c?.revenue)),
      cellCustomerShare: grid.map((c) => ratio(num(c?.n), n)),
      cellRevenueShare: grid.map((c) => ratio(num(c?.revenue), totalRevenue)),
      cellMeanMonetary: grid.map((c) => (c === undefined ? null : ratio(num(c.monetary), num(c.n)))),
      cellSegment: grid.map((_, i) => segmentOf(Math.floor(i / BINS) + 1, (i % BINS) + 1)),
      segments: rules.map((g) => g.name),
      segmentCustomers: bySegment.map((s) => num(s?.n)),
      segmentRevenue: bySegment.map((s) => num(s?.revenue)),
      segmentCustomerShare: bySegment.map((s) => ratio(num(s?.n), n)),
      segmentRevenueShare: bySegment.map((s) => ratio(num(s?.revenue), totalRevenue)),
    };
  };

  // ---- weekly ROAS per channel (section 7)
  builders.roas = () => {
    const week = aq.escape((d: Row) => weekOfDay(d.day as number));
    const spend = costs
      .filter(inRange(fromDay, toDay))
      .select('day', 'channel', 'amount')
      .concat(touches.filter((d: Row) => d.grp === 'treatment' && d.cost !== 0).filter(inRange(fromDay, toDay)).derive({ amount: (d: Row) => d.cost }).select('day', 'channel', 'amount'))
      .derive({ size: (d: Row) => op.abs(d.amount as number) });
    const costSums = { cost: op.sum('amount'), size: op.sum('size') };
    // the cells' costs netted (amounts that cancel are 0), then summed with their sizes, as the engine does
    const cells = spend
      .derive({ p: week })
      .groupby('p', 'channel')
      .rollup(costSums)
      .derive({ cost: aq.escape((d: Row) => netCost(d)) });
    const cost = index(cells, (r) => `${r.p as number}|${r.channel as string}`);
    const cellSums = { cost: op.sum('cost'), size: op.sum('size') };
    const crm = purchasesWithChannel()
      .filter(inRange(fromDay, toDay))
      .filter((d: Row) => d.crm === 1);
    const sums = { revenue: op.sum('revenue'), margin: op.sum('margin'), known: op.valid('margin') };
    const revenue = index(crm.derive({ p: week }).groupby('p', 'channel').rollup(sums), (r) => `${r.p as number}|${r.channel as string}`);
    // each channel and everything over the range
    const keyCost = index(cells.groupby('channel').rollup(cellSums), (r) => r.channel as string);
    const keyCredited = index(crm.groupby('channel').rollup(sums), (r) => r.channel as string);
    const rangeCost = netCost(cells.rollup(cellSums).object() as Row);
    const whole = crm.numRows() === 0 ? undefined : (crm.rollup(sums).object() as Row);
    const rangeRevenue = num(whole?.revenue);
    const rangeMargin = marginOf(whole);
    const keyTotals = {
      keyCost: channels.map((c) => netCost(keyCost.get(c))),
      keyRevenue: channels.map((c) => num(keyCredited.get(c)?.revenue)),
      keyMargin: channels.map((c) => marginOf(keyCredited.get(c))),
      keyRoas: channels.map((c) => perCost(num(keyCredited.get(c)?.revenue), netCost(keyCost.get(c)))),
      keyMarginRoas: channels.map((c) => perCost(marginOf(keyCredited.get(c)), netCost(keyCost.get(c)))),
      rangeCost,
      rangeRevenue,
      rangeMargin,
      rangeRoas: perCost(rangeRevenue, rangeCost),
      rangeMarginRoas: perCost(rangeMargin, rangeCost),
    };
    const periods: number[] = [];
    for (let p = weekOfDay(fromDay); p <= weekOfDay(toDay); p++) periods.push(p);
    const out: Record<string, (number | null)[]> = { cost: [], revenue: [], margin: [], roas: [], marginRoas: [], blendedCost: [], blendedRevenue: [], blendedMargin: [], blendedRoas: [], blendedMarginRoas: [] };
    for (const p of periods) {
      let bc = 0;
      let bz = 0;
      let br = 0;
      let bm: number | null = 0;
      // the period's margin is unknown when it has credited purchases and none with a margin
      let credited = false;
      let known = false;
      for (const c of channels) {
        const spent = cost.get(`${p}|${c}`);
        const co = netCost(spent);
        bz += num(spent?.size);
        const cell = revenue.get(`${p}|${c}`);
        const re = num(cell?.revenue);
        const ma = marginOf(cell);
        if (cell !== undefined) credited = true;
        if (cell !== undefined && (cell.known as number) > 0) known = true;
        out.cost!.push(co);
        out.revenue!.push(re);
        out.margin!.push(ma);
        out.roas!.push(perCost(re, co));
        out.marginRoas!.push(perCost(ma, co));
        bc += co;
        br += re;
        if (ma !== null) bm += ma;
      }
      if (credited && !known) bm = null;
      bc = net(bc, bz);
      out.blendedCost!.push(bc);
      out.blendedRevenue!.push(br);
      out.blendedMargin!.push(bm);
      out.blendedRoas!.push(perCost(br, bc));
      out.blendedMarginRoas!.push(perCost(bm, bc));
    }
    return {
      kind: 'roas',
      range,
      model: 'last_touch',
      basis: 'send',
      periods: { period: 'week', start: periods.map(weekStart), labels: periods.map((p) => dayLabel(weekStart(p))), partial: partialOf(periods, weekStart) },
      keys: channels,
      keyChannels: channels,
      ...out,
      ...keyTotals,
    };
  };
  for (const [name, request] of Object.entries(requests)) {
    const build = builders[request.kind];
    if (build === undefined) throw new Error(`Arquero: no result of kind "${request.kind}" (${name})`);
    timed(resultMs, name, () => {
      payloads[name] = build();
    });
  }
  return { parseMs, resultMs, payloads };
}
