import { expect } from '@open-wc/testing';
import { generateSample, sampleCsv, type SampleTable } from '../../../src/sample.js';
import type { ChunkAck, EngineApi } from '../../../src/core/protocol.js';
import { serializeError } from '../../../src/core/errors.js';
import { nextTask } from '../../../src/core/http.js';
import { resolveDatasetOptions } from '../../../src/core/options.js';
import { resultBuffers } from '../../../src/core/results.js';
import { createEngineApi } from '../../../workers/engine.js';
import { transfer } from 'comlink';
import { callTransferring, createParserApi, Helper, HelperPool, partBuffers, type HelperLink, type ParserApi } from '../../../workers/ingest/helpers.js';
import { buildScopeRuns, scopeRunsInputOf } from '../../../workers/kernels/incrementality.js';
import type { TouchRows } from '../../../workers/table/build.js';
import { canonical, loadSources, split } from '../../support/harness.js';

const encoder = new TextEncoder();
const data = generateSample({ orders: 1500, seed: 5 });
const csv = (table: SampleTable): Uint8Array => encoder.encode([...sampleCsv(data, table)].join(''));
/** The touches CSV's header line, and its rows without it. */
const header = (): string => [...sampleCsv(data, 'touches')].join('').split('\n')[0]! + '\n';
const body = (): string => [...sampleCsv(data, 'touches')].join('').split('\n').slice(1).filter((l) => l !== '').join('\n') + '\n';

interface FakeOptions {
  /** The helper never answers its first call (a script that cannot load): fail after this many ms. */
  failToStart?: boolean;
  /** The helper dies when it is sent this push (1-based). */
  dieAtPush?: number;
  /** The helper dies when it is asked to sort a build's touches. */
  dieAtSort?: boolean;
  /** The helper dies when it is asked to build the lift's scope runs. */
  dieAtRuns?: boolean;
  /** The helper never answers when it is asked to build the lift's scope runs, and does not die. */
  hangAtRuns?: boolean;
  /** Answer on a message task, as a real worker's answers arrive (default: on a timer). */
  viaMessages?: boolean;
}

/**
 * A helper "worker" in this thread: the real parser API behind a message boundary that clones like
 * postMessage (and detaches transferred buffers), answering on a later task.
 */
function fakeLink(options: FakeOptions = {}): { link: HelperLink; calls: string[]; args: Map<string, unknown[]>; begun: string[]; stopped: () => boolean } {
  const api = createParserApi();
  const calls: string[] = [];
  /** The arguments of the last call of each method. */
  const args = new Map<string, unknown[]>();
  /** Names of the sources begun in this helper. */
  const begun: string[] = [];
  let failed: ((error: Error) => void) | null = null;
  let pushes = 0;
  let dead = false;
  const later = (answer: () => void): void => {
    if (options.viaMessages) void nextTask().then(answer);
    else setTimeout(answer, 0);
  };
  const link: HelperLink = {
    call(method, callArgs, transfer) {
      calls.push(method);
      args.set(method, callArgs);
      if (method === 'begin') begun.push((callArgs[1] as { name: string }).name);
      const push = method === 'push' ? ++pushes : 0;
      const sent = structuredClone(callArgs, { transfer: transfer ?? [] }) as unknown[];
      return new Promise((resolve, reject) => {
        later(() => {
          if (options.failToStart || dead || (options.hangAtRuns && method === 'scopeRuns')) return; // never answers
          if (options.dieAtPush === push || (options.dieAtSort && method === 'sortTouches') || (options.dieAtRuns && method === 'scopeRuns')) {
            dead = true;
            failed?.(new Error('out of memory'));
            return;
          }
          // what comlink rebuilds on this side from the worker's serialized error
          const fail = (error: unknown): void => reject(Object.assign(new Error(), serializeError(error)));
          try {
            const fn = api[method] as (...a: unknown[]) => unknown;
            // `read` answers once its whole file is parsed
            void Promise.resolve(fn.apply(api, sent)).then((result) => {
              const buffers =
                method === 'finish'
                  ? partBuffers((result as ReturnType<ParserApi['finish']>).parts)
                  : method === 'sortTouches' || method === 'scopeRuns'
                    ? resultBuffers(result)
                    : [];
              resolve(structuredClone(result, { transfer: buffers }) as never);
            }, fail);
          } catch (error) {
            fail(error);
          }
        });
      });
    },
    onFailure(listener) {
      failed = listener;
      if (options.failToStart) setTimeout(() => listener(new Error('the script could not load')), 5);
    },
    terminate() {
      dead = true;
    },
  };
  return { link, calls, args, begun, stopped: () => dead };
}

/** The sources of the test load: the orders as two files (so their order in the dataset shows), touches, customers. */
function sources(): { name: string; table: SampleTable; body: Uint8Array }[] {
  const lines = [...sampleCsv(data, 'orders')].join('').split('\n');
  const half = Math.floor(lines.length / 2);
  const header = lines[0]!;
  return [
    { name: 'orders-1.csv', table: 'orders', body: encoder.encode(lines.slice(0, half).join('\n') + '\n') },
    { name: 'orders-2.csv', table: 'orders', body: encoder.encode([header, ...lines.slice(half)].join('\n')) },
    { name: 'touches.csv', table: 'touches', body: csv('touches') },
    { name: 'customers.csv', table: 'customers', body: csv('customers') },
  ];
}

