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
import { loadSources } from '../support/harness.js';
import { openWarehouse, runSql } from './duckdb.js';
import { PACK_REQUESTS as REQUESTS } from './pack-requests.js';
import { channelTwins } from './twins.js';
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
    if (table === 'orders') {
      // margins unknown (no cost on the line) for May 2024, and for every 11th line elsewhere: periods
      // and cells whose credited purchases all lack a margin, and others that mix known and unknown
      rows.forEach((r, i) => {
        if (r[2]!.startsWith('2024-05') || i % 11 === 5) r[7] = '';
      });
    }
    if (table === 'touches') {
      // every 25th touch gets a twin sent at the same instant on another channel: credit ties
      // (every other one in the same campaign, so campaigns run on two channels), and every 4th twin
      // the other group, so some customers sit in both groups of a scope
      rows.push(...channelTwins(rows));
    }
    engine[table] = [columns.join(','), ...rows.map((r) => csvLine(forEngine(r)))].join('\n') + '\n';
    const path = join(dir, `${table}.csv`);
    writeFileSync(path, [columns.join(','), ...rows.map((r) => csvLine(forDuck(r)))].join('\n') + '\n');
    duck[table] = path;
  }
  return { engine, duck };
}


for (const timezone of ['America/New_York', 'Europe/Berlin']) {
  describe(`SQL pack equals the engine (${timezone})`, () => {
    let connection: DuckDBConnection;
    let query: (request: QueryRequest) => unknown;

    before(async () => {
      const data = generateSample({ orders: 4000, seed: timezone.length });
      const zone = TimeZone.get(timezone);
      const dir = mkdtempSync(join(tmpdir(), 'crm-oracle-'));
      const { engine: csv, duck } = writeTables(data, zone, dir);
      const tables = ['orders', 'touches', 'costs', 'customers'] as const;
      const { engine, dataset, sources } = loadSources(tables.map((table) => ({ table, body: csv[table] })), { timezone }, createEngineApi());
      sources.forEach((report, i) => assert.equal(report.rowsRejected, 0, `${tables[i]}: ${JSON.stringify(report.rejections.slice(0, 3))}`));
      query = (request) => toPayload(engine.query(dataset, request));
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

describe('SQL pack leaves out the touches the engine rejects', () => {
  // groups in every spelling the engine takes (any case, padded, empty, a null token) and one it
  // rejects ('vip'), and a touch without a channel: the pack must neither count those touches nor
  // drop the others
  const tables = {
    // (every column of the contract: DuckDB reads them by name and type)
    orders: ['order_id,customer_id,ordered_at,revenue,quantity,unit_price,margin,cost,discount', 'o1,a,2024-03-05T10:00:00Z,100,,,40,,', 'o2,b,2024-03-06T10:00:00Z,50,,,20,,', 'o3,c,2024-03-07T10:00:00Z,30,,,10,,', 'o4,d,2024-03-08T10:00:00Z,70,,,,,', 'o5,e,2024-03-09T10:00:00Z,20,,,5,,'],
    touches: [
      'customer_id,channel,campaign,sent_at,opened_at,clicked_at,group,cost',
      'a,email,x,2024-03-04T10:00:00Z,,,Treatment,0.5',
      'b,email,x,2024-03-05T10:00:00Z,,," holdout ",',
      'c,email,x,2024-03-06T10:00:00Z,,,CONTROL,',
      'd,sms,y,2024-03-07T10:00:00Z,,,,0.25',
      'e,sms,y,2024-03-08T10:00:00Z,,,NULL,0.25',
      'b,sms,y,2024-03-05T12:00:00Z,,,vip,9',
      'c,push,z,2024-03-06T12:00:00Z,,,n/a,',
      // a group padded with a tab (the engine trims it), and a touch without a channel (rejected)
      'e,push,z,2024-03-08T12:00:00Z,,,"holdout\t",',
      'd,,y,2024-03-07T12:00:00Z,,,,1',
    ],
    // push's costs cancel (binary residue in doubles: no cost, no ROAS); sms's net cost is negative;
    // in the week of 03-11 three channels' costs cancel in the blend
    costs: [
      'date,channel,campaign,amount,kind',
      '2024-03-01,email,x,10,Platform',
      '2024-03-02,push,z,0.1,',
      '2024-03-03,push,z,0.2,',
      '2024-03-04,push,z,-0.3,',
      '2024-03-05,sms,,-1,',
      '2024-03-11,email,x,0.1,',
      '2024-03-12,sms,,0.2,',
      '2024-03-13,push,z,-0.3,',
    ],
    customers: ['customer_id,country', 'a,DE', 'b,FR', 'c,DE', 'd,US', 'e,US'],
  };
  let connection: DuckDBConnection;
  let query: (request: QueryRequest) => unknown;

  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-oracle-groups-'));
    const paths = {} as Record<keyof typeof tables, string>;
    const names = Object.keys(tables) as (keyof typeof tables)[];
    const texts = names.map((table) => tables[table].join('\n') + '\n');
    names.forEach((table, i) => {
      paths[table] = join(dir, `${table}.csv`);
      writeFileSync(paths[table], texts[i]!);
    });
    const { engine, dataset, sources } = loadSources(names.map((table, i) => ({ table, body: texts[i]! })), { timezone: 'UTC' }, createEngineApi());
    // the engine rejects the 'vip' row and the one without a channel, and only those
    assert.deepEqual(sources.map((report) => report.rejections.map((r) => [r.line, r.reason])), names.map((table) => (table === 'touches' ? [[7, 'bad-group'], [10, 'missing']] : [])));
    query = (request) => toPayload(engine.query(dataset, request));
    connection = await openWarehouse(paths);
  });

  after(() => connection?.closeSync());

  for (const request of [
    { kind: 'kpis', params: {} },
    { kind: 'attribution', params: { model: 'linear', period: 'week' } },
    { kind: 'incrementality', params: { minHoldout: 0 } },
    { kind: 'roas', params: { period: 'month' } },
    { kind: 'roas', params: { period: 'week', byCampaign: true } },
  ] as QueryRequest[]) {
    test(`${request.kind} ${JSON.stringify(request.params)}`, async () => {
      assert.equal(difference(query(request), await runSql(connection, request, 'UTC'), request.kind), null);
    });
  }
});
