import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { CrmRevenue } from '../../src/index.js';
import { toPayload } from '../../src/index.js';
import { choose, files, focused, inState, kpi, MARKUP, marks, mount, ORDERS, press, ready, record, root } from './harness.js';

describe('<crm-revenue>', function () {
  this.timeout(60_000);

  it('is accessible and shows the KPIs of the data, hand-computed', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    await expect(widget).to.be.accessible();
    expect(kpi(widget, 'Total revenue')).to.equal('€320.00');
    expect(kpi(widget, 'CRM revenue')).to.equal('€290.00');
    expect(root(widget).querySelector('.kpis')!.textContent).to.contain('90.6% of revenue');
    // c is the only holdout customer: too few for a lift
    expect(kpi(widget, 'Incremental revenue')).to.equal('Not enough holdout data');
    expect(root(widget).querySelector('[part=footnote]')!.textContent).to.contain('Last touch attribution, 5-day window, counted when sent');
  });

  it('reflects attributes into properties and renders its parts', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue', { model: 'linear', window: '7d', period: 'quarter', controls: 'compact', theme: 'dark' });
    expect([widget.model, widget.window, widget.period, widget.controls, widget.theme]).to.deep.equal(['linear', '7d', 'quarter', 'compact', 'dark']);
    for (const part of ['header', 'title', 'controls', 'kpis', 'chart', 'footnote']) expect(root(widget).querySelector(`[part~=${part}]`), part).to.not.equal(null);
    // compact: the essential controls only
    expect(root(widget).querySelector('[part~=basis]')).to.equal(null);
    expect(root(widget).querySelector('[part~=model] select')).to.not.equal(null);
    // one bar per quarter: Q1 2024 only
    expect(marks(widget).every((m) => m.getAttribute('data-nav-col') === '0')).to.equal(true);
  });

  it('fires crm-params-change for a user choice and none for a programmatic change', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    const events = record<CustomEvent>(widget, 'crm-params-change');
    widget.window = '14d';
    await ready(widget);
    expect(events).to.have.length(0);
    choose(widget, 'model', 'first_touch');
    expect(events).to.have.length(1);
    expect(events[0]!.detail.changed).to.equal('model');
    expect(events[0]!.detail.params.model).to.equal('first_touch');
    expect(events[0]!.bubbles && events[0]!.composed).to.equal(true);
    expect(widget.model).to.equal('first_touch');
  });

  it('re-queries when the window changes: 1 hour credits nothing, so CRM revenue drops to zero', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    widget.window = '1h';
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€0.00', 'CRM revenue did not drop', { timeout: 10_000 });
    expect(kpi(widget, 'Total revenue')).to.equal('€320.00');
  });

  it('shows a bad parameter as an error without Retry, and recovers when the parameter is fixed', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    widget.window = 'soon';
    const error = await inState(widget, 'error');
    expect(error.querySelector('.what')!.textContent).to.equal('window must be a duration such as "5d", "24h" or "30m", not "soon".');
    // the same parameter would fail the same way again: the fix is the attribute, not a retry
    expect(error.querySelectorAll('button').length, 'buttons in the error state').to.equal(0);
    await expect(widget).to.be.accessible();
    widget.window = '1h';
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€0.00', 'the widget did not recover', { timeout: 10_000 });
  });

  it('sends only the requests a change affects: a new window re-runs the KPIs and credits, not the holdout lift', async () => {
    const { widget, data } = await mount<CrmRevenue>('crm-revenue');
    const engine = data.datasetHandle.engine!;
    const before = (await engine.diagnostics()).queries;
    widget.window = '1h';
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€0.00', 'CRM revenue did not drop', { timeout: 10_000 });
    // kpis + attribution; the incrementality result (no window in its parameters) is kept
    expect((await engine.diagnostics()).queries - before).to.equal(2);
    widget.window = '5d';
    await waitUntil(() => kpi(widget, 'CRM revenue') === '€290.00', 'CRM revenue did not come back', { timeout: 10_000 });
    expect((await engine.diagnostics()).queries - before).to.equal(4);
  });

  it('shows the other dataset when pointed at one with the same version and parameters', async () => {
    const { widget, data } = await mount<CrmRevenue>('crm-revenue');
    expect(kpi(widget, 'Total revenue')).to.equal('€320.00');
    // a second dataset: the first two orders only (€150); its first load is version 1 too
    const other = document.createElement('crm-data');
    other.id = `${data.id}-other`;
    other.currency = 'EUR';
    data.parentElement!.append(other);
    await other.load({ orders: new File([ORDERS.split('\n').slice(0, 3).join('\n')], 'orders.csv'), touches: files().touches });
    widget.data = other.id;
    await waitUntil(() => kpi(widget, 'Total revenue') === '€150.00', `still shows ${kpi(widget, 'Total revenue')}`, { timeout: 10_000 });
  });

  it('draws its chart again when a new load follows a failed one (the last good data stays on screen)', async () => {
    const { widget, data } = await mount<CrmRevenue>('crm-revenue');
    expect(marks(widget).length).to.be.greaterThan(0);
    data.setAttribute('orders', '/no/such/orders.csv');
    await inState(widget, 'error');
    // a load that does not finish during the test: the widget shows the dataset's current data meanwhile
    data.fetcher = () => Promise.resolve(new Response(new ReadableStream({ start() {} })));
    data.setAttribute('orders', '/slow/orders.csv');
    await waitUntil(() => root(widget).querySelector('[part~=state][part~=error]') === null && root(widget).querySelector('.footer') !== null, 'the widget did not leave the error state', { timeout: 5_000 });
    await waitUntil(() => marks(widget).length > 0, 'the chart stayed empty', { timeout: 5_000 });
    data.cancel();
  });

  it('margin: summed where known, unknown (–) where no purchase has one, with a note of how much is unknown', async () => {
    // o2 (sms, 50) and o4 (non-CRM, 40) have no margin: 2 of 5 purchases, 90 of 330 purchase revenue
    const orders = ['order_id,customer_id,ordered_at,revenue,margin', 'o1,a,2024-01-10T10:00:00Z,100,40', 'o2,b,2024-01-12T10:00:00Z,50,', 'o3,a,2024-02-03T10:00:00Z,80,30', 'o4,c,2024-02-10T10:00:00Z,40,', 'o5,b,2024-02-20T10:00:00Z,-10,', 'o6,d,2024-03-05T10:00:00Z,60,20'].join('\n');
    const { widget } = await mount<CrmRevenue>('crm-revenue', { money: 'margin', period: 'month' }, orders);
    expect(kpi(widget, 'CRM margin')).to.equal('€90.00');
    const toggle = [...root(widget).querySelectorAll<HTMLButtonElement>('.exports button')].find((b) => b.textContent === 'Table')!;
    toggle.click();
    await widget.updateComplete;
    const header = [...root(widget).querySelectorAll('thead th')].map((c) => c.textContent!.trim());
    const rows = [...root(widget).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));
    expect(header).to.deep.equal(['Month', MARKUP, 'email', 'sms', 'Non-CRM', 'Total']);
    // January: sms's only purchase has no margin (–, not €0.00); February: the non-CRM purchase neither
    expect(rows).to.deep.equal([
      ['2024-01-01', '€0.00', '€40.00', '–', '€0.00', '€40.00'],
      ['2024-02-01', '€0.00', '€30.00', '€0.00', '–', '€30.00'],
      ['2024-03-01', '€20.00', '€0.00', '€0.00', '€0.00', '€20.00'],
    ]);
    toggle.click();
    await widget.updateComplete;
    expect(root(widget).querySelector('.margin-note')!.textContent!.replace(/\s+/g, ' ')).to.contain('2 of 5 purchases (27.3% of purchase revenue) have no margin');
    widget.money = 'revenue';
    await ready(widget);
    expect(root(widget).querySelector('.margin-note')).to.equal(null);
  });

  it('reads range totals from the worker: a channel of margin 0 and then unknown has a known margin of 0', async () => {
    // email: o1 (January, margin 0) and o3 (February, no margin); sms: o2 (no margin); d's channel: o6 (20).
    // Per month email reads €0.00 then –; a sum over those cells could not tell the 0 from "nothing".
    const orders = ['order_id,customer_id,ordered_at,revenue,margin', 'o1,a,2024-01-10T10:00:00Z,100,0', 'o2,b,2024-01-12T10:00:00Z,50,', 'o3,a,2024-02-03T10:00:00Z,80,', 'o6,d,2024-03-05T10:00:00Z,60,20'].join('\n');
    const { widget } = await mount<CrmRevenue>('crm-revenue', { money: 'margin', period: 'month', panel: 'models' }, orders);
    const toggle = [...root(widget).querySelectorAll<HTMLButtonElement>('.exports button')].find((b) => b.textContent === 'Table')!;
    toggle.click();
    await widget.updateComplete;
    const rows = [...root(widget).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));
    // every model credits each purchase to its one touch in the window
    expect(rows).to.deep.equal([
      [MARKUP, ...Array(5).fill('€20.00')],
      ['email', ...Array(5).fill('€0.00')],
      ['sms', ...Array(5).fill('–')],
    ]);
  });

  it('totals each month from the purchases, and credits each channel alike under every model (hand-computed)', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue', { period: 'month' });
    const table = async (): Promise<string[][]> => {
      const toggle = [...root(widget).querySelectorAll<HTMLButtonElement>('.exports button')].find((b) => b.textContent === 'Table')!;
      toggle.click();
      await widget.updateComplete;
      const rows = [...root(widget).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));
      toggle.click();
      await widget.updateComplete;
      return rows;
    };
    // Total: January 100 + 50, February 80 + 40 (the refund of 10 is no purchase), March 60
    expect((await table()).map((r) => r.at(-1))).to.deep.equal(['€150.00', '€120.00', '€60.00']);
    // every purchase has one touch in its window, so each model credits a 180 (email), b 50 (sms), d 60
    widget.panel = 'models';
    await ready(widget);
    await waitUntil(async () => (await table()).length === 3, 'no models table');
    expect(await table()).to.deep.equal([
      [MARKUP, ...Array(5).fill('€60.00')],
      ['email', ...Array(5).fill('€180.00')],
      ['sms', ...Array(5).fill('€50.00')],
    ]);
    // attributed beside incremental (the worker's keyRevenue): email's 180 (c's 40 came from a holdout)
    widget.panel = 'incremental';
    await ready(widget);
    await waitUntil(() => marks(widget).some((m) => m.getAttribute('aria-label')!.includes('Attributed')), 'no attributed bars');
    expect(marks(widget).map((m) => m.getAttribute('aria-label'))).to.include('email, Attributed: €180.00');
  });

  it('folds the smallest channels into Other CRM, by revenue and by margin (a known 0 is no gap)', async () => {
    // nine customers, each touched on a channel of its own the day before a January purchase of 10·i
    // (margins: ch1 none, ch2 0, ch3..ch9 10·i), and c10 on ch10 buying 5 (margin 1) in February
    const n = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const orders = [
      'order_id,customer_id,ordered_at,revenue,margin',
      ...n.map((i) => `o${i},c${i},2024-01-${9 + i}T10:00:00Z,${10 * i},${i === 1 ? '' : i === 2 ? 0 : 10 * i}`),
      'o10,c10,2024-02-02T10:00:00Z,5,1',
    ].join('\n');
    const touches = ['customer_id,channel,sent_at,group', ...n.map((i) => `c${i},ch${i},2024-01-${String(8 + i).padStart(2, '0')}T10:00:00Z,treatment`), 'c10,ch10,2024-02-01T10:00:00Z,treatment'].join('\n');
    const { widget, data } = await mount<CrmRevenue>('crm-revenue', { period: 'month' });
    await data.load({ orders: new File([orders], 'orders.csv'), touches: new File([touches], 'touches.csv') });
    await ready(widget);
    const rows = async (): Promise<string[][]> => {
      const toggle = [...root(widget).querySelectorAll<HTMLButtonElement>('.exports button')].find((b) => b.textContent === 'Table')!;
      toggle.click();
      await widget.updateComplete;
      const header = [...root(widget).querySelectorAll('thead th')].map((c) => c.textContent!.trim());
      const cells = [...root(widget).querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent!.trim()));
      toggle.click();
      await widget.updateComplete;
      return [header, ...cells];
    };
    const kept = ['ch3', 'ch4', 'ch5', 'ch6', 'ch7', 'ch8', 'ch9'];
    // revenue: the seven largest kept; ch1, ch2 and ch10 folded (10 + 20 in January, 5 in February)
    await waitUntil(async () => (await rows())[0]!.includes('Other CRM'), 'no Other CRM series');
    expect(await rows()).to.deep.equal([
      ['Month', ...kept, 'Other CRM', 'Non-CRM', 'Total'],
      ['2024-01-01', '€30.00', '€40.00', '€50.00', '€60.00', '€70.00', '€80.00', '€90.00', '€30.00', '€0.00', '€450.00'],
      ['2024-02-01', '€0.00', '€0.00', '€0.00', '€0.00', '€0.00', '€0.00', '€0.00', '€5.00', '€0.00', '€5.00'],
    ]);
    // margin: the same fold; in January ch1's unknown beside ch2's earned 0 is a known 0, not a gap
    widget.money = 'margin';
    await ready(widget);
    await waitUntil(async () => (await rows())[1]!.at(-1) === '€420.00', 'no margin table');
    expect((await rows()).slice(1)).to.deep.equal([
      ['2024-01-01', '€30.00', '€40.00', '€50.00', '€60.00', '€70.00', '€80.00', '€90.00', '€0.00', '€0.00', '€420.00'],
      ['2024-02-01', '€0.00', '€0.00', '€0.00', '€0.00', '€0.00', '€0.00', '€0.00', '€1.00', '€0.00', '€1.00'],
    ]);
  });

  it('says when the changes compare ranges the orders cover only in part', async () => {
    const note = (w: CrmRevenue): string | undefined =>
      [...root(w).querySelectorAll('.note')].map((n) => n.textContent!).find((t) => t.startsWith('The orders cover'));
    // the orders run from 01-10 to 03-05. 02-10..02-20 and the 11 days before it are inside them: no note
    const { widget } = await mount<CrmRevenue>('crm-revenue', { from: '2024-02-10', to: '2024-02-20' });
    expect(root(widget).querySelector('.kpi .change')).to.not.equal(null);
    expect(note(widget)).to.equal(undefined);
    // 02-06..03-05 reaches the last order day (not over), and the range before it (01-08..02-05) starts
    // before the first: both are partial, and a change is shown
    widget.from = '2024-02-06';
    widget.to = '2024-03-05';
    await ready(widget);
    await waitUntil(() => note(widget) !== undefined, 'no note on partial ranges');
    expect(note(widget)).to.equal('The orders cover this range or the one before only in part: the changes compare unequal spans.');
  });

  it('a KPI of unknown margin has no change line, while the revenue beside it compares', async () => {
    // only c's non-CRM purchase has a margin; February against the 29 days before it (a's and b's
    // January purchases)
    const orders = ORDERS.replace('order_id,customer_id,ordered_at,revenue', 'order_id,customer_id,ordered_at,revenue,margin').replace(/\n(o\d,[^\n]*)/g, (_m, row: string) => `\n${row},${row.startsWith('o4,') ? '10' : ''}`);
    const { widget } = await mount<CrmRevenue>('crm-revenue', { money: 'margin', from: '2024-02-01', to: '2024-02-29' }, orders);
    const tile = (name: string): string[] =>
      [...[...root(widget).querySelectorAll('.kpi')].find((t) => t.querySelector('.name')!.textContent === name)!.querySelectorAll('.change')].map((c) => c.textContent!);
    expect(kpi(widget, 'CRM margin')).to.equal('–');
    // net revenue 80 + 40 − 10 = 110 now against 100 + 50 before: −26.7%; the margin tile keeps its
    // share note (CRM revenue 80 of 110) and has no change line
    expect(tile('Total revenue')).to.deep.equal(['-26.7% vs previous period']);
    expect(tile('CRM margin')).to.deep.equal(['CRM: 72.7% of revenue']);
  });

  it('margin of data without any margin: the note in place of an empty chart, the KPIs and controls kept', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue', { period: 'month', money: 'margin' });
    expect(root(widget).querySelector('.margin-note')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'No purchase in this range has a margin (from a margin or cost column of the orders).',
    );
    expect(root(widget).querySelector('svg.plot')).to.equal(null);
    expect(root(widget).querySelector('.legend')).to.equal(null);
    expect([kpi(widget, 'Total revenue'), kpi(widget, 'CRM margin')]).to.deep.equal(['€320.00', '–']);
    choose(widget, 'money', 'revenue');
    await ready(widget);
    expect(root(widget).querySelector('svg.plot')).to.not.equal(null);
    expect(kpi(widget, 'CRM revenue')).to.equal('€290.00');
  });

  it('a range with a refund and no purchase keeps its chart: no purchase is not "no margin"', async () => {
    const orders = ['order_id,customer_id,ordered_at,revenue,margin', 'o1,a,2024-01-10T10:00:00Z,100,40', 'o5,b,2024-02-20T10:00:00Z,-10,-4'].join('\n');
    const { widget } = await mount<CrmRevenue>('crm-revenue', { money: 'margin', from: '2024-02-20', to: '2024-02-20' }, orders);
    expect(kpi(widget, 'Total revenue')).to.equal('-€10.00');
    expect(root(widget).querySelector('svg.plot')).to.not.equal(null);
    expect(root(widget).querySelector('.margin-note')).to.equal(null);
  });

  it('summarises for screen readers with the largest channel over the range (the worker\'s keyRevenue)', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    expect(root(widget).querySelector('[part=summary]')!.textContent).to.equal('CRM revenue €290.00 of €320.00 total (90.6%). The largest is email with €180.00.');
  });

  it('renders data values with markup as text (legend, labels, table)', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    const legend = root(widget).querySelector('.legend')!;
    expect(legend.textContent).to.contain(MARKUP);
    expect(root(widget).querySelector('img')).to.equal(null);
    expect(marks(widget).some((m) => m.getAttribute('aria-label')!.includes(MARKUP))).to.equal(true);
    (root(widget).querySelector('.exports button') as HTMLButtonElement).click();
    await widget.updateComplete;
    expect(root(widget).querySelector('table')!.textContent).to.contain(MARKUP);
    expect(root(widget).querySelector('table img')).to.equal(null);
  });

  it('draws the periods the orders or the range cover in part faded, and says so', async () => {
    // the orders run from 2024-01-10 to 2024-03-05: January and March are partial, February whole
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    const partialMonths = (): string[] => [...new Set(marks(widget).filter((m) => m.classList.contains('partial')).map((m) => m.getAttribute('aria-label')!.split(': ')[0]!.split(', ')[1]!))].sort();
    expect(partialMonths()).to.deep.equal(['Jan 2024', 'Mar 2024']);
    const note = (): string => [...root(widget).querySelectorAll('.note')].map((n) => n.textContent!.trim()).join(' | ');
    expect(note()).to.contain('Faded bars: periods the data cover only in part.');
    // a range of February alone covers its one month whole: nothing faded, no note
    widget.setAttribute('from', '2024-02-01');
    widget.setAttribute('to', '2024-02-29');
    await ready(widget);
    await waitUntil(() => marks(widget).length > 0 && marks(widget).every((m) => m.getAttribute('aria-label')!.includes('Feb 2024')), 'February only');
    expect(partialMonths()).to.deep.equal([]);
    expect(note()).to.not.contain('cover only in part');
    // a range that ends on Feb 20 leaves February in part
    widget.setAttribute('to', '2024-02-20');
    await ready(widget);
    await waitUntil(() => partialMonths().length === 1, 'February partial');
    expect(partialMonths()).to.deep.equal(['Feb 2024']);
  });

  it('moves between bars with the arrow keys, one tab stop per chart', async () => {
    const { widget } = await mount<CrmRevenue>('crm-revenue');
    const all = marks(widget);
    const stops = all.filter((m) => m.getAttribute('tabindex') === '0');
    expect(stops).to.have.length(1);
    // the tab stop is the first bar in reading order: January
    expect(stops[0]!.getAttribute('data-nav-col')).to.equal('0');
    // email has bars in January and February: move right along it
    const email = all.filter((m) => m.getAttribute('aria-label')!.startsWith('email,'));
    // the orders run from Jan 10 to Mar 5: January is a partial period
    expect(email.map((m) => m.getAttribute('aria-label'))).to.deep.equal(['email, Jan 2024: €100.00 (partial period)', 'email, Feb 2024: €80.00']);
    email[0]!.focus();
    press(widget, 'ArrowRight');
    expect(focused(widget)).to.equal(email[1]);
    expect(email[1]!.getAttribute('tabindex')).to.equal('0');
    // the tooltip shows the period's breakdown on hover (and on focus, when the page has focus)
    email[1]!.dispatchEvent(new PointerEvent('pointerover', { bubbles: true }));
    const tip = root(widget).querySelector<HTMLElement>('.tooltip')!;
    expect(tip.hidden).to.equal(false);
    expect(tip.textContent).to.contain('Feb 2024');
    expect(tip.textContent).to.contain('Non-CRM€40.00');
    expect(tip.textContent).to.contain('Total€120.00');
    email[1]!.dispatchEvent(new PointerEvent('pointerout', { bubbles: true }));
    expect(tip.hidden).to.equal(true);
    press(widget, 'Home');
    expect(focused(widget)).to.equal(email[0]);
    // down: the nearest bar of the next series (non-CRM has bars every month)
    press(widget, 'ArrowDown');
    expect(focused(widget)!.getAttribute('aria-label')).to.match(/^(sms|Non-CRM), Jan 2024/);
  });

  it('asks for data when there is none, and says how to connect one', async () => {
    const lonely = await fixture<CrmRevenue>(html`<crm-revenue></crm-revenue>`);
    const state = await inState(lonely, 'empty');
    expect(state.textContent).to.contain('No data connected');
    await expect(lonely).to.be.accessible();
    const wrapper = await fixture<HTMLElement>(html`<crm-data><crm-revenue></crm-revenue></crm-data>`);
    const nested = wrapper.querySelector('crm-revenue')!;
    const empty = await inState(nested, 'empty');
    expect(empty.textContent).to.contain('No data loaded yet');
    expect(empty.querySelector('button')!.textContent).to.contain('Load files');
    await expect(nested).to.be.accessible();
  });

  it('shows loading progress with a cancel button, then an error with what to do and a retry', async () => {
    const wrapper = await fixture<HTMLElement>(html`<crm-data><crm-revenue></crm-revenue></crm-data>`);
    const data = wrapper as unknown as import('../../src/index.js').CrmData;
    const widget = wrapper.querySelector('crm-revenue')!;
    let answer: (r: Response) => void = () => undefined;
    let calls = 0;
    data.fetcher = () => {
      calls++;
      return new Promise<Response>((resolve) => (answer = resolve));
    };
    data.orders = '/api/stalled-orders.csv';
    const loading = await inState(widget, 'loading');
    expect(loading.querySelector('progress')).to.not.equal(null);
    expect(loading.querySelector('button')!.textContent).to.equal('Cancel');
    await expect(widget).to.be.accessible();
    const errors = record<CustomEvent>(wrapper, 'crm-error');
    // answer once the download has started (the worker starts first)
    await waitUntil(() => calls === 1, 'the download never started');
    answer(new Response('boom', { status: 503, statusText: 'Service Unavailable' }));
    const error = await inState(widget, 'error');
    expect(error.textContent).to.contain('answered HTTP 503');
    expect(error.textContent).to.contain('The server failed');
    expect(error.querySelector('button')!.textContent).to.equal('Retry');
    expect(errors).to.have.length(1);
    await expect(widget).to.be.accessible();
  });

  it('renders a pre-aggregated payload with no worker, from .result and from summary-src', async () => {
    const { widget: source } = await mount<CrmRevenue>('crm-revenue');
    const engine = (source as unknown as { source: { handle: { engine: import('../../src/index.js').CrmEngine } } }).source.handle.engine;
    const payloads = [
      toPayload(await engine.query({ kind: 'kpis', params: {} })),
      toPayload(await engine.query({ kind: 'attribution', params: { period: 'month' } })),
      toPayload(await engine.query({ kind: 'incrementality', params: {} })),
    ];
    const fromResult = await fixture<CrmRevenue>(html`<crm-revenue locale="en-US" currency="EUR" .result=${payloads}></crm-revenue>`);
    await ready(fromResult);
    expect(kpi(fromResult, 'CRM revenue')).to.equal('€290.00');
    expect(root(fromResult).querySelector('[part=footnote]')!.textContent).to.contain('pre-aggregated');
    // the payload fixes the parameters: no controls, a note instead, and the footnote states the payload's definition
    expect(root(fromResult).querySelector('select')).to.equal(null);
    expect(root(fromResult).querySelector('[part=controls]')!.textContent).to.contain('fixed settings');
    expect(root(fromResult).querySelector('[part=footnote]')!.textContent).to.match(/^Last touch attribution, counted when sent/);
    expect(root(source).querySelectorAll('fieldset[part=controls] select').length).to.be.greaterThan(2);
    const url = URL.createObjectURL(new Blob([JSON.stringify(payloads)], { type: 'application/json' }));
    const fromUrl = await fixture<CrmRevenue>(html`<crm-revenue locale="en-US" currency="EUR" summary-src=${url}></crm-revenue>`);
    await ready(fromUrl);
    expect(kpi(fromUrl, 'Total revenue')).to.equal('€320.00');
    await expect(fromUrl).to.be.accessible();
  });

  it('says which fields a payload of an older SQL pack lacks, instead of drawing without them', async () => {
    const { widget: source } = await mount<CrmRevenue>('crm-revenue');
    const engine = (source as unknown as { source: { handle: { engine: import('../../src/index.js').CrmEngine } } }).source.handle.engine;
    const attribution = toPayload(await engine.query({ kind: 'attribution', params: { period: 'month' } })) as Record<string, unknown>;
    delete attribution['keyRevenue'];
    delete attribution['purchaseMargin'];
    const url = URL.createObjectURL(new Blob([JSON.stringify([attribution])], { type: 'application/json' }));
    const widget = await fixture<CrmRevenue>(html`<crm-revenue locale="en-US" currency="EUR" summary-src=${url}></crm-revenue>`);
    const error = await inState(widget, 'error');
    expect(error.textContent).to.contain("attribution payload without keyRevenue, purchaseMargin: rerun this version's SQL pack.");
  });

  it('refuses a KPI payload without the partial flags, which say when the changes compare unequal spans', async () => {
    const { widget: source } = await mount<CrmRevenue>('crm-revenue');
    const engine = (source as unknown as { source: { handle: { engine: import('../../src/index.js').CrmEngine } } }).source.handle.engine;
    const kpis = toPayload(await engine.query({ kind: 'kpis', params: {} })) as Record<string, unknown>;
    delete kpis['previousPartial'];
    const url = URL.createObjectURL(new Blob([JSON.stringify([kpis])], { type: 'application/json' }));
    const widget = await fixture<CrmRevenue>(html`<crm-revenue locale="en-US" currency="EUR" summary-src=${url}></crm-revenue>`);
    const error = await inState(widget, 'error');
    expect(error.textContent).to.contain("kpis payload without previousPartial: rerun this version's SQL pack.");
  });

  it('drops a slow summary superseded by a newer one', async () => {
    const { widget: source } = await mount<CrmRevenue>('crm-revenue');
    const engine = (source as unknown as { source: { handle: { engine: import('../../src/index.js').CrmEngine } } }).source.handle.engine;
    const kpis = toPayload(await engine.query({ kind: 'kpis', params: {} })) as { current: { netRevenue: number } };
    const slow = { ...kpis, current: { ...kpis.current, netRevenue: 1 } };
    const widget = await fixture<CrmRevenue>(html`<crm-revenue locale="en-US" currency="EUR"></crm-revenue>`);
    widget.fetcher = async (url: string) => {
      if (url.endsWith('/slow.json')) {
        await new Promise((resolve) => setTimeout(resolve, 400));
        return new Response(JSON.stringify(slow), { headers: { 'content-type': 'application/json' } });
      }
      return new Response(JSON.stringify(kpis), { headers: { 'content-type': 'application/json' } });
    };
    widget.summarySrc = '/slow.json';
    await widget.updateComplete;
    widget.summarySrc = '/fast.json';
    await ready(widget);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(kpi(widget, 'Total revenue')).to.equal('€320.00');
  });
});
