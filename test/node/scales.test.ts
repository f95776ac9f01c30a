// The charts' own round ticks and nice domains: hand-worked values, then d3-array's ticks and nice as
// the reference on random domains (d3-array is a dev dependency for this test only).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nice as d3Nice, ticks as d3Ticks } from 'd3-array';
import fc from 'fast-check';
import { linearScale, niceDomain, ticks } from '../../src/charts/scales.js';

test('ticks are 1, 2 or 5 times a power of ten and print exactly', () => {
  assert.deepEqual(ticks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  // a step below 1 divides whole numbers, so 0.3 is 0.3 and not 0.1 + 0.2
  assert.deepEqual(ticks(0, 0.3, 3), [0, 0.1, 0.2, 0.3]);
  // raw step 5.7e6 / 5 = 1.14e6 is nearest 1e6
  assert.deepEqual(ticks(-1.2e6, 4.5e6, 5), [-1e6, 0, 1e6, 2e6, 3e6, 4e6]);
  // raw step 97 / 10 = 9.7 is past √50 · 1, so 10; ends not on a step are left out
  assert.deepEqual(ticks(3, 100, 10), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  // raw step 40 / 5 = 8 is past √50, so 10 rather than 5
  assert.deepEqual(ticks(0, 40, 5), [0, 10, 20, 30, 40]);
  assert.deepEqual(ticks(10, 0, 2), [10, 5, 0]);
  assert.deepEqual(ticks(7, 7, 5), [7]);
  assert.deepEqual(ticks(0, 1, 0), []);
  assert.deepEqual(ticks(0, Number.NaN, 5), []);
});

test('nice domains widen to the tick step until it settles', () => {
  assert.deepEqual(niceDomain(3, 97, 10), [0, 100]);
  assert.deepEqual(niceDomain(0.12, 0.87, 10), [0.1, 0.9]);
  // 0..1.05 calls for a step of 0.1 (to 1.1), which stays 0.1
  assert.deepEqual(niceDomain(0, 1.05, 10), [0, 1.1]);
  assert.deepEqual(niceDomain(-12_340, 98_760, 10), [-20_000, 100_000]);
  assert.deepEqual(niceDomain(5, 5, 10), [5, 5]);
  // a scale with nice = true uses it, and its ticks reach both ends
  const y = linearScale([0, 987], [300, 0], true);
  assert.deepEqual(y.domain(), [0, 1000]);
  assert.deepEqual(y.ticks(5), [0, 200, 400, 600, 800, 1000]);
  assert.equal(y(500), 150);
  // a domain that only rounding residue keeps from being empty (0.1 + 0.2 - 0.3) gets a whole unit
  const flat = linearScale([0, 0.1 + 0.2 - 0.3], [100, 0], true);
  assert.deepEqual(flat.domain(), [0, 1]);
  assert.deepEqual(flat.ticks(5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  // 3e9 and 3e9 + 0.001 widen to 3e9 .. 6e9 (step 3e8 → 2e8 for 10 ticks), not ten ticks labelled "3.0B"
  assert.deepEqual(linearScale([3e9, 3e9 + 1e-3], [100, 0], true).domain(), [3e9, 6e9]);
});

test('ticks and nice domains equal d3-array on random domains, from cents to billions', () => {
  // amounts and rates, not subnormal numbers (a step near 1e-324 has no power of ten to name it)
  const end = fc
    .oneof(fc.double({ min: -1e9, max: 1e9, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true }), fc.integer({ min: -100_000, max: 100_000 }))
    .map((v) => (Math.abs(v) < 1e-9 ? 0 : v));
  // domains wider than a billionth of their values: narrower ones are rounding residue, which the
  // linear scale widens first (above), and on which both give ticks outside the domain
  fc.assert(
    fc.property(end, end, fc.integer({ min: 2, max: 20 }), (a, b, count) => {
      fc.pre(a === b || Math.abs(b - a) >= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b)));
      const [lo, hi] = a <= b ? [a, b] : [b, a];
      // d3 can give -0 where ours gives 0 (ours never gives a -0 tick, which would print as "-0")
      const zeroed = (values: number[]): number[] => values.map((v) => v + 0);
      const t = ticks(a, b, count);
      assert.ok(t.every((v) => !Object.is(v, -0) && v >= lo && v <= hi));
      assert.deepEqual(t, zeroed(d3Ticks(a, b, count)));
      const [nlo, nhi] = niceDomain(lo, hi, count);
      assert.ok(nlo <= lo && nhi >= hi, `nice domain ${nlo}..${nhi} leaves out part of ${lo}..${hi}`);
      assert.deepEqual(zeroed([nlo, nhi]), zeroed(d3Nice(lo, hi, count)));
    }),
    { numRuns: 20_000 },
  );
});
