import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { KeyLog } from '../../../workers/table/key-log.js';

const encoder = new TextEncoder();

/**
 * What the log promises: codes by first appearance, as a per-row dictionary gives them, except when
 * every key is a numeric id (a prefix of up to 8 non-digit bytes, 1 to 12 digits, at most four
 * prefixes) and the distinct keys share one prefix length and one digit count: then codes follow the
 * keys' byte order (with the `byteOrder` option, as for customer ids).
 */
function naive(keys: string[], byteOrder = true): { codes: number[]; values: string[] } {
  const index = new Map<string, number>();
  for (const k of keys) if (!index.has(k)) index.set(k, index.size);
  let values = [...index.keys()];
  if (byteOrder && byteOrdered(values)) values = values.map((v) => encoder.encode(v)).sort(compareBytes).map((b) => new TextDecoder().decode(b));
  const code = new Map(values.map((v, c) => [v, c]));
  return { codes: keys.map((k) => code.get(k)!), values };
}

function byteOrdered(distinct: string[]): boolean {
  const parts = distinct.map((k) => /^([^0-9]*)([0-9]+)$/.exec(k));
  if (distinct.length < 2 || parts.some((m) => m === null || encoder.encode(m[1]).length > 8 || m[2]!.length > 12)) return false;
  const prefixes = new Set(parts.map((m) => m![1]));
  if (prefixes.size > 4) return false;
  const width = new Set(parts.map((m) => `${encoder.encode(m![1]).length}/${m![2]!.length}`));
  return width.size === 1;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** Logs the keys (each in its own buffer, at an offset) and returns every key's code and the dictionary. */
function logged(keys: string[], byteOrder = true): { codes: number[]; values: string[] } {
  const log = new KeyLog({ capacity: 4, byteOrder });
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
        expect(logged(keys, false)).to.deep.equal(naive(keys, false));
      }),
      { numRuns: 300 },
    );
  });

  it('ids of several prefixes and digit counts in narrow ranges (the bitmap path) intern like a Map', () => {
    // narrow ranges take the bitmap path; classes share bitmap words at any offset, and values above 2^32
    // (12 digits) keep their high bits
    const id = fc.oneof(
      fc.tuple(fc.constantFrom('O', 'R', 'INV-', 'Ö'), fc.integer({ min: 0, max: 90 }), fc.integer({ min: 2, max: 4 })).map(([p, n, d]) => `${p}${String(n).padStart(d, '0')}`),
      fc.integer({ min: 4294967200, max: 4294967400 }).map((n) => `C${String(n).padStart(12, '0')}`),
    );
    fc.assert(
      fc.property(fc.array(id, { maxLength: 80 }), (keys) => {
        expect(logged(keys)).to.deep.equal(naive(keys));
        expect(logged(keys, false)).to.deep.equal(naive(keys, false));
      }),
      { numRuns: 300 },
    );
    // one class spread over many words, and a sparse one beside it (ranges beyond the bitmap's budget)
    const wide = Array.from({ length: 3000 }, (_, i) => `O${String((i * 7919) % 5000).padStart(5, '0')}`);
    expect(logged(wide)).to.deep.equal(naive(wide));
    expect(logged(wide, false)).to.deep.equal(naive(wide, false));
    const sparse = ['C000000000001', 'C999999999998', 'C000000000001', 'C500000000000'];
    expect(logged(sparse)).to.deep.equal(naive(sparse));
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
    expect(logged(['cust-00042', 'cust-00041', 'cust-00042'])).to.deep.equal({ codes: [1, 0, 1], values: ['cust-00041', 'cust-00042'] });
  });

  it('numeric ids of one width are coded in byte order, others by first appearance', () => {
    // one prefix length and one digit count: byte order, prefixes first (R after O), values after
    expect(logged(['O0012', 'R0003', 'O0007', 'R0003', 'O0012'])).to.deep.equal({ codes: [1, 2, 0, 2, 1], values: ['O0007', 'O0012', 'R0003'] });
    // large values use the high bits (above 2^32) and the middle 16 bits
    expect(logged(['C999999999999', 'C004294967296', 'C004294967295', 'C000000065536'])).to.deep.equal({
      codes: [3, 2, 1, 0],
      values: ['C000000065536', 'C004294967295', 'C004294967296', 'C999999999999'],
    });
    expect(logged(['O0012', 'R0003', 'O0007'], false)).to.deep.equal({ codes: [0, 1, 2], values: ['O0012', 'R0003', 'O0007'] });
    // two digit counts, or two prefix lengths: first appearance
    expect(logged(['C12', 'C011', 'C12'])).to.deep.equal({ codes: [0, 1, 0], values: ['C12', 'C011'] });
    expect(logged(['CA12', 'C11'])).to.deep.equal({ codes: [0, 1], values: ['CA12', 'C11'] });
    // a non-ASCII prefix orders by its bytes (U+00D6 is C3 96 in UTF-8, after Z)
    expect(logged(['\u00d612', 'ZZ12', 'AB12'])).to.deep.equal({ codes: [2, 1, 0], values: ['AB12', 'ZZ12', '\u00d612'] });
  });
});
