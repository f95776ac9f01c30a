import { expect } from '@open-wc/testing';
import { canonical, loadOne, loadSources, orderRows } from '../../support/harness.js';

describe('order normalisation (metrics.md section 2)', () => {
  const body = [
    'order_id,customer_id,ordered_at,quantity,unit_price,cost,discount',
    'A,c1,2024-01-05T10:05:00Z,2,10.00,8,1',
    'A,c1,2024-01-05T10:00:00Z,1,5.50,2,0',
    'B,c2,2024-01-06T09:00:00Z,1,20,,',
    'R1,c1,2024-01-20T09:00:00Z,-1,5.50,-2,',
    'C,c1,2024-02-01T09:00:00Z,1,0,,',
    'A,c1,2024-01-05T11:00:00Z,-1,10.00,-4,',
  ].join('\n');

  it('merges line items by order id: sums amounts, keeps the earliest time, counts lines', () => {
    const rows = orderRows(loadOne({ table: 'orders', body }).columns);
    const a = rows.find((r) => r.id === 'A')!;
    expect(a.revenue).to.equal(20 + 5.5 - 10);
    expect(a.margin).to.equal(20 - 8 + (5.5 - 2) + (-10 + 4));
    expect(a.time).to.equal('2024-01-05T10:00:00.000Z');
    expect(a.lines).to.equal(3);
  });

  it('tells purchases (net revenue > 0) from adjustments (≤ 0)', () => {
    const rows = orderRows(loadOne({ table: 'orders', body }).columns);
    expect(rows.map((r) => [r.id, r.revenue, r.purchase])).to.deep.equal([
      ['A', 15.5, true],
      ['R1', -5.5, false],
      ['C', 0, false],
      ['B', 20, true],
    ]);
  });

  it('keeps margin unknown (NaN) for an order with a line of unknown margin', () => {
    const rows = orderRows(loadOne({ table: 'orders', body }).columns);
    expect(Number.isNaN(rows.find((r) => r.id === 'B')!.margin)).to.equal(true);
  });

  it('makes every row an order when there is no order id', () => {
    const r = loadOne({ table: 'orders', body: 'customer_id,ordered_at,revenue\nc1,2024-01-05,5\nc1,2024-01-05,5\n' });
    expect(r.columns.orders.count).to.equal(2);
    expect(Array.from(r.columns.orders.orderId)).to.deep.equal([-1, -1]);
    expect(r.report.tables.orders!.orders!.lineItemRows).to.equal(0);
  });

  it('merges an order whose lines come from two files', () => {
    const r = loadSources([
      { table: 'orders', name: 'jan.csv', body: 'order_id,customer_id,ordered_at,revenue\nA,c1,2024-01-31T23:00:00Z,5\n' },
      { table: 'orders', name: 'feb.csv', body: 'order_id,customer_id,ordered_at,revenue\nA,c1,2024-02-01T01:00:00Z,7\n' },
    ]);
    expect(orderRows(r.columns)).to.deep.equal([{ customer: 'c1', time: '2024-01-31T23:00:00.000Z', revenue: 12, margin: NaN, lines: 2, id: 'A', purchase: true }]);
    expect(r.report.tables.orders!.sources.map((s) => s.name)).to.deep.equal(['jan.csv', 'feb.csv']);
  });
});

