// Races between loads, re-reads under new options, queries and elements coming and going: none may
// put a number on screen that is not the one of the data and options the page declared last.
import { expect, fixtureSync, html, waitUntil } from '@open-wc/testing';
import type { CrmData, CrmRevenue } from '../../src/index.js';
import { files, kpi, mount, ready, record, root, TOUCHES } from './harness.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A <crm-data> of one account's orders (fetched afresh each time) and a <crm-revenue> showing it. */
function account(id: string, orders: string): { data: CrmData; widget: CrmRevenue } {
  const wrapper = fixtureSync<HTMLElement>(html`<div style="width:800px"></div>`);
  const data = document.createElement('crm-data') as CrmData;
  data.id = id;
  data.currency = 'EUR';
  data.fetchOptions = { cache: 'no-store' };
  data.setAttribute('orders', orders);
  wrapper.appendChild(data);
  const widget = document.createElement('crm-revenue') as CrmRevenue;
  widget.setAttribute('data', id);
  widget.setAttribute('locale', 'en-US');
  wrapper.appendChild(widget);
  return { data, widget };
}

/** A <crm-data> (with a widget) in `timezone`, whose first load, a slow download, is in flight. */
async function firstLoadInFlight(id: string, timezone: string | null): Promise<CrmData> {
  const { data } = account(id, '/api/slow.csv?ms=1000');
  data.timezone = timezone;
  await waitUntil(() => data.datasetHandle.snapshot.status === 'loading', 'no load');
  await sleep(100);
  expect(data.datasetHandle.snapshot.status).to.equal('loading');
  return data;
}

