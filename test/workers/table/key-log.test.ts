import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { KeyLog } from '../../../workers/table/key-log.js';

const encoder = new TextEncoder();

/** What a per-row dictionary gives: codes by first appearance, and the distinct keys in that order. */
function naive(keys: string[]): { codes: number[]; values: string[] } {
  const index = new Map<string, number>();
  const codes = keys.map((k) => {
    let c = index.get(k);
    if (c === undefined) {
      c = index.size;
      index.set(k, c);
    }
    return c;
  });
  return { codes, values: [...index.keys()] };
}

/** Logs the keys (each in its own buffer, at an offset) and returns every key's code and the dictionary. */
function logged(keys: string[]): { codes: number[]; values: string[] } {
  const log = new KeyLog(4);
  const entries = keys.map((k) => {
    const bytes = encoder.encode(`##${k}#`);
    return log.intern(bytes, 2, bytes.length - 1);
  });
  const finished = log.finish();
  return { codes: entries.map((e) => finished.codes[e]!), values: finished.decode('utf-8') };
}

describe('KeyLog', () => {
  it('numeric ids (one prefix, up to 12 digits, leading zeros significant) intern like a Map', () => {
    const id = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 12 })).map(([n, digits]) => `C${String(n).padStart(digits, '0').slice(-digits)}`);
    fc.assert(
      fc.property(fc.array(id, { maxLength: 60 }), (keys) => {
        expect(logged(keys)).to.deep.equal(naive(keys));
      }),
      { numRuns: 300 },
    );
  });

  it('a key that leaves the numeric form at any point gives the same dictionary as a Map', () => {
    const numeric = fc.oneof(
      fc.integer({ min: 0, max: 999_999_999_999 }).map((n) => `O${String(n).padStart(12, '0')}`),
      fc.integer({ min: 0, max: 30 }).map((n) => `O${n}`),
      fc.constantFrom('O4294967296', 'O4294967295', 'O999999999999', 'O000000000000'),
    );
    const other = fc.constantFrom('O', 'X12', 'R0061', 'INV-1', 'CRN-1', 'Q7', 'O12a', 'O1234567890123', 'o12', 'OO12', '12', 'O-1', 'O 1', 'Ö12', 'a-very-long-key-of-more-than-16-bytes', '');
    fc.assert(
      fc.property(fc.array(fc.oneof({ weight: 8, arbitrary: numeric }, { weight: 1, arbitrary: other }), { maxLength: 60 }), (keys) => {
        const nonEmpty = keys.filter((k) => k !== '');
        expect(logged(nonEmpty)).to.deep.equal(naive(nonEmpty));
      }),
      { numRuns: 300 },
    );
  });

  it('plain numbers, prefixes of several bytes and up to four prefixes are numeric ids too', () => {
    const keys = ['12', '012', '12', '7', 'cust-00042', '00042', 'O1', 'R1', 'O1', 'INV-7', 'R1', 'Z9', '012', 'x'];
    for (let k = 1; k <= keys.length; k++) expect(logged(keys.slice(0, k))).to.deep.equal(naive(keys.slice(0, k)));
    expect(logged(['cust-00042', 'cust-00041', 'cust-00042'])).to.deep.equal({ codes: [0, 1, 0], values: ['cust-00042', 'cust-00041'] });
  });
});
