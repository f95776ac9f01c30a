import { expect } from '@open-wc/testing';
import type { RfmParams } from '../../../src/core/queries.js';
import { generateSample, sampleCsv } from '../../../src/sample.js';
import { fixture } from '../../support/kernels.js';

// a: 1 purchase (100) on the last day; b: 2 purchases; c: 3; d: 1 big purchase and a refund; e: 1 small
// purchase on the last day (a recency tie with a); f: only a refund (not an RFM customer).
const orders = [
  'customer_id,ordered_at,revenue',
  'a,2024-06-30T10:00:00Z,100',
  'b,2024-06-01T10:00:00Z,50',
  'b,2024-06-20T10:00:00Z,50',
  'c,2024-05-01T10:00:00Z,20',
  'c,2024-05-02T10:00:00Z,20',
  'c,2024-05-03T10:00:00Z,20',
  'd,2024-01-15T10:00:00Z,300',
  'd,2024-02-01T10:00:00Z,-50',
  'e,2024-06-30T08:00:00Z,10',
  'f,2024-03-01T10:00:00Z,-5',
].join('\n');

function customers(params: Record<string, unknown>) {
  const data = fixture({ orders });
  const page = data.query({ kind: 'rfm-customers', params: { bins: 3, limit: Number.POSITIVE_INFINITY, sort: { by: 'customer' }, ...params } });
  const out: Record<string, string> = {};
  page.ids.forEach((id, i) => {
    out[id] = `R${page.r[i]}F${page.f[i]}M${page.m[i]} ${page.segment[i]}`;
  });
  return { out, page };
}

