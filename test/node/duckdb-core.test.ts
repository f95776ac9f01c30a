// The SQL pack in its core dialect (bench/lib/duckdb-core.ts), which DuckDB-Wasm runs in the benchmark
// where its json and icu extensions cannot be downloaded, must give what the pack as written gives:
// both run here in native DuckDB (which has both extensions) on the same tables, in UTC.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { SQL_FILES } from '../../src/core/sql-params.js';
import { arrowToPlain, corePack, coreQuery, rewrite } from '../../bench/lib/duckdb-core.js';
import { payloadDifference } from '../../bench/lib/compare.js';
import { csvFiles, DATA_DIR } from '../../bench/lib/data.js';
import { duckLoadStatements, duckPayload, duckQuery, RESULTS } from '../../bench/lib/results.js';
import { PACK_REQUESTS } from './pack-requests.js';

const PACK: Record<string, string> = Object.fromEntries(
  ['setup.sql', ...Object.values(SQL_FILES)].map((file) => [file, readFileSync(new URL(`../../sql/${file}`, import.meta.url), 'utf8')]),
);

describe('core dialect: the rewrite', () => {
  test('json_object becomes a struct, nested and with its keys kept', () => {
    const sql = `SELECT json_object('a', 1, 'b', json_object('c', x, 'd', list(y ORDER BY z)), 'e', 'json_object(''no'', 1)')`;
    assert.equal(rewrite(sql, {}), `SELECT {'a': 1, 'b': {'c': x, 'd': list(y ORDER BY z)}, 'e': 'json_object(''no'', 1)'}`);
  });

  test('text in strings, quoted names and comments is left alone', () => {
    const sql = `-- json_object('x', 1)\nSELECT "timezone"(1), 'timezone(a, b)' /* from_json(a, 'b') */`;
    assert.equal(rewrite(sql, {}), sql);
  });

  test('timezone becomes the cast that means the same in UTC', () => {
    assert.equal(rewrite('timezone(tz, ordered_at)', {}), 'CAST(ordered_at AS TIMESTAMP)');
    assert.equal(rewrite('timezone(tz, CAST(d AS TIMESTAMP))', {}), 'CAST(CAST(d AS TIMESTAMP) AS TIMESTAMPTZ)');
    assert.equal(rewrite('epoch_ms(timezone($tz, timezone($tz, t)))', {}), 'epoch_ms(CAST(CAST(t AS TIMESTAMP) AS TIMESTAMPTZ))');
  });

  test('from_json records the shape of its parameter and json_extract reads a window', () => {
    const shapes: Record<string, string> = {};
    assert.equal(rewrite(`SELECT from_json(cuts_json, '{"r":["DOUBLE"]}') AS t`, shapes), 'SELECT cuts_json AS t');
    assert.deepEqual(shapes, { cuts_json: '{"r":["DOUBLE"]}' });
    assert.equal(rewrite(`json_extract(w, '$."' || channel || '"')`, {}), 'list_filter(w, e -> e.k = channel)[1].v');
  });

  test('forms the dialect cannot read are refused, not passed through', () => {
    assert.throws(() => rewrite(`json_object(k, 1)`, {}), /not a literal/);
    assert.throws(() => rewrite(`json_object('k')`, {}), /1 arguments/);
    assert.throws(() => rewrite(`json_extract(w, '$.a')`, {}), /not of the form/);
  });

  test('a time zone other than UTC is refused', () => {
    assert.throws(() => coreQuery({ kind: 'kpis', params: {} }, corePack(PACK), 'Europe/Berlin'), /not UTC/);
  });

  test('Arrow values read as the json extension writes them', () => {
    const words = new Uint32Array([5, 0, 0, 0]);
    const negative = new Uint32Array([0xfffffffe, 0xffffffff, 0xffffffff, 0xffffffff]);
    assert.deepEqual(arrowToPlain({ a: 3n, b: Number.NaN, c: [1, Number.POSITIVE_INFINITY], d: { e: 'x', f: null, g: true }, h: words, i: negative }), {
      a: 3,
      b: null,
      c: [1, null],
      d: { e: 'x', f: null, g: true },
      h: 5,
      i: -2,
    });
    assert.deepEqual(arrowToPlain(new Float64Array([0.5, 2])), [0.5, 2]);
  });
});

describe('core dialect: the same results as the pack as written (native DuckDB, UTC)', () => {
  let json: DuckDBConnection;
  let coreConnection: DuckDBConnection;
  const core = corePack(PACK);

  before(async () => {
    const files = await csvFiles('small', ['orders', 'touches', 'costs', 'customers']);
    const open = async (setupSql: string): Promise<DuckDBConnection> => {
      const connection = await (await DuckDBInstance.create(':memory:')).connect();
      await connection.run(`SET TimeZone = 'UTC'`);
      for (const statement of duckLoadStatements((table) => `${DATA_DIR}/${files[table]}`, setupSql)) await connection.run(statement);
      return connection;
    };
    json = await open(PACK['setup.sql']!);
    coreConnection = await open(core.files['setup.sql']!);
  });

  after(() => {
    json?.closeSync();
    coreConnection?.closeSync();
  });

  for (const request of [...PACK_REQUESTS, ...Object.values(RESULTS)]) {
    test(`${request.kind} ${JSON.stringify(request.params)}`, async () => {
      const expected = duckPayload((await json.runAndReadAll(duckQuery(request, PACK))).getRowsJS()[0]![0]);
      const actual = arrowToPlain((await coreConnection.runAndReadAll(coreQuery(request, core, 'UTC'))).getRowsJS()[0]![0]);
      assert.equal(payloadDifference(expected, actual, '', ['pack', 'core dialect']), null);
      assert.ok(typeof actual === 'object' && actual !== null && Object.keys(actual).length > 3, 'a result with its fields');
    });
  }
});
