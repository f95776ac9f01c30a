import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { radixOrder } from '../../../workers/table/order.js';

/** The naive order: a stable comparison sort, NaN last either way, −0 equal to 0. */
function naiveOrder(values: number[], descending: boolean): number[] {
  const rows = values.map((_, i) => i);
  return rows.sort((a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) === Number.isNaN(y) ? a - b : Number.isNaN(x) ? 1 : -1;
    if (x !== y) return descending ? y - x : x - y;
    return a - b;
  });
}

function order(values: number[], descending: boolean): number[] {
  return [...radixOrder(Float64Array.from(values), descending).subarray(0, values.length)];
}

describe('radixOrder (RFM ranks and n-tiles, numeric key order)', () => {
  it('orders by value, ties by row, both ways (hand-checked)', () => {
    expect(order([3, 1, 2, 1], false)).to.deep.equal([1, 3, 2, 0]);
    expect(order([3, 1, 2, 1], true)).to.deep.equal([0, 2, 1, 3]);
    // whole numbers take the counting sort, fractions and negatives the radix passes
    expect(order([0.5, -2, 7, Number.NaN, -0, 0], false)).to.deep.equal([1, 4, 5, 0, 2, 3]);
    expect(order([0.5, -2, 7, Number.NaN, -0, 0], true)).to.deep.equal([2, 0, 4, 5, 1, 3]);
    expect(order([70000, 2, 65535, 2], false)).to.deep.equal([1, 3, 2, 0]);
    expect(order([], false)).to.deep.equal([]);
  });

  it('agrees with a stable comparison sort on any doubles, and on whole numbers small or large', () => {
    const anyDouble = fc.oneof(fc.double(), fc.constantFrom(0, -0, 1, 2, Number.NaN, 65535, 65536, 0.1 + 0.2, 0.3));
    const wholeDays = fc.integer({ min: 0, max: 800 });
    const wholeLarge = fc.integer({ min: 0, max: 200000 });
    fc.assert(
      fc.property(fc.oneof(fc.array(anyDouble), fc.array(wholeDays), fc.array(wholeLarge), fc.array(fc.oneof(wholeDays, anyDouble))), fc.boolean(), (values, descending) => {
        expect(order(values, descending)).to.deep.equal(naiveOrder(values, descending));
      }),
      { numRuns: 400 },
    );
  });

  it('gives the same order after a larger call reused its scratch', () => {
    const big = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 1000);
    order(big, true);
    expect(order([5, 3, 5, 1], true)).to.deep.equal([0, 2, 1, 3]);
    expect(order([5.5, 3, 5.5, 1], false)).to.deep.equal([3, 1, 0, 2]);
  });
});
