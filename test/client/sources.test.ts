import { expect } from '@open-wc/testing';
import { largestSource } from '../../src/client/sources.js';

describe('largestSource', () => {
  const bytes = (n: number): Uint8Array => new Uint8Array(n);
  it('names the largest of Files, Blobs and bytes, the first of equal sizes', () => {
    expect(largestSource([new Blob(['abc']), bytes(10), new File(['x'.repeat(7)], 'a.csv')])).to.equal(1);
    expect(largestSource([new ArrayBuffer(12), bytes(10), new Blob(['x'.repeat(12)])])).to.equal(0);
    expect(largestSource([bytes(1), bytes(2), bytes(3), bytes(0)])).to.equal(2);
  });
  it('is -1 for one source, or when a size is not known before reading (URLs, arrays, streams)', () => {
    expect(largestSource([bytes(10)])).to.equal(-1);
    expect(largestSource([])).to.equal(-1);
    expect(largestSource([bytes(10), 'https://example.com/orders.csv'])).to.equal(-1);
    expect(largestSource([bytes(10), [{ customer_id: 'c1' }]])).to.equal(-1);
    expect(largestSource([new ReadableStream<Uint8Array>(), bytes(10)])).to.equal(-1);
  });
});
