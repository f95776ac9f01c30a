// Arquero's side of the benchmark (bench/lib/arquero-results.ts) must compute every result as our
// engine does, or its timings compare different work: both run here on the same CSV texts, with
// last-touch ties (twin touches at the same instant on two channels), customers in
// both groups of a scope (excluded from the lift) and orders of unknown margin, and every payload must
// agree by the benchmark's rule.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { toPayload } from '../../src/core/results.js';
import { generateSample, sampleCsv } from '../../src/core/sample.js';
import { TABLE_NAMES, type TableName } from '../../src/core/schema.js';
import { arqueroResults, type ArqueroRun } from '../../bench/lib/arquero-results.js';
import { payloadDifference } from '../../bench/lib/compare.js';
import { headerLine, ORDERS_ONLY, RESULTS } from '../../bench/lib/results.js';
import type { QueryRequest } from '../../src/core/queries.js';
import { loadSources } from '../support/harness.js';
import { channelTwins } from './twins.js';

/**
 * The sample's touches with the oracle's channel twins (ties, customers in both groups), and for every
 * 40th a twin at the same instant on the same channel, without a campaign or in a campaign of its own
 * (which of the two is the last touch changes none of these results, all by channel; they add touches
 * outside every campaign scope, and small campaign scopes).
 */
function withTwins(touches: string): string {
  const [header, ...lines] = touches.trimEnd().split('\n');
  const rows = lines.map((line) => line.split(','));
  const sameChannel = rows.flatMap((f, i) => (i % 40 === 7 ? [[f[0]!, f[1]!, i % 80 === 7 ? '' : `zz_${f[2]!}`, ...f.slice(3)]] : []));
  return [header, ...lines, ...[...channelTwins(rows), ...sameChannel].map((f) => f.join(','))].join('\n') + '\n';
}

/**
 * Every 97th order line, and every line of the middle line's month, without its cost: that order's
 * margin is unknown, and that month's margins all are (cells and periods of unknown margin).
 */
function withUnknownCosts(orders: string): string {
  const [header, ...lines] = orders.trimEnd().split('\n');
  const columns = header!.split(',');
  const cost = columns.indexOf('cost');
  const at = columns.indexOf('ordered_at');
  const month = lines[lines.length >> 1]!.split(',')[at]!.slice(0, 7);
  const unknown = (line: string, i: number): boolean => i % 97 === 3 || line.split(',')[at]!.startsWith(month);
  return [header, ...lines.map((line, i) => (unknown(line, i) ? line.split(',').map((v, c) => (c === cost ? '' : v)).join(',') : line))].join('\n') + '\n';
}

/** Our engine's payloads of `requests` on the tables given (the others not loaded). */
function ours(csv: Partial<Record<TableName, string>>, requests: Record<string, QueryRequest>): Record<string, unknown> {
  const { engine, dataset, sources } = loadSources(
    TABLE_NAMES.filter((t) => csv[t] !== undefined).map((table) => ({ table, body: csv[table]! })),
    { timezone: 'UTC' },
  );
  for (const report of sources) assert.equal(report.rowsRejected, 0, report.table);
  return Object.fromEntries(Object.entries(requests).map(([name, request]) => [name, toPayload(engine.query(dataset, request))]));
}

describe('Arquero computes every benchmark result as the engine does', () => {
  let csv: Record<TableName, string>;
  let engine: Record<string, unknown>;
  let arquero: ArqueroRun;

  before(() => {
    const data = generateSample({ orders: 10_000, seed: 7 });
    csv = Object.fromEntries(TABLE_NAMES.map((t) => [t, [...sampleCsv(data, t)].join('')])) as Record<TableName, string>;
    csv.touches = withTwins(csv.touches);
    csv.orders = withUnknownCosts(csv.orders);
    engine = ours(csv, RESULTS);
    arquero = arqueroResults((table) => csv[table], RESULTS);
  });

  for (const name of Object.keys(RESULTS)) {
    test(name, () => {
      assert.equal(payloadDifference(engine[name], arquero.payloads[name], name, ['ours', 'Arquero']), null);
    });
  }

  test('the data holds what the results must get right: ties, excluded customers, adjustments, scopes short of holdout, unknown margins', () => {
    const lift = arquero.payloads['holdout lift per channel'] as { excluded: number[]; sufficient: number[] };
    assert.ok(lift.excluded.reduce((a, b) => a + b, 0) > 0, 'some customers are in both groups of a scope');
    assert.ok(lift.sufficient.includes(0) && lift.sufficient.includes(1), 'scopes with and without enough holdout');
    const kpis = arquero.payloads.kpis as { current: { netRevenue: number; purchaseRevenue: number } };
    assert.ok(kpis.current.purchaseRevenue > kpis.current.netRevenue, 'refunds lower net revenue');
    const attribution = arquero.payloads['revenue and attribution by channel × month'] as { revenue: number[]; margin: number[] };
    const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
    const known = attribution.margin.filter((m) => m !== null);
    assert.ok(sum(known) < 0.6 * sum(attribution.revenue), 'margins are below revenue');
    assert.ok(known.length < attribution.margin.length, 'a month of unknown margins');
    assert.deepEqual(Object.keys(arquero.resultMs), Object.keys(RESULTS));
  });

  test('the orders-only pipeline: the orders file with the other tables empty (their header line), as the benchmark gives it', () => {
    // the benchmark's own header cut (bench/lib/results.ts), on the text's bytes
    const header = (table: TableName): string => new TextDecoder().decode(headerLine(new TextEncoder().encode(csv[table]), table));
    const run = arqueroResults((table) => (table === 'orders' ? csv.orders : header(table)), ORDERS_ONLY);
    const engineOrders = ours({ orders: csv.orders }, ORDERS_ONLY);
    assert.deepEqual(Object.keys(run.payloads), Object.keys(ORDERS_ONLY));
    for (const name of Object.keys(ORDERS_ONLY)) assert.equal(payloadDifference(engineOrders[name], run.payloads[name], name, ['ours', 'Arquero']), null);
    // without touches, the monthly revenue has no channels and all of it is non-CRM
    const monthly = run.payloads['monthly revenue'] as { keys: string[]; nonCrmRevenue: number[]; purchaseRevenue: number[] };
    assert.deepEqual(monthly.keys, []);
    assert.deepEqual(monthly.nonCrmRevenue, monthly.purchaseRevenue);
  });

  test('a different input shows as a difference (the comparison can fail)', () => {
    // one order line fewer for Arquero: the KPIs and the monthly series must differ from ours
    const lines = csv.orders.split('\n');
    const fewer = arqueroResults((table) => (table === 'orders' ? [...lines.slice(0, 100), ...lines.slice(101)].join('\n') : csv[table]), { kpis: RESULTS.kpis! });
    assert.match(payloadDifference(engine.kpis, fewer.payloads.kpis, 'kpis') ?? '', /netRevenue|purchases/);
  });
});
