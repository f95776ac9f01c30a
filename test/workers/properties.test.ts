import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { generateSample, sampleCsv, sampleJson, sampleNdjson, type SampleTable } from '../../src/sample.js';
import type { DatasetColumns } from '../../src/core/tables.js';
import { createEngineApi } from '../../workers/engine.js';
import { canonical, loadInto, loadSources, type HarnessSource } from '../support/harness.js';
import { toCsv, toJson, toNdjson, type Row } from '../support/writers.js';

const ORDER_COLUMNS = ['order_id', 'customer_id', 'ordered_at', 'revenue', 'margin'];
const TOUCH_COLUMNS = ['customer_id', 'channel', 'campaign', 'sent_at', 'opened_at', 'group'];

const text = fc.string({ unit: fc.constantFrom('a', 'b', 'Z', '1', ',', ';', '"', ' x', 'é', '€', '😀', '\n', "'"), minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== '' && !/^(null|NULL|Null|\\N|N\/A|n\/a|#N\/A)$/.test(s.trim()));
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2026, 0, 1) }).map((ms) => Math.floor(ms / 1000) * 1000);
const timestampText = fc.tuple(instant, fc.constantFrom('z', 'offset', 'naive', 'epoch')).map(([ms, style]) => {
  const iso = new Date(ms).toISOString().slice(0, 19);
  if (style === 'z') return iso + 'Z';
  if (style === 'offset') return new Date(ms + 2 * 3_600_000).toISOString().slice(0, 19) + '+02:00';
  if (style === 'naive') return iso.replace('T', ' ');
  return String(ms / 1000);
});
const money = fc.oneof(fc.integer({ min: -50_000, max: 500_000 }).map((c) => c / 100), fc.double({ min: -1e6, max: 1e6, noNaN: true }));

const orderRow: fc.Arbitrary<Row> = fc.record({
  order_id: fc.option(fc.constantFrom('A', 'B', 'C', 'D', 'E', 'F'), { nil: null }),
  customer_id: fc.constantFrom('c1', 'c2', 'c3', 'Ç4', 'c "5"', 'c,6'),
  ordered_at: timestampText,
  revenue: money,
  margin: fc.option(money, { nil: null }),
});
const touchRow: fc.Arbitrary<Row> = fc.record({
  customer_id: fc.constantFrom('c1', 'c2', 'c3', 'Ç4', 'c9'),
  channel: fc.constantFrom('email', 'SMS', ' Push ', 'in_app'),
  campaign: fc.option(text, { nil: null }),
  sent_at: timestampText,
  opened_at: fc.option(timestampText, { nil: null }),
  group: fc.constantFrom('treatment', 'holdout', 'Control', null),
});

/** Orders whose lines all name the same customer (so no order is rejected for a conflict). */
const consistentOrders = fc.array(orderRow, { maxLength: 30 }).map((rows) => {
  const owner = new Map<string, string>();
  return rows.map((r) => {
    if (r.order_id === null) return r;
    const c = owner.get(String(r.order_id)) ?? String(r.customer_id);
    owner.set(String(r.order_id), c);
    return { ...r, customer_id: c };
  });
});

type Format = 'csv' | 'json' | 'ndjson';

function source(table: 'orders' | 'touches', format: Format, columns: string[], rows: Row[], chunks?: number[], csvOptions = {}): HarnessSource {
  const body = format === 'csv' ? toCsv(columns, rows, csvOptions) : format === 'json' ? toJson(columns, rows) : toNdjson(columns, rows);
  const s: HarnessSource = { table, name: `${table}.${format}`, body };
  if (chunks !== undefined) s.chunks = chunks;
  return s;
}

function load(sources: HarnessSource[], timezone = 'Europe/Berlin'): unknown {
  return canonical(loadSources(sources, { timezone }).columns);
}

