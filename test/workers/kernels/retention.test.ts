import { expect } from '@open-wc/testing';
import { CELL_COMPLETE, CELL_FUTURE, CELL_INCOMPLETE } from '../../../src/core/results.js';
import { fixture } from '../../support/kernels.js';

const orders = [
  'customer_id,ordered_at,revenue',
  'a,2024-01-15T10:00:00Z,100',
  'a,2024-02-10T10:00:00Z,50',
  'a,2024-02-20T10:00:00Z,-10',
  'a,2024-04-05T10:00:00Z,30',
  'b,2024-01-20T10:00:00Z,40',
  'c,2024-02-05T10:00:00Z,70',
  'c,2024-03-01T10:00:00Z,20',
  'd,2024-01-05T10:00:00Z,-5',
  'd,2024-02-25T10:00:00Z,10',
  'e,2023-12-31T10:00:00Z,15',
  'e,2024-01-31T10:00:00Z,15',
].join('\n');

function retention(measure: string, extra: Record<string, unknown> = {}) {
  return fixture({ orders }).query({ kind: 'retention', params: { measure: measure as never, offsets: 4, range: { from: '2024-01-01', to: '2024-03-31' }, ...extra } });
}

function rows(r: ReturnType<typeof retention>): (number | null)[][] {
  const out: (number | null)[][] = [];
  for (let c = 0; c < r.cohortLabels.length; c++) {
    const row: (number | null)[] = [];
    for (let k = 0; k < r.offsets; k++) {
      const v = r.values[c * r.offsets + k]!;
      row.push(Number.isNaN(v) ? null : Math.round(v * 1e9) / 1e9);
    }
    out.push(row);
  }
  return out;
}

