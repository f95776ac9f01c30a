// DatasetModel: what widgets see of a dataset when its engine's worker dies and starts again.
import { expect, waitUntil } from '@open-wc/testing';
import { defaultWorker } from '../../src/client/engine-client.js';
import { DatasetModel } from '../../src/client/dataset-model.js';
import { CrmError } from '../../src/core/errors.js';

describe('DatasetModel', function () {
  this.timeout(30_000);

  it('announces a worker restarted after a crash as a new version, with the report of what it read again', async () => {
    const workers: Worker[] = [];
    let revenue = '5';
    const model = new DatasetModel();
    model.configure({
      timezone: 'UTC',
      worker: () => {
        const worker = defaultWorker();
        workers.push(worker);
        return worker;
      },
      fetcher: async () => new Response(`customer_id,ordered_at,revenue\nc1,2024-01-01T10:00:00Z,${revenue}\nc2,2024-01-02T10:00:00Z,6\n`),
    });
    await model.load({ orders: '/feed/orders.csv' });
    const version = model.snapshot.version;
    expect((await model.engine!.query({ kind: 'kpis', params: {} })).current.netRevenue).to.equal(11);
    // the worker dies; the feed has new numbers when the restart reads it again
    workers[0]!.dispatchEvent(new ErrorEvent('error', { message: 'simulated crash' }));
    revenue = '50';
    // one widget asks again (a parameter change, say): the engine restarts and reads the feed
    expect((await model.engine!.query({ kind: 'kpis', params: {} })).current.netRevenue).to.equal(56);
    // every other widget learns of it: a new version, which their results no longer match
    await waitUntil(() => model.snapshot.version === version + 1, 'no new version after the restart');
    expect(model.snapshot.status).to.equal('ready');
    expect(model.snapshot.report!.tables.orders!.rowsAccepted).to.equal(2);
    expect(workers.length).to.equal(2);
    model.dispose();
  });

  it('forgets a load stopped by refused options once a re-read has carried another: a later re-read does not bring it back', async () => {
    const asked: string[] = [];
    let release: () => void = () => {};
    const stalled = new Promise<void>((resolve) => (release = resolve));
    const fetcher = async (url: string): Promise<Response> => {
      asked.push(new URL(url, location.href).pathname);
      if (url.endsWith('/a.csv')) {
        // account A's feed hangs the first time, so its load is in flight when the options are refused
        if (asked.length === 1) await stalled;
        return new Response('customer_id,ordered_at,revenue\na1,2024-01-01T10:00:00Z,21\n');
      }
      return new Response('not here', { status: 404, statusText: 'Not Found' });
    };
    const model = new DatasetModel();
    model.configure({ timezone: 'UTC', fetcher });
    const first = model.load({ orders: '/feed/a.csv' }).catch(() => null);
    await waitUntil(() => asked.length === 1, 'account A was not asked for');
    // the page sets options that cannot be used: A's load stops
    model.reject(new CrmError('bad-option', 'simulated refused options'));
    release();
    await first;
    // fixed options come with account B, whose feed fails
    expect(model.configure({ timezone: 'UTC', fetcher })).to.equal(true);
    const failed = await model.reread({ orders: '/feed/b.csv' }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failed).to.be.instanceOf(Error);
    // a later change of time zone re-reads what was loaded (nothing), not account A
    model.configure({ timezone: 'Europe/Berlin', fetcher });
    await model.reread().catch(() => null);
    expect(asked).to.deep.equal(['/feed/a.csv', '/feed/b.csv']);
    model.dispose();
  });
});