/** Loads the sources with all of them open at once, chunks interleaved, ending them last to first. */
async function loadAtOnce(engine: EngineApi, dataset: number, largest?: number): Promise<void> {
  const load = engine.beginLoad(dataset, 'replace');
  const list = sources();
  const ids = list.map(({ name, table }, k) => engine.beginSource(load, largest === undefined ? { name, table } : { name, table, largest: k === largest }));
  const chunks = list.map(({ body }) => split(body, [4096, 777, 65536]));
  const pushes: Promise<unknown>[] = [];
  for (let k = 0; chunks.some((c) => k < c.length); k++) {
    chunks.forEach((c, t) => {
      if (k < c.length) pushes.push(Promise.resolve(engine.pushChunk(ids[t]!, c[k]!)));
    });
  }
  await Promise.all(pushes);
  for (const id of [...ids].reverse()) await engine.endSource(id);
  await engine.commitLoad(load);
}

/** Columns and table reports (each source's parse time aside, which is a measurement). */
function snapshot(engine: EngineApi, dataset: number): unknown {
  // the whole report (tables, customers, date range, warnings), without its timings
  const untimed = (report: unknown): unknown => JSON.parse(JSON.stringify(report, (key, value: unknown) => (key === 'parseMs' || key === 'buildMs' ? undefined : value)));
  return { columns: canonical(engine.columns(dataset)), report: untimed(engine.report(dataset)) };
}

function reference(): unknown {
  const engine = createEngineApi({ now: () => 0 });
  const { dataset } = loadSources(sources(), { timezone: 'UTC' }, engine);
  return snapshot(engine, dataset);
}

/** An engine whose helpers are fake links (recorded in `links`, in the order they started). */
function engineWithFakeHelpers(size: number): { engine: EngineApi; dataset: number; links: ReturnType<typeof fakeLink>[] } {
  const links: ReturnType<typeof fakeLink>[] = [];
  const pool = new HelperPool(() => {
    links.push(fakeLink());
    return links.at(-1)!.link;
  }, size);
  const engine = createEngineApi({ now: () => 0, helpers: pool });
  return { engine, dataset: engine.createDataset({ timezone: 'UTC' }), links };
}

