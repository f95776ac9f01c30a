import { expect } from '@open-wc/testing';
import { detectJsonShape, JsonRecordReader, JsonStreamReader, NdjsonStreamReader, type JsonTarget } from '../../../workers/ingest/json.js';
import { loadOne, loadSources, split, thrown } from '../../support/harness.js';
import { RecordingSink } from '../../support/record-sink.js';

const encoder = new TextEncoder();

function readArray(text: string, sizes?: number[]): RecordingSink {
  const sink = new RecordingSink();
  const target: JsonTarget = {
    reader: () => new JsonRecordReader(sink),
    malformed: (_t, line, raw) => sink.malformed(line, 'bad-record', raw),
    ignoredKey: () => undefined,
  };
  const reader = new JsonStreamReader('array', target);
  for (const chunk of split(encoder.encode(text), sizes)) reader.push(chunk);
  reader.end();
  return sink;
}

describe('JSON reader', () => {
  it('reads an array of objects with strings, escapes, numbers, literals and nulls', () => {
    const sink = readArray('[{"a":"x","b":1.5,"c":null},\n {"b":-2e3,"a":"q\\"uo\\u00e9\\ud83d\\ude00","d":true}]');
    expect(sink.columns).to.deep.equal(['a', 'b', 'c', 'd']);
    expect(sink.rows).to.deep.equal([
      ['x', { number: '1.5' }, null],
      ['q"uoé😀', { number: '-2e3' }, null, 'true'],
    ]);
    expect(sink.records.map((r) => r.line)).to.deep.equal([1, 2]);
  });

  it('marks nested values and reports elements that are not objects', () => {
    const sink = readArray('[{"a":{"x":[1,2]}}, 5, "s", {"a":[]}]');
    expect(sink.rows).to.deep.equal([[{ nested: '{"x":[1,2]}' }], [{ nested: '[]' }]]);
    expect(sink.malformedRows.map((m) => m.raw)).to.deep.equal(['5', '"s"']);
  });

  it('gives the same records for any chunking', () => {
    const text = '[{"id":"a,b","v":"\\\\","n":10},{"id":"}]{[","v":"\\"","n":-0.5},{"id":"é€😀","v":"","n":1e2}]';
    const whole = readArray(text).records;
    for (const size of [1, 2, 3, 5, 7, 11]) expect(readArray(text, [size]).records, `chunk ${size}`).to.deep.equal(whole);
  });

  it('fails a broken array with the line', () => {
    const error = thrown(() => readArray('[{"a":1},\n{"a":2}\n{"a":3}]'));
    expect(error.code).to.equal('invalid-json');
    // the missing comma shows where the next record starts
    expect(error.message).to.contain('line 3');
    expect(thrown(() => readArray('[{"a":1}')).message).to.contain('not closed');
  });

  it('detects the shape of a source from its first bytes', () => {
    const shape = (t: string): string | null => detectJsonShape(encoder.encode(t));
    expect(shape('  [{"a":1}]')).to.equal('array');
    expect(shape('{"orders": [')).to.equal('document');
    expect(shape('{"customers":{')).to.equal('document');
    expect(shape('{"customer_id":"c1"}\n{"customer_id":"c2"}')).to.equal('ndjson');
    expect(shape('{"meta":{"v":1},"orders":[{"a":1}]}')).to.equal('document');
    expect(shape('{"meta":{"v":1},"note":"x"}\n')).to.equal('ndjson');
    expect(shape('{"meta":"' + 'x'.repeat(100))).to.equal('document');
    expect(shape('customer_id,revenue')).to.equal(null);
  });

  it('reads NDJSON and rejects a bad line without stopping', () => {
    const sink = new RecordingSink();
    const reader = new NdjsonStreamReader(new JsonRecordReader(sink), (line, raw) => sink.malformed(line, 'bad-record', raw), (line) => sink.blank(line));
    const text = '{"a":1}\r\n\n{"a":2,}\n[1]\n{"a":"x"}';
    for (const chunk of split(encoder.encode(text), [3])) reader.push(chunk);
    reader.end();
    expect(sink.rows).to.deep.equal([[{ number: '1' }], ['x']]);
    expect(sink.malformedRows.map((m) => [m.line, m.raw])).to.deep.equal([
      [3, '{"a":2,}'],
      [4, '[1]'],
    ]);
    expect(sink.blanks).to.deep.equal([2]);
  });
});

describe('JSON sources through the engine', () => {
  it('loads one document with all four tables and reports ignored keys', () => {
    const doc = JSON.stringify({
      meta: { exported: '2024-02-01' },
      orders: [{ customer_id: 'c1', ordered_at: '2024-01-05T10:00:00Z', revenue: 10 }],
      touches: [{ customer_id: 'c1', channel: 'Email', sent_at: '2024-01-04T10:00:00Z', group: 'treatment' }],
      costs: [{ date: '2024-01-04', channel: 'email', amount: 3.5 }],
      customers: [{ customer_id: 'c1', country: 'DE' }],
    });
    const r = loadOne({ name: 'export.json', body: doc, chunks: [17] });
    expect(r.sources.map((s) => s.table)).to.have.members(['orders', 'touches', 'costs', 'customers']);
    expect(r.columns.orders.count).to.equal(1);
    expect(r.columns.touches.count).to.equal(1);
    expect(r.columns.costs.amount[0]).to.equal(3.5);
    expect(r.columns.attributes[0]!.name).to.equal('country');
    expect(r.sources[0]!.warnings.join(' ')).to.contain('"meta" is not a table');
  });

  it('learns a key that first appears in a later record', () => {
    const body = JSON.stringify([
      { customer_id: 'c1', channel: 'sms', sent_at: '2024-01-04T10:00:00Z' },
      { customer_id: 'c2', channel: 'sms', sent_at: '2024-01-04T10:00:00Z', opened_at: '2024-01-04T11:00:00Z' },
    ]);
    const r = loadOne({ table: 'touches', name: 't.json', body });
    const opened = Array.from(r.columns.touches.openedAt);
    expect(opened.filter((v) => !Number.isNaN(v))).to.deep.equal([Date.parse('2024-01-04T11:00:00Z')]);
    expect(r.sources[0]!.mapping.map((m) => m.field)).to.include('opened_at');
  });

  it('rejects records whose value is an object, and NDJSON lines that are not JSON', () => {
    const r = loadOne({
      table: 'orders',
      name: 'o.ndjson',
      body: '{"customer_id":"c1","ordered_at":"2024-01-05","revenue":5}\n{"customer_id":{"id":1},"ordered_at":"2024-01-05","revenue":5}\nnot json\n',
    });
    expect(r.report.tables.orders!.rowsAccepted).to.equal(1);
    expect(r.report.tables.orders!.rejections.map((x) => [x.line, x.reason])).to.deep.equal([
      [2, 'not-scalar'],
      [3, 'bad-record'],
    ]);
  });

  it('names an HTML page served where JSON was expected', () => {
    const error = thrown(() => loadOne({ table: 'orders', name: 'api/orders.json', body: '<!DOCTYPE html><html><body>Login</body></html>' }));
    expect(error.code).to.equal('not-data');
    expect(String(error.hint)).to.contain('login');
  });

  it('fails a JSON source without required keys with the missing-column message', () => {
    const error = thrown(() => loadSources([{ table: 'orders', name: 'o.json', body: '[{"who":"c1","when":"2024-01-01","amount":5}]' }]));
    expect(error.code).to.equal('missing-column');
    expect(error.message).to.contain('no column for customer_id');
  });
});
