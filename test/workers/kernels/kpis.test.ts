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

  it('answers an empty dataset with zeros and empty ranges', () => {
    const r = fixture({ orders: 'customer_id,ordered_at,revenue\n' }).query({ kind: 'kpis' });
    expect(r.range).to.deep.equal({ from: null, to: null });
    expect(r.current.purchases).to.equal(0);
  });
});
