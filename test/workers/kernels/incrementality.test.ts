import { expect } from '@open-wc/testing';
import { fixture } from '../../support/kernels.js';

// Email campaign "spring": treatment t1..t4, holdout h1..h3, and m1 in both groups. t1 also got an SMS.
const touches = [
  'customer_id,channel,campaign,sent_at,group,cost',
  't1,email,spring,2024-04-01T10:00:00Z,treatment,',
  't1,sms,flash,2024-04-02T10:00:00Z,treatment,0.5',
  't2,email,spring,2024-04-02T10:00:00Z,treatment,',
  't3,email,spring,2024-04-05T10:00:00Z,treatment,',
  't4,email,spring,2024-04-05T10:00:00Z,treatment,',
  'h1,email,spring,2024-04-01T10:00:00Z,holdout,',
  'h2,email,spring,2024-04-03T10:00:00Z,holdout,',
  'h3,email,spring,2024-04-03T10:00:00Z,holdout,',
  'm1,email,spring,2024-04-01T10:00:00Z,treatment,',
  'm1,email,spring,2024-04-02T10:00:00Z,holdout,',
].join('\n');
const orders = [
  'customer_id,ordered_at,revenue',
  't1,2024-04-03T10:00:00Z,100',
  't1,2024-04-20T10:00:00Z,50',
  't2,2024-04-10T10:00:00Z,-20',
  't4,2024-04-05T09:00:00Z,30',
  't4,2024-04-19T09:00:00Z,40',
  'h1,2024-04-02T10:00:00Z,60',
  'h3,2024-04-17T10:00:00Z,70',
  'm1,2024-04-03T10:00:00Z,500',
].join('\n');
const costs = 'date,channel,campaign,amount\n2024-04-01,email,spring,20\n2024-04-01,email,,10\n2024-05-01,email,,99\n';

/** The normal distribution's 97.5% quantile, written out here (not the kernel's constant) so the fixtures stay hand-computed. */
const Z = 1.959963984540054;

function lift(params: Record<string, unknown> = {}) {
  return fixture({ orders, touches, costs }).query({ kind: 'incrementality', params: { minHoldout: 2, range: { from: '2024-04-01', to: '2024-04-30' }, ...params } });
}

function row(r: ReturnType<typeof lift>, name: string): Record<string, number | string> {
  const i = r.name.indexOf(name);
  const out: Record<string, number | string> = { scope: r.scope[i]! };
  for (const key of ['treatment', 'holdout', 'excluded', 'sufficient', 'revenueTreatment', 'revenueHoldout', 'revenuePerCustomerTreatment', 'revenuePerCustomerHoldout', 'conversionTreatment', 'conversionHoldout', 'absoluteLift', 'relativeLift', 'incrementalRevenue', 'liftLow', 'liftHigh', 'cost', 'incrementalRoas'] as const) {
    out[key] = r[key][i]!;
  }
  return out;
}