describe('RFM (metrics.md section 6)', () => {
  it('measures recency in whole days to the start of the day after the latest purchase', () => {
    const { page } = customers({});
    expect(page.ids).to.deep.equal(['a', 'b', 'c', 'd', 'e']);
    expect(Array.from(page.recency)).to.deep.equal([0, 10, 58, 167, 0]);
    expect(Array.from(page.frequency)).to.deep.equal([1, 2, 3, 1, 1]);
    expect(Array.from(page.monetary)).to.deep.equal([100, 100, 60, 250, 10]);
    const grid = fixture({ orders }).query({ kind: 'rfm', params: { bins: 3 } });
    expect(grid.asOfLabel).to.equal('2024-07-01');
    expect(grid.customers).to.equal(5);
  });

  it('percentile scoring: ties share a score', () => {
    expect(customers({ scoring: 'percentile' }).out).to.deep.equal({
      a: 'R2F1M2 Need attention',
      b: 'R2F2M2 Loyal',
      c: "R1F3M1 Can't lose them",
      d: 'R1F1M3 Hibernating',
      e: 'R2F1M1 Need attention',
    });
  });

  it('monetary is kept to 4 decimals, so equal amounts summed differently tie', () => {
    // 0.1 + 0.2 is 0.30000000000000004 in floating point; x pays 0.3 at once, y in two parts
    const tie = ['customer_id,ordered_at,revenue', 'x,2024-06-01T10:00:00Z,0.3', 'y,2024-06-01T10:00:00Z,0.1', 'y,2024-06-01T11:00:00Z,0.2', 'z,2024-06-01T10:00:00Z,0.25'].join('\n');
    const page = fixture({ orders: tie }).query({ kind: 'rfm-customers', params: { bins: 3, sort: { by: 'customer' }, csv: true } });
    expect(Array.from(page.monetary)).to.deep.equal([0.3, 0.3, 0.25]);
    expect(Array.from(page.m)).to.deep.equal([2, 2, 1]);
    expect(page.csv!.split('\n')[2]).to.equal("y,0,2,0.3,1,3,2,Can't lose them");
  });

  it('ntile scoring: SQL NTILE, ties broken by customer id', () => {
    expect(customers({ scoring: 'ntile' }).out).to.deep.equal({
      a: 'R2F1M2 Need attention',
      b: 'R2F2M2 Loyal',
      c: "R1F3M1 Can't lose them",
      d: 'R1F1M3 Hibernating',
      e: 'R3F2M1 Promising',
    });
    // NTILE(3) over 2 rows: buckets 1 and 2, none in 3 (recency: y is worse than z)
    const two = fixture({ orders: 'customer_id,ordered_at,revenue\ny,2024-01-01T10:00:00Z,5\nz,2024-02-01T10:00:00Z,9' });
    const page = two.query({ kind: 'rfm-customers', params: { bins: 3, scoring: 'ntile', sort: { by: 'customer' } } });
    expect([...page.r]).to.deep.equal([1, 2]);
  });

  it('threshold scoring with explicit cut points', () => {
    expect(customers({ scoring: 'thresholds', thresholds: { r: [7, 60], f: [2, 3], m: [50, 200] } }).out).to.deep.equal({
      a: 'R3F1M2 Promising',
      b: 'R2F2M2 Loyal',
      c: 'R2F3M2 Loyal',
      d: 'R1F1M3 Hibernating',
      e: 'R3F1M1 Promising',
    });
  });

  it('monetary as average purchase value, and an explicit as-of day', () => {
    const { page } = customers({ monetary: 'aov', asOf: '2024-07-11' });
    expect(Array.from(page.monetary)).to.deep.equal([100, 50, 20, 300, 10]);
    expect(Array.from(page.recency)).to.deep.equal([10, 20, 68, 177, 10]);
  });

  it('restricts to purchases in the range; as-of follows the latest of those purchases unless given', () => {
    const { page } = customers({ range: { from: '2024-05-01', to: '2024-05-31' } });
    expect(page.ids).to.deep.equal(['c']);
    // the latest purchase considered is c's on 05-03: as-of is the start of 05-04
    expect(Array.from(page.recency)).to.deep.equal([0]);
    const asOfEnd = customers({ range: { from: '2024-05-01', to: '2024-05-31' }, asOf: '2024-06-01' }).page;
    expect(Array.from(asOfEnd.recency)).to.deep.equal([28]);
  });

  it('as of a past time: the orders after it had not happened, so no recency is negative', () => {
    // as of 2024-06-10 (UTC, its start): a and e had not bought yet, b once (06-01 10:00, 8 whole days
    // before), d's refund of 02-01 counts
    const { page } = customers({ asOf: '2024-06-10' });
    expect(page.ids).to.deep.equal(['b', 'c', 'd']);
    expect(Array.from(page.frequency)).to.deep.equal([1, 3, 1]);
    expect(Array.from(page.monetary)).to.deep.equal([50, 60, 250]);
    expect(Array.from(page.recency)).to.deep.equal([8, 37, 146]);
    // an instant: b's purchase at 10:00 on 06-01 counts at that very instant (recency 0), not a second before
    expect(customers({ asOf: '2024-06-01T10:00:00Z' }).page.ids).to.deep.equal(['b', 'c', 'd']);
    expect(customers({ asOf: '2024-06-01T09:59:59Z' }).page.ids).to.deep.equal(['c', 'd']);
  });

  it('summarises the grid and the segments', () => {
    const r = fixture({ orders }).query({ kind: 'rfm', params: { bins: 3 } });
    const cell = (rr: number, f: number): number => (rr - 1) * 3 + (f - 1);
    expect(r.cellCustomers[cell(2, 1)]).to.equal(2);
    expect(r.cellRevenue[cell(2, 1)]).to.equal(110);
    expect(r.cellMeanMonetary[cell(2, 1)]).to.equal(55);
    expect(r.totalRevenue).to.equal(520);
    expect(r.cellRevenueShare[cell(1, 1)]).to.equal(250 / 520);
    expect(r.segments[r.cellSegment[cell(3, 3)]!]).to.equal('Champions');
    const need = r.segments.indexOf('Need attention');
    expect([r.segmentCustomers[need], r.segmentRevenue[need], r.segmentCustomerShare[need]]).to.deep.equal([2, 110, 0.4]);
  });

  it('with AOV as monetary, the grid revenue stays net revenue while its mean monetary is the AOV', () => {
    // asked after the net grid of the same dataset, whose walk of the orders the AOV table shares
    const data = fixture({ orders });
    const net = data.query({ kind: 'rfm', params: { bins: 3 } });
    const aov = data.query({ kind: 'rfm', params: { bins: 3, monetary: 'aov' } });
    const cell = (rr: number, f: number): number => (rr - 1) * 3 + (f - 1);
    // d: one purchase of 300 and a refund of 50; b: two purchases of 50; c: three of 20
    expect([aov.cellRevenue[cell(1, 1)], aov.cellMeanMonetary[cell(1, 1)], net.cellMeanMonetary[cell(1, 1)]]).to.deep.equal([250, 300, 250]);
    expect([aov.cellRevenue[cell(2, 2)], aov.cellMeanMonetary[cell(2, 2)], net.cellMeanMonetary[cell(2, 2)]]).to.deep.equal([100, 50, 100]);
    expect([aov.cellRevenue[cell(1, 3)], aov.cellMeanMonetary[cell(1, 3)]]).to.deep.equal([60, 20]);
    expect([aov.totalRevenue, aov.cellRevenueShare[cell(1, 1)], aov.monetary]).to.deep.equal([520, 250 / 520, 'aov']);
  });

  it('threshold scoring and segment counts with AOV as monetary, under a map that splits on M', () => {
    // bins 3; F and M score 1 + (cuts ≤ value), R scores 3 − (cuts < recency) (docs/metrics.md section 6)
    const params: RfmParams = {
      bins: 3,
      scoring: 'thresholds',
      thresholds: { r: [7, 30], f: [2, 3], m: [100, 275] },
      segments: [
        { name: 'Big spenders', r: [1, 3], f: [1, 3], m: [3, 3] },
        { name: 'Recent', r: [2, 3], f: [1, 3], m: [1, 2] },
        { name: 'Lapsed', r: [1, 1], f: [1, 3], m: [1, 2] },
      ],
    };
    // recency to 07-01 (a 0, b 10, c 58, d 167, e 0): R a 3, b 3 − 1 = 2, c 1, d 1, e 3
    // frequency (1, 2, 3, 1, 1): F a 1, b 1 + 1 = 2, c 1 + 2 = 3, d 1, e 1
    // AOV = purchase revenue / purchases: a 100 / 1, b 100 / 2 = 50, c 60 / 3 = 20, d 300 / 1 (the refund
    // is not a purchase), e 10: M a 1 + 1 = 2 (100 is on a cut), b 1, c 1, d 1 + 2 = 3, e 1
    const aov = customers({ ...params, monetary: 'aov' });
    expect(Array.from(aov.page.monetary)).to.deep.equal([100, 50, 20, 300, 10]);
    expect(aov.out).to.deep.equal({
      a: 'R3F1M2 Recent',
      b: 'R2F2M1 Recent',
      c: 'R1F3M1 Lapsed',
      d: 'R1F1M3 Big spenders',
      e: 'R3F1M1 Recent',
    });
    // net revenue: a 100, b 100, c 60, d 300 − 50 = 250 (below the cut at 275), e 10: M 2, 2, 1, 2, 1
    expect(customers({ ...params, monetary: 'net' }).out).to.deep.equal({
      a: 'R3F1M2 Recent',
      b: 'R2F2M2 Recent',
      c: 'R1F3M1 Lapsed',
      d: 'R1F1M2 Lapsed',
      e: 'R3F1M1 Recent',
    });
    // the grid: the net one asked first on the same dataset, whose walk the AOV table shares
    const data = fixture({ orders });
    const net = data.query({ kind: 'rfm', params: { ...params, monetary: 'net' } });
    const grid = data.query({ kind: 'rfm', params: { ...params, monetary: 'aov' } });
    expect(grid.segments).to.deep.equal(['Big spenders', 'Recent', 'Lapsed']);
    // AOV: Big spenders d (net revenue 250); Recent a, b, e (100 + 100 + 10 = 210); Lapsed c (60); of 5 and 520
    expect(Array.from(grid.segmentCustomers)).to.deep.equal([1, 3, 1]);
    expect(Array.from(grid.segmentRevenue)).to.deep.equal([250, 210, 60]);
    expect(Array.from(grid.segmentCustomerShare)).to.deep.equal([1 / 5, 3 / 5, 1 / 5]);
    expect(Array.from(grid.segmentRevenueShare)).to.deep.equal([250 / 520, 210 / 520, 60 / 520]);
    // net: nobody is a big spender; Lapsed c and d (60 + 250 = 310)
    expect(Array.from(net.segmentCustomers)).to.deep.equal([0, 3, 2]);
    expect(Array.from(net.segmentRevenue)).to.deep.equal([0, 210, 310]);
    // cells (R, F) at (r − 1) × 3 + (f − 1): (1,1) d, (1,3) c, (2,2) b, (3,1) a and e, whatever the monetary
    // mode; every cell is split by M; mean monetary in AOV: 300, 20, 50, (100 + 10) / 2 = 55, in net: 250, 60, 100, 55
    const N = Number.NaN;
    expect(Array.from(grid.cellCustomers)).to.deep.equal([1, 0, 1, 0, 1, 0, 2, 0, 0]);
    expect(Array.from(net.cellCustomers)).to.deep.equal([1, 0, 1, 0, 1, 0, 2, 0, 0]);
    expect(Array.from(grid.cellSegment)).to.deep.equal(new Array(9).fill(-1));
    expect(Array.from(grid.cellMeanMonetary)).to.deep.equal([300, N, 20, N, 50, N, 55, N, N]);
    expect(Array.from(net.cellMeanMonetary)).to.deep.equal([250, N, 60, N, 100, N, 55, N, N]);
    // one segment's list
    const big = data.query({ kind: 'rfm-customers', params: { ...params, monetary: 'aov', segment: 'Big spenders' } });
    expect([big.total, big.ids, Array.from(big.monetary)]).to.deep.equal([1, ['d'], [300]]);
  });

  it('pages and sorts a segment list and exports it as CSV with formula injection neutralised', () => {
    const data = fixture({ orders: orders + '\n=HYPERLINK("x"),2024-06-29T10:00:00Z,40' });
    const page = data.query({ kind: 'rfm-customers', params: { bins: 3, sort: { by: 'monetary', direction: 'desc' }, offset: 1, limit: 2, csv: true } });
    expect(page.total).to.equal(6);
    expect(page.ids).to.deep.equal(['a', 'b']);
    expect(page.csv!.split('\n')[0]).to.equal('customer_id,recency_days,frequency,monetary,r,f,m,segment');
    expect(page.csv).to.contain(`"'=HYPERLINK(""x"")"`);
    expect(() => data.query({ kind: 'rfm-customers', params: { segment: 'VIPs' } })).to.throw(/no segment "VIPs"/);
  });

  it('scores the same after other bins, scorings and ranges were asked of the same dataset (rank orders are cached per value array, which the tables of one walk share)', () => {
    const data = generateSample({ orders: 4000, seed: 9 });
    const tables = { orders: [...sampleCsv(data, 'orders')].join('') };
    const asked = [
      { bins: 5, scoring: 'percentile', monetary: 'net' },
      { bins: 3, scoring: 'ntile', monetary: 'net' },
      { bins: 4, scoring: 'percentile', monetary: 'aov' },
      { bins: 5, scoring: 'ntile', monetary: 'net', range: { from: '2024-01-01', to: '2024-06-30' } },
      { bins: 5, scoring: 'percentile', monetary: 'aov' },
      { bins: 3, scoring: 'ntile', monetary: 'net' },
      { bins: 4, scoring: 'ntile', monetary: 'net', range: { from: '2024-01-01', to: '2024-06-30' } },
    ] as const;
    const shared = fixture(tables);
    for (const params of asked) {
      const page = (f: ReturnType<typeof fixture>) => f.query({ kind: 'rfm-customers', params: { ...params, limit: Number.POSITIVE_INFINITY, sort: { by: 'customer' } } });
      const fresh = page(fixture(tables));
      expect(fresh.total).to.be.greaterThan(200);
      expect(page(shared)).to.deep.equal(fresh);
    }
  });

  it('gives an empty grid for a range with no purchase, and rejects an as-of it cannot read', () => {
    // 2024-03-01 holds only f's refund: no customer has a purchase in the range
    const grid = fixture({ orders }).query({ kind: 'rfm', params: { bins: 3, range: { from: '2024-03-01', to: '2024-03-01' } } });
    expect(grid.customers).to.equal(0);
    expect(grid.totalRevenue).to.equal(0);
    expect(grid.asOf).to.be.NaN;
    expect(grid.asOfLabel).to.equal('');
    expect(Array.from(grid.cellCustomers)).to.deep.equal(new Array(9).fill(0));
    expect(Array.from(grid.cellCustomerShare).every(Number.isNaN)).to.equal(true);
    expect(Array.from(grid.segmentCustomers).every((c) => c === 0)).to.equal(true);
    expect(() => fixture({ orders }).query({ kind: 'rfm', params: { asOf: 'next tuesday' } })).to.throw(/asOf must be a day/);
  });

  it('validates segment maps: every cell exactly once', () => {
    const data = fixture({ orders });
    expect(() => data.query({ kind: 'rfm', params: { bins: 4 } })).to.not.throw();
    expect(() => data.query({ kind: 'rfm', params: { bins: 3, segments: [{ name: 'All', r: [1, 3], f: [1, 2] }] } })).to.throw(/leaves R1 F3 uncovered/);
    expect(() =>
      data.query({ kind: 'rfm', params: { bins: 3, segments: [{ name: 'A', r: [1, 3], f: [1, 3] }, { name: 'B', r: [3, 3], f: [3, 3] }] } }),
    ).to.throw(/covers R3 F3 twice \(A, B\)/);
    const custom = data.query({ kind: 'rfm', params: { bins: 3, segments: [{ name: 'Top', r: [1, 3], f: [1, 3], m: [3, 3] }, { name: 'Rest', r: [1, 3], f: [1, 3], m: [1, 2] }] } });
    expect(custom.segments).to.deep.equal(['Top', 'Rest']);
    expect(Array.from(custom.cellSegment)).to.deep.equal(new Array(9).fill(-1));
    expect(() => data.query({ kind: 'rfm', params: { bins: 6 } })).to.throw(/bins must be 3, 4 or 5/);
  });
});
