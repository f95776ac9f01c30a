import { expect } from '@open-wc/testing';
import { COLUMN_SYNONYMS, TABLE_NAMES, fieldNames } from '../../../src/core/schema.js';
import { detectTable, mapColumns } from '../../../workers/ingest/mapping.js';
import { loadOne, loadSources, thrown } from '../../support/harness.js';

describe('column mapping', () => {
  it('has synonyms for exactly the fields of each table, each list led by the field name and without repeats', () => {
    for (const table of TABLE_NAMES) {
      const names = fieldNames(table);
      expect(Object.keys(COLUMN_SYNONYMS[table]).sort(), table).to.deep.equal([...names].sort());
      for (const name of names) {
        const synonyms = COLUMN_SYNONYMS[table][name]!;
        expect(synonyms[0], `${table}.${name}`).to.equal(name);
        expect(new Set(synonyms).size, `${table}.${name}`).to.equal(synonyms.length);
      }
    }
  });

  it('recognises common synonyms, whatever the case and punctuation', () => {
    const { matches } = mapColumns('orders', ['Invoice', 'StockCode', 'Quantity', 'InvoiceDate', 'UnitPrice', 'Customer ID', 'Country'], {}, true, 'online_retail.csv');
    expect(Object.fromEntries(matches.map((m) => [m.field, m.column]))).to.deep.equal({
      customer_id: 'Customer ID',
      ordered_at: 'InvoiceDate',
      quantity: 'Quantity',
      unit_price: 'UnitPrice',
      order_id: 'Invoice',
    });
  });

  it('prefers the canonical name over a synonym, and uses each column once', () => {
    const { matches } = mapColumns('orders', ['total', 'revenue', 'user_id', 'created_at', 'date'], {}, true, 'x');
    const byField = Object.fromEntries(matches.map((m) => [m.field, m.column]));
    expect(byField.revenue).to.equal('revenue');
    expect(byField.ordered_at).to.equal('created_at');
    expect(byField.customer_id).to.equal('user_id');
  });

  it('uses an explicit mapping first, matching names loosely, and says so', () => {
    const r = loadOne(
      { table: 'orders', body: 'Kunde;Bestelldatum;Umsatz;amount\nk1;2024-01-05;12,50;99\n' },
      { decimal: ',', columns: { orders: { customer_id: 'kunde', ordered_at: 'Bestelldatum', revenue: 'Umsatz' } } },
    );
    expect(r.columns.orders.revenue[0]).to.equal(12.5);
    expect(r.sources[0]!.mapping).to.deep.include({ field: 'revenue', column: 'Umsatz', how: 'explicit' });
    expect(r.sources[0]!.ignoredColumns).to.deep.equal(['amount']);
    expect(r.sources[0]!.delimiter).to.equal(';');
  });

  it('fails with what it looked for, what the file has, and how to map it', () => {
    const error = thrown(() => loadOne({ table: 'orders', name: 'sales.csv', body: 'who,when,how_much\nc1,2024-01-05,5\n' }));
    expect(error.code).to.equal('missing-column');
    expect(error.message).to.contain('orders: no column for customer_id in sales.csv');
    expect(error.message).to.contain('looked for customer_id');
    expect(error.message).to.contain('"who", "when", "how_much"');
    expect(String(error.hint)).to.equal('Map it with columns: { orders: { customer_id: "<your column name>" } }.');
  });

  it('names a mapped column the file does not have', () => {
    const error = thrown(() => loadOne({ table: 'orders', body: 'customer_id,ordered_at,revenue\nc1,2024-01-05,5\n', columns: { revenue: 'Net' } }));
    expect(error.code).to.equal('unknown-column');
    expect(error.message).to.contain('"Net"');
  });

  it('computes revenue as quantity × unit price for line items', () => {
    const r = loadOne({ table: 'orders', body: 'order_id,customer_id,ordered_at,qty,price\nA,c1,2024-01-05,3,19.99\nA,c1,2024-01-05,1,0.01\n' });
    expect(r.columns.orders.revenue[0]).to.equal(3 * 19.99 + 0.01);
    const error = thrown(() => loadOne({ table: 'orders', body: 'customer_id,ordered_at,qty\nc1,2024-01-05,3\n' }));
    expect(error.message).to.contain('no quantity and unit_price columns');
  });

  it('detects the table of a file from its columns and its name', () => {
    expect(detectTable(['customer_id', 'ordered_at', 'revenue'], 'a.csv')).to.equal('orders');
    expect(detectTable(['email', 'channel', 'sent_at', 'campaign'], 'a.csv')).to.equal('touches');
    expect(detectTable(['date', 'channel', 'spend'], 'a.csv')).to.equal('costs');
    expect(detectTable(['customer_id', 'country', 'plan'], 'a.csv')).to.equal('customers');
    // a touches file with a per-message cost also qualifies as costs; touches wins on columns
    expect(detectTable(['customer_id', 'channel', 'date', 'cost'], 'a.csv')).to.equal('touches');
    // an orders file with a sales channel column is still orders
    expect(detectTable(['customer_id', 'channel', 'created_at', 'total'], 'a.csv')).to.equal('orders');
    // the name decides between tables that both fit
    expect(detectTable(['customer_id', 'date', 'amount', 'channel'], 'sms_sends.csv')).to.equal('touches');
    expect(detectTable(['foo', 'bar'], 'x.csv')).to.equal(null);
  });

  it('loads files of unknown table by detection, and names a file it cannot place', () => {
    const r = loadSources([
      { name: 'export1.csv', body: 'customer_id,ordered_at,revenue\nc1,2024-01-05,5\n' },
      { name: 'export2.csv', body: 'customer_id,channel,sent_at\nc1,email,2024-01-04T10:00:00Z\n' },
    ]);
    expect(r.sources.map((s) => s.table)).to.deep.equal(['orders', 'touches']);
    const error = thrown(() => loadOne({ name: 'mystery.csv', body: 'foo,bar\n1,2\n' }));
    expect(error.code).to.equal('unknown-table');
    expect(error.message).to.contain('mystery.csv');
  });
});