describe('cohort retention (metrics.md section 5)', () => {
  it('builds cohorts by the month of the first purchase in the whole dataset', () => {
    const r = retention('customers');
    expect(r.cohortLabels).to.deep.equal(['2024-01-01', '2024-02-01', '2024-03-01']);
    // e's first purchase was in December: not a cohort of this range, even with a January purchase
    expect(Array.from(r.cohortSize)).to.deep.equal([2, 2, 0]);
  });

  it('customers: share of the cohort with a purchase in each period (refunds are not activity)', () => {
    expect(rows(retention('customers'))).to.deep.equal([
      [1, 0.5, 0, 0.5],
      [1, 0.5, 0, null],
      [null, null, null, null],
    ]);
  });

  it('rolling: active in the period or any later one', () => {
    expect(rows(retention('rolling'))).to.deep.equal([
      [1, 0.5, 0.5, 0.5],
      [1, 0.5, 0, null],
      [null, null, null, null],
    ]);
  });

  it('revenue, cumulative revenue and revenue retention (net of refunds, per cohort customer)', () => {
    // d's refund in January precedes its February cohort and is left out
    expect(rows(retention('revenue'))).to.deep.equal([
      [70, 20, 0, 15],
      [40, 10, 0, null],
      [null, null, null, null],
    ]);
    expect(rows(retention('cumulative_revenue'))).to.deep.equal([
      [70, 90, 90, 105],
      [40, 50, 50, null],
      [null, null, null, null],
    ]);
    expect(rows(retention('revenue_retention'))).to.deep.equal([
      [1, 40 / 140, 0, 30 / 140],
      [1, 0.25, 0, null],
      [null, null, null, null],
    ].map((row) => row.map((v) => (v === null ? null : Math.round(v * 1e9) / 1e9))));
  });

  it("revenue retention has no value when the cohort's first-period net revenue is 0", () => {
    // x and y refund their first purchases within January: the cohort's offset 0 nets to 0, so no
    // offset has a share of it, while revenue per customer still reads 0 and then 30 / 2
    const zero = fixture({
      orders: [
        'customer_id,ordered_at,revenue',
        'x,2024-01-10T10:00:00Z,50',
        'x,2024-01-20T10:00:00Z,-50',
        'x,2024-02-10T10:00:00Z,30',
        'y,2024-01-15T10:00:00Z,20',
        'y,2024-01-16T10:00:00Z,-20',
      ].join('\n'),
    });
    const run = (measure: string) => zero.query({ kind: 'retention', params: { measure: measure as never, offsets: 3, range: { from: '2024-01-01', to: '2024-03-31' } } });
    // the February and March cohorts of the range have no customers, so no values
    const empty = [null, null, null];
    expect(rows(run('revenue'))).to.deep.equal([[0, 15, null], empty, empty]);
    expect(rows(run('revenue_retention'))).to.deep.equal([[null, null, null], empty, empty]);
  });

  it('marks cells incomplete at the last order and future after it', () => {
    const r = retention('customers');
    // last order 2024-04-05: April is incomplete, May and later are future
    const status = (c: number): number[] => Array.from(r.status.slice(c * 4, c * 4 + 4));
    expect(status(0)).to.deep.equal([CELL_COMPLETE, CELL_COMPLETE, CELL_COMPLETE, CELL_INCOMPLETE]);
    expect(status(1)).to.deep.equal([CELL_COMPLETE, CELL_COMPLETE, CELL_INCOMPLETE, CELL_FUTURE]);
    expect(status(2)).to.deep.equal([CELL_COMPLETE, CELL_INCOMPLETE, CELL_FUTURE, CELL_FUTURE]);
  });

  it('takes the last order of the dataset from any customer, the last row of the table included', () => {
    // orders are stored by customer, then time: the latest order here is the last row (customer z)
    const body = 'customer_id,ordered_at,revenue\na,2024-01-10T10:00:00Z,10\na,2024-02-10T10:00:00Z,10\nz,2024-01-20T10:00:00Z,10\nz,2024-03-05T10:00:00Z,10\n';
    const r = fixture({ orders: body }).query({ kind: 'retention', params: { measure: 'customers', offsets: 3, range: { from: '2024-01-01', to: '2024-03-31' } } });
    // last order 2024-03-05: March is incomplete for the January cohort
    expect(r.cohortLabels).to.deep.equal(['2024-01-01', '2024-02-01', '2024-03-01']);
    expect(Array.from(r.status.slice(0, 3))).to.deep.equal([CELL_COMPLETE, CELL_COMPLETE, CELL_INCOMPLETE]);
  });

  it('averages complete cells only: weighted by cohort size and simple', () => {
    const r = retention('revenue');
    const mean = (a: Float64Array): (number | null)[] => Array.from(a, (v) => (Number.isNaN(v) ? null : Math.round(v * 1e9) / 1e9));
    expect(mean(r.weightedMean)).to.deep.equal([55, 15, 0, null]);
    expect(mean(r.simpleMean)).to.deep.equal([55, 15, 0, null]);
    expect(Array.from(r.meanCells)).to.deep.equal([2, 2, 1, 0]);
    const w = retention('customers', { range: { from: '2023-12-01', to: '2024-02-29' } });
    // December cohort (e: 1 customer) is in the weighted mean by size
    expect(Array.from(w.cohortSize)).to.deep.equal([1, 2, 2]);
    expect(Math.round(w.weightedMean[1]! * 1e9) / 1e9).to.equal(Math.round(((1 * 1 + 2 * 0.5 + 2 * 0.5) / 5) * 1e9) / 1e9);
    expect(Math.round(w.simpleMean[1]! * 1e9) / 1e9).to.equal(Math.round(((1 + 0.5 + 0.5) / 3) * 1e9) / 1e9);
  });

  it('buckets by the reporting time zone, across a daylight-saving change', () => {
    const ny = [
      'customer_id,ordered_at,revenue',
      // 23:30 New York on Feb 29 is already March 1 in UTC: a February cohort here
      'a,2024-03-01T04:30:00Z,10',
      'a,2024-03-10T06:30:00Z,10', // 01:30 EST on the spring-forward day
      'a,2024-03-11T03:30:00Z,10', // 23:30 EDT on the same local day
      'b,2024-03-05T12:00:00Z,10',
    ].join('\n');
    const monthly = fixture({ orders: ny }, { timezone: 'America/New_York' }).query({ kind: 'retention', params: { period: 'month', offsets: 2 } });
    expect(monthly.cohortLabels).to.deep.equal(['2024-02-01', '2024-03-01']);
    expect(Array.from(monthly.cohortSize)).to.deep.equal([1, 1]);
    const daily = fixture({ orders: ny }, { timezone: 'America/New_York' }).query({ kind: 'retention', params: { period: 'day', offsets: 11, measure: 'revenue' } });
    const a = daily.cohortLabels.indexOf('2024-02-29');
    // both purchases on the local day 2024-03-10 (offset 10) fall in one cell
    expect(daily.counts[a * 11 + 10]).to.equal(20);
  });

  it('breaks cohorts down by a customers attribute', () => {
    const r = fixture({ orders, customers: 'customer_id,plan\na,pro\nb,free\nc,pro\n' }).query({
      kind: 'retention',
      params: { offsets: 2, breakdown: 'plan', range: { from: '2024-01-01', to: '2024-02-29' } },
    });
    expect(r.groups).to.deep.equal(['free', 'pro', '(none)']);
    const sizes = r.cohortLabels.map((label, i) => `${r.groups[r.cohortGroup[i]!]} ${label} ${r.cohortSize[i]}`);
    expect(sizes).to.deep.equal(['free 2024-01-01 1', 'free 2024-02-01 0', 'pro 2024-01-01 1', 'pro 2024-02-01 1', '(none) 2024-01-01 0', '(none) 2024-02-01 1']);
  });

  it('shows whole cohorts for a range that starts and ends inside a period, as their labels say', () => {
    // p buys 01-05 and 02-10, q 01-20; s buys 03-05 and 04-02, r 03-20; t 06-15 (the data's last day)
    const edges = ['customer_id,ordered_at,revenue', 'p,2024-01-05T10:00:00Z,10', 'p,2024-02-10T10:00:00Z,10', 'q,2024-01-20T10:00:00Z,10', 'r,2024-03-20T10:00:00Z,10', 's,2024-03-05T10:00:00Z,10', 's,2024-04-02T10:00:00Z,10', 't,2024-06-15T10:00:00Z,10'].join('\n');
    const r = fixture({ orders: edges }).query({ kind: 'retention', params: { measure: 'customers', offsets: 2, range: { from: '2024-01-15', to: '2024-03-10' } } });
    expect(r.cohortLabels).to.deep.equal(['2024-01-01', '2024-02-01', '2024-03-01']);
    // January is p and q (p's first purchase is before the range's first day), March s and r (r's after its last)
    expect(Array.from(r.cohortSize)).to.deep.equal([2, 0, 2]);
    expect(rows(r as never)).to.deep.equal([[1, 0.5], [null, null], [1, 0.5]]);
  });

  it('has no revenue retention where the first period\'s net revenue is not positive', () => {
    // u's refund of 100 on 01-02 outweighs its purchase of 50 on 01-10 (January's net −50), then 50 in February
    const refunded = ['customer_id,ordered_at,revenue', 'u,2024-01-02T10:00:00Z,-100', 'u,2024-01-10T10:00:00Z,50', 'u,2024-02-10T10:00:00Z,50', 'v,2024-04-01T10:00:00Z,10'].join('\n');
    const r = fixture({ orders: refunded }).query({ kind: 'retention', params: { measure: 'revenue_retention', offsets: 2, range: { from: '2024-01-01', to: '2024-01-31' } } });
    expect(Array.from(r.counts)).to.deep.equal([-50, 50]);
    expect(rows(r as never)).to.deep.equal([[null, null]]);
  });

  it('leaves a cohort without revenue retention out of the means, which count only the cohorts that have one', () => {
    // January: u, net −50 and then 50 (no revenue retention); February: w (40, then 20 in March) and x (10, then nothing): 20 / 50
    const orders = ['customer_id,ordered_at,revenue', 'u,2024-01-02T10:00:00Z,-100', 'u,2024-01-10T10:00:00Z,50', 'u,2024-02-10T10:00:00Z,50', 'w,2024-02-05T10:00:00Z,40', 'w,2024-03-05T10:00:00Z,20', 'x,2024-02-06T10:00:00Z,10', 'v,2024-06-01T10:00:00Z,10'].join('\n');
    const r = fixture({ orders }).query({ kind: 'retention', params: { measure: 'revenue_retention', offsets: 2, range: { from: '2024-01-01', to: '2024-02-29' } } });
    expect(rows(r as never)).to.deep.equal([[null, null], [1, 0.4]]);
    expect(Array.from(r.meanCells)).to.deep.equal([1, 1]);
    expect(Array.from(r.weightedMean)).to.deep.equal([1, 0.4]);
    expect(Array.from(r.simpleMean)).to.deep.equal([1, 0.4]);
  });

  it('rejects bad parameters', () => {
    expect(() => retention('visits')).to.throw(/Unknown retention measure/);
    expect(() => retention('customers', { offsets: 0 })).to.throw(/offsets/);
  });
});