describe('indexes', () => {
  const orders = [
    'customer_id,ordered_at,revenue',
    'b,2024-03-01T00:00:00Z,10',
    'a,2024-02-01T00:00:00Z,-3',
    'a,2024-01-01T00:00:00Z,5',
    'b,2024-01-15T00:00:00Z,1',
    'a,2024-03-01T00:00:00Z,8',
  ].join('\n');
  const touches = 'customer_id,channel,sent_at\nc,sms,2024-01-02T00:00:00Z\na,email,2024-01-03T00:00:00Z\na,Push,2024-01-01T00:00:00Z\n';

  it('sorts orders by customer then time, with CSR offsets per customer', () => {
    const { columns } = loadSources([
      { table: 'orders', body: orders },
      { table: 'touches', body: touches },
    ]);
    expect(columns.dictionaries.customers).to.deep.equal(['a', 'b', 'c']);
    expect(orderRows(columns).map((r) => [r.customer, r.revenue])).to.deep.equal([
      ['a', 5],
      ['a', -3],
      ['a', 8],
      ['b', 1],
      ['b', 10],
    ]);
    expect(Array.from(columns.index.orderStart)).to.deep.equal([0, 3, 5, 5]);
    expect(Array.from(columns.index.touchStart)).to.deep.equal([0, 2, 2, 3]);
    expect(Array.from(columns.touches.channel).map((c) => columns.dictionaries.channels[c])).to.deep.equal(['push', 'email', 'sms']);
  });

  it('gives each customer the range of its orders when an order is rejected and some rows have no order id', () => {
    const { columns, report } = loadOne({
      table: 'orders',
      body: [
        'order_id,customer_id,ordered_at,revenue',
        'X,a,2024-01-01T00:00:00Z,5', // X names two customers: both lines rejected
        'X,b,2024-01-02T00:00:00Z,5',
        'Y,a,2024-01-03T00:00:00Z,7',
        ',b,2024-01-04T00:00:00Z,3', // no order id: each row is an order
        ',b,2024-01-05T00:00:00Z,-4',
      ].join('\n'),
    });
    expect(columns.dictionaries.customers).to.deep.equal(['a', 'b']);
    expect(orderRows(columns).map((r) => [r.customer, r.revenue])).to.deep.equal([
      ['a', 7],
      ['b', 3],
      ['b', -4],
    ]);
    expect(Array.from(columns.index.orderStart)).to.deep.equal([0, 1, 3]);
    expect(Array.from(columns.index.purchases)).to.deep.equal([1, 1]);
    expect(report.tables.orders!.orders).to.include({ orders: 3, purchases: 2, adjustments: 1, conflictingOrders: 1 });
    expect(report.tables.orders!.distinctCustomers).to.equal(2);
  });

  it('finds the first purchase in the whole dataset, skipping adjustments, and counts purchases', () => {
    const { columns } = loadOne({ table: 'orders', body: 'customer_id,ordered_at,revenue\na,2024-01-01T00:00:00Z,-2\na,2024-02-01T00:00:00Z,5\na,2024-03-01T00:00:00Z,6\n' });
    expect(columns.index.firstPurchase[0]).to.equal(1);
    expect(new Date(columns.index.firstPurchaseAt[0]!).toISOString()).to.equal('2024-02-01T00:00:00.000Z');
    expect(columns.index.purchases[0]).to.equal(2);
    expect(Array.from(columns.orders.prevPurchaseAt)).to.deep.equal([NaN, NaN, Date.parse('2024-02-01T00:00:00Z')]);
  });

  it('gives every order, touch and cost its day number in the reporting time zone', () => {
    const { columns } = loadSources(
      [
        { table: 'orders', body: 'customer_id,ordered_at,revenue\na,2024-01-01T23:30:00Z,5\n' },
        { table: 'costs', body: 'date,channel,amount\n2024-01-02,email,3\n' },
      ],
      { timezone: 'Europe/Berlin' },
    );
    // 23:30 UTC is 00:30 on Jan 2 in Berlin
    const jan2 = Date.UTC(2024, 0, 2) / 86_400_000;
    expect(columns.orders.day[0]).to.equal(jan2);
    expect(columns.costs.day[0]).to.equal(jan2);
    expect(new Date(columns.costs.date[0]!).toISOString()).to.equal('2024-01-01T23:00:00.000Z');
  });

  it('gives identical columns for the same rows in any order', () => {
    const lines = orders.split('\n');
    const shuffled = [lines[0]!, ...lines.slice(1).reverse()].join('\n');
    const a = canonical(loadOne({ table: 'orders', body: orders }).columns);
    const b = canonical(loadOne({ table: 'orders', body: shuffled }).columns);
    expect(b).to.deep.equal(a);
  });
});