describe('holdout incrementality (metrics.md section 4)', () => {
  it('compares treatment and holdout revenue per customer in the lift window', () => {
    const r = lift();
    // treatment outcomes 100, −20 (a refund), 0, 40 (30 was before the touch); holdout 60, 0, 0 (70 falls
    // exactly at the end of the half-open window)
    const se = Math.sqrt(2800 / 4 + 1200 / 3);
    expect(row(r, 'spring')).to.deep.equal({
      scope: 'campaign',
      treatment: 4,
      holdout: 3,
      excluded: 1,
      sufficient: 1,
      revenueTreatment: 120,
      revenueHoldout: 60,
      revenuePerCustomerTreatment: 30,
      revenuePerCustomerHoldout: 20,
      conversionTreatment: 0.5,
      conversionHoldout: 1 / 3,
      absoluteLift: 10,
      relativeLift: 0.5,
      incrementalRevenue: 40,
      liftLow: 10 - Z * se,
      liftHigh: 10 + Z * se,
      cost: 20,
      incrementalRoas: 2,
    });
    expect(r.channel[r.name.indexOf('spring')]).to.equal('email');
  });

  it('reports all CRM and each channel, with costs from the table plus per-touch costs', () => {
    const r = lift();
    expect(r.name).to.deep.equal(['all', 'email', 'sms', 'flash', 'spring']);
    const email = row(r, 'email');
    expect([email.treatment, email.holdout, email.excluded, email.cost, email.incrementalRoas]).to.deep.equal([4, 3, 1, 30, 40 / 30]);
    const all = row(r, 'all');
    expect([all.treatment, all.absoluteLift, all.cost]).to.deep.equal([4, 10, 30.5]);
    // sms: one treatment customer and no holdout
    const sms = row(r, 'sms');
    expect([sms.treatment, sms.holdout, sms.sufficient, sms.cost]).to.deep.equal([1, 0, 0, 0.5]);
    expect(Number.isNaN(sms.absoluteLift as number)).to.equal(true);
  });

  it('reports "not enough holdout data" below the minimum, keeping the counts', () => {
    const spring = row(lift({ minHoldout: 4 }), 'spring');
    expect([spring.treatment, spring.holdout, spring.sufficient]).to.deep.equal([4, 3, 0]);
    for (const key of ['revenuePerCustomerTreatment', 'absoluteLift', 'incrementalRevenue', 'liftLow', 'incrementalRoas']) {
      expect(Number.isNaN(spring[key] as number), key).to.equal(true);
    }
  });

  it('uses the lift window given', () => {
    // 3 days: t1 still 100; t2's refund (8 days later) and t4's 40 (14 days later) drop out; h1's 60 stays
    const spring = row(lift({ liftWindow: '3d' }), 'spring');
    expect([spring.revenueTreatment, spring.revenueHoldout]).to.deep.equal([100, 60]);
  });

  it('names the lowest channel of a campaign sent on several channels in the range', () => {
    // x1 gets spring by push; y gets it by sms and then by email
    const multi = touches + '\nx1,push,spring,2024-04-25T10:00:00Z,treatment,\ny,sms,spring,2024-04-10T10:00:00Z,treatment,\ny,email,spring,2024-04-12T10:00:00Z,treatment,';
    const r = fixture({ orders, touches: multi, costs }).query({ kind: 'incrementality', params: { minHoldout: 2, range: { from: '2024-04-06', to: '2024-04-30' } } });
    // from the 6th, spring's touches in range are x1's push and y's sms and email: the lowest is email
    expect(r.channel[r.name.indexOf('spring')]).to.equal('email');
    const late = fixture({ orders, touches: multi, costs }).query({ kind: 'incrementality', params: { range: { from: '2024-04-11', to: '2024-04-30' } } });
    expect(late.channel[late.name.indexOf('spring')]).to.equal('email');
    const last = fixture({ orders, touches: multi, costs }).query({ kind: 'incrementality', params: { range: { from: '2024-04-13', to: '2024-04-30' } } });
    expect(last.channel[last.name.indexOf('spring')]).to.equal('push');
  });

  it('keeps the interval exact for large amounts close together', () => {
    // outcomes 1e8 plus a fraction (amounts in IDR or VND reach that), one customer a day from June 1st:
    // squares of raw amounts (about 1e16) would lose the fractions' spread entirely
    const fractions = { treatment: [0, 0.25, 0.5, 1], holdout: [0, 0.5, 0.75] };
    const touchRows = ['customer_id,channel,campaign,sent_at,group,cost'];
    const orderRows = ['customer_id,ordered_at,revenue'];
    for (const group of ['treatment', 'holdout'] as const) {
      fractions[group].forEach((f, i) => {
        touchRows.push(`${group}${i},email,big,2024-06-0${i + 1}T10:00:00Z,${group},`);
        orderRows.push(`${group}${i},2024-06-0${i + 1}T11:00:00Z,${100_000_000 + f}`);
      });
    }
    const r = fixture({ orders: orderRows.join('\n'), touches: touchRows.join('\n'), costs: 'date,channel,campaign,amount\n' }).query({
      kind: 'incrementality',
      params: { minHoldout: 2, range: { from: '2024-06-01', to: '2024-06-30' } },
    });
    const big = row(r, 'big');
    // treatment: mean 1e8 + 7/16, squared deviations 35/64; holdout: mean 1e8 + 5/12, squared deviations 7/24
    const se = Math.sqrt(35 / 64 / 3 / 4 + 7 / 24 / 2 / 3);
    expect([big.treatment, big.holdout]).to.deep.equal([4, 3]);
    expect(Math.abs((big.absoluteLift as number) - 1 / 48)).to.be.below(1e-7);
    expect(Math.abs((big.liftLow as number) - (1 / 48 - Z * se))).to.be.below(1e-6);
    expect(Math.abs((big.liftHigh as number) - (1 / 48 + Z * se))).to.be.below(1e-6);
  });

  it('assigns by the earliest touch in the range only', () => {
    const r = lift({ range: { from: '2024-04-03', to: '2024-04-30' } });
    // in range: t3, t4 (treatment), h2, h3 (holdout); t1, t2, h1, m1 were assigned before the range
    expect([row(r, 'spring').treatment, row(r, 'spring').holdout, row(r, 'spring').excluded]).to.deep.equal([2, 2, 0]);
  });

  it('reassigns a run begun before the range at its first touch in it, with the lift window to the minute', () => {
    // weekly emails to a (treatment) and b (holdout) from April 1st; the range starts on the 10th, so
    // both are assigned at their touch of the 15th, whose window ends on the 22nd at 10:00
    const touchRows = ['customer_id,channel,campaign,sent_at,group,cost'];
    for (const day of ['01', '08', '15', '22']) {
      touchRows.push(`a,email,weekly,2024-04-${day}T10:00:00Z,treatment,`, `b,email,weekly,2024-04-${day}T10:00:00Z,holdout,`);
    }
    const orderRows = [
      'customer_id,ordered_at,revenue',
      'a,2024-04-09T10:00:00Z,1000', // before the assignment
      'a,2024-04-22T09:30:00Z,40', // half an hour inside the window
      'a,2024-04-22T10:00:00Z,7', // on its end: outside
      'b,2024-04-22T09:59:00Z,10',
    ].join('\n');
    const r = fixture({ orders: orderRows, touches: touchRows.join('\n'), costs: 'date,channel,campaign,amount\n' }).query({
      kind: 'incrementality',
      params: { minHoldout: 1, liftWindow: '7d', range: { from: '2024-04-10', to: '2024-04-30' } },
    });
    for (const scope of ['all', 'email', 'weekly']) {
      const x = row(r, scope);
      expect([x.treatment, x.holdout, x.revenueTreatment, x.revenueHoldout, x.conversionTreatment], scope).to.deep.equal([1, 1, 40, 10, 1]);
    }
  });

  it('on one day, reassigns the runs whose previous touch was before the range and only those', () => {
    // the range starts on the 10th. On the 14th: c and d (previous touch on the 1st) are assigned there,
    // e (previous touch on the 12th, inside the range) was already assigned on the 12th, f on the 11th
    const touchRows = [
      'customer_id,channel,campaign,sent_at,group,cost',
      'c,email,news,2024-04-01T10:00:00Z,treatment,',
      'c,email,news,2024-04-14T10:00:00Z,treatment,',
      'd,email,news,2024-04-01T10:00:00Z,holdout,',
      'd,email,news,2024-04-14T10:00:00Z,holdout,',
      'e,email,news,2024-04-05T10:00:00Z,treatment,',
      'e,email,news,2024-04-12T10:00:00Z,treatment,',
      'e,email,news,2024-04-14T10:00:00Z,treatment,',
      'f,email,news,2024-04-08T10:00:00Z,holdout,',
      'f,email,news,2024-04-11T10:00:00Z,holdout,',
      'f,email,news,2024-04-14T10:00:00Z,holdout,',
    ].join('\n');
    const orderRows = [
      'customer_id,ordered_at,revenue',
      'c,2024-04-15T10:00:00Z,30', // inside c's window (from the 14th)
      'd,2024-04-16T10:00:00Z,5',
      'e,2024-04-13T10:00:00Z,80', // inside e's window from the 12th, before its touch of the 14th
      'f,2024-04-11T12:00:00Z,9', // inside f's window from the 11th
    ].join('\n');
    const r = fixture({ orders: orderRows, touches: touchRows, costs: 'date,channel,campaign,amount\n' }).query({
      kind: 'incrementality',
      params: { minHoldout: 1, liftWindow: '7d', range: { from: '2024-04-10', to: '2024-04-30' } },
    });
    for (const scope of ['all', 'email', 'news']) {
      const x = row(r, scope);
      expect([x.treatment, x.holdout, x.revenueTreatment, x.revenueHoldout], scope).to.deep.equal([2, 2, 110, 14]);
    }
  });
});