describe('parsing in helper workers', () => {
  it('a load whose sources parse in helpers equals the same load parsed in one worker, whatever order they end in', async () => {
    const { engine, dataset, links } = engineWithFakeHelpers(2);
    await loadAtOnce(engine, dataset);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
    // the first source parsed here, the next two in two helpers, the last here (no helper free)
    expect(engine.stats().sourcesInHelpers).to.equal(2);
    expect(links.length).to.equal(2);
    expect(links.map((l) => l.calls.filter((c) => c === 'finish').length)).to.deep.equal([1, 1]);
    expect(links.map((l) => l.calls.at(-1))).to.deep.equal(['finish', 'finish']);
    // the helpers were stopped once the load committed; a later load starts two again
    await loadAtOnce(engine, dataset);
    expect(engine.stats().helpers).to.equal(4);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
  });

  it('with every size known, the largest source parses here and the others share a helper, even those begun before it', async () => {
    const { engine, dataset, links } = engineWithFakeHelpers(1);
    // touches (index 2) marked largest: it parses here; the first orders file goes to the one helper
    // although this worker is idle when it begins, and the other sources share that helper
    await loadAtOnce(engine, dataset, 2);
    expect(links.map((l) => l.begun)).to.deep.equal([['orders-1.csv', 'orders-2.csv', 'customers.csv']]);
    expect(engine.stats().sourcesInHelpers).to.equal(3);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
    // the first source marked largest: it parses here, the others in a new helper (the first was
    // stopped when the load committed)
    await loadAtOnce(engine, dataset, 0);
    expect(links.map((l) => l.begun)).to.deep.equal([
      ['orders-1.csv', 'orders-2.csv', 'customers.csv'],
      ['orders-2.csv', 'touches.csv', 'customers.csv'],
    ]);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
    // without marks, as before: the first here, the next in the helper, the rest here (none free)
    await loadAtOnce(engine, dataset);
    expect(links.at(-1)!.begun).to.deep.equal(['orders-2.csv']);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
  });

  it('while a helper parses another source, chunks parsed here wait a task each, in order, and the end waits for them', async () => {
    const { engine, dataset } = engineWithFakeHelpers(1);
    const load = engine.beginLoad(dataset, 'replace');
    const list = sources();
    // the touches marked largest parse here; the other three share the helper, their chunks relayed
    const ids = list.map(({ name, table }) => engine.beginSource(load, { name, table, largest: table === 'touches' }));
    const here = ids[2]!;
    const chunks = list.map(({ body }) => split(body, [4096, 777, 65536]));
    const pushes: Promise<ChunkAck>[] = [];
    const acksHere: Promise<ChunkAck>[] = [];
    for (let k = 0; chunks.some((c) => k < c.length); k++) {
      chunks.forEach((c, t) => {
        if (k >= c.length) return;
        const pushed = engine.pushChunk(ids[t]!, c[k]!);
        // not parsed on this task: the chunk answers later, whatever came after it
        expect(pushed, `chunk ${k} of ${list[t]!.name}`).to.be.instanceOf(Promise);
        pushes.push(pushed as Promise<ChunkAck>);
        if (ids[t] === here) acksHere.push(pushed as Promise<ChunkAck>);
      });
    }
    // ended before any chunk here has parsed: the end waits for them all
    const ends = ids.map((id) => Promise.resolve(engine.endSource(id)));
    await Promise.all([...pushes, ...ends]);
    await engine.commitLoad(load);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
    // each chunk's answer counts the bytes up to and including it: they parsed in the order they came
    const bytes = (await Promise.all(acksHere)).map((a) => a.bytes);
    const sizes = chunks[2]!.map((c) => c.length);
    expect(bytes).to.deep.equal(sizes.map((_, k) => sizes.slice(0, k + 1).reduce((a, b) => a + b, 0)));
    expect(engine.stats().sourcesInHelpers).to.equal(3);
  });

  it('a chunk that fails while it waits its turn fails its source with the error, and the chunks after it are refused', async () => {
    const { engine, dataset } = engineWithFakeHelpers(1);
    const load = engine.beginLoad(dataset, 'replace');
    const here = engine.beginSource(load, { name: 'mystery.csv', table: 'auto', largest: true });
    const remote = engine.beginSource(load, { name: 'customers.csv', table: 'customers', largest: false });
    // columns of no table: the table is told from the header once 64 KB have come
    const rows = encoder.encode(`colour,shape\n${'red,round\n'.repeat(8000)}`);
    const pushed = split(rows, [40_000]).map((c) => Promise.resolve(engine.pushChunk(here, c)));
    const settled = await Promise.allSettled([...pushed, Promise.resolve(engine.pushChunk(remote, csv('customers')))]);
    const reasons = settled.map((r) => (r.status === 'rejected' ? (r.reason as { code: string; message: string; source?: string }) : null));
    expect(reasons[0], 'the first chunk only collects the head').to.equal(null);
    expect(reasons[1]!.code).to.equal('unknown-table');
    expect(reasons[1]!.source).to.equal('mystery.csv');
    expect(reasons[1]!.message).to.contain('colour, shape');
    expect(reasons.slice(2, -1).map((r) => r!.message)).to.deep.equal(pushed.slice(2).map(() => `Source ${here} failed or was aborted before this chunk parsed.`));
    expect(reasons.at(-1), 'the relayed source goes on').to.equal(null);
    expect(() => engine.endSource(here)).to.throw('is not open');
    engine.abortLoad(load);
    expect(engine.stats().openSources).to.equal(0);
  });

  it('a source whose helper cannot start parses in the engine, and no helper is tried again', async () => {
    let spawned = 0;
    const pool = new HelperPool(() => {
      spawned++;
      return fakeLink({ failToStart: true }).link;
    }, 1, 200);
    const engine = createEngineApi({ now: () => 0, helpers: pool });
    const dataset = engine.createDataset({ timezone: 'UTC' });
    await loadAtOnce(engine, dataset);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
    await loadAtOnce(engine, dataset);
    expect(spawned).to.equal(1);
    expect(engine.stats().sourcesInHelpers, 'no source parsed in a helper').to.equal(0);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
  });

  it('a helper that dies mid-source fails that source with a clear error and the dataset stays as it was', async () => {
    const pool = new HelperPool(() => fakeLink({ dieAtPush: 3 }).link, 1);
    const engine = createEngineApi({ now: () => 0, helpers: pool });
    const dataset = engine.createDataset({ timezone: 'UTC' });
    // the dataset before: the customers table alone (one source: parsed here, no helper)
    const first = engine.beginLoad(dataset, 'replace');
    const customers = engine.beginSource(first, { name: 'customers.csv', table: 'customers' });
    engine.pushChunk(customers, csv('customers'));
    await engine.endSource(customers);
    const before = await engine.commitLoad(first);
    const load = engine.beginLoad(dataset, 'replace');
    const orders = engine.beginSource(load, { name: 'orders.csv', table: 'orders' });
    const touches = engine.beginSource(load, { name: 'touches.csv', table: 'touches' });
    engine.pushChunk(orders, csv('orders'));
    const results = await Promise.allSettled(split(csv('touches'), [8192]).slice(0, 5).map((c) => engine.pushChunk(touches, c)));
    const failure = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason.name).to.equal('CrmError');
    expect(failure.reason.code).to.equal('internal');
    expect(failure.reason.message).to.equal('The parsing helper worker stopped: out of memory.');
    expect(failure.reason.source).to.equal('touches.csv');
    expect(failure.reason.hint).to.contain('the dataset is as it was');
    expect(() => engine.endSource(touches)).to.throw('is not open');
    engine.abortLoad(load);
    expect(engine.report(dataset)).to.deep.equal(before);
    expect(engine.columns(dataset).orders.count).to.equal(0);
    expect(engine.stats().openSources).to.equal(0);
  });

  it('an error in a helper-parsed source is the error the engine gives for it, with the source named', async () => {
    const bad = encoder.encode('customer_id,channel\nc1,email\n'); // no sent_at
    const local = createEngineApi({ now: () => 0 });
    const localLoad = local.beginLoad(local.createDataset({}), 'replace');
    local.beginSource(localLoad, { name: 'orders.csv', table: 'orders' });
    const localSource = local.beginSource(localLoad, { name: 'touches.csv', table: 'touches' });
    local.pushChunk(localSource, bad);
    let expected: Record<string, unknown> = {};
    try {
      local.endSource(localSource);
    } catch (error) {
      expected = { ...(error as object), message: (error as Error).message };
    }
    expect(expected.code).to.equal('missing-column');

    const engine = createEngineApi({ now: () => 0, helpers: new HelperPool(() => fakeLink().link, 1) });
    const load = engine.beginLoad(engine.createDataset({}), 'replace');
    engine.beginSource(load, { name: 'orders.csv', table: 'orders' });
    const source = engine.beginSource(load, { name: 'touches.csv', table: 'touches' });
    await engine.pushChunk(source, bad);
    let actual: Record<string, unknown> = {};
    try {
      await engine.endSource(source);
    } catch (error) {
      actual = { ...(error as object), message: (error as Error).message };
    }
    expect(engine.stats().sourcesInHelpers).to.equal(1);
    delete expected.stack;
    delete actual.stack;
    expect(actual).to.deep.equal(expected);
  });

  it('lists every buffer under the parts once, attribute columns included, and no dictionary', () => {
    const { parts } = (() => {
      const api = createParserApi();
      api.begin(1, { name: 'customers.csv', table: 'customers' }, resolveDatasetOptions({ timezone: 'UTC' }));
      api.push(1, csv('customers'));
      return api.finish(1);
    })();
    const buffers = partBuffers(parts);
    const part = parts[0] as { customer: Int32Array; line: Int32Array; attributes: { codes: Int32Array }[] };
    expect(part.attributes.length).to.be.greaterThan(0);
    const expected = new Set([part.customer.buffer, part.line.buffer, ...part.attributes.map((a) => a.codes.buffer)]);
    expect(buffers.length).to.equal(expected.size);
    for (const buffer of buffers) expect(expected.has(buffer)).to.equal(true);
  });

  it('the link calls plainly when there is nothing to transfer, and registers the buffers with the last argument otherwise', () => {
    const seen: unknown[][] = [];
    const fn = (...args: unknown[]): number => {
      seen.push(args);
      return args.length;
    };
    expect(callTransferring(fn, [], [], transfer)).to.equal(0);
    expect(callTransferring(fn, [], undefined, transfer)).to.equal(0);
    const rows = { customer: new Int32Array(4) };
    expect(callTransferring(fn, [2, 'UTC', null, rows], [rows.customer.buffer], transfer)).to.equal(4);
    expect(seen[2]).to.deep.equal([2, 'UTC', null, rows]);
    expect(seen[2]![3]).to.equal(rows);
  });

  it('a helper gives scope runs only for the last table it sorted with scope counts, once', () => {
    const api = createParserApi();
    const rows = (): TouchRows => ({
      customer: Int32Array.of(1, 0, 1),
      channel: Int32Array.of(0, 1, 0),
      campaign: Int32Array.of(-1, 0, 0),
      sentAt: Float64Array.of(Date.UTC(2024, 0, 3), Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 1)),
      openedAt: new Float64Array(3).fill(Number.NaN),
      clickedAt: new Float64Array(3).fill(Number.NaN),
      group: Uint8Array.of(0, 1, 0),
      cost: new Float64Array(3).fill(Number.NaN),
    });
    const noRuns = /No touches table was sorted with scope counts/;
    expect(() => api.scopeRuns()).to.throw(noRuns);
    api.sortTouches(2, 'UTC', null, rows());
    expect(() => api.scopeRuns(), 'sorted without counts').to.throw(noRuns);
    const sorted = api.sortTouches(2, 'UTC', { nChannels: 2, nCampaigns: 1 }, rows());
    const expected = buildScopeRuns(scopeRunsInputOf(sorted.columns, sorted.start, { nChannels: 2, nCampaigns: 1 }, false));
    // customer 0: all CRM, channel 1, campaign 0; customer 1: all CRM, channel 0, campaign 0
    expect(Array.from(expected.scope)).to.deep.equal([0, 2, 3, 0, 1, 3]);
    expect(api.scopeRuns()).to.deep.equal(expected);
    expect(() => api.scopeRuns(), 'given once').to.throw(noRuns);
  });

  it('a dropped file for a helper is read there, at once, without its bytes passing through this worker', async () => {
    // the file parsed here lets go of the worker between batches (a Blob's batches arrive as resolved
    // promises), so the helper's read begins while it is parsed, not after its last batch
    const lines = [...sampleCsv(data, 'orders')].join('').split('\n').filter((l) => l !== '');
    const header = lines.shift()!;
    const orders = new Blob([[header, ...Array.from({ length: 120 }, () => lines).flat()].join('\n') + '\n']);
    expect(orders.size, 'many 1 MB batches').to.be.greaterThan(8 << 20);
    const touchesFile = new Blob([csv('touches') as Uint8Array<ArrayBuffer>]);
    const events: string[] = [];
    const calls: string[] = [];
    const pool = new HelperPool(() => {
      // the helper's answers come on message tasks, as from a real worker
      const fake = fakeLink({ viaMessages: true });
      const call = fake.link.call.bind(fake.link);
      fake.link.call = (method, args, transfer) => {
        if (method === 'read') events.push('helper read');
        calls.push(method);
        return call(method, args, transfer);
      };
      return fake.link;
    }, 1);
    const engine = createEngineApi({ now: () => 0, helpers: pool });
    const dataset = engine.createDataset({ timezone: 'UTC' });
    const load = engine.beginLoad(dataset, 'replace');
    const ordersId = engine.beginSource(load, { name: 'orders.csv', table: 'orders', size: orders.size });
    const touchesId = engine.beginSource(load, { name: 'touches.csv', table: 'touches' });
    const touchesProgress: ChunkAck[] = [];
    await Promise.all([
      engine.readSource(ordersId, { blob: orders }, () => events.push('orders batch')),
      engine.readSource(touchesId, { blob: touchesFile }, (ack) => touchesProgress.push(ack)),
    ]);
    await engine.endSource(ordersId);
    await engine.endSource(touchesId);
    await engine.commitLoad(load);
    expect(engine.stats().sourcesInHelpers).to.equal(1);
    expect(events.indexOf('helper read'), events.join(', ')).to.be.greaterThan(-1);
    expect(events.indexOf('helper read'), events.join(', ')).to.be.lessThan(events.lastIndexOf('orders batch'));
    expect(calls.filter((c) => c === 'push'), 'no batch forwarded').to.deep.equal([]);
    // both files' bytes count as read; only the batches parsed here count as chunks received
    expect(engine.stats().bytesReceived).to.equal(orders.size + touchesFile.size);
    expect(engine.stats().chunksReceived).to.equal(events.filter((e) => e === 'orders batch').length);
    expect(engine.stats().chunksReceived).to.be.greaterThan(1);
    // the last progress is the whole file, as when this worker reads it
    const rows = engine.columns(dataset).touches.count;
    expect(touchesProgress.at(-1)).to.deep.equal({ bytes: touchesFile.size, rows, total: touchesFile.size });
    expect(rows).to.equal(body().split('\n').length - 1);
  });

  it('a dropped file read in a helper: its errors name it, and cancelling stops the read there', async () => {
    // how each read in the helper ended
    const reads: Promise<string>[] = [];
    const pool = new HelperPool(() => {
      const { link } = fakeLink({ viaMessages: true });
      const call = link.call.bind(link);
      link.call = (method, args, transfer) => {
        const answer = call(method, args, transfer);
        if (method === 'read') reads.push(answer.then(() => 'read to the end', (error: Error) => error.message));
        return answer;
      };
      return link;
    }, 1);
    const engine = createEngineApi({ now: () => 0, helpers: pool });
    const dataset = engine.createDataset({ timezone: 'UTC' });
    const before = engine.report(dataset);
    const begin = (load: number, name: string, body: Uint8Array): { id: number; blob: Blob } => {
      const blob = new Blob([body as Uint8Array<ArrayBuffer>]);
      return { id: engine.beginSource(load, { name, table: 'touches', largest: false }), blob };
    };
    // a missing column, found by the helper's parse
    const first = engine.beginLoad(dataset, 'replace');
    const bad = begin(first, 'touches.csv', encoder.encode(`customer_id,channel\n${'c1,email\n'.repeat(200_000)}`));
    const failure = await engine.readSource(bad.id, { blob: bad.blob }).then(() => null, (error: unknown) => error as Record<string, unknown>);
    expect(failure === null ? null : [failure.code, failure.source]).to.deep.equal(['missing-column', 'touches.csv']);
    engine.abortLoad(first);
    // cancelled mid-read: the read fails as cancelled and the dataset stays as it was
    const second = engine.beginLoad(dataset, 'replace');
    const big = begin(second, 'big.csv', encoder.encode([header(), ...Array.from({ length: 100 }, () => body())].join('')));
    expect(big.blob.size, 'many batches').to.be.greaterThan(8 << 20);
    const reading = engine.readSource(big.id, { blob: big.blob });
    setTimeout(() => engine.cancelSource(big.id), 20);
    const cancelled = await reading.then(() => null, (error: unknown) => error as Record<string, unknown>);
    expect(cancelled === null ? null : [cancelled.code, cancelled.source]).to.deep.equal(['aborted', 'big.csv']);
    expect(await Promise.all(reads), 'the helper stopped reading').to.deep.equal([
      'touches: no column for sent_at in touches.csv (looked for sent_at, send_time, sent_time, sent_date, send_date, delivered_at, scheduled_at, sent, ...). The file has "customer_id", "channel".',
      'The load was cancelled.',
    ]);
    expect(engine.stats().openSources).to.equal(0);
    engine.abortLoad(second);
    expect(engine.report(dataset)).to.deep.equal(before);
  });
});

