// DatasetModel: what widgets see of a dataset when its engine's worker dies and starts again.
import { expect, waitUntil } from '@open-wc/testing';
import { defaultWorker } from '../../src/client/engine-client.js';
import { DatasetModel } from '../../src/client/dataset-model.js';

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
});
