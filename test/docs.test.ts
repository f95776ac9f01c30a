// The example files the README shows must load exactly as the README says.
import { expect } from '@open-wc/testing';
import { createEngine } from '../src/engine.js';

describe('README example files', function () {
  this.timeout(30_000);

  it('load with no rejection and the figures the README states', async () => {
    const engine = createEngine({ timezone: 'Europe/Berlin', currency: 'EUR' });
    try {
      const { report } = await engine.load({
        orders: '/docs/examples/orders.csv',
        touches: '/docs/examples/touches.csv',
        costs: '/docs/examples/costs.csv',
        customers: '/docs/examples/customers.csv',
      });
      for (const table of Object.values(report.tables)) expect(table.rowsRejected, table.table).to.equal(0);
      const orders = report.tables.orders!.orders!;
      expect([orders.orders, orders.purchases, orders.adjustments, orders.lineItemRows]).to.deep.equal([4, 3, 1, 2]);
      expect(orders.netRevenue).to.be.closeTo(92.0, 1e-9);
      expect(report.tables.touches!.touches!.holdout).to.equal(1);
      expect(report.tables.costs!.costs!.total).to.be.closeTo(187, 1e-9);
      expect(report.tables.customers!.customers!.attributes).to.deep.equal(['country', 'plan', 'acquisition_source']);
      expect(report.customers).to.equal(3);
      const columns = await engine.columns();
      // "2024-03-02 18:40:00" has no offset: read in Europe/Berlin (UTC+1 in March)
      const i = columns.dictionaries.orderIds.indexOf('1002');
      expect(new Date(columns.orders.time[columns.orders.orderId.indexOf(i)]!).toISOString()).to.equal('2024-03-02T17:40:00.000Z');

      const doc = await engine.load({ src: '/docs/examples/dataset.json' });
      expect(Object.keys(doc.report.tables).sort()).to.deep.equal(['costs', 'customers', 'orders', 'touches']);
      expect(doc.report.tables.orders!.orders!.netRevenue).to.be.closeTo(151.3, 1e-9);
    } finally {
      engine.dispose();
    }
  });
});