describe('sorting the touches table in a helper', () => {
  /**
   * An engine that sorts a build's touches in its helper whenever one is running; `dies(k)` makes the
   * k-th helper (0-based) die when asked to sort; `runs` makes them die or hang when asked for the scope
   * runs (a hang waits out a 100 ms timeout).
   */
  function engineSortingInHelpers(
    dies: (k: number) => boolean = () => false,
    runs: 'answer' | 'die' | 'hang' = 'answer',
  ): { engine: EngineApi; dataset: number; links: ReturnType<typeof fakeLink>[] } {
    const links: ReturnType<typeof fakeLink>[] = [];
    const pool = new HelperPool(() => {
      links.push(fakeLink({ dieAtSort: dies(links.length), dieAtRuns: runs === 'die', hangAtRuns: runs === 'hang' }));
      return links.at(-1)!.link;
    }, 1);
    const engine = createEngineApi({ now: () => 0, helpers: pool, helperBuildMinTouches: 1, ...(runs === 'hang' ? { helperRunsTimeoutMs: 100 } : {}) });
    return { engine, dataset: engine.createDataset({ timezone: 'UTC' }), links };
  }

  /**
   * Waits until the helper has built the first load's lift scope runs and is stopped (a lift query
   * waits for them), so that the next load starts a helper of its own.
   */
  async function runsBuilt(engine: EngineApi, dataset: number): Promise<void> {
    await engine.query(dataset, { kind: 'incrementality', params: {} });
  }

  /**
   * Begins and ends an append (or a load in `mode`) of more touches (the touches file again, or with
   * `table` another orders file) and the customers; returns the load uncommitted. The second source
   * parses in a helper, which then sorts.
   */
  async function appendEnded(engine: EngineApi, dataset: number, mode: 'append' | 'replace' = 'append', table: 'touches' | 'orders' = 'touches'): Promise<number> {
    const load = engine.beginLoad(dataset, mode);
    const first = engine.beginSource(load, { name: table === 'touches' ? 'more-touches.csv' : 'orders-3.csv', table });
    const customers = engine.beginSource(load, { name: 'customers.csv', table: 'customers' });
    await Promise.all([engine.pushChunk(first, csv(table)), engine.pushChunk(customers, csv('customers'))]);
    await engine.endSource(customers);
    await engine.endSource(first);
    return load;
  }

  /** The same loads in one worker without helpers: `appends` appends after the first load. */
  async function referenceWithAppends(appends: number): Promise<unknown> {
    const engine = createEngineApi({ now: () => 0 });
    const dataset = engine.createDataset({ timezone: 'UTC' });
    await loadAtOnce(engine, dataset);
    for (let k = 0; k < appends; k++) engine.commitLoad(await appendEnded(engine, dataset));
    return snapshot(engine, dataset);
  }

  it('a build whose touches a helper sorted equals the build in one worker', async () => {
    const { engine, dataset, links } = engineSortingInHelpers();
    await loadAtOnce(engine, dataset);
    expect(links.length).to.equal(1);
    expect(links[0]!.calls.filter((c) => c === 'sortTouches').length).to.equal(1);
    expect(engine.stats().buildsInHelpers).to.equal(1);
    expect(snapshot(engine, dataset)).to.deep.equal(reference());
    expect(engine.columns(dataset).touches.count).to.equal(body().split('\n').length - 1);
  });

  /**
   * Lift queries: the default, a later range (back to back, so it searches the runs begun before it:
   * the later entries are not made yet), a filter, another lift window.
   */
  const LIFT_QUERIES = [
    { kind: 'incrementality', params: {} },
    { kind: 'incrementality', params: { range: { from: '2024-03-01', to: '2024-09-30' } } },
    { kind: 'incrementality', params: { liftWindow: '14d', filter: { attribute: 'country', values: ['US', 'DE'] } } },
  ] as const;

  async function liftResults(engine: EngineApi, dataset: number): Promise<unknown[]> {
    const out: unknown[] = [];
    for (const request of LIFT_QUERIES) out.push(await engine.query(dataset, request as never));
    return out;
  }

  it('the helper that sorted the touches builds the lift scope runs from its own copies while the engine answers; the lift equals one worker\'s', async () => {
    const expected = createEngineApi({ now: () => 0 });
    const { dataset: expectedDataset } = loadSources(sources(), { timezone: 'UTC' }, expected);
    const want = await liftResults(expected, expectedDataset);
    // the data has holdouts in several scopes, so a wrong run would show
    const first = want[0] as { holdout: Int32Array; treatment: Int32Array; name: string[] };
    expect(first.name.length).to.be.greaterThan(3);
    expect(first.holdout[0]).to.be.greaterThan(10);
    expect(first.treatment[0]).to.be.greaterThan(first.holdout[0]!);
    expect((want[1] as { holdout: Int32Array }).holdout[0]).to.be.greaterThan(0);

    const { engine, dataset, links } = engineSortingInHelpers();
    await loadAtOnce(engine, dataset);
    expect(links[0]!.calls.filter((c) => c === 'scopeRuns').length).to.equal(1);
    expect(engine.stats().runsPending, 'the runs arrive after the load').to.equal(1);
    // the helper that sorted the touches builds the runs from its own copies: nothing is sent for them
    expect(links[0]!.args.get('scopeRuns')).to.deep.equal([]);
    // other queries do not wait for the runs; a lift query does
    expect(engine.query(dataset, { kind: 'kpis', params: {} }) instanceof Promise).to.equal(false);
    const lift = engine.query(dataset, LIFT_QUERIES[0]);
    expect(lift instanceof Promise).to.equal(true);
    expect(await lift).to.deep.equal(want[0]);
    expect([engine.stats().runsInHelpers, engine.stats().runsPending]).to.deep.equal([1, 0]);
    expect(await liftResults(engine, dataset)).to.deep.equal(want);
    // then the helper is stopped, as idle helpers are once no source is open
    expect(links[0]!.stopped()).to.equal(true);
    // a second load builds its runs in a helper again, from its own data
    await engine.commitLoad(await appendEnded(engine, dataset));
    await expected.commitLoad(await appendEnded(expected, expectedDataset));
    expect(await liftResults(engine, dataset)).to.deep.equal(await liftResults(expected, expectedDataset));
    expect(engine.stats().runsInHelpers).to.equal(2);
  });

  for (const runs of ['die', 'hang'] as const) {
    it(`a helper that ${runs === 'die' ? 'dies' : 'hangs'} while it builds the runs: the lift query builds them here, with the same result`, async () => {
      const expected = createEngineApi({ now: () => 0 });
      const { dataset: expectedDataset } = loadSources(sources(), { timezone: 'UTC' }, expected);
      const { engine, dataset, links } = engineSortingInHelpers(() => false, runs);
      await loadAtOnce(engine, dataset);
      expect(links[0]!.calls).to.include('scopeRuns');
      expect(await liftResults(engine, dataset)).to.deep.equal(await liftResults(expected, expectedDataset));
      expect(engine.stats().runsInHelpers).to.equal(0);
      expect(links[0]!.stopped(), 'the helper is stopped').to.equal(true);
    });
  }

  it('a load of one source builds here: no helper is started for the build alone', async () => {
    const { engine, dataset, links } = engineSortingInHelpers();
    const load = engine.beginLoad(dataset, 'replace');
    const touches = engine.beginSource(load, { name: 'touches.csv', table: 'touches' });
    await engine.pushChunk(touches, csv('touches'));
    await engine.endSource(touches);
    const report = engine.commitLoad(load);
    expect(report instanceof Promise, 'answered at once').to.equal(false);
    expect(links.length).to.equal(0);
    expect(engine.stats().buildsInHelpers).to.equal(0);
    expect(engine.columns(dataset).touches.count).to.equal(body().split('\n').length - 1);
  });

  it('while a helper sorts an append, the dataset answers with its data as it was, whole; then with both loads', async () => {
    const { engine, dataset } = engineSortingInHelpers();
    await loadAtOnce(engine, dataset);
    await runsBuilt(engine, dataset);
    const before = snapshot(engine, dataset);
    const reportBefore = engine.report(dataset);
    const load = await appendEnded(engine, dataset);
    const committing = engine.commitLoad(load);
    expect(committing instanceof Promise, 'the build waits on the helper').to.equal(true);
    expect(snapshot(engine, dataset)).to.deep.equal(before);
    expect(engine.report(dataset)).to.deep.equal(reportBefore);
    // the load takes no more sources, and no second commit, while it waits
    expect(() => engine.beginSource(load, { name: 'late.csv', table: 'costs' })).to.throw('is being committed');
    expect(() => engine.commitLoad(load)).to.throw('is already being committed');
    await committing;
    expect(engine.stats().buildsInHelpers).to.equal(2);
    expect(engine.columns(dataset).touches.count).to.equal(2 * (before as { columns: { touches: { count: number } } }).columns.touches.count);
    expect(snapshot(engine, dataset)).to.deep.equal(await referenceWithAppends(1));
  });

  // A load without touches keeps the one touch part, whose arrays are the columns in use: the build
  // must send the helper copies of them, not move them.
  for (const mode of ['append', 'replace'] as const) {
    it(`a load without touches (${mode}) rebuilds the kept touches from copies: the columns in use stay whole`, async () => {
      const { engine, dataset } = engineSortingInHelpers();
      await loadAtOnce(engine, dataset);
      await runsBuilt(engine, dataset);
      const before = snapshot(engine, dataset);
      const load = await appendEnded(engine, dataset, mode, 'orders');
      const touches = engine.columns(dataset).touches;
      const committing = engine.commitLoad(load);
      expect(committing instanceof Promise, 'the build waits on the helper').to.equal(true);
      expect([touches.sentAt.length, touches.openedAt.length, touches.clickedAt.length, touches.cost.length, touches.group.length]).to.deep.equal(
        Array(5).fill(touches.count),
      );
      expect(snapshot(engine, dataset)).to.deep.equal(before);
      await committing;
      expect(engine.stats().buildsInHelpers).to.equal(2);
      expect(engine.columns(dataset).touches.count).to.equal(touches.count);
      if (mode === 'replace') {
        // the same data as the first load (whose orders came in two files)
        const columnsOf = (s: unknown): unknown => (s as { columns: unknown }).columns;
        expect(columnsOf(snapshot(engine, dataset))).to.deep.equal(columnsOf(reference()));
      }
    });
  }

  it('two commits of one dataset in a row: the second builds on the first', async () => {
    const { engine, dataset } = engineSortingInHelpers();
    await loadAtOnce(engine, dataset);
    await runsBuilt(engine, dataset);
    const first = await appendEnded(engine, dataset);
    const second = await appendEnded(engine, dataset);
    const committed = [engine.commitLoad(first), engine.commitLoad(second)];
    expect(committed.map((c) => c instanceof Promise)).to.deep.equal([true, true]);
    await Promise.all(committed);
    expect(snapshot(engine, dataset)).to.deep.equal(await referenceWithAppends(2));
  });

  it('a helper that dies while it sorts fails the load with a clear error, and the dataset stays as it was', async () => {
    // the second helper (started for the append) dies when asked to sort
    const { engine, dataset } = engineSortingInHelpers((k) => k === 1);
    await loadAtOnce(engine, dataset);
    await runsBuilt(engine, dataset);
    const before = snapshot(engine, dataset);
    const reportBefore = engine.report(dataset);
    const load = await appendEnded(engine, dataset);
    const failure = await Promise.resolve(engine.commitLoad(load)).then(
      () => null,
      (error: unknown) => error as { name: string; code: string; message: string; hint: string },
    );
    expect(failure === null ? null : [failure.name, failure.code, failure.message]).to.deep.equal([
      'CrmError',
      'internal',
      'The parsing helper worker stopped: out of memory.',
    ]);
    expect(failure!.hint).to.contain('the dataset is as it was');
    expect(snapshot(engine, dataset)).to.deep.equal(before);
    expect(engine.report(dataset)).to.deep.equal(reportBefore);
    expect(engine.stats().openLoads, 'the failed load is closed').to.equal(0);
    expect(() => engine.commitLoad(load)).to.throw('is not open');
    // the next load works (its helper is the third, which does not die)
    await engine.commitLoad(await appendEnded(engine, dataset));
    expect(snapshot(engine, dataset)).to.deep.equal(await referenceWithAppends(1));
  });

  it('a failed load that replaces the touches leaves the kept touches to be made from the data in use', async () => {
    // the dataset keeps only its touch parts' reports until a later load needs the parts; a replace of
    // the touches whose sort fails (the second helper dies) must leave them describing the data in use
    const { engine, dataset } = engineSortingInHelpers((k) => k === 1);
    await loadAtOnce(engine, dataset);
    await runsBuilt(engine, dataset);
    const before = snapshot(engine, dataset);
    const load = await appendEnded(engine, dataset, 'replace');
    const failed = await Promise.resolve(engine.commitLoad(load)).then(
      () => 'committed',
      (error: Error) => error.message,
    );
    expect(failed).to.equal('The parsing helper worker stopped: out of memory.');
    expect(snapshot(engine, dataset)).to.deep.equal(before);
    // the append rebuilds from the first load's touches (its helper is the third, which does not die)
    await engine.commitLoad(await appendEnded(engine, dataset));
    expect(snapshot(engine, dataset)).to.deep.equal(await referenceWithAppends(1));
  });

  it('stopping a helper rejects the calls still waiting on it', async () => {
    // a helper that never answers (as one still starting)
    const helper = new Helper(fakeLink({ failToStart: true }).link, 60_000);
    const waiting = helper.call('progress', [1]).then(
      () => 'answered',
      (error: Error) => error.message,
    );
    expect(helper.started).to.equal(false);
    helper.stop();
    expect(await waiting).to.equal('The parsing helper worker was stopped.');
  });

  it('a load aborted while a helper sorts its touches is not applied', async () => {
    const { engine, dataset } = engineSortingInHelpers();
    await loadAtOnce(engine, dataset);
    await runsBuilt(engine, dataset);
    const before = snapshot(engine, dataset);
    const load = await appendEnded(engine, dataset);
    const committing = Promise.resolve(engine.commitLoad(load)).then(
      () => 'applied',
      (error: { code: string }) => error.code,
    );
    engine.abortLoad(load);
    expect(await committing).to.equal('aborted');
    expect(snapshot(engine, dataset)).to.deep.equal(before);
  });
});
