import { expect } from '@open-wc/testing';
import { resolveAttribution } from '../../../src/core/queries.js';
import { creditsFor } from '../../../workers/kernels/attribution.js';
import { KernelContext } from '../../../workers/kernels/context.js';
import { fixture, revenueByKey, round, total } from '../../support/kernels.js';

// Customer a: three treatment touches and a holdout record before a purchase of 100 (margin 40) on
// 2024-03-05 10:00, a refund of 30 on 03-06, and an unattributed purchase of 50 on 03-20.
// Customer b: a touch at the very instant of its purchase. Customer c: two touches at the same time.
const touches = [
  'customer_id,channel,campaign,sent_at,opened_at,clicked_at,group',
  'a,email,welcome,2024-03-01T10:00:00Z,2024-03-01T12:00:00Z,2024-03-02T09:00:00Z,treatment',
  'a,email,welcome,2024-03-02T10:00:00Z,,,holdout',
  'a,sms,flash,2024-03-03T10:00:00Z,,2024-03-03T10:30:00Z,treatment',
  'a,push,promo,2024-03-04T10:00:00Z,,,treatment',
  'b,email,news,2024-03-10T10:00:00Z,,,treatment',
  'c,sms,b_sms,2024-03-12T09:00:00Z,,,treatment',
  'c,email,z_mail,2024-03-12T09:00:00Z,,,treatment',
].join('\n');
const orders = [
  'order_id,customer_id,ordered_at,revenue,margin',
  'p1,a,2024-03-05T10:00:00Z,100,40',
  'r1,a,2024-03-06T10:00:00Z,-30,-12',
  'p2,a,2024-03-20T10:00:00Z,50,20',
  'p3,b,2024-03-10T10:00:00Z,20,8',
  'p4,c,2024-03-12T12:00:00Z,80,',
].join('\n');

function attribution(params: Record<string, unknown> = {}) {
  return fixture({ orders, touches }).query({ kind: 'attribution', params: { period: 'month', ...params } });
}

describe('attribution: credit models (send basis, 5-day window)', () => {
  it('last touch gives all credit to the latest eligible touch; ties go to the later channel name', () => {
    const r = attribution({ model: 'last_touch' });
    // a: push (1 day before); b: email (same instant); c: email and sms at the same time -> sms is last
    expect(revenueByKey(r)).to.deep.equal({ email: 20, push: 100, sms: 80 });
    expect(revenueByKey(r, 'purchases')).to.deep.equal({ email: 1, push: 1, sms: 1 });
  });

  it('first touch gives all credit to the earliest eligible touch', () => {
    expect(revenueByKey(attribution({ model: 'first_touch' }))).to.deep.equal({ email: 20 + 100 + 80 });
  });

  it('linear splits evenly', () => {
    const r = attribution({ model: 'linear' });
    expect(revenueByKey(r)).to.deep.equal({ email: round(100 / 3 + 20 + 40), sms: round(100 / 3 + 40), push: round(100 / 3) });
    expect(revenueByKey(r, 'purchases')).to.deep.equal({ email: round(1 / 3 + 1 + 0.5), sms: round(1 / 3 + 0.5), push: round(1 / 3) });
  });

  it('position-based gives 40/20/40 for three touches and 50/50 for two', () => {
    expect(revenueByKey(attribution({ model: 'position_based' }))).to.deep.equal({ email: 40 + 20 + 40, sms: 20 + 40, push: 40 });
  });

  it('time decay weighs by 2^(−Δ/h) with h a quarter of the window', () => {
    // a: Δ = 4, 2, 1 days with h = 1.25 days
    const w = [2 ** (-4 / 1.25), 2 ** (-2 / 1.25), 2 ** (-1 / 1.25)];
    const s = w[0]! + w[1]! + w[2]!;
    const r = attribution({ model: 'time_decay' });
    expect(revenueByKey(r)).to.deep.equal({
      email: round((100 * w[0]!) / s + 20 + 40),
      sms: round((100 * w[1]!) / s + 40),
      push: round((100 * w[2]!) / s),
    });
    // an explicit half-life
    const h = [2 ** (-4 / 2), 2 ** (-2 / 2), 2 ** (-1 / 2)];
    const hs = h[0]! + h[1]! + h[2]!;
    expect(revenueByKey(attribution({ model: 'time_decay', halfLife: '2d' })).push).to.equal(round((100 * h[2]!) / hs));
  });

  it('credits margin like revenue: summed where known, unknown where no credited purchase has one', () => {
    // last touch: c's purchase (margin unknown) is sms's only credit, so sms's margin is unknown, not 0
    const r = attribution({ model: 'last_touch' });
    expect(revenueByKey(r, 'margin')).to.deep.equal({ email: 8, push: 40, sms: Number.NaN });
    expect(r.nonCrmMargin[0]).to.equal(20);
    // linear: sms and email share c's purchase with a's, so they sum the known part
    expect(revenueByKey(attribution({ model: 'linear' }), 'margin')).to.deep.equal({ email: round(40 / 3 + 8), sms: round(40 / 3), push: round(40 / 3) });
  });

  it('sums each key over the range and margins per period by the same rule', () => {
    const r = attribution({ model: 'last_touch' });
    expect(r.keys).to.deep.equal(['email', 'push', 'sms']);
    expect(Array.from(r.keyRevenue)).to.deep.equal([20, 100, 80]);
    expect(Array.from(r.keyMargin)).to.deep.equal([8, 40, Number.NaN]);
    // March's purchases: 40 + 20 + 8 known, c's 80 unknown; the refund is no purchase
    expect(Array.from(r.purchaseMargin)).to.deep.equal([68]);
    // d: one purchase of margin 0 in April credited to sms, one without margin in May. Per period
    // sms is 0 then unknown: a sum over the periods' cells could not tell that 0 from "no purchase",
    // the key's own sum can (0, known). May's purchases all lack a margin; June has none.
    const more = fixture({
      orders: `${orders}\np5,d,2024-04-02T10:00:00Z,30,0\np6,d,2024-05-02T10:00:00Z,25,\np7,a,2024-06-30T10:00:00Z,-5,`,
      touches: `${touches}\nd,sms,x,2024-04-01T10:00:00Z,,,treatment\nd,sms,x,2024-05-01T10:00:00Z,,,treatment`,
    }).query({ kind: 'attribution', params: { period: 'month', model: 'last_touch', range: { from: '2024-04-01', to: '2024-06-30' } } });
    expect(more.periods.labels).to.deep.equal(['2024-04-01', '2024-05-01', '2024-06-01']);
    expect(more.keys).to.deep.equal(['email', 'push', 'sms']);
    const sms = 2;
    expect([0, 1, 2].map((p) => more.margin[p * more.keys.length + sms])).to.deep.equal([0, Number.NaN, 0]);
    expect(more.keyRevenue[sms]).to.equal(55);
    expect(more.keyMargin[sms]).to.equal(0);
    expect(Array.from(more.purchaseMargin)).to.deep.equal([0, Number.NaN, 0]);
    expect(Array.from(more.purchaseRevenue)).to.deep.equal([30, 25, 0]);
  });
});