describe('ingest properties', () => {
  it('any chunking of the same bytes gives the same tables', () => {
    fc.assert(
      fc.property(
        consistentOrders,
        fc.array(touchRow, { maxLength: 30 }),
        fc.constantFrom<Format>('csv', 'json', 'ndjson'),
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 5 }),
        fc.record({ delimiter: fc.constantFrom(',', ';', '\t'), newline: fc.constantFrom('\n', '\r\n', '\r'), quoteAll: fc.boolean(), bom: fc.boolean() }),
        (orders, touches, format, chunks, csv) => {
          const whole = load([source('orders', format, ORDER_COLUMNS, orders, undefined, csv), source('touches', format, TOUCH_COLUMNS, touches, undefined, csv)]);
          const chunked = load([source('orders', format, ORDER_COLUMNS, orders, chunks, csv), source('touches', format, TOUCH_COLUMNS, touches, chunks, csv)]);
          expect(chunked).to.deep.equal(whole);
          expect((whole as DatasetColumns).touches.count).to.equal(touches.length);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('CSV, JSON and NDJSON of the same rows give the same tables', () => {
    fc.assert(
      fc.property(consistentOrders, fc.array(touchRow, { maxLength: 30 }), (orders, touches) => {
        const tables = (['csv', 'json', 'ndjson'] as const).map((format) =>
          load([source('orders', format, ORDER_COLUMNS, orders), source('touches', format, TOUCH_COLUMNS, touches)]),
        );
        expect(tables[1]).to.deep.equal(tables[0]);
        expect(tables[2]).to.deep.equal(tables[0]);
      }),
      { numRuns: 150 },
    );
  });

  it('numbers read by the CSV fast path equal the general path\'s (every field quoted)', () => {
    // the fast path takes unquoted lines and leaves any number it cannot read exactly (more than 15
    // digits, exponents, stray bytes) to the general path; quoted lines always take the general path
    const digits = (max: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: max });
    const numberText = fc.oneof(
      fc.tuple(fc.constantFrom('', '-', '+'), digits(18), fc.option(digits(18), { nil: null }), fc.constantFrom('', '', 'e3', 'E-2', 'x', '.', ' ')).map(
        ([sign, whole, fraction, tail]) => `${sign}${whole}${fraction === null ? '' : `.${fraction}`}${tail}`,
      ),
      fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
    );
    const row = fc.record({ order_id: fc.constantFrom('A', 'B', 'C'), customer_id: fc.constantFrom('c1', 'c2'), ordered_at: timestampText, revenue: numberText, margin: fc.option(numberText, { nil: null }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 20 }).map((rows) => rows.map((r) => ({ ...r, order_id: `${r.order_id}${r.customer_id}` }))), (orders) => {
        // the tables and the rejection counts, or the load's error (a file the load refuses as a whole)
        const outcome = (quoteAll: boolean): unknown => {
          try {
            const loaded = loadSources([source('orders', 'csv', ORDER_COLUMNS, orders, undefined, { quoteAll })], { timezone: 'UTC' });
            return { columns: canonical(loaded.columns), rejected: Object.values(loaded.report.tables).map((t) => [t.rowsRead, t.rowsRejected]) };
          } catch (error) {
            return { error: error instanceof Error ? error.message : String(error) };
          }
        };
        const plain = outcome(false);
        expect(plain).to.deep.equal(outcome(true));
      }),
      { numRuns: 300 },
    );
  });

  it('the order of rows does not change the tables', () => {
    fc.assert(
      fc.property(consistentOrders, fc.array(touchRow, { maxLength: 30 }), fc.integer(), (orders, touches, seed) => {
        const shuffle = <T>(xs: T[]): T[] => {
          const out = [...xs];
          let s = seed;
          for (let i = out.length - 1; i > 0; i--) {
            s = (Math.imul(s, 1103515245) + 12345) | 0;
            const j = Math.abs(s) % (i + 1);
            [out[i], out[j]] = [out[j]!, out[i]!];
          }
          return out;
        };
        const a = load([source('orders', 'csv', ORDER_COLUMNS, orders), source('touches', 'csv', TOUCH_COLUMNS, touches)]);
        const b = load([source('orders', 'csv', ORDER_COLUMNS, shuffle(orders)), source('touches', 'csv', TOUCH_COLUMNS, shuffle(touches))]);
        expect(b).to.deep.equal(a);
      }),
      { numRuns: 150 },
    );
  });

  it('a dataset built by several loads equals one load of the sources it ends with', () => {
    // The engine keeps its sources' rows for later loads, the touch rows only once (as the built
    // table); a rebuild from them must not differ from loading the final sources afresh, nor keep a
    // customer or channel that only a replaced source named.
    fc.assert(
      fc.property(consistentOrders, consistentOrders, fc.array(touchRow, { maxLength: 30 }), fc.array(touchRow, { maxLength: 30 }), (orders1, orders2, touches1, touches2) => {
        const o1 = source('orders', 'csv', ORDER_COLUMNS, orders1);
        const o2 = source('orders', 'csv', ORDER_COLUMNS, orders2);
        const t1 = source('touches', 'csv', TOUCH_COLUMNS, touches1);
        const t2 = { ...source('touches', 'csv', TOUCH_COLUMNS, touches2), name: 'more-touches.csv' };
        const engine = createEngineApi({ now: () => 0 });
        const dataset = engine.createDataset({ timezone: 'UTC' });
        loadInto(engine, dataset, 'replace', [o1, t1]);
        loadInto(engine, dataset, 'append', [t2]);
        const stepwise = loadInto(engine, dataset, 'replace', [o2]);
        const fresh = loadSources([t1, t2, o2], { timezone: 'UTC' });
        expect(canonical(stepwise.columns)).to.deep.equal(canonical(fresh.columns));
        // (each source's parse time aside, which is a measurement)
        const untimed = (tables: unknown): unknown => JSON.parse(JSON.stringify(tables, (key, value: unknown) => (key === 'parseMs' ? undefined : value)));
        expect(untimed(stepwise.report.tables)).to.deep.equal(untimed(fresh.report.tables));
        expect(stepwise.columns.touches.count).to.equal(touches1.length + touches2.length);
        // and once more after the touches are replaced: nothing of the first two touch sources is left
        const replaced = loadInto(engine, dataset, 'replace', [t1]);
        expect(canonical(replaced.columns)).to.deep.equal(canonical(loadSources([o2, t1], { timezone: 'UTC' }).columns));
      }),
      { numRuns: 100 },
    );
  });

  it('the generator\'s data gives the same tables as CSV, one JSON document and NDJSON, in any chunking', () => {
    const data = generateSample({ orders: 3000, seed: 7 });
    const tables: SampleTable[] = ['orders', 'touches', 'costs', 'customers'];
    const join = (parts: Iterable<string>): string => [...parts].join('');
    const csv = load(tables.map((t) => ({ table: t, name: `${t}.csv`, body: join(sampleCsv(data, t)), chunks: [65_536, 1_000_003] })), 'UTC');
    const doc = load([{ name: 'all.json', body: join(sampleJson(data, tables)), chunks: [7_777] }], 'UTC');
    const nd = load(tables.map((t) => ({ table: t, name: `${t}.ndjson`, body: join(sampleNdjson(data, t)), chunks: [4_099] })), 'UTC');
    expect(doc).to.deep.equal(csv);
    expect(nd).to.deep.equal(csv);
    const columns = csv as DatasetColumns;
    expect(columns.touches.count).to.equal(data.touches.count);
    expect(columns.costs.count).to.equal(data.costs.count);
    expect(columns.dictionaries.customers.length).to.equal(data.customers.count);
  });
});
