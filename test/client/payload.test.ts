// fetchResults (summary-src): the body of a payload is read under the download's idle limit and signal.
import { expect } from '@open-wc/testing';
import { fetchResults } from '../../src/client/payload.js';

/** A response whose body sends `chunks`, then stays open unless `end`. */
function streamed(chunks: Uint8Array[], end: boolean): Response {
  return new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunks) controller.enqueue(chunk);
        if (end) controller.close();
      },
    }),
    { headers: { 'content-type': 'application/json' } },
  );
}

describe('fetchResults', function () {
  this.timeout(20_000);

  it('fails with timeout when the body stalls after the headers, instead of waiting forever', async () => {
    const started = performance.now();
    const error = await fetchResults('/stalled.json', {
      signal: new AbortController().signal,
      idleTimeoutMs: 300,
      fetcher: async () => streamed([new TextEncoder().encode('[')], false),
    }).then(
      () => null,
      (e: { code: string; message: string }) => e,
    );
    expect(error?.code).to.equal('timeout');
    expect(error?.message).to.contain('stalled.json sent no data for');
    expect(performance.now() - started).to.be.lessThan(5000);
  });

  it('is cancelled by its signal mid-body', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await fetchResults('/slow.json', {
      signal: controller.signal,
      fetcher: async () => streamed([new TextEncoder().encode('[')], false),
    }).then(
      () => null,
      (e: { code: string }) => e,
    );
    expect(error?.code).to.equal('aborted');
  });

  it('decodes a body sent a byte at a time, a byte-order mark included', async () => {
    const bytes = new TextEncoder().encode('\uFEFF[ ]');
    expect(bytes.length).to.equal(6);
    const results = await fetchResults('/empty.json', {
      signal: new AbortController().signal,
      fetcher: async () => streamed([...bytes].map((b) => Uint8Array.of(b)), true),
    });
    expect(results).to.deep.equal([]);
  });
});