describe('attribution: basis and windows', () => {
  it('open basis: only opened touches, by open time', () => {
    // a: only the email was opened; b and c: no opens
    expect(revenueByKey(attribution({ basis: 'open', model: 'linear' }))).to.deep.equal({ email: 100 });
  });

  it('click basis: clicked touches by click time', () => {
    const r = attribution({ basis: 'click', model: 'last_touch' });
    expect(revenueByKey(r)).to.deep.equal({ sms: 100 });
    expect(revenueByKey(attribution({ basis: 'click', model: 'first_touch' }))).to.deep.equal({ email: 100 });
    expect(revenueByKey(attribution({ basis: 'click', model: 'position_based' }))).to.deep.equal({ email: 50, sms: 50 });
  });

  it('per-channel windows, with the window boundary inclusive', () => {
    // email 2 days: a's email (4 days before) is out; push 1 day: exactly 1 day before is in
    const r = attribution({ model: 'linear', window: { email: '2d', sms: '5d', push: '1d' } });
    expect(revenueByKey(r)).to.deep.equal({ sms: 50 + 40, push: 50, email: 20 + 40 });
    // channels missing from the map use `default`
    const d = attribution({ model: 'first_touch', window: { default: '36h' } });
    expect(revenueByKey(d)).to.deep.equal({ push: 100, email: 20 + 80 });
  });

  it('last and first touch with a touch exactly one window before the purchase (inclusive)', () => {
    // p1 (03-05 10:00): push exactly 1 day before, sms 2 days, email 4 days
    expect(revenueByKey(attribution({ model: 'last_touch', window: '1d' }))).to.deep.equal({ push: 100, email: 20, sms: 80 });
    expect(total(attribution({ model: 'last_touch', window: '23h' }).nonCrmRevenue)).to.equal(100 + 50);
    expect(revenueByKey(attribution({ model: 'first_touch', window: '4d' }))).to.deep.equal({ email: 100 + 20 + 80 });
    expect(revenueByKey(attribution({ model: 'first_touch', window: '95h' }))).to.deep.equal({ sms: 100, email: 20 + 80 });
    // per channel: a's push is out of its 12h, its sms in at exactly its own 2 days; c's sms is last
    expect(revenueByKey(attribution({ model: 'last_touch', window: { push: '12h', sms: '2d', email: '1d' } }))).to.deep.equal({ sms: 100 + 80, email: 20 });
    expect(total(attribution({ model: 'last_touch', window: { push: '12h', sms: '47h', email: '1d' } }).nonCrmRevenue)).to.equal(100 + 50);
  });

  it('a shorter window turns CRM revenue into non-CRM revenue', () => {
    const r = attribution({ window: '12h' });
    expect(revenueByKey(r)).to.deep.equal({ email: 20, sms: 80 });
    expect(total(r.nonCrmRevenue)).to.equal(150);
    expect(total(r.nonCrmPurchases)).to.equal(2);
  });

  it('never credits holdout touches or adjustments, and counts adjustments in net revenue only', () => {
    const r = attribution();
    expect(total(r.netRevenue)).to.equal(100 - 30 + 50 + 20 + 80);
    expect(total(r.purchaseRevenue)).to.equal(250);
    expect(total(r.purchaseCount)).to.equal(4);
    expect(total(r.nonCrmRevenue)).to.equal(50);
    expect(total(r.revenue)).to.equal(200);
  });

  it('credits no adjustment even under an endless window (which the option parser never gives)', () => {
    const ctx = new KernelContext(fixture({ orders, touches }).columns);
    for (const model of ['last_touch', 'linear'] as const) {
      const credits = creditsFor(ctx, { ...resolveAttribution({ model }), defaultWindow: Number.POSITIVE_INFINITY });
      const credited = (i: number): number => credits.start[i + 1]! - credits.start[i]!;
      // rows in time order per customer: a's p1, r1, p2, then b's p3, c's p4; every purchase has a touch
      // before it now (a's p2 too), the refund r1 none
      expect([0, 1, 2, 3, 4].map(credited), model).to.deep.equal(model === 'last_touch' ? [1, 0, 1, 1, 1] : [3, 0, 3, 1, 2]);
    }
  });
});

