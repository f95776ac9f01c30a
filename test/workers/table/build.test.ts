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

  it('takes lines that cancel for a net of zero, not binary residue: an adjustment, not a purchase', () => {
    // 1.10 + 2.20 - 3.30 is 4.4e-16 in doubles, in any order of the lines; a real net of one cent stays one
    const lines = ['order_id,customer_id,ordered_at,revenue', 'Z,x,2024-03-01T10:00:00Z,1.10', 'Z,x,2024-03-01T10:00:00Z,2.20', 'Z,x,2024-03-05T10:00:00Z,-3.30'];
    const cent = ['P,y,2024-03-02T10:00:00Z,100.01', 'P,y,2024-03-03T10:00:00Z,-100'];
    const rows = orderRows(loadOne({ table: 'orders', body: [...lines, ...cent].join('\n') }).columns);
    expect(rows.map((r) => [r.id, r.revenue, r.purchase])).to.deep.equal([
      ['Z', 0, false],
      ['P', 100.01 - 100, true],
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

  // An order of more than 32 lines is sorted by Array#sort, a shorter one by insertion: both must sum
  // in the canonical line order (time, revenue, margin, discount, customer). A line of 1e16 first in
  // the file makes the order visible: 1e16 + 1 rounds back to 1e16, so summing in file order loses
  // the small lines, while ascending order keeps them.
  for (const lines of [40, 12]) {
    it(`sums an order of ${lines} lines in the canonical line order, not the file's`, () => {
      const head = 'order_id,customer_id,ordered_at,revenue,cost';
      const big = `A,c1,2024-01-05T10:00:00Z,1e16,0`;
      const smalls = Array.from({ length: lines - 1 }, () => 'A,c1,2024-01-05T10:00:00Z,1,0');
      // the margin term: equal revenue, and costs that make the margins' order visible the same way
      const m = Array.from({ length: lines }, (_, k) => `M,c2,2024-01-06T10:00:00Z,5,${k === 0 ? -1e16 : 4}`);
      const rows = orderRows(loadOne({ table: 'orders', body: [head, big, ...smalls, ...m].join('\n') }).columns);
      let ascending = 0;
      for (let k = 0; k < lines - 1; k++) ascending += 1;
      ascending += 1e16;
      expect(ascending).to.not.equal(1e16);
      const a = rows.find((r) => r.id === 'A')!;
      expect([a.revenue, a.lines]).to.deep.equal([ascending, lines]);
      // margins: 1 (each of lines − 1 lines, revenue 5 − cost 4) and 5 + 1e16, ascending
      let margin = 0;
      for (let k = 0; k < lines - 1; k++) margin += 1;
      margin += 5 + 1e16;
      expect(rows.find((r) => r.id === 'M')!.margin).to.equal(margin);
    });
  }

  it('lists every line of each conflicting order, by order id and then in the canonical line order', () => {
    const body = [
      'order_id,customer_id,ordered_at,revenue',
      'Z,d,2024-01-05T10:00:00Z,5',
      'Z,b,2024-01-05T10:00:00Z,5',
      'Y,b,2024-01-07T10:00:00Z,2',
      'Z,a,2024-01-05T10:00:00Z,5',
      'Y,a,2024-01-07T10:00:00Z,3',
      'Z,c,2024-01-05T10:00:00Z,5',
      'K,a,2024-01-08T10:00:00Z,1',
    ].join('\n');
    const t = loadOne({ table: 'orders', body }).report.tables.orders!;
    // order ids are numbered by first appearance (Z, then Y); Z's four lines tie on every amount and
    // go by customer, Y's by revenue (2 before 3)
    expect(t.rejections.map((x) => [x.value, x.line])).to.deep.equal([
      ['Z', 5],
      ['Z', 3],
      ['Z', 7],
      ['Z', 2],
      ['Y', 4],
      ['Y', 6],
    ]);
    expect(t.rejections[0]!.message).to.equal('order Z has lines for customers a, b, c, ...; all its lines were rejected');
    expect(t.rejections[4]!.message).to.equal('order Y has lines for customers a, b; all its lines were rejected');
    expect(t.orders!.conflictingOrders).to.equal(2);
    expect(t.rowsAccepted).to.equal(1);
  });

  it("orders each customer's orders by time, then order id with rows without one last, then amounts", () => {
    const body = [
      'order_id,customer_id,ordered_at,revenue,cost,discount',
      ',a,2024-01-05T10:00:00Z,4,1,0',
      'B,a,2024-01-05T10:00:00Z,4,1,0',
      ',a,2024-01-05T10:00:00Z,4,2,0',
      ',a,2024-01-05T10:00:00Z,4,2,1',
      'A,a,2024-01-05T10:00:00Z,9,1,0',
      ',a,2024-01-05T10:00:00Z,3,1,0',
      'C,a,2024-01-04T10:00:00Z,1,1,0',
    ].join('\n');
    const { columns } = loadOne({ table: 'orders', body });
    expect(orderRows(columns).map((r) => [r.id, r.revenue, r.margin, r.lines])).to.deep.equal([
      ['C', 1, 0, 1],
      ['A', 9, 8, 1],
      ['B', 4, 3, 1],
      [null, 3, 2, 1],
      [null, 4, 2, 1],
      [null, 4, 2, 1],
      [null, 4, 3, 1],
    ]);
    expect(Array.from(columns.orders.discount)).to.deep.equal([0, 0, 0, 0, 0, 1, 0]);
  });

  it("gives each purchase its customer's previous purchase, and adjustments none", () => {
    const body = [
      'customer_id,ordered_at,revenue',
      'a,2024-01-01T00:00:00Z,5',
      'a,2024-01-02T00:00:00Z,-1',
      'a,2024-01-03T00:00:00Z,6',
      'b,2024-01-04T00:00:00Z,7',
      'b,2024-01-05T00:00:00Z,8',
    ].join('\n');
    const { columns } = loadOne({ table: 'orders', body });
    const day = (d: number): number => Date.UTC(2024, 0, d);
    expect(Array.from(columns.orders.prevPurchaseAt)).to.deep.equal([NaN, NaN, day(1), NaN, day(4)]);
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
  it('counts the purchases whose margin is unknown, and their revenue', () => {
    // B: one line of two has neither margin nor cost, so the order's margin is unknown; C is a refund
    const body = [
      'order_id,customer_id,ordered_at,revenue,margin,cost',
      'A,c1,2024-01-05T00:00:00Z,10,4,',
      'B,c2,2024-01-06T00:00:00Z,12,,7',
      'B,c2,2024-01-06T00:00:00Z,8,,',
      'C,c2,2024-01-07T00:00:00Z,-5,,',
    ].join('\n');
    const o = loadSources([{ table: 'orders', name: 'o.csv', body }]).report.tables.orders!.orders!;
    expect([o.purchases, o.purchasesWithoutMargin, o.purchaseRevenueWithoutMargin, o.purchaseRevenue, o.rowsWithoutMargin]).to.deep.equal([2, 1, 20, 30, 2]);
  });

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
      // the row without margin is a refund's: every purchase has one
      purchasesWithoutMargin: 0,
      purchaseRevenueWithoutMargin: 0,
      purchaseRevenue: 15,
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
