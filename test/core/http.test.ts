import { expect } from '@open-wc/testing';
import { BATCH_BYTES, readBatches } from '../../src/core/http.js';

/** A stream that hands out the given chunks in order. */
function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  let k = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (k < chunks.length) controller.enqueue(chunks[k++]!);
      else controller.close();
    },
  });
}

/** Bytes numbered from `from` (mod 251), so a reordered or lost byte shows. */
function bytes(length: number, from: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (from + i) % 251;
  return out;
}

async function batchesOf(chunks: Uint8Array[], ownChunks = false): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const batch of readBatches(streamOf(chunks), { signal: new AbortController().signal, name: 'test', ownChunks })) out.push(batch);
  return out;
}

function joined(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('readBatches', () => {
  it('gathers small chunks into batches of BATCH_BYTES, each owning its buffer, the last one short', async () => {
    const chunks: Uint8Array[] = [];
    let total = 0;
    while (total < 2.5 * BATCH_BYTES) {
      chunks.push(bytes(65_536, total));
      total += 65_536;
    }
    const batches = await batchesOf(chunks);
    expect(batches.map((b) => b.length)).to.deep.equal([BATCH_BYTES, BATCH_BYTES, total - 2 * BATCH_BYTES]);
    for (const b of batches) expect([b.byteOffset, b.byteLength]).to.deep.equal([0, b.buffer.byteLength]);
    expect(joined(batches)).to.deep.equal(joined(chunks));
  });

  it('with its own chunks (a Blob), passes one of half a batch to two batches that owns its buffer on as it is, after the bytes gathered before it', async () => {
    const small = bytes(1000, 0);
    const big = bytes(2 * BATCH_BYTES, 1000);
    const half = bytes(BATCH_BYTES / 2, 7);
    const tail = bytes(10, 3);
    const batches = await batchesOf([small, big, half, tail], true);
    expect(batches.map((b) => b.length)).to.deep.equal([1000, 2 * BATCH_BYTES, BATCH_BYTES / 2, 10]);
    expect(batches[1]).to.equal(big); // the same array: no copy
    expect(batches[2]).to.equal(half);
    expect(joined(batches)).to.deep.equal(joined([small, big, half, tail]));
  });

  it("copies a host stream's chunks, however large (a transfer would detach the host's buffers)", async () => {
    const big = bytes(2 * BATCH_BYTES, 5);
    const batches = await batchesOf([big]);
    expect(batches.map((b) => b.length)).to.deep.equal([BATCH_BYTES, BATCH_BYTES]);
    for (const b of batches) expect(b.buffer).to.not.equal(big.buffer);
    expect(joined(batches)).to.deep.equal(big);
  });

  it('copies a chunk over two batches into batches even when it is its own, for progress and a prompt cancel', async () => {
    const huge = bytes(3 * BATCH_BYTES + 5, 9);
    const batches = await batchesOf([huge], true);
    expect(batches.map((b) => b.length)).to.deep.equal([BATCH_BYTES, BATCH_BYTES, BATCH_BYTES, 5]);
    expect(joined(batches)).to.deep.equal(huge);
  });

  it('copies a large chunk that is a view into a larger buffer (it could not be transferred alone)', async () => {
    const backing = bytes(BATCH_BYTES + 100, 0);
    const view = backing.subarray(100);
    const batches = await batchesOf([view], true);
    expect(batches.map((b) => b.length)).to.deep.equal([BATCH_BYTES]);
    expect(batches[0]!.buffer).to.not.equal(backing.buffer);
    expect(batches[0]).to.deep.equal(view);
  });
});
