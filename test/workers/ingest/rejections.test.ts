import { expect } from '@open-wc/testing';
import type { Rejection } from '../../../src/core/report.js';
import { loadOne, thrown } from '../../support/harness.js';

const HEADER = 'order_id,customer_id,ordered_at,revenue,margin,currency\n';

function rejectionsOf(body: string, options = {}): Rejection[] {
  return loadOne({ table: 'orders', name: 'o.csv', body: HEADER + body }, options).report.tables.orders!.rejections;
}

describe('row rejections: every reason, with line, column and raw value', () => {
  it('missing required value (empty, null tokens)', () => {
    const r = rejectionsOf('A,,2024-01-05,5,,\nB,c1,,5,,\nC,c1,2024-01-05,NULL,,\nD,\\N,2024-01-05,5,,\n');
    expect(r.map((x) => [x.line, x.column, x.reason])).to.deep.equal([
      [2, 'customer_id', 'missing'],
      [3, 'ordered_at', 'missing'],
      [4, 'revenue', 'missing'],
      [5, 'customer_id', 'missing'],
    ]);
    expect(r[0]!.message).to.equal('customer_id is empty; a value is required');
  });

  it('bad number and bad optional number', () => {
    const r = rejectionsOf('A,c1,2024-01-05,12abc,,\nB,c1,2024-01-05,5,n/a?,\nC,c1,2024-01-05,NaN,,\n');
    expect(r.map((x) => [x.line, x.column, x.value, x.reason])).to.deep.equal([
      [2, 'revenue', '12abc', 'bad-number'],
      [3, 'margin', 'n/a?', 'bad-number'],
      [4, 'revenue', 'NaN', 'bad-number'],
    ]);
  });

  it('decimal separator mismatch, with the fix in the message', () => {
    const r = rejectionsOf('A,c1,2024-01-05,"12,50",,\n');
    expect(r[0]!.reason).to.equal('decimal-separator');
    expect(r[0]!.value).to.equal('12,50');
    expect(r[0]!.message).to.contain("set decimal: ','");
  });

  it('fails the load when a money column holds both "1,234" and "12,50" (a decimal comma read as grouping)', () => {
    const error = thrown(() => loadOne({ table: 'orders', body: HEADER + 'A,c1,2024-01-05,"1,234",,\nB,c1,2024-01-05,"12,50",,\n' }));
    expect(error.code).to.equal('bad-option');
    expect(error.message).to.contain('"12,50" and "1,234"');
    expect(String(error.hint)).to.equal("Set decimal: ',' for this dataset.");
  });

  it('bad timestamp and two-digit year, with the detail', () => {
    const r = rejectionsOf('A,c1,soon,5,,\nB,c1,45352,5,,\nC,c1,2024-02-30,5,,\n', {});
    expect(r.map((x) => [x.line, x.reason])).to.deep.equal([
      [2, 'bad-timestamp'],
      [3, 'bad-timestamp'],
      [4, 'bad-timestamp'],
    ]);
    expect(r[1]!.message).to.contain('Excel serial date');
    expect(r[2]!.message).to.contain('no such date');
    const two = loadOne({ table: 'orders', body: HEADER + 'A,c1,05/01/24,5,,\n' }, { dateFormat: 'DD/MM/YYYY' });
    expect(two.report.tables.orders!.rejections[0]!.reason).to.equal('two-digit-year');
  });

  it('field count, unterminated quote and text after a quote', () => {
    const r = rejectionsOf('A,c1,2024-01-05,5\nB,c1,2024-01-05,5,,,,extra\n"C"x,c1,2024-01-05,5,,\nD,c1,2024-01-05,5,,\nE,"c1,2024-01-05,5,,\nF,c1,2024-01-05,7,,\n');
    expect(r.map((x) => [x.line, x.reason])).to.deep.equal([
      [2, 'field-count'],
      [3, 'field-count'],
      [4, 'after-quote'],
      [6, 'unterminated-quote'],
    ]);
    expect(r[0]!.message).to.equal('line has 4 fields; the header has 6');
  });

  it('a field shaped like an ISO timestamp that holds a delimiter ends at the delimiter', () => {
    // the tokenizer takes the end of a `YYYY-MM-DDTHH:MM:SSZ` field from its shape; a delimiter inside
    // must still split it, as the general path does
    const r = rejectionsOf('A,c1,2024-01-05T16:3,:00Z,5,,\nB,c1,2024-01-05T16:39:00Z,5,,\nC,c1,2024-01-05T16:39:0|Z,5,,\n');
    // (line 4: `|` is not this file's delimiter, so the field is read whole, and is no timestamp)
    expect(r.map((x) => [x.line, x.column, x.value, x.reason])).to.deep.equal([
      [2, 'ordered_at', '2024-01-05T16:3', 'bad-timestamp'],
      [4, 'ordered_at', '2024-01-05T16:39:0|Z', 'bad-timestamp'],
    ]);
    // a timestamp last on its line (LF, CRLF, the end of the input), and with `;` or `|` as delimiter
    for (const [delimiter, end] of [[',', '\n'], [',', '\r\n'], [';', '\r\n'], ['|', '\n'], [',', '']] as const) {
      const body = ['order_id,customer_id,revenue,ordered_at', 'A,c1,5,2024-01-05T16:39:00Z', 'B,c2,7,2024-01-06T00:00:01Z'].join(end === '' ? '\n' : end).replaceAll(',', delimiter) + end;
      const { columns, report } = loadOne({ table: 'orders', name: 'o.csv', body });
      expect(report.tables.orders!.rowsRejected, JSON.stringify(end)).to.equal(0);
      expect(Array.from(columns.orders.time)).to.deep.equal([Date.UTC(2024, 0, 5, 16, 39), Date.UTC(2024, 0, 6, 0, 0, 1)]);
    }
  });

  it('a quote anywhere on a line sends it to the general path, where quoted fields keep their delimiters', () => {
    // without a currency column, orders take the fast path; line 3 splits into four fields when its
    // quotes are ignored, but is three (a field-count rejection) when they are not
    const body = 'order_id,customer_id,ordered_at,revenue\nA,c1,2024-01-05T16:39:00Z,5\n"B,c2",2024-01-05T16:39:00Z,6\nC,"c3",2024-01-05T16:39:00Z,7\nD,c4,2024-01-05T16:39:00Z,8"\n';
    const { columns, report } = loadOne({ table: 'orders', name: 'o.csv', body });
    expect(report.tables.orders!.rejections.map((x) => [x.line, x.reason])).to.deep.equal([
      [3, 'field-count'],
      [5, 'bad-number'],
    ]);
    // a quoted field reads as its text; a quote inside an unquoted field is kept as text (`8"` is no number)
    expect(columns.dictionaries.customers).to.deep.equal(['c1', 'c3']);
    expect(Array.from(columns.orders.revenue)).to.deep.equal([5, 7]);
    expect(report.tables.orders!.rowsRejected).to.equal(2);
  });

  it('accepts a trailing delimiter (an empty extra field) on every line', () => {
    const result = loadOne({ table: 'orders', body: 'customer_id,ordered_at,revenue,\nc1,2024-01-05,5,\nc2,2024-01-05,6,\n' });
    expect(result.report.tables.orders!.rowsAccepted).to.equal(2);
    expect(result.sources[0]!.columns).to.deep.equal(['customer_id', 'ordered_at', 'revenue']);
  });

  it('bad touch group', () => {
    const result = loadOne({ table: 'touches', body: 'customer_id,channel,sent_at,group\nc1,email,2024-01-05,Control\nc2,email,2024-01-05,maybe\nc3,email,2024-01-05,\n' });
    expect(Array.from(result.columns.touches.group)).to.deep.equal([1, 0]);
    const r = result.report.tables.touches!.rejections;
    expect(r.map((x) => [x.line, x.column, x.value, x.reason])).to.deep.equal([[3, 'group', 'maybe', 'bad-group']]);
  });

  it('touch groups in any letter case; near misses are rejected', () => {
    const groups = ['TREATMENT', 'Holdout', 'cOnTrOl', 'treatment', 'treatments', 'treatmen', 'holdou', 'control1', 'contro[', 'treatmeNt '];
    const body = groups.map((g, i) => `c${i},email,2024-01-0${1 + (i % 9)},${g}`).join('\n');
    const result = loadOne({ table: 'touches', body: `customer_id,channel,sent_at,group\n${body}\n` });
    // rows sort by customer id (c0 < c1 < … < c9), so the accepted rows keep the order above
    expect(Array.from(result.columns.touches.group)).to.deep.equal([0, 1, 1, 0, 0]);
    const r = result.report.tables.touches!.rejections;
    expect(r.map((x) => [x.line, x.value, x.reason])).to.deep.equal([
      [6, 'treatments', 'bad-group'],
      [7, 'treatmen', 'bad-group'],
      [8, 'holdou', 'bad-group'],
      [9, 'control1', 'bad-group'],
      [10, 'contro[', 'bad-group'],
    ]);
  });

  it('currencies: one is fine, several need rates, unknown ones are rejected with rates', () => {
    expect(loadOne({ table: 'orders', body: HEADER + 'A,c1,2024-01-05,5,,eur\n' }).report.currency).to.equal('EUR');
    const mixed = thrown(() => loadOne({ table: 'orders', body: HEADER + 'A,c1,2024-01-05,5,,EUR\nB,c1,2024-01-05,5,,USD\n' }));
    expect(mixed.code).to.equal('mixed-currencies');
    expect(mixed.message).to.contain('EUR, USD');
    const other = thrown(() => loadOne({ table: 'orders', body: HEADER + 'A,c1,2024-01-05,5,,EUR\n' }, { currency: 'USD' }));
    expect(other.code).to.equal('mixed-currencies');
    const converted = loadOne({ table: 'orders', body: HEADER + 'A,c1,2024-01-05,10,4,EUR\nB,c1,2024-01-06,5,,USD\nC,c1,2024-01-07,5,,JPY\n' }, { currency: 'USD', rates: { EUR: 1.1 } });
    expect(Array.from(converted.columns.orders.revenue)).to.deep.equal([10 * 1.1, 5]);
    expect(converted.columns.orders.margin[0]).to.equal(4 * 1.1);
    const rejection = converted.report.tables.orders!.rejections[0]!;
    expect([rejection.line, rejection.reason, rejection.value]).to.deep.equal([4, 'unknown-currency', 'JPY']);
  });

  it('order whose lines name different customers: all its lines, every line listed', () => {
    const result = loadOne({ table: 'orders', body: HEADER + 'A,c1,2024-01-05,5,,\nA,c2,2024-01-05,6,,\nB,c1,2024-01-06,7,,\n' });
    const t = result.report.tables.orders!;
    expect(t.rowsAccepted).to.equal(1);
    expect(t.rowsRejected).to.equal(2);
    expect(t.rejections.map((x) => [x.line, x.reason, x.value])).to.deep.equal([
      [2, 'order-customer-conflict', 'A'],
      [3, 'order-customer-conflict', 'A'],
    ]);
    expect(t.rejections[0]!.message).to.contain('customers c1, c2');
    expect(t.orders!.conflictingOrders).to.equal(1);
  });

  it('duplicate customer with different attributes', () => {
    const result = loadOne({ table: 'customers', body: 'customer_id,country\nc1,DE\nc1,DE\nc2,US\nc2,FR\nc3,\nc3,GB\n' });
    const t = result.report.tables.customers!;
    expect(t.rejections.map((x) => [x.line, x.reason])).to.deep.equal([
      [4, 'duplicate-customer'],
      [5, 'duplicate-customer'],
    ]);
    expect(t.customers!.duplicateRows).to.equal(2);
    const country = result.columns.attributes[0]!;
    const byCustomer = result.columns.dictionaries.customers.map((c, i) => [c, country.codes[i]! < 0 ? null : country.values[country.codes[i]!]]);
    expect(byCustomer).to.deep.equal([
      ['c1', 'DE'],
      ['c2', null],
      ['c3', 'GB'],
    ]);
  });

  it('not-scalar and bad-record (JSON)', () => {
    const result = loadOne({ table: 'orders', name: 'o.ndjson', body: '{"customer_id":["c1"],"ordered_at":"2024-01-05","revenue":1}\n{"customer_id":"c1",}\n' });
    expect(result.report.tables.orders!.rejections.map((x) => [x.line, x.reason])).to.deep.equal([
      [1, 'not-scalar'],
      [2, 'bad-record'],
    ]);
  });

  it('lists only the first 20 rejections but counts all of them, by reason', () => {
    const body = Array.from({ length: 45 }, (_, i) => `X${i},c1,never,5,,`).join('\n') + '\nY,c1,2024-01-05,oops,,\n';
    const t = loadOne({ table: 'orders', body: HEADER + body }).report.tables.orders!;
    expect(t.rowsRejected).to.equal(46);
    expect(t.rejections.length).to.equal(20);
    expect(t.rejectedByReason).to.deep.equal({ 'bad-timestamp': 45, 'bad-number': 1 });
    expect(t.rowsRead).to.equal(46);
    expect(t.warnings.join(' ')).to.contain('every row was rejected, most often for bad-timestamp');
  });

  it('renders a raw value exactly as in the file, decoded, truncated to 200 characters', () => {
    const long = 'é'.repeat(300);
    const r = rejectionsOf(`A,c1,${long},5,,\n`);
    expect(r[0]!.value).to.equal('é'.repeat(100));
  });
});
