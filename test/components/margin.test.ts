import { expect } from '@open-wc/testing';
import { knownSum } from '../../src/components/shared/margin.js';

describe('knownSum (the margins of the keys folded into "Other CRM")', () => {
  const sum = (values: number[]): number => knownSum(values.length, (i) => values[i]!, () => false);

  it('sums the known values and leaves the unknown out', () => {
    expect(sum([40, Number.NaN, 30])).to.equal(70);
    expect(sum([40, 0, -10])).to.equal(30);
    expect(sum([])).to.equal(0);
    expect(sum([0, 0])).to.equal(0);
  });

  it('is unknown when the only values besides zeros are unknown (a zero cell reads as one without purchases)', () => {
    expect(sum([Number.NaN, Number.NaN])).to.be.NaN;
    expect(sum([0, Number.NaN, 0])).to.be.NaN;
  });

  it('takes a 0 that purchases make up (a margin of exactly 0 earned) as known', () => {
    const values = [0, Number.NaN, 0];
    const purchases = [1, 2, 0];
    expect(knownSum(3, (i) => values[i]!, (i) => purchases[i]! > 0)).to.equal(0);
    expect(knownSum(3, (i) => [5, Number.NaN, 0][i]!, (i) => purchases[i]! > 0)).to.equal(5);
    expect(knownSum(3, (i) => values[i]!, () => false)).to.be.NaN;
  });
});
