import { expect } from '@open-wc/testing';
import { fixture } from '../../support/kernels.js';

const touches = [
  'customer_id,channel,campaign,sent_at,group',
  'a,email,welcome,2024-03-01T10:00:00Z,treatment',
  'a,email,welcome,2024-03-02T10:00:00Z,holdout',
  'a,sms,flash,2024-03-03T10:00:00Z,treatment',
  'a,push,promo,2024-03-04T10:00:00Z,treatment',
  'b,email,news,2024-03-10T10:00:00Z,treatment',
  'c,sms,b_sms,2024-03-12T09:00:00Z,treatment',
  'd,email,news,2024-03-25T09:00:00Z,treatment',
  'x,email,news,2024-02-15T09:00:00Z,treatment',
].join('\n');
const orders = [
  'order_id,customer_id,ordered_at,revenue,margin',
  'p1,a,2024-03-05T10:00:00Z,100,40',
  'r1,a,2024-03-06T10:00:00Z,-30,-12',
  'p2,a,2024-03-20T10:00:00Z,50,20',
  'p3,b,2024-03-10T10:00:00Z,20,8',
  'p4,c,2024-03-12T12:00:00Z,80,',
  'p0,x,2024-02-16T10:00:00Z,10,1',
].join('\n');

describe('KPIs (metrics.md section 3)', () => {
  it('computes the KPI set for a range', () => {
    const r = fixture({ orders, touches }).query({ kind: 'kpis', params: { range: { from: '2024-03-01', to: '2024-03-31' } } });
    expect(r.current).to.deep.equal({
      netRevenue: 220,
      crmRevenue: 200,
      crmMargin: 48,
      crmShare: 200 / 220,
      purchases: 4,
      purchaseRevenue: 250,
      aov: 62.5,
      customers: 3,
      repeatCustomers: 1,
      repeatRate: 1 / 3,
      // a, b, c and d (d was sent a message but did not buy)
      recipients: 4,
      revenuePerRecipient: 50,
      convertedRecipients: 3,
      conversionRate: 0.75,
    });
  });

  it('compares with the equal-length range just before', () => {
    const r = fixture({ orders, touches }).query({ kind: 'kpis', params: { range: { from: '2024-03-01', to: '2024-03-31' } } });
    expect(r.previousRange).to.deep.equal({ from: '2024-01-30', to: '2024-02-29' });
    expect(r.previous.netRevenue).to.equal(10);
    expect(r.previous.crmRevenue).to.equal(10);
    expect(r.previous.recipients).to.equal(1);
    expect(r.previous.conversionRate).to.equal(1);
  });

  it('gives NaN (no value), not 0 or Infinity, where a ratio has nothing to divide by', () => {
    const r = fixture({ orders, touches }).query({ kind: 'kpis', params: { range: { from: '2024-04-01', to: '2024-04-30' } } });
    expect(r.current.netRevenue).to.equal(0);
    expect(Number.isNaN(r.current.aov)).to.equal(true);
    expect(Number.isNaN(r.current.crmShare)).to.equal(true);
    expect(Number.isNaN(r.current.conversionRate)).to.equal(true);
  });

  it('gives an unknown CRM margin, not 0, when no credited purchase has a margin', () => {
    // 12 March: c's purchase of 80, credited to its sms, has no margin; 11 March has no purchase at all
    const r = fixture({ orders, touches }).query({ kind: 'kpis', params: { range: { from: '2024-03-12', to: '2024-03-12' } } });
    expect([r.current.crmRevenue, r.current.crmMargin]).to.deep.equal([80, Number.NaN]);
    expect([r.previous.crmRevenue, r.previous.crmMargin]).to.deep.equal([0, 0]);
  });

  it('gives the same CRM revenue under every credit model, and follows the window', () => {
    // credit weights sum to 1, so a purchase with credit counts whole whatever the model: p1 (a's
    // touches of the 3rd and 4th), p3 and p4; p2 is 16 days after a's last touch
    const range = { from: '2024-03-01', to: '2024-03-31' };
    for (const model of ['first_touch', 'linear', 'time_decay', 'position_based', 'last_touch'] as const) {
      // a fresh dataset per model, so that none reads another model's cached credits
      const r = fixture({ orders, touches }).query({ kind: 'kpis', params: { range, model } });
      expect([r.current.crmRevenue, r.current.crmMargin, r.current.convertedRecipients], model).to.deep.equal([200, 48, 3]);
    }
    // and on one dataset, model after model, where each may read the credits an earlier one cached
    const shared = fixture({ orders, touches });
    for (const model of ['last_touch', 'linear', 'first_touch', 'time_decay', 'position_based'] as const) {
      const r = shared.query({ kind: 'kpis', params: { range, model } });
      expect([r.current.crmRevenue, r.current.crmMargin, r.current.convertedRecipients], `${model} after others`).to.deep.equal([200, 48, 3]);
    }
    // with a 1-day window p1 (a day after a's last touch, push on the 4th at 10:00) keeps its credit
    // and b's and c's same-day purchases theirs; with a 20-day window p2 gains it too
    const data = fixture({ orders, touches });
    const narrow = data.query({ kind: 'kpis', params: { range, model: 'linear', window: '1d' } });
    expect([narrow.current.crmRevenue, narrow.current.convertedRecipients]).to.deep.equal([200, 3]);
    const wide = data.query({ kind: 'kpis', params: { range, model: 'linear', window: '20d' } });
    expect([wide.current.crmRevenue, wide.current.crmMargin]).to.deep.equal([250, 68]);
  });

  it("gives the same KPIs from a range's kept scope as from a first walk, over several blocks of customers", () => {
    // 5,000 customers (the kernel walks and re-sums them 2,048 at a time), each sent an email on 1 March
    // at 10:00 and buying 1, 3 or 12 days later: 1,667 a day later for 10.01 (i % 3 = 0), 1,667 three
    // days later for 20.07, 1,666 twelve days later for 30.13 (amounts whose float sums depend on their
    // order, so the exact comparison below also pins the order of the sums). Odd customers also bought
    // in February (the previous range of March), before any touch.
    const n = 5000;
    const touchRows = ['customer_id,channel,sent_at'];
    const orderRows = ['order_id,customer_id,ordered_at,revenue,margin'];
    const kinds = [
      { day: '02', amount: 10.01, margin: 1.3 },
      { day: '04', amount: 20.07, margin: 2.7 },
      { day: '13', amount: 30.13, margin: 3.9 },
    ];
    for (let i = 0; i < n; i++) {
      const id = `c${String(i).padStart(5, '0')}`;
      const { day, amount, margin } = kinds[i % 3]!;
      touchRows.push(`${id},email,2024-03-01T10:00:00Z`);
      orderRows.push(`o${i},${id},2024-03-${day}T09:00:00Z,${amount},${margin}`);
      if (i % 2 === 1) orderRows.push(`f${i},${id},2024-02-10T09:00:00Z,5,1`);
    }
    const data = { orders: orderRows.join('\n'), touches: touchRows.join('\n') };
    const range = { from: '2024-03-01', to: '2024-03-31' };
    const shared = fixture(data);
    // the first query walks; the next ones re-sum over the scope it kept
    for (const [window, converted, revenue, margin] of [
      ['5d', 3334, 1667 * 10.01 + 1667 * 20.07, 1667 * 1.3 + 1667 * 2.7],
      ['1d', 1667, 1667 * 10.01, 1667 * 1.3],
      ['20d', 5000, 1667 * 10.01 + 1667 * 20.07 + 1666 * 30.13, 1667 * 1.3 + 1667 * 2.7 + 1666 * 3.9],
      ['5d', 3334, 1667 * 10.01 + 1667 * 20.07, 1667 * 1.3 + 1667 * 2.7],
    ] as const) {
      const kept = shared.query({ kind: 'kpis', params: { range, window } });
      expect(kept.current.convertedRecipients, window).to.equal(converted);
      expect(kept.current.crmRevenue, window).to.be.closeTo(revenue, 1e-6);
      expect(kept.current.crmMargin, window).to.be.closeTo(margin, 1e-6);
      expect([kept.current.recipients, kept.current.purchases, kept.previous.purchases, kept.previous.crmRevenue, kept.previous.recipients], window).to.deep.equal([5000, 5000, 2500, 0, 0]);
      // bit for bit what a dataset asked for the first time gives
      expect(JSON.stringify(kept), window).to.equal(JSON.stringify(fixture(data).query({ kind: 'kpis', params: { range, window } })));
    }
  });

  it('flags a range the orders cover only in part, and the range before it', () => {
    // the orders run from 02-16 to 03-20 (the last order day, not over yet)
    const data = fixture({ orders, touches });
    const flags = (from: string, to: string): number[] => {
      const r = data.query({ kind: 'kpis', params: { range: { from, to } } });
      return [r.partial, r.previousPartial];
    };
    // 03-01..03-10 and 02-20..02-29 are inside the orders
    expect(flags('2024-03-01', '2024-03-10')).to.deep.equal([0, 0]);
    // reaching the last order day
    expect(flags('2024-03-11', '2024-03-20')).to.deep.equal([1, 0]);
    // the range before 03-01..03-15 (02-15..02-29) starts a day before the first order day
    expect(flags('2024-03-01', '2024-03-15')).to.deep.equal([0, 1]);
    expect(flags('2024-02-10', '2024-03-31')).to.deep.equal([1, 1]);
  });

  it('answers an empty dataset with zeros and empty ranges', () => {
    const r = fixture({ orders: 'customer_id,ordered_at,revenue\n' }).query({ kind: 'kpis' });
    expect(r.range).to.deep.equal({ from: null, to: null });
    expect(r.current.purchases).to.equal(0);
  });
});
