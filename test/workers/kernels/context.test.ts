import { expect } from '@open-wc/testing';
import type { IncrementalityResult } from '../../../src/core/results.js';
import { KernelContext } from '../../../workers/kernels/context.js';
import { createEngineApi } from '../../../workers/engine.js';
import { loadSources } from '../../support/harness.js';

const orders = 'customer_id,ordered_at,revenue\na,2024-04-03T10:00:00Z,100\nb,2024-04-20T10:00:00Z,50\n';
const touches = [
  'customer_id,channel,campaign,sent_at,group,cost',
  'a,email,weekly,2024-04-01T10:00:00Z,treatment,',
  'a,email,weekly,2024-04-15T10:00:00Z,treatment,',
  'b,email,weekly,2024-04-01T10:00:00Z,holdout,',
  'b,email,weekly,2024-04-15T10:00:00Z,holdout,',
].join('\n');

function context(): KernelContext {
  return new KernelContext(loadSources([{ table: 'orders', body: orders }]).columns);
}

/** Work in three slices, each noted in `trace`, returning 42. */
function* threeSlices(trace: string[]): Generator<void, number, void> {
  trace.push('one');
  yield;
  trace.push('two');
  yield;
  trace.push('three');
  return 42;
}

describe('work ahead of need (KernelContext.prepare)', () => {
  it('a query that needs the value goes on from where the work stopped, and computes nothing itself', () => {
    const ctx = context();
    const trace: string[] = [];
    ctx.prepare('space', 'key', () => threeSlices(trace), 1);
    expect(trace, 'nothing runs until work is asked for').to.deep.equal([]);
    let slices = 1;
    expect(ctx.work(() => slices-- > 0)).to.equal(true);
    expect(trace).to.deep.equal(['one']);
    const value = ctx.remember('space', 'key', () => {
      throw new Error('computed again');
    }, 1);
    expect([value, trace, ctx.working]).to.deep.equal([42, ['one', 'two', 'three'], false]);
  });

  it('finished work is remembered, and a held value is not begun again', () => {
    const ctx = context();
    const trace: string[] = [];
    ctx.prepare('space', 'key', () => threeSlices(trace), 1);
    expect(ctx.work(() => true)).to.equal(false);
    expect(ctx.peek('space', 'key')).to.equal(42);
    ctx.prepare('space', 'key', () => threeSlices(trace), 1);
    expect([ctx.working, trace.length]).to.deep.equal([false, 3]);
  });

  it('drops work that fails and does not begin it again; the query that needs the value computes it and reports its own error', () => {
    const ctx = context();
    const failing = function* (): Generator<void, number, void> {
      yield;
      throw new RangeError('out of memory');
    };
    ctx.prepare('space', 'key', failing, 1);
    expect(ctx.work(() => true)).to.equal(false);
    expect(ctx.peek('space', 'key')).to.equal(undefined);
    ctx.prepare('space', 'key', failing, 1);
    expect(ctx.working, 'not begun again').to.equal(false);
    expect(ctx.remember('space', 'key', () => 7, 1)).to.equal(7);
  });

  it("the engine builds the holdout lift's later entries once queries pause, and a range after the first touch uses them", async () => {
    // a quiet time far above the waits below, so that a timer firing late on a busy machine cannot pass for a pause
    const engine = createEngineApi({ now: () => 0, aheadIdleMs: 400 });
    const { dataset } = loadSources([{ table: 'orders', body: orders }, { table: 'touches', body: touches }], {}, engine);
    const lift = (params: object): IncrementalityResult => engine.query(dataset, { kind: 'incrementality', params: { minHoldout: 1, ...params } }) as IncrementalityResult;
    const whole = lift({});
    expect(engine.stats().workingAhead, 'a query over the whole range begins them').to.equal(true);
    // one slice would finish this little work; it waits while queries keep coming (400 ms without one)
    const waitMs = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    for (let i = 0; i < 4; i++) {
      await waitMs(10);
      engine.query(dataset, { kind: 'kpis', params: {} });
    }
    expect(engine.stats().workingAhead, 'not begun while queries come 10 ms apart').to.equal(true);
    const deadline = performance.now() + 5000;
    while (engine.stats().workingAhead && performance.now() < deadline) await waitMs(5);
    expect(engine.stats().workingAhead, 'done once no query came for a while').to.equal(false);
    // a and b are assigned at their touch of the 15th; a's order of the 20th is inside its 14 days
    const later = lift({ range: { from: '2024-04-10', to: '2024-04-30' } });
    expect([whole.treatment[0], whole.holdout[0], whole.revenueTreatment[0], whole.revenueHoldout[0]]).to.deep.equal([1, 1, 100, 0]);
    expect([later.treatment[0], later.holdout[0], later.revenueTreatment[0], later.revenueHoldout[0]]).to.deep.equal([1, 1, 0, 50]);
  });
});
