import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { compareCodePoints, sortDictionary } from '../../../workers/table/dictionary.js';
import { loadSources } from '../../support/harness.js';

/** The reference order: code point by code point (what DuckDB's VARCHAR order and UTF-8 bytes give). */
function byCodePoints(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k]! - y[k]!;
  return x.length - y.length;
}

// BMP letters, characters above the surrogate range (U+E000, U+FFFD), and astral ones (surrogate pairs)
const key = fc.string({ unit: fc.constantFrom('a', 'Z', '1', 'é', '\uE000', '\uFFFD', '😀', '𝔸', ' '), minLength: 1, maxLength: 5 });

describe('dictionary order', () => {
  it('sortDictionary and compareCodePoints both order by code point', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key, { maxLength: 30 }), (values) => {
        const expected = [...values].sort(byCodePoints);
        expect(sortDictionary(values).sorted).to.deep.equal(expected);
        expect([...values].sort(compareCodePoints)).to.deep.equal(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('customers named by several tables get one dictionary in code-point order', () => {
    fc.assert(
      fc.property(fc.uniqueArray(key.filter((k) => k.trim() === k), { minLength: 1, maxLength: 12 }), fc.integer({ min: 0, max: 12 }), (ids, cut) => {
        const quoted = (s: string): string => `"${s}"`;
        const orders = ['customer_id,ordered_at,revenue', ...ids.slice(0, cut).map((c) => `${quoted(c)},2024-01-01T00:00:00Z,1`)].join('\n');
        const touches = ['customer_id,channel,sent_at', ...ids.slice(Math.max(0, cut - 2)).map((c) => `${quoted(c)},email,2024-01-01T00:00:00Z`)].join('\n');
        const { columns } = loadSources([{ table: 'orders', body: orders }, { table: 'touches', body: touches }]);
        expect(columns.dictionaries.customers).to.deep.equal([...ids].sort(byCodePoints));
      }),
      { numRuns: 150 },
    );
  });
});