describe('attribution: dimensions, periods and range', () => {
  it('by campaign within channel, and by lifecycle stage', () => {
    const byCampaign = attribution({ dimension: 'campaign', model: 'linear' });
    expect(revenueByKey(byCampaign)).to.deep.equal({ welcome: round(100 / 3), flash: round(100 / 3), promo: round(100 / 3), news: 20, b_sms: 40, z_mail: 40 });
    expect(byCampaign.keyChannels[byCampaign.keys.indexOf('flash')]).to.equal('sms');
    const byStage = attribution({ dimension: 'stage' });
    // p1, p3, p4 are first purchases (new); p2 is a's second purchase 15 days later (returning, unattributed)
    expect(revenueByKey(byStage)).to.deep.equal({ new: 200 });
  });

  it('reports by the period of the purchase, including empty periods', () => {
    const r = attribution({ period: 'week', range: { from: '2024-03-01', to: '2024-03-31' } });
    expect(r.periods.labels).to.deep.equal(['2024-02-26', '2024-03-04', '2024-03-11', '2024-03-18', '2024-03-25']);
    const n = r.keys.length;
    const week = (label: string): number => {
      const p = r.periods.labels.indexOf(label);
      let sum = 0;
      for (let k = 0; k < n; k++) sum += r.revenue[p * n + k]!;
      return round(sum);
    };
    // week of 03-04: p1 (100) and b's purchase on Sunday 03-10 (20); week of 03-11: c's 80
    expect([week('2024-03-04'), week('2024-03-11'), week('2024-03-18'), week('2024-03-25')]).to.deep.equal([120, 80, 0, 0]);
  });

  it('counts only purchases in the range, but looks back before it for touches', () => {
    const r = attribution({ range: { from: '2024-03-05', to: '2024-03-05' } });
    expect(revenueByKey(r)).to.deep.equal({ push: 100 });
    expect(r.range).to.deep.equal({ from: '2024-03-05', to: '2024-03-05' });
  });

  it('filters by a customers attribute', () => {
    const data = fixture({ orders, touches, customers: 'customer_id,plan\na,pro\nb,free\nc,pro\n' });
    const r = data.query({ kind: 'attribution', params: { filter: { attribute: 'plan', values: ['free'] } } });
    expect(revenueByKey(r)).to.deep.equal({ email: 20 });
    expect(() => data.query({ kind: 'attribution', params: { filter: { attribute: 'tier', values: ['x'] } } })).to.throw(/no customer attribute "tier"/);
  });

  it('gives the same numbers for touch basis ties in any row order', () => {
    const shuffled = [touches.split('\n')[0], ...touches.split('\n').slice(1).reverse()].join('\n');
    const a = revenueByKey(attribution({ model: 'last_touch' }));
    const b = revenueByKey(fixture({ orders, touches: shuffled }).query({ kind: 'attribution', params: { model: 'last_touch' } }));
    expect(b).to.deep.equal(a);
  });

  it('rejects unknown parameters with the allowed values', () => {
    expect(() => attribution({ model: 'markov' })).to.throw(/Unknown attribution model "markov"/);
    expect(() => attribution({ window: 'five days' })).to.throw(/duration/);
    expect(() => attribution({ range: { from: '2024-04-01', to: '2024-03-01' } })).to.throw(/after/);
    expect(() => attribution({ period: 'year' })).to.throw(/Unknown period/);
  });
});
