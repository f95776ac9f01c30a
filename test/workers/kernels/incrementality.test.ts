import { expect } from '@open-wc/testing';
import type { IncrementalityResult } from '../../../src/core/results.js';
import { KernelContext } from '../../../workers/kernels/context.js';
import { runQuery } from '../../../workers/kernels/query.js';
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

  describe('keeps the interval exact for large amounts close together on every path', () => {
    // the same outcomes as the test above (1e8 plus a fraction, bought an hour after a touch on June
    // 1st + i), so the same hand-computed interval, steered into each of the kernel's other paths
    const fractions = { treatment: [0, 0.25, 0.5, 1], holdout: [0, 0.5, 0.75] };
    interface Steer {
      /** Customers (by index in their group) whose runs began with a touch on May 1st, before the range. */
      begunBefore?: (i: number) => boolean;
      /** A customer filter (plan = pro), with a decoy in plan basic treated on June 2nd who buys 5e8 an hour later. */
      filter?: boolean;
      /** The campaign also goes out by SMS with each email: its runs mix channels, so they are not settled. */
      sms?: boolean;
      /** The later entries are made first (a query over the whole range, then the work it began ahead). */
      ahead?: boolean;
    }
    function bigAmounts(steer: Steer) {
      const touchRows = ['customer_id,channel,campaign,sent_at,group,cost'];
      const orderRows = ['customer_id,ordered_at,revenue'];
      const customerRows = ['customer_id,plan'];
      for (const group of ['treatment', 'holdout'] as const) {
        fractions[group].forEach((f, i) => {
          const id = `${group}${i}`;
          if (steer.begunBefore?.(i) === true) touchRows.push(`${id},email,big,2024-05-01T10:00:00Z,${group},`);
          touchRows.push(`${id},email,big,2024-06-0${i + 1}T10:00:00Z,${group},`);
          if (steer.sms === true) touchRows.push(`${id},sms,big,2024-06-0${i + 1}T10:00:00Z,${group},`);
          orderRows.push(`${id},2024-06-0${i + 1}T11:00:00Z,${100_000_000 + f}`);
          customerRows.push(`${id},pro`);
        });
      }
      if (steer.filter === true) {
        touchRows.push('decoy,email,big,2024-06-02T10:00:00Z,treatment,');
        orderRows.push('decoy,2024-06-02T11:00:00Z,500000000');
        customerRows.push('decoy,basic');
      }
      const { columns } = fixture({ orders: orderRows.join('\n'), touches: touchRows.join('\n'), costs: 'date,channel,campaign,amount\n', customers: customerRows.join('\n') });
      const ctx = new KernelContext(columns);
      if (steer.ahead === true) {
        runQuery(ctx, { kind: 'incrementality', params: { minHoldout: 2 } });
        expect(ctx.work(() => true), 'the later entries are made').to.equal(false);
      }
      return runQuery(ctx, {
        kind: 'incrementality',
        params: { minHoldout: 2, range: { from: '2024-06-01', to: '2024-06-30' }, ...(steer.filter === true ? { filter: { attribute: 'plan', values: ['pro'] } } : {}) },
      }) as IncrementalityResult;
    }
    const paths: Record<string, { steer: Steer; scopes: string[] }> = {
      // every run began on May 1st: each is assigned at its later entry on its June day (no filter)
      'later entries': { steer: { begunBefore: () => true, ahead: true }, scopes: ['all', 'email', 'big'] },
      // the even-numbered customers' runs began in May, the others' in June: each cell merges the
      // first-touch table's runs with the later entries' outcomes
      'first-touch table merged with later entries': { steer: { begunBefore: (i) => i % 2 === 0, ahead: true }, scopes: ['all', 'email', 'big'] },
      // the same two before the later entries are made: the runs begun in May are searched
      'scan of the runs begun before the range, later entries not made yet': { steer: { begunBefore: () => true }, scopes: ['all', 'email', 'big'] },
      'first-touch table merged with the scan, later entries not made yet': { steer: { begunBefore: (i) => i % 2 === 0 }, scopes: ['all', 'email', 'big'] },
      // a filter reads every run per range: the runs start in the range...
      'scan with a filter, runs starting in the range': { steer: { filter: true }, scopes: ['all', 'email', 'big'] },
      // ... or began before it
      'scan with a filter, runs begun before the range': { steer: { begunBefore: () => true, filter: true }, scopes: ['all', 'email', 'big'] },
      // without a filter, only the campaign's unsettled runs are scanned (all CRM, email and sms stay in the table)
      'scan without a filter, a campaign on two channels': { steer: { sms: true }, scopes: ['all', 'email', 'sms', 'big'] },
    };
    // treatment: mean 1e8 + 7/16, squared deviations 35/64; holdout: mean 1e8 + 5/12, squared deviations 7/24
    const se = Math.sqrt(35 / 64 / 3 / 4 + 7 / 24 / 2 / 3);
    for (const [path, { steer, scopes }] of Object.entries(paths)) {
      it(path, () => {
        const r = bigAmounts(steer);
        for (const scope of scopes) {
          const x = row(r, scope);
          expect([x.treatment, x.holdout, x.sufficient], scope).to.deep.equal([4, 3, 1]);
          expect(Math.abs((x.absoluteLift as number) - 1 / 48), scope).to.be.below(1e-7);
          expect(Math.abs((x.liftLow as number) - (1 / 48 - Z * se)), scope).to.be.below(1e-6);
          expect(Math.abs((x.liftHigh as number) - (1 / 48 + Z * se)), scope).to.be.below(1e-6);
        }
      });
    }
  });

  it('reports the lift window in days: 14 by default, else the one given', () => {
    // metrics.md section 4: lift-window, default 14 days
    expect(lift().liftWindowDays).to.equal(14);
    expect(lift({ liftWindow: '3d' }).liftWindowDays).to.equal(3);
    // 36 h = 36 / 24 = 1.5 days (not rounded); 2 w = 14 days; a number is milliseconds: 172 800 000 ms = 2 days
    expect(lift({ liftWindow: '36h' }).liftWindowDays).to.equal(1.5);
    expect(lift({ liftWindow: '2w' }).liftWindowDays).to.equal(14);
    expect(lift({ liftWindow: 172_800_000 }).liftWindowDays).to.equal(2);
  });

  it('has no relative lift when the holdout revenue per customer is 0', () => {
    // campaign "zero": treatment p1 buys 40 two days after the touch, p2 nothing; holdout q1 buys 25 and
    // returns it (net 0, but a purchase: converted), q2 nothing. RPC holdout 0 / 2 = 0, so relative lift =
    // absolute lift / 0 has no value (docs/metrics.md: "none when RPC holdout is 0")
    const zeroTouches = [
      'customer_id,channel,campaign,sent_at,group,cost',
      'p1,email,zero,2024-04-01T10:00:00Z,treatment,',
      'p2,email,zero,2024-04-01T10:00:00Z,treatment,',
      'q1,email,zero,2024-04-01T10:00:00Z,holdout,',
      'q2,email,zero,2024-04-01T10:00:00Z,holdout,',
    ].join('\n');
    const zeroOrders = ['customer_id,ordered_at,revenue', 'p1,2024-04-03T10:00:00Z,40', 'q1,2024-04-02T10:00:00Z,25', 'q1,2024-04-04T10:00:00Z,-25'].join('\n');
    const r = fixture({ orders: zeroOrders, touches: zeroTouches, costs: 'date,channel,campaign,amount\n2024-04-01,email,zero,16\n' }).query({
      kind: 'incrementality',
      params: { minHoldout: 2, range: { from: '2024-04-01', to: '2024-04-30' } },
    });
    // treatment outcomes 40, 0: mean 20, s² = (20² + 20²) / 1 = 800; holdout 0, 0: s² = 0
    const se = Math.sqrt(800 / 2 + 0 / 2);
    for (const scope of ['all', 'email', 'zero']) {
      expect(row(r, scope), scope).to.deep.equal({
        scope: scope === 'all' ? 'all' : scope === 'email' ? 'channel' : 'campaign',
        treatment: 2,
        holdout: 2,
        excluded: 0,
        sufficient: 1,
        revenueTreatment: 40,
        revenueHoldout: 0,
        revenuePerCustomerTreatment: 20,
        revenuePerCustomerHoldout: 0,
        conversionTreatment: 0.5,
        conversionHoldout: 0.5,
        absoluteLift: 20,
        relativeLift: Number.NaN,
        incrementalRevenue: 40, // 20 × 2
        liftLow: 20 - Z * se,
        liftHigh: 20 + Z * se,
        cost: 16,
        incrementalRoas: 2.5, // 40 / 16
      });
    }
  });

  it('has no incremental ROAS when the scope has no cost in the range, even with costs on other days', () => {
    // the fixture's spring, email and all rows have incremental revenue 40 (absolute lift 10 × 4 treatment
    // customers). With cost rows only on March 31st and May 1st (outside April, inside the data's days), or
    // no cost rows at all, email and spring cost 0 in range, so they have no ROAS (docs/metrics.md: "none
    // when cost is 0"; metrics.md section 7: a gap, never infinity or zero); all CRM still has t1's SMS
    // fee of 0.5 sent on April 2nd: 40 / 0.5 = 80
    const outside = 'date,channel,campaign,amount\n2024-03-31,email,spring,20\n2024-03-31,email,,10\n2024-05-01,email,spring,99\n2024-05-01,sms,,7\n';
    const everyone = ['customer_id,plan', ...['t1', 't2', 't3', 't4', 'h1', 'h2', 'h3', 'm1'].map((id) => `${id},pro`)].join('\n');
    const params = { minHoldout: 2, range: { from: '2024-04-01', to: '2024-04-30' } };
    const cases = {
      'costs outside the range': fixture({ orders, touches, costs: outside }).query({ kind: 'incrementality', params }),
      'no costs': fixture({ orders, touches, costs: 'date,channel,campaign,amount\n' }).query({ kind: 'incrementality', params }),
      // with a filter the costs are read per range instead of from the daily table
      'costs outside the range, filtered': fixture({ orders, touches, costs: outside, customers: everyone }).query({
        kind: 'incrementality',
        params: { ...params, filter: { attribute: 'plan', values: ['pro'] } },
      }),
    };
    for (const [what, r] of Object.entries(cases)) {
      for (const scope of ['email', 'spring']) {
        const x = row(r, scope);
        expect([x.sufficient, x.incrementalRevenue, x.cost, x.incrementalRoas], `${what}: ${scope}`).to.deep.equal([1, 40, 0, Number.NaN]);
      }
      const all = row(r, 'all');
      expect([all.incrementalRevenue, all.cost, all.incrementalRoas], `${what}: all`).to.deep.equal([40, 0.5, 80]);
    }
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
      // both bought inside their window: a at 09:30, b at 09:59
      expect([x.treatment, x.holdout, x.revenueTreatment, x.revenueHoldout, x.conversionTreatment, x.conversionHoldout], scope).to.deep.equal([1, 1, 40, 10, 1, 1]);
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
      // every one of the four bought inside its window: 2 of 2 in each group
      expect([x.treatment, x.holdout, x.revenueTreatment, x.revenueHoldout, x.conversionTreatment, x.conversionHoldout], scope).to.deep.equal([2, 2, 110, 14, 1, 1]);
    }
  });
});
