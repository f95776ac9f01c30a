import { expect, fixture, fixtureSync, html, waitUntil } from '@open-wc/testing';
import type { CrmData, CrmLoadEvent } from '../../src/index.js';
import { files, inState, kpi, MARKUP, mount, record, root } from './harness.js';
import type { CrmRevenue } from '../../src/index.js';

/** Bytes per batch the kit hands to the worker (src/core/http.ts). */
const BATCH = 1 << 20;

describe('<crm-data>', function () {
  this.timeout(60_000);

  it('shows an accessible upload area, then what was loaded and the rejected rows as text', async () => {
    const data = await fixture<CrmData>(html`<crm-data upload></crm-data>`);
    await expect(data).to.be.accessible();
    const loads = record<CrmLoadEvent>(data, 'crm-load');
    const bad = new File([`customer_id,ordered_at,revenue\na,2024-01-10T10:00:00Z,100\n${MARKUP},not a date,5\n`], 'orders.csv');
    await data.load([bad]);
    await waitUntil(() => data.shadowRoot!.querySelector('[part=report]') !== null, 'no report');
    const report = data.shadowRoot!.querySelector('[part=report]')!;
    expect(report.textContent).to.contain('orders');
    expect(report.textContent).to.contain('1 rows');
    expect(report.textContent).to.contain('1 rejected');
    expect(report.querySelector('details')!.textContent).to.contain('not a date');
    expect(report.querySelector('img')).to.equal(null);
    expect(loads).to.have.length(1);
    expect(loads[0]!.detail.report.tables.orders!.rowsAccepted).to.equal(1);
    await expect(data).to.be.accessible();
  });

  it('while two files are read at once, names both and shows the load\'s totals (not one file\'s share)', async () => {
    const wrapper = await fixture<HTMLElement>(html`<crm-data upload><crm-revenue></crm-revenue></crm-data>`);
    const data = wrapper as unknown as CrmData;
    // each download sends a little over one batch (1 MiB) of rows, then stalls: both files stay open
    const rows = (header: string, row: (i: number) => string): string => {
      let text = `${header}\n`;
      for (let i = 0; text.length <= BATCH; i++) text += `${row(i)}\n`;
      return text;
    };
    const bodies: Record<string, string> = {
      orders: rows('customer_id,ordered_at,revenue', (i) => `c${i},2024-01-10T10:00:00Z,100`),
      touches: rows('customer_id,channel,sent_at', (i) => `c${i},email,2024-01-09T10:00:00Z`),
    };
    data.fetcher = (url) =>
      Promise.resolve(
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              controller.enqueue(new TextEncoder().encode(bodies[/touches/.test(String(url)) ? 'touches' : 'orders']));
            },
          }),
        ),
      );
    const loading = data.load({ orders: '/api/orders.csv', touches: '/api/touches.csv' });
    loading.catch(() => undefined);
    const status = (): string => data.shadowRoot!.querySelector('.status')?.textContent ?? '';
    await waitUntil(() => status().includes(' and '), 'the status never named both files', { timeout: 20_000 });
    // one batch of each file has been parsed: its complete lines, less the header
    const parsed = (text: string): number => text.slice(0, BATCH).split('\n').length - 2;
    const expected = `${location.origin}/api/orders.csv and ${location.origin}/api/touches.csv: ${((2 * BATCH) / 1e6).toFixed(1)} MB, ${(parsed(bodies.orders!) + parsed(bodies.touches!)).toLocaleString('en')} rows`;
    await waitUntil(() => status().includes(expected), `the status said "${status()}", not "${expected}"`, { timeout: 20_000 });
    expect(data.shadowRoot!.querySelector('progress')!.hasAttribute('value'), 'an indeterminate bar').to.equal(false);
    const widget = wrapper.querySelector('crm-revenue')!;
    const label = `Reading ${location.origin}/api/orders.csv and ${location.origin}/api/touches.csv…`;
    await waitUntil(() => widget.shadowRoot!.textContent!.includes(label), 'the widget did not name both files');
    data.cancel();
  });

  it('loads URL attributes, reports failures as crm-error, and rejects bad column JSON', async () => {
    const wrapper = fixtureSync<HTMLElement>(html`<div></div>`);
    const data = document.createElement('crm-data');
    const errors = record<CustomEvent>(data, 'crm-error');
    const loads = record<CrmLoadEvent>(data, 'crm-load');
    data.setAttribute('orders', '/api/orders.csv');
    wrapper.appendChild(data);
    await waitUntil(() => loads.length === 1, 'the URL did not load');
    expect(data.report!.tables.orders!.rowsAccepted).to.equal(2);
    data.setAttribute('orders', '/api/500');
    await waitUntil(() => errors.length === 1, 'no crm-error');
    expect(errors[0]!.detail.error.code).to.equal('http-status');
    // the failed reload keeps the previous data
    expect(data.report!.tables.orders!.rowsAccepted).to.equal(2);
    data.setAttribute('columns', '{not json');
    await waitUntil(() => errors.length === 2, 'no crm-error for the columns');
    expect(errors[1]!.detail.error.message).to.contain('columns attribute is not valid JSON');
  });

  it('holds its sources under a bad time zone from the start, and loads them once it is fixed', async () => {
    const wrapper = fixtureSync<HTMLElement>(html`<div></div>`);
    const data = document.createElement('crm-data');
    const errors = record<CustomEvent>(data, 'crm-error');
    const loads = record<CrmLoadEvent>(data, 'crm-load');
    data.setAttribute('timezone', 'Not/AZone');
    data.setAttribute('orders', '/api/orders.csv');
    wrapper.appendChild(data);
    await waitUntil(() => errors.length === 1, 'no crm-error for the time zone');
    expect(errors[0]!.detail.error.message).to.equal('Unknown time zone "Not/AZone".');
    expect(loads.length).to.equal(0);
    data.setAttribute('timezone', 'UTC');
    await waitUntil(() => loads.length === 1, 'the sources did not load after the fix');
    expect(data.report!.tables.orders!.rowsAccepted).to.equal(2);
    expect(data.report!.timezone).to.equal('UTC');
  });

  it('new options and new sources in one update: reads the uploads again and the new sources once, never the replaced ones', async () => {
    const wrapper = fixtureSync<HTMLElement>(html`<div></div>`);
    const data = document.createElement('crm-data');
    const requested: string[] = [];
    const bodies: Record<string, string> = {
      '/shop-a/orders.csv': 'customer_id,ordered_at,revenue\na1,2024-01-31T23:30:00Z,10\na2,2024-02-01T10:00:00Z,20\n',
      '/shop-b/orders.csv': 'customer_id,ordered_at,revenue\nb1,2024-03-31T22:30:00Z,5\nb2,2024-04-02T10:00:00Z,6\nb3,2024-04-03T10:00:00Z,7\n',
    };
    data.fetcher = (url) => {
      const path = new URL(String(url), location.origin).pathname;
      requested.push(path);
      return Promise.resolve(new Response(bodies[path] ?? '', { status: path in bodies ? 200 : 404 }));
    };
    const loads = record<CrmLoadEvent>(data, 'crm-load');
    const errors = record<CustomEvent>(data, 'crm-error');
    data.timezone = 'UTC';
    data.setAttribute('orders', '/shop-a/orders.csv');
    wrapper.appendChild(data);
    await waitUntil(() => loads.length === 1, 'shop A did not load');
    await data.load([new File(['customer_id,channel,sent_at\nb1,email,2024-03-31 20:00:00\n'], 'touches.csv')]);
    expect(loads.length).to.equal(2);
    // another account: its own time zone and its own files, set together
    data.timezone = 'Europe/Berlin';
    data.setAttribute('orders', '/shop-b/orders.csv');
    await waitUntil(() => data.report?.tables.orders?.rowsAccepted === 3, 'shop B did not load', { timeout: 20_000 });
    expect(requested).to.deep.equal(['/shop-a/orders.csv', '/shop-b/orders.csv']);
    expect(errors.length).to.equal(0);
    const report = data.report!;
    expect(report.timezone).to.equal('Europe/Berlin');
    expect(report.tables.orders!.rowsAccepted).to.equal(3);
    expect(report.tables.touches!.rowsAccepted, 'the upload, read again').to.equal(1);
    // read in Berlin (summer time from 2024-03-31): 20:00 there is 18:00 UTC
    expect(new Date(report.tables.touches!.dateRange!.min).toISOString()).to.equal('2024-03-31T18:00:00.000Z');
    await waitUntil(() => loads.length > 3, '', { timeout: 500 }).catch(() => undefined);
    expect(loads.length, 'one load for the change, not a re-read and then a load').to.equal(3);
  });

  it('reads uploaded files again under a new time zone, and shows columns that are not JSON as an error until fixed', async () => {
    const { widget, data } = await mount<CrmRevenue>('crm-revenue');
    const footnote = (): string => root(widget).querySelector('[part=footnote]')?.textContent ?? '';
    expect(footnote()).to.contain('times in UTC');
    const loads = record<CrmLoadEvent>(data, 'crm-load');
    const rows = data.report!.tables.orders!.rowsAccepted;
    data.timezone = 'Pacific/Kiritimati';
    await waitUntil(() => footnote().includes('times in Pacific/Kiritimati'), `the widget still says "${footnote()}"`, { timeout: 20_000 });
    expect(loads.length).to.equal(1);
    expect(data.report!.timezone).to.equal('Pacific/Kiritimati');
    expect(data.report!.tables.orders!.rowsAccepted).to.equal(rows);
    expect(rows).to.be.above(0);
    expect(data.engine, 'an engine holding the data').to.not.equal(null);
    expect(kpi(widget, 'Total revenue')).to.equal('€320.00');
    // a later change still answers (a dead engine would leave the widget as it was)
    widget.window = '1h';
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€0.00', 'the window change was not answered', { timeout: 10_000 });
    const errors = record<CustomEvent>(data, 'crm-error');
    data.setAttribute('columns', '{not json');
    const error = await inState(widget, 'error');
    expect(error.querySelector('.what')!.textContent).to.equal('The columns attribute is not valid JSON.');
    expect(error.querySelectorAll('button').length, 'buttons in the error state').to.equal(0);
    expect(errors.length).to.equal(1);
    // an upload waits for usable options too
    expect((await data.datasetHandle.load(files()).catch((e: { code: string }) => e.code))).to.equal('bad-option');
    data.removeAttribute('columns');
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€0.00', 'the widget did not come back', { timeout: 20_000 });
    expect(footnote()).to.contain('times in Pacific/Kiritimati');
  });

  it('keeps its worker when moved, and ends it when removed', async () => {
    const wrapper = fixtureSync<HTMLElement>(html`<div><section></section></div>`);
    const data = document.createElement('crm-data');
    wrapper.appendChild(data);
    await data.load(files());
    const engine = data.engine!;
    wrapper.querySelector('section')!.appendChild(data);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.disposed).to.equal(false);
    expect(data.engine).to.equal(engine);
    data.remove();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(engine.disposed).to.equal(true);
  });
});
