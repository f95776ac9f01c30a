import { expect } from '@open-wc/testing';
import { generateSample, sampleCsv, sampleJson, sampleNdjson } from '../../src/sample.js';

function holdoutConversion(data: ReturnType<typeof generateSample>): { treatment: number; holdout: number } {
  // share of customers with a purchase within 7 days after one of their touches, per group
  const touched = new Map<number, number[]>();
  for (let i = 0; i < data.touches.count; i++) {
    const c = data.touches.customer[i]!;
    if (!touched.has(c)) touched.set(c, []);
    touched.get(c)!.push(data.touches.sentAt[i]!);
  }
  const bought = new Map<number, number[]>();
  for (let i = 0; i < data.orders.count; i++) {
    if (data.orders.refund[i] === 1) continue;
    const c = data.orders.customer[i]!;
    if (!bought.has(c)) bought.set(c, []);
    bought.get(c)!.push(data.orders.time[i]!);
  }
  const rate = { treatment: [0, 0], holdout: [0, 0] };
  for (const [c, sends] of touched) {
    const group = data.customers.holdout[c] === 1 ? rate.holdout : rate.treatment;
    const times = bought.get(c) ?? [];
    for (const s of sends) {
      group[1]++;
      if (times.some((t) => t >= s && t < s + 7 * 86_400_000)) group[0]++;
    }
  }
  return { treatment: rate.treatment[0]! / rate.treatment[1]!, holdout: rate.holdout[0]! / rate.holdout[1]! };
}

describe('sample generator', () => {
  it('is reproducible byte for byte for a seed, and differs across seeds', () => {
    const a = [...sampleCsv(generateSample({ orders: 2000, seed: 1 }), 'orders')].join('');
    const b = [...sampleCsv(generateSample({ orders: 2000, seed: 1 }), 'orders')].join('');
    const c = [...sampleCsv(generateSample({ orders: 2000, seed: 2 }), 'orders')].join('');
    expect(a).to.equal(b);
    expect(a).to.not.equal(c);
  });

  it('writes exactly the requested number of order rows, and about two touches and one customer per five rows', () => {
    const data = generateSample({ orders: 20_000 });
    expect(data.orders.count).to.equal(20_000);
    expect(data.touches.count / data.orders.count).to.be.within(1.6, 2.4);
    expect(data.orders.count / data.customers.count).to.be.within(4, 6.5);
    const csvLines = [...sampleCsv(data, 'orders')].join('').split('\n').length - 2;
    expect(csvLines).to.equal(20_000);
  });

  it('has skewed frequency, line items, refunds, discounts, a ~10% holdout and daily costs', () => {
    const data = generateSample({ orders: 30_000 });
    const perCustomer = new Map<number, Set<number>>();
    for (let i = 0; i < data.orders.count; i++) {
      const c = data.orders.customer[i]!;
      if (!perCustomer.has(c)) perCustomer.set(c, new Set());
      if (data.orders.refund[i] === 0) perCustomer.get(c)!.add(data.orders.orderNo[i]!);
    }
    const counts = [...perCustomer.values()].map((s) => s.size).sort((x, y) => x - y);
    const median = counts[Math.floor(counts.length / 2)]!;
    const p99 = counts[Math.floor(counts.length * 0.99)]!;
    expect(p99).to.be.greaterThan(median * 4);
    const orders = new Set(Array.from(data.orders.orderNo));
    expect(data.orders.count / orders.size).to.be.within(1.3, 2.2); // line items per order
    const refunds = Array.from(data.orders.refund).filter((r) => r === 1).length;
    expect(refunds / orders.size).to.be.within(0.02, 0.08);
    expect(Array.from(data.orders.discountCents).filter((d) => d > 0).length).to.be.greaterThan(0);
    const holdout = Array.from(data.customers.holdout).filter((h) => h === 1).length / data.customers.count;
    expect(holdout).to.be.within(0.08, 0.12);
    const days = new Set(Array.from(data.costs.day));
    expect(days.size).to.equal(731); // 2023-01-01 .. 2024-12-31
    const channels = new Set(Array.from(data.touches.channel));
    expect(channels.size).to.equal(4);
    const opened = Array.from(data.touches.openedAt).filter((t) => !Number.isNaN(t)).length;
    expect(opened / data.touches.count).to.be.within(0.1, 0.4);
  });

  it('its holdout really converts less than treatment', () => {
    const { treatment, holdout } = holdoutConversion(generateSample({ orders: 60_000, seed: 3 }));
    expect(treatment).to.be.greaterThan(holdout * 1.3);
  });

  it('writes CSV, a JSON document and NDJSON', () => {
    const data = generateSample({ orders: 50 });
    const csv = [...sampleCsv(data, 'touches', { delimiter: ';' })].join('');
    expect(csv.split('\n')[0]).to.equal('customer_id;channel;campaign;sent_at;opened_at;clicked_at;group;cost');
    const doc = JSON.parse([...sampleJson(data, ['orders', 'costs'])].join('')) as Record<string, unknown[]>;
    expect(Object.keys(doc)).to.deep.equal(['orders', 'costs']);
    expect(doc.orders!.length).to.equal(50);
    const nd = [...sampleNdjson(data, 'customers')].join('').trim().split('\n');
    expect(nd.length).to.equal(data.customers.count);
    expect(JSON.parse(nd[0]!)).to.have.keys(['customer_id', 'country', 'acquisition_source']);
  });
});