describe('dataset report', () => {
  it('summarises each table and the dataset', () => {
    const r = loadSources([
      { table: 'orders', name: 'o.csv', body: 'order_id,customer_id,ordered_at,revenue,margin\nA,c1,2024-01-05T00:00:00Z,10,4\nA,c1,2024-01-05T00:00:00Z,5,1\nB,c2,2024-02-05T00:00:00Z,-5,\n' },
      { table: 'touches', name: 't.csv', body: 'customer_id,channel,campaign,sent_at,group\nc1,email,x,2024-01-04T00:00:00Z,treatment\nc1,email,x,2024-01-04T00:00:00Z,treatment\nc3,sms,,2024-01-03T00:00:00Z,holdout\n' },
      { table: 'costs', name: 'c.csv', body: 'date,channel,amount,kind\n2024-01-01,email,10,Platform\n2024-01-01,tv,99,\n' },
      { table: 'customers', name: 'cu.csv', body: 'customer_id,plan\nc1,pro\nc9,free\n' },
    ]);
    const { tables } = r.report;
    expect(tables.orders!.orders).to.deep.equal({
      orders: 2,
      purchases: 1,
      adjustments: 1,
      lineItemRows: 2,
      conflictingOrders: 0,
      rowsWithoutMargin: 1,
      customersWithPurchases: 1,
      customersWithoutTouches: 1,
      netRevenue: 10,
    });
    expect(tables.orders!.distinctCustomers).to.equal(2);
    expect(tables.orders!.dateRange).to.deep.equal({ min: Date.parse('2024-01-05T00:00:00Z'), max: Date.parse('2024-02-05T00:00:00Z') });
    expect(tables.touches!.touches).to.deep.equal({
      channels: [
        { channel: 'email', touches: 2 },
        { channel: 'sms', touches: 1 },
      ],
      campaigns: 1,
      treatment: 2,
      holdout: 1,
      duplicates: 1,
      customersWithoutOrders: 1,
    });
    // c1 and c3
    expect(tables.touches!.distinctCustomers).to.equal(2);
    expect(tables.touches!.dateRange).to.deep.equal({ min: Date.parse('2024-01-03T00:00:00Z'), max: Date.parse('2024-01-04T00:00:00Z') });
    expect(tables.touches!.warnings.join(' ')).to.contain('1 touches repeat another touch exactly');
    expect(tables.costs!.costs).to.deep.equal({ total: 109, channels: ['email', 'tv'], channelsWithoutTouches: ['tv'] });
    expect(r.columns.dictionaries.kinds).to.deep.equal(['platform']);
    expect(tables.customers!.customers).to.deep.equal({ attributes: ['plan'], duplicateRows: 0, withoutOrders: 1 });
    expect(r.report.customers).to.equal(4);
    expect(r.report.dateRange).to.deep.equal({ min: Date.parse('2024-01-03T00:00:00Z'), max: Date.parse('2024-02-05T00:00:00Z') });
    expect(r.report.warnings.join(' ')).to.contain('1 customers have touches but no orders');
  });

  it('reports an empty file as empty, not as an error', () => {
    const r = loadOne({ table: 'orders', body: '' });
    expect(r.columns.orders.count).to.equal(0);
    expect(r.report.tables.orders!.rowsRead).to.equal(0);
    expect(r.report.tables.orders!.sources[0]!.warnings).to.deep.equal(['the source is empty']);
    const header = loadOne({ table: 'orders', body: 'customer_id,ordered_at,revenue\n' });
    expect(header.report.tables.orders!.rowsRead).to.equal(0);
    expect(header.report.dateRange).to.equal(null);
  });
});
