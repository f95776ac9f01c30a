// Oracle test: every query of the warehouse SQL pack, run in DuckDB over a seeded dataset, must give
// the engine's result — counts exactly, money to a relative 1e-9. The engine reads CSV with mixed
// timestamp styles (UTC, offsets, local time); DuckDB reads the same instants as TIMESTAMPTZ.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { QueryRequest } from '../../src/core/queries.js';
import { toPayload } from '../../src/core/results.js';
import { generateSample, sampleRow, type SampleDataset, type SampleTable } from '../../src/core/sample.js';
import { formatLocalIso, TimeZone } from '../../src/core/time.js';
import { createEngineApi } from '../../workers/engine.js';
import { openWarehouse, runSql } from './duckdb.js';
import { payloadDifference as difference } from '../../bench/lib/compare.js';

function csvLine(values: (string | number | null)[]): string {
  return values.map((v) => (v === null ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v))).join(',');
}

/** Writes the engine's CSV (timestamps in mixed styles) and DuckDB's (UTC) for a table. */
function writeTables(data: SampleDataset, zone: TimeZone, dir: string): { engine: Record<SampleTable, string>; duck: Record<SampleTable, string> } {
  const engine = {} as Record<SampleTable, string>;
  const duck = {} as Record<SampleTable, string>;
  // the engine reads the same instant written three ways: UTC, with an offset, or as local wall time
  let k = 0;
  const styled = (iso: string): string => {
    if (iso === '') return '';
    const utc = Date.parse(iso);
    const style = k++ % 3;
    const local = zone.toLocal(utc);
    if (style === 0) return iso;
    if (style === 2 && zone.toUtc(local) === utc) return formatLocalIso(local).replace('T', ' ');
    const offset = (local - utc) / 60_000;
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset);
    return `${formatLocalIso(local)}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  };
  const tables: [SampleTable, string[], (row: string[]) => (string | number | null)[], (row: string[]) => (string | number | null)[]][] = [
    [
      'orders',
      ['order_id', 'customer_id', 'ordered_at', 'revenue', 'quantity', 'unit_price', 'margin', 'cost', 'discount'],
      (r) => [r[0]!, r[1]!, styled(r[2]!), null, r[4]!, r[5]!, null, r[7]!, r[6]!],
      (r) => [r[0]!, r[1]!, r[2]!, null, r[4]!, r[5]!, null, r[7]!, r[6]!],
    ],
    [
      'touches',
      ['customer_id', 'channel', 'campaign', 'sent_at', 'opened_at', 'clicked_at', 'group', 'cost'],
      (r) => [r[0]!, r[1]!, r[2]!, styled(r[3]!), styled(r[4]!), styled(r[5]!), r[6]!, r[7] === '' ? null : r[7]!],
      (r) => [r[0]!, r[1]!, r[2]!, r[3]!, r[4] === '' ? null : r[4]!, r[5] === '' ? null : r[5]!, r[6]!, r[7] === '' ? null : r[7]!],
    ],
    ['costs', ['date', 'channel', 'campaign', 'amount', 'kind'], (r) => r, (r) => r],
    ['customers', ['customer_id', 'country', 'acquisition_source'], (r) => r, (r) => r],
  ];
  for (const [table, columns, forEngine, forDuck] of tables) {
    const rows = Array.from({ length: data[table].count }, (_, i) => sampleRow(data, table, i));
    if (table === 'touches') {
      // every 25th touch gets a twin sent at the same instant on another channel: credit ties
      // (every other one in the same campaign, so campaigns run on two channels), and every 4th twin
      // the other group, so some customers sit in both groups of a scope
      const twins = rows
        .filter((_, i) => i % 25 === 0)
        .map((r, i) => [r[0]!, r[1] === 'email' ? 'sms' : 'email', i % 2 === 1 ? r[2]! : 'tie_' + r[2]!, ...r.slice(3, 6), i % 4 === 0 ? (r[6] === 'holdout' ? 'treatment' : 'holdout') : r[6]!, r[7]!]);
      rows.push(...twins);
    }
    engine[table] = [columns.join(','), ...rows.map((r) => csvLine(forEngine(r)))].join('\n') + '\n';
    const path = join(dir, `${table}.csv`);
    writeFileSync(path, [columns.join(','), ...rows.map((r) => csvLine(forDuck(r)))].join('\n') + '\n');
    duck[table] = path;
  }
  return { engine, duck };
}

const REQUESTS: QueryRequest[] = [
  { kind: 'attribution', params: {} },
  { kind: 'attribution', params: { model: 'linear', basis: 'open', period: 'week', dimension: 'campaign', range: { from: '2023-06-01', to: '2024-03-31' } } },
  { kind: 'attribution', params: { model: 'time_decay', window: { email: '7d', sms: '1d', default: '3d' }, period: 'quarter', dimension: 'stage' } },
  { kind: 'attribution', params: { model: 'position_based', window: '30d', filter: { attribute: 'country', values: ['DE', 'FR', 'US'] } } },
  { kind: 'attribution', params: { model: 'position_based', basis: 'open', window: '45d', dimension: 'campaign' } },
  { kind: 'attribution', params: { model: 'linear', basis: 'click', window: '60d', halfLife: '1d' } },
  { kind: 'attribution', params: { model: 'time_decay', basis: 'click', window: '60d', halfLife: '2d', period: 'week' } },
  { kind: 'attribution', params: { model: 'first_touch', period: 'day', range: { from: '2024-11-20', to: '2024-12-10' } } },
  { kind: 'kpis', params: {} },
  { kind: 'kpis', params: { model: 'linear', range: { from: '2024-01-01', to: '2024-06-30' }, filter: { attribute: 'acquisition_source', values: ['organic'] } } },
  { kind: 'kpis', params: { model: 'time_decay', basis: 'open', window: '14d', range: { from: '2024-11-01', to: '2024-11-30' } } },
  { kind: 'incrementality', params: {} },
  { kind: 'incrementality', params: { liftWindow: '7d', minHoldout: 20, range: { from: '2024-01-01', to: '2024-06-30' } } },
  { kind: 'incrementality', params: { filter: { attribute: 'country', values: ['US', 'GB'] }, minHoldout: 5 } },
  { kind: 'retention', params: {} },
  { kind: 'retention', params: { period: 'week', offsets: 8, measure: 'rolling', range: { from: '2024-09-01', to: '2024-12-31' } } },
  { kind: 'retention', params: { period: 'quarter', offsets: 4, measure: 'revenue_retention', breakdown: 'country' } },
  { kind: 'retention', params: { period: 'day', offsets: 10, measure: 'cumulative_revenue', range: { from: '2024-12-01', to: '2024-12-31' }, filter: { attribute: 'acquisition_source', values: ['organic', 'referral'] } } },
  { kind: 'retention', params: { measure: 'revenue', breakdown: 'acquisition_source', offsets: 6 } },
  { kind: 'rfm', params: {} },
  { kind: 'rfm', params: { bins: 3, scoring: 'ntile', monetary: 'aov', range: { from: '2024-01-01', to: '2024-12-31' } } },
  { kind: 'rfm', params: { bins: 4, scoring: 'ntile', asOf: '2025-02-01', filter: { attribute: 'country', values: ['US', 'DE'] } } },
  { kind: 'rfm', params: { scoring: 'thresholds', thresholds: { r: [30, 90, 180, 365], f: [2, 3, 5, 8], m: [50, 150, 400, 1000] }, asOf: '2025-01-15T12:30:00Z' } },
  {
    kind: 'rfm',
    params: {
      bins: 3,
      segments: [
        { name: 'Stars', r: [3, 3], f: [2, 3], m: [3, 3] },
        { name: 'Rising', r: [3, 3], f: [2, 3], m: [1, 2] },
        { name: 'New', r: [3, 3], f: [1, 1] },
        { name: 'Fading', r: [1, 2], f: [1, 3] },
      ],
    },
  },
  { kind: 'rfm-customers', params: {} },
  { kind: 'rfm-customers', params: { cell: { r: 5, f: 1 }, sort: { by: 'recency', direction: 'desc' }, offset: 10, limit: 25 } },
  { kind: 'rfm-customers', params: { segment: "Can't lose them", sort: { by: 'customer' }, limit: Number.POSITIVE_INFINITY, csv: true } },
  { kind: 'rfm-customers', params: { bins: 3, scoring: 'ntile', segment: 'Champions', sort: { by: 'customer', direction: 'desc' }, limit: 40, csv: true } },
  { kind: 'rfm-customers', params: { monetary: 'aov', sort: { by: 'm', direction: 'asc' }, offset: 5, limit: 30, range: { from: '2024-06-01', to: '2024-12-31' } } },
  { kind: 'roas', params: {} },
  { kind: 'roas', params: { byCampaign: true, period: 'month', model: 'position_based', window: '30d' } },
  { kind: 'roas', params: { model: 'linear', basis: 'click', window: '7d', period: 'day', range: { from: '2024-11-25', to: '2024-12-05' }, filter: { attribute: 'country', values: ['US'] } } },
];

for (const timezone of ['America/New_York', 'Europe/Berlin']) {
  describe(`SQL pack equals the engine (${timezone})`, () => {
    let connection: DuckDBConnection;
    let query: (request: QueryRequest) => unknown;

    before(async () => {
      const data = generateSample({ orders: 4000, seed: timezone.length });
      const zone = TimeZone.get(timezone);
      const dir = mkdtempSync(join(tmpdir(), 'crm-oracle-'));
      const { engine: csv, duck } = writeTables(data, zone, dir);
      const api = createEngineApi();
      const id = api.createDataset({ timezone });
      const load = api.beginLoad(id, 'replace');
      const encoder = new TextEncoder();
      for (const table of ['orders', 'touches', 'costs', 'customers'] as const) {
        const source = api.beginSource(load, { name: `${table}.csv`, table });
        api.pushChunk(source, encoder.encode(csv[table]));
        const [report] = api.endSource(source);
        assert.equal(report!.rowsRejected, 0, `${table}: ${JSON.stringify(report!.rejections.slice(0, 3))}`);
      }
      api.commitLoad(load);
      query = (request) => toPayload(api.query(id, request));
      connection = await openWarehouse(duck);
    });

    after(() => connection?.closeSync());

    for (const request of REQUESTS) {
      test(`${request.kind} ${JSON.stringify(request.params)}`, async () => {
        const engine = query(request);
        const sql = await runSql(connection, request, timezone);
        if (process.env.ORACLE_DEBUG) console.log(JSON.stringify(engine).slice(0, 300), '\n', JSON.stringify(sql).slice(0, 300));
        assert.equal(difference(engine, sql, request.kind), null);
      });
    }
  });
}
