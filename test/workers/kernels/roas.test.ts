import { expect } from '@open-wc/testing';
import { fixture } from '../../support/kernels.js';

const touches = [
  'customer_id,channel,campaign,sent_at,cost',
  'a,email,spring,2024-04-01T10:00:00Z,',
  'b,sms,flash,2024-04-08T10:00:00Z,0.25',
  'c,sms,flash,2024-04-09T10:00:00Z,0.25',
  'd,sms,flash,2024-04-16T10:00:00Z,',
].join('\n');
const orders = [
  'customer_id,ordered_at,revenue,margin',
  'a,2024-04-02T10:00:00Z,200,80',
  'b,2024-04-08T12:00:00Z,30,10',
  'd,2024-04-17T10:00:00Z,40,15',
].join('\n');
const costs = 'date,channel,campaign,amount\n2024-04-01,email,spring,50\n2024-04-03,email,,30\n2024-04-15,email,,20\n';

function roas(params: Record<string, unknown> = {}) {
  return fixture({ orders, touches, costs }).query({ kind: 'roas', params: { range: { from: '2024-04-01', to: '2024-04-21' }, ...params } });
}

describe('ROAS (metrics.md section 7)', () => {
  it('divides attributed revenue by cost per week and channel, with gaps for zero cost', () => {
    const r = roas();
    expect(r.periods.labels).to.deep.equal(['2024-04-01', '2024-04-08', '2024-04-15']);
    expect(r.keys).to.deep.equal(['email', 'sms']);
    const cell = (p: number, key: string): number => p * r.keys.length + r.keys.indexOf(key);
    expect([r.cost[cell(0, 'email')], r.revenue[cell(0, 'email')], r.roas[cell(0, 'email')], r.marginRoas[cell(0, 'email')]]).to.deep.equal([80, 200, 2.5, 1]);
    expect([r.cost[cell(1, 'sms')], r.revenue[cell(1, 'sms')], r.roas[cell(1, 'sms')]]).to.deep.equal([0.5, 30, 60]);
    // week 3: sms earned 40 without any cost: a gap, not infinity or zero
    expect(r.revenue[cell(2, 'sms')]).to.equal(40);
    expect(Number.isNaN(r.roas[cell(2, 'sms')]!)).to.equal(true);
    // week 2: email had no cost and no revenue: also a gap
    expect(Number.isNaN(r.roas[cell(1, 'email')]!)).to.equal(true);
    expect([r.cost[cell(2, 'email')], r.roas[cell(2, 'email')]]).to.deep.equal([20, 0]);
  });

  it('blends over channels per period', () => {
    const r = roas();
    expect(Array.from(r.blendedCost)).to.deep.equal([80, 0.5, 20]);
    expect(Array.from(r.blendedRevenue)).to.deep.equal([200, 30, 40]);
    expect(Array.from(r.blendedRoas)).to.deep.equal([2.5, 60, 2]);
  });

  it('reads costs that cancel as no cost, not binary residue: no ROAS of 10^18', () => {
    // email: 0.10 + 0.20 in week 1, −0.30 in week 2 (a channel's sum of 5.6e-17 in doubles), and
    // 0.10 + 0.20 − 0.30 within week 3 (a cell's); sms: its two per-touch costs of 0.25 in week 2
    const cancelling = 'date,channel,campaign,amount\n2024-04-01,email,,0.1\n2024-04-02,email,,0.2\n2024-04-09,email,,-0.3\n2024-04-15,email,,0.1\n2024-04-16,email,,0.2\n2024-04-17,email,,-0.3\n';
    const data = fixture({ orders, touches, costs: cancelling });
    const r = data.query({ kind: 'roas', params: { range: { from: '2024-04-01', to: '2024-04-21' } } });
    expect(0.1 + 0.2 - 0.3).to.not.equal(0);
    const email = (p: number): number => p * r.keys.length + r.keys.indexOf('email');
    expect([r.cost[email(0)], r.roas[email(0)]]).to.deep.equal([0.1 + 0.2, 200 / (0.1 + 0.2)]);
    // a negative cost (week 2) and a cancelled one (week 3): no ROAS
    expect([r.cost[email(1)], r.roas[email(1)]]).to.deep.equal([-0.3, Number.NaN]);
    expect([r.cost[email(2)], r.roas[email(2)]]).to.deep.equal([0, Number.NaN]);
    expect([r.keyCost[0], r.keyRoas[0], r.keyMarginRoas[0]]).to.deep.equal([0, Number.NaN, Number.NaN]);
    expect(Array.from(r.blendedCost)).to.deep.equal([0.1 + 0.2, 0.5 - 0.3, 0]);
    expect(r.rangeCost).to.equal(0.5);
    // the lift's scope costs by the same rule, from its daily cache and, under a filter, summed anew
    const lift = data.query({ kind: 'incrementality', params: { range: { from: '2024-04-01', to: '2024-04-21' } } });
    expect(lift.cost[lift.name.indexOf('email')]).to.equal(0);
    const customers = 'customer_id,country\na,DE\nb,FR\nc,FR\nd,DE\n';
    const filtered = fixture({ orders, touches, costs: cancelling, customers }).query({ kind: 'incrementality', params: { range: { from: '2024-04-01', to: '2024-04-21' }, filter: { attribute: 'country', values: ['DE'] } } });
    expect(filtered.cost[filtered.name.indexOf('email')]).to.equal(0);
  });

  it('nets a blend of keys that cancel, and by the amounts\' size, not by an absolute threshold', () => {
    // week 1: email 0.10 + 0.20 against sms −0.30 (each cell a cost, their blend residue), with a's
    // 200 of revenue; week 3: email's 100,000,000.01 − 0.02 − 99,999,999.99 leaves 1.5e-8 in doubles,
    // under a billionth of the 2e8 moved, so no cost either
    const costs2 = 'date,channel,campaign,amount\n2024-04-01,email,,0.1\n2024-04-02,email,,0.2\n2024-04-03,sms,,-0.3\n2024-04-15,email,,100000000.01\n2024-04-16,email,,-0.02\n2024-04-17,email,,-99999999.99\n';
    expect(100000000.01 - 0.02 - 99999999.99).to.be.greaterThan(1e-9);
    const r = fixture({ orders, touches, costs: costs2 }).query({ kind: 'roas', params: { range: { from: '2024-04-01', to: '2024-04-21' } } });
    expect(r.keys).to.deep.equal(['email', 'sms']);
    expect([r.cost[0], r.cost[1]]).to.deep.equal([0.1 + 0.2, -0.3]);
    expect([r.blendedCost[0], r.blendedRoas[0]]).to.deep.equal([0, Number.NaN]);
    expect([r.cost[4], r.roas[4], r.blendedCost[2]]).to.deep.equal([0, Number.NaN, 0]);
    expect([r.keyCost[0], r.keyRoas[0]]).to.deep.equal([0.1 + 0.2, 200 / (0.1 + 0.2)]);
  });

  it('sums each channel and everything over the range', () => {
    const r = roas();
    // email: cost 50 + 30 + 20, revenue 200, margin 80; sms: cost 0.25 × 2, revenue 30 + 40, margin 10 + 15
    expect(Array.from(r.keyCost)).to.deep.equal([100, 0.5]);
    expect(Array.from(r.keyRevenue)).to.deep.equal([200, 70]);
    expect(Array.from(r.keyMargin)).to.deep.equal([80, 25]);
    expect(Array.from(r.keyRoas)).to.deep.equal([2, 140]);
    expect(Array.from(r.keyMarginRoas)).to.deep.equal([0.8, 50]);
    expect([r.rangeCost, r.rangeRevenue, r.rangeMargin, r.rangeRoas, r.rangeMarginRoas]).to.deep.equal([100.5, 270, 105, 270 / 100.5, 105 / 100.5]);
    // a range with sms's purchases only: sms has no cost (ROAS unknown), email cost and nothing earned
    const late = roas({ range: { from: '2024-04-15', to: '2024-04-21' } });
    expect(Array.from(late.keyRoas)).to.deep.equal([0, Number.NaN]);
    expect([late.rangeCost, late.rangeRevenue, late.rangeRoas]).to.deep.equal([20, 40, 2]);
  });

  it('breaks down by campaign within channel, channel-level costs as (none)', () => {
    const r = roas({ byCampaign: true, period: 'month' });
    expect(r.keys.map((k, i) => `${r.keyChannels[i]}/${k}`)).to.deep.equal(['email/(none)', 'email/spring', 'sms/flash']);
    expect(Array.from(r.cost)).to.deep.equal([50, 50, 0.5]);
    expect(Array.from(r.revenue)).to.deep.equal([0, 200, 70]);
  });

  it('sums margin where known; a cell or period whose credited purchases all lack one is a gap, not 0', () => {
    // c buys after the sms of 04-09 with no margin (week 2 then mixes known and unknown); d's margin
    // is unknown too, so sms in week 3 has credited purchases and no known margin at all
    const unknown = orders.replace('d,2024-04-17T10:00:00Z,40,15', 'd,2024-04-17T10:00:00Z,40,') + '\nc,2024-04-10T10:00:00Z,60,\n';
    const r = fixture({ orders: unknown, touches, costs }).query({ kind: 'roas', params: { range: { from: '2024-04-01', to: '2024-04-21' } } });
    const cell = (p: number, key: string): number => p * r.keys.length + r.keys.indexOf(key);
    expect([r.revenue[cell(1, 'sms')], r.margin[cell(1, 'sms')], r.marginRoas[cell(1, 'sms')]]).to.deep.equal([90, 10, 20]);
    expect([r.revenue[cell(2, 'sms')], r.margin[cell(2, 'sms')]]).to.deep.equal([40, Number.NaN]);
    // email earned nothing in week 3: 0 margin on 20 of cost is a margin ROAS of 0, not a gap
    expect([r.margin[cell(2, 'email')], r.marginRoas[cell(2, 'email')]]).to.deep.equal([0, 0]);
    expect(Array.from(r.blendedMargin)).to.deep.equal([80, 10, Number.NaN]);
    expect(Array.from(r.blendedMarginRoas)).to.deep.equal([1, 20, Number.NaN]);
    // over the range sms has 10 known (week 3 unknown): a known margin; with only week 3, unknown
    expect(Array.from(r.keyMargin)).to.deep.equal([80, 10]);
    expect(r.rangeMargin).to.equal(90);
    const late = fixture({ orders: unknown, touches, costs }).query({ kind: 'roas', params: { range: { from: '2024-04-15', to: '2024-04-21' } } });
    expect(Array.from(late.keyMargin)).to.deep.equal([0, Number.NaN]);
    expect([late.rangeMargin, late.rangeMarginRoas]).to.deep.equal([Number.NaN, Number.NaN]);
  });

  it('follows the attribution window', () => {
    const r = roas({ window: '1h' });
    expect(Array.from(r.blendedRevenue)).to.deep.equal([0, 0, 0]);
  });
});