describe('races', function () {
  this.timeout(60_000);

  it('a time zone set while the first load is in flight still loads the declared sources', async () => {
    const data = await firstLoadInFlight('in-flight', null);
    data.timezone = 'Europe/Berlin';
    await waitUntil(() => data.datasetHandle.snapshot.status === 'ready', `status ${data.datasetHandle.snapshot.status}`, { timeout: 20_000 });
    expect(data.report?.tables.orders?.rowsAccepted).to.equal(2);
    expect(data.report?.timezone).to.equal('Europe/Berlin');
  });

  it('new sources, then (separate update) a new time zone: shows the new sources, not the replaced ones', async () => {
    const { data, widget } = account('r2-data', '/api/slow.csv?ms=10&v=1');
    await waitUntil(() => kpi(widget, 'Total revenue') === '€21.00', 'account A not shown', { timeout: 20_000 });
    // account B (1000 + 20 = 1020), then the time zone in a later update
    data.setAttribute('orders', '/api/slow.csv?ms=1000&v=1000');
    await sleep(200);
    data.timezone = 'Europe/Berlin';
    await waitUntil(() => kpi(widget, 'Total revenue') === '€1,020', `shows ${kpi(widget, 'Total revenue')}`, { timeout: 20_000 });
    // and nothing of account A lands after it
    await sleep(1000);
    expect(kpi(widget, 'Total revenue'), 'the number on screen').to.equal('€1,020');
  });

  it('new sources while a time-zone re-read runs: the new sources load, and later queries use them', async () => {
    const { data, widget } = account('r3-data', '/api/slow.csv?ms=800&v=1');
    const errors = record<CustomEvent>(data, 'crm-error');
    await waitUntil(() => kpi(widget, 'Total revenue') === '€21.00', 'account A not shown', { timeout: 20_000 });
    data.timezone = 'Europe/Berlin';
    await sleep(200);
    data.setAttribute('orders', '/api/orders.csv'); // account B: 10.50 + 20
    await waitUntil(() => kpi(widget, 'Total revenue') === '€30.50', `B not shown: ${kpi(widget, 'Total revenue')}`, { timeout: 20_000 });
    await sleep(1500); // the aborted re-read ends
    expect(errors.map((e) => `${e.detail.error.code}: ${e.detail.error.message}`)).to.deep.equal([]);
    widget.window = '1h'; // any new query
    await sleep(1500);
    await ready(widget);
    expect(data.report!.tables.orders!.sources.map((s) => s.name).join()).to.contain('orders.csv');
    expect(kpi(widget, 'Total revenue'), 'the number on screen after a parameter change').to.equal('€30.50');
  });

  it('a widget follows its <crm-data> when it is removed and put back (or replaced under the same id)', async () => {
    const { widget, data } = await mount<CrmRevenue>('crm-revenue');
    expect(kpi(widget, 'Total revenue')).to.equal('€320.00');
    const parent = data.parentElement!;
    data.remove();
    await sleep(50); // the dataset is disposed
    parent.prepend(data);
    await data.load(files(['order_id,customer_id,ordered_at,revenue', 'o1,a,2024-01-10T10:00:00Z,5'].join('\n')));
    await waitUntil(() => kpi(widget, 'Total revenue') === '€5.00', `shows ${kpi(widget, 'Total revenue')}`, { timeout: 20_000 });
  });

  it('during a time-zone re-read the widget never shows numbers of a half-loaded worker', async () => {
    const { data, widget } = account('r8-data', '/api/slow.csv?ms=800&v=1');
    await waitUntil(() => kpi(widget, 'Total revenue') === '€21.00', 'not shown', { timeout: 20_000 });
    const seen = new Set<string>();
    const look = (): void => {
      const state = root(widget).querySelector('[part~=state]')?.getAttribute('part');
      seen.add(state !== undefined && state !== null ? `${state}: ${root(widget).querySelector('[part~=state]')!.textContent!.trim()}` : kpi(widget, 'Total revenue'));
    };
    // every change of the widget's page (frames do not run in a background tab of the test run)
    const observer = new MutationObserver(look);
    observer.observe(root(widget), { subtree: true, childList: true, characterData: true, attributes: true });
    look();
    data.timezone = 'Europe/Berlin';
    await waitUntil(() => root(widget).querySelector('[part=footnote]')?.textContent?.includes('Europe/Berlin'), 'no reread', { timeout: 20_000 });
    await ready(widget);
    observer.disconnect();
    expect([...seen]).to.deep.equal(['€21.00']);
  });

  it('a parameter change during a re-read never shows numbers of a half-reloaded dataset', async () => {
    const wrapper = fixtureSync<HTMLElement>(html`<div style="width:800px"><crm-data id="r8b" currency="EUR"></crm-data></div>`);
    const data = wrapper.querySelector('crm-data') as CrmData;
    let delay = 0;
    data.fetcher = async () => {
      await sleep(delay);
      return new Response(TOUCHES, { headers: { 'content-type': 'text/csv' } });
    };
    const widget = document.createElement('crm-revenue') as CrmRevenue;
    widget.setAttribute('data', 'r8b');
    widget.setAttribute('locale', 'en-US');
    wrapper.appendChild(widget);
    const f = files();
    await data.load({ orders: f.orders, costs: f.costs, customers: f.customers });
    await data.load({ touches: '/touches.csv' });
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€290.00', 'not shown', { timeout: 20_000 });
    widget.window = '7d';
    await waitUntil(() => kpi(widget, 'CRM revenue') !== '€290.00' || true, '');
    await sleep(500);
    await ready(widget);
    const at7d = kpi(widget, 'CRM revenue');
    widget.window = '5d';
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€290.00', 'not back', { timeout: 20_000 });
    const seen = new Set<string>();
    const look = (): void => {
      const v = kpi(widget, 'CRM revenue');
      if (v !== '') seen.add(`${widget.window}: ${v}`);
    };
    const observer = new MutationObserver(look);
    observer.observe(root(widget), { subtree: true, childList: true, characterData: true, attributes: true });
    look();
    delay = 1500;
    data.timezone = 'Etc/UTC'; // same clock, so the same numbers
    await sleep(400); // orders re-read, touches still downloading
    widget.window = '7d';
    look();
    await waitUntil(() => data.datasetHandle.snapshot.status === 'ready', 'the re-read did not end', { timeout: 20_000 });
    await sleep(500);
    await ready(widget);
    observer.disconnect();
    expect([...seen]).to.deep.equal(['5d: €290.00', `7d: ${at7d}`]);
  });

  it('a bad time zone set while the first load is in flight, then taken back, still loads the declared sources', async () => {
    // set from the start, so that taking the bad zone back leaves the options as they were
    const data = await firstLoadInFlight('stopped', 'UTC');
    const errors = record<CustomEvent>(data, 'crm-error');
    data.timezone = 'Not/AZone';
    await waitUntil(() => errors.length === 1, 'no error for the time zone');
    data.timezone = 'UTC';
    await waitUntil(() => data.datasetHandle.snapshot.status === 'ready', `status ${data.datasetHandle.snapshot.status}`, { timeout: 10_000 });
    expect(data.report!.tables.orders!.rowsAccepted).to.equal(2);
  });
  it('a cancel once the tables are being built is too late: the load completes and the dataset says so', async () => {
    const { data } = await mount<CrmRevenue>('crm-revenue');
    const big = ['order_id,customer_id,ordered_at,revenue'];
    for (let i = 0; i < 100_000; i++) big.push(`x${i},c${i % 5000},2024-01-10T10:00:00Z,1`);
    const handle = data.datasetHandle;
    let building = false;
    const unsubscribe = handle.subscribe(() => {
      if (building || handle.snapshot.progress?.phase !== 'build') return;
      building = true;
      data.cancel();
    });
    await data.load({ orders: new File([big.join('\n')], 'big.csv') });
    unsubscribe();
    expect(building).to.equal(true);
    expect(data.report!.tables.orders!.rowsAccepted).to.equal(100_000);
    expect(handle.snapshot.status).to.equal('ready');
  });
  it('sources switched while the options are refused are the ones that load once they are fixed, not the load the refusal stopped', async () => {
    const { data, widget } = account('refused', '/api/slow.csv?ms=1000&v=1');
    await waitUntil(() => data.datasetHandle.snapshot.status === 'loading', 'no load');
    await sleep(100);
    data.setAttribute('columns', '{not json');
    await data.updateComplete;
    data.setAttribute('orders', '/api/slow.csv?ms=10&v=1000');
    await data.updateComplete;
    data.removeAttribute('columns');
    await waitUntil(() => kpi(widget, 'Total revenue') !== '', 'nothing shown', { timeout: 20_000 });
    await sleep(500);
    expect(kpi(widget, 'Total revenue')).to.equal('€1,020');
  });
  it('options refused while the sources change and a file is dropped: once fixed, the declared sources load', async () => {
    const { data, widget } = account('refused-upload', '/api/slow.csv?ms=10&v=1');
    await waitUntil(() => kpi(widget, 'Total revenue') === '€21.00', 'A not shown', { timeout: 20_000 });
    data.setAttribute('columns', '{not json');
    await data.updateComplete;
    data.setAttribute('orders', '/api/slow.csv?ms=10&v=1000');
    await data.updateComplete;
    await data.load([new File(['customer_id,channel,sent_at\nc1,email,2024-01-04T10:00:00Z\n'], 'touches.csv')]);
    expect(data.datasetHandle.snapshot.error?.message).to.equal('The columns attribute is not valid JSON.');
    data.removeAttribute('columns');
    await waitUntil(() => kpi(widget, 'Total revenue') === '€1,020', `shows ${kpi(widget, 'Total revenue')}`, { timeout: 20_000 });
  });

  it('bad options and new sources in one update: once the options are fixed, the new sources load', async () => {
    const { data, widget } = account('refused-together', '/api/slow.csv?ms=10&v=1');
    await waitUntil(() => kpi(widget, 'Total revenue') === '€21.00', 'A not shown', { timeout: 20_000 });
    data.setAttribute('columns', '{not json');
    data.setAttribute('orders', '/api/slow.csv?ms=10&v=1000');
    await data.updateComplete;
    data.removeAttribute('columns');
    await waitUntil(() => kpi(widget, 'Total revenue') === '€1,020', `shows ${kpi(widget, 'Total revenue')}`, { timeout: 20_000 });
  });
});
