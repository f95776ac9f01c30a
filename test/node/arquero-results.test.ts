// Arquero's side of the benchmark (bench/lib/arquero-results.ts) must compute every result as our
// engine does, or its timings compare different work: both run here on the same CSV texts, with
// last-touch ties (a twin touch at the same instant on another channel) and customers in both groups
// of a scope (excluded from the lift), and every payload must agree by the benchmark's rule.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { toPayload } from '../../src/core/results.js';
import { generateSample, sampleCsv } from '../../src/core/sample.js';
import { createEngineApi } from '../../workers/engine.js';
import { arqueroEveryResult, type ArqueroEveryRun, type CsvTable } from '../../bench/lib/arquero-results.js';
import { payloadDifference } from '../../bench/lib/compare.js';
import { RESULTS } from '../../bench/lib/results.js';

const TABLES: CsvTable[] = ['orders', 'touches', 'costs', 'customers'];

/** The sample's touches with a twin for every 25th: same customer and instant, the other channel; every 4th twin in the other group. */
function withTwins(touches: string): string {
  const [header, ...lines] = touches.trimEnd().split('\n');
  const twins = lines
    .filter((_, i) => i % 25 === 0)
    .map((line, i) => {
      const f = line.split(',');
      const group = i % 4 === 0 ? (f[6] === 'holdout' ? 'treatment' : 'holdout') : f[6];
      return [f[0], f[1] === 'email' ? 'sms' : 'email', i % 2 === 1 ? f[2] : `tie_${f[2]}`, f[3], f[4], f[5], group, f[7]].join(',');
    });
  return [header, ...lines, ...twins].join('\n') + '\n';
}

function ours(csv: Record<CsvTable, string>): Record<string, unknown> {
  const api = createEngineApi();
  const id = api.createDataset({ timezone: 'UTC' });
  const load = api.beginLoad(id, 'replace');
  for (const table of TABLES) {
    const source = api.beginSource(load, { name: `${table}.csv`, table });
    api.pushChunk(source, new TextEncoder().encode(csv[table]));
    const [report] = api.endSource(source);
    assert.equal(report!.rowsRejected, 0, table);
  }
  api.commitLoad(load);
  return Object.fromEntries(Object.entries(RESULTS).map(([name, request]) => [name, toPayload(api.query(id, request))]));
}

describe('Arquero computes every benchmark result as the engine does', () => {
  let csv: Record<CsvTable, string>;
  let engine: Record<string, unknown>;
  let arquero: ArqueroEveryRun;

  before(() => {
    const data = generateSample({ orders: 10_000, seed: 7 });
    csv = Object.fromEntries(TABLES.map((t) => [t, [...sampleCsv(data, t)].join('')])) as Record<CsvTable, string>;
    csv.touches = withTwins(csv.touches);
    engine = ours(csv);
    arquero = arqueroEveryResult((table) => csv[table]);
  });

  for (const name of Object.keys(RESULTS)) {
    test(name, () => {
      assert.equal(payloadDifference(engine[name], arquero.payloads[name], name, ['ours', 'Arquero']), null);
    });
  }

  test('the data holds what the results must get right: ties, excluded customers, adjustments, scopes short of holdout', () => {
    const lift = arquero.payloads['holdout lift per channel'] as { excluded: number[]; sufficient: number[] };
    assert.ok(lift.excluded.reduce((a, b) => a + b, 0) > 0, 'some customers are in both groups of a scope');
    assert.ok(lift.sufficient.includes(0) && lift.sufficient.includes(1), 'scopes with and without enough holdout');
    const kpis = arquero.payloads.kpis as { current: { netRevenue: number; purchaseRevenue: number } };
    assert.ok(kpis.current.purchaseRevenue > kpis.current.netRevenue, 'refunds lower net revenue');
    assert.deepEqual(Object.keys(arquero.resultMs), Object.keys(RESULTS));
  });

  test('a different input shows as a difference (the comparison can fail)', () => {
    // one order line fewer for Arquero: the KPIs and the monthly series must differ from ours
    const lines = csv.orders.split('\n');
    const fewer = arqueroEveryResult((table) => (table === 'orders' ? [...lines.slice(0, 100), ...lines.slice(101)].join('\n') : csv[table]));
    assert.match(payloadDifference(engine.kpis, fewer.payloads.kpis, 'kpis') ?? '', /netRevenue|purchases/);
  });
});
