import { expect, fixture, html } from '@open-wc/testing';
import type { CrmEngine, CrmRoas } from '../../src/index.js';
import { toPayload } from '../../src/index.js';
import { choose, focused, inState, marks, mount, press, ready, record, root } from './harness.js';

/** The data table's cells, as text, by row label. */
async function tableRows(widget: CrmRoas): Promise<Map<string, string[]>> {
  const toggle = [...root(widget).querySelectorAll<HTMLButtonElement>('.exports button')].find((b) => b.textContent === 'Table')!;
  toggle.click();
  await widget.updateComplete;
  const rows = new Map<string, string[]>();
  for (const tr of root(widget).querySelectorAll('tbody tr')) {
    const cells = [...tr.children].map((c) => c.textContent!.trim());
    rows.set(cells[0]!, cells.slice(1));
  }
  toggle.click();
  await widget.updateComplete;
  return rows;
}

describe('<crm-roas>', function () {
  this.timeout(60_000);

  it('computes ROAS per channel and period from costs plus per-touch costs (hand-computed)', async () => {
    const { widget } = await mount<CrmRoas>('crm-roas', { period: 'month' });
    await expect(widget).to.be.accessible();
    const rows = await tableRows(widget);
    // January: email 100 / 20, sms 50 / (5 + 0.50 per-touch), blended 150 / 25.50
    expect(rows.get('2024-01-01')).to.deep.equal(['5.00×', '9.09×', '€25.50', '€150.00', '5.88×']);
    // February: email 80 / 10; sms has no cost: a gap, not zero
    expect(rows.get('2024-02-01')).to.deep.equal(['8.00×', '–', '€10.00', '€80.00', '8.00×']);
    // March: no cost at all, so no ROAS anywhere
    expect(rows.get('2024-03-01')!.slice(-1)).to.deep.equal(['–']);
    // the blended line has points in January and February only
    const blended = marks(widget).filter((m) => m.getAttribute('aria-label')!.startsWith('Blended'));
    // the orders begin on Jan 10: January is a partial period, drawn hollow
    expect(blended.map((m) => m.getAttribute('aria-label'))).to.deep.equal(['Blended, Jan 2024: 5.88× (partial period)', 'Blended, Feb 2024: 8.00×']);
    expect(blended.map((m) => m.classList.contains('partial'))).to.deep.equal([true, false]);
    expect(root(widget).querySelector('.note')!.textContent).to.contain('Hollow points: periods the data cover only in part.');
    // over the range (the worker's rangeRoas): 150 + 80 + 60 (d's channel, no cost) on 25.50 + 10
    expect(root(widget).querySelector('[part=summary]')!.textContent).to.equal('Blended ROAS over the range: 8.17× (€290.00 attributed revenue on €35.50 cost).');
  });

  it('says nothing of partial periods when none of them has a point (March has no cost: a gap)', async () => {
    // from February: February whole, March partial (the orders end on Mar 5) but without cost
    const { widget } = await mount<CrmRoas>('crm-roas', { period: 'month', from: '2024-02-01' });
    const blended = marks(widget).filter((m) => m.getAttribute('aria-label')!.startsWith('Blended'));
    expect(blended.map((m) => m.getAttribute('aria-label'))).to.deep.equal(['Blended, Feb 2024: 8.00×']);
    expect(root(widget).querySelectorAll('.note').length).to.equal(0);
  });

  it('margin ROAS: margins summed where known, a gap where none is, and a note of how much is unknown', async () => {
    // o2 (sms, 50) and o4 (non-CRM, 40) have no margin: 2 of 5 purchases, 90 of 330 purchase revenue
    const orders = ['order_id,customer_id,ordered_at,revenue,margin', 'o1,a,2024-01-10T10:00:00Z,100,40', 'o2,b,2024-01-12T10:00:00Z,50,', 'o3,a,2024-02-03T10:00:00Z,80,30', 'o4,c,2024-02-10T10:00:00Z,40,', 'o5,b,2024-02-20T10:00:00Z,-10,', 'o6,d,2024-03-05T10:00:00Z,60,20'].join('\n');
    const { widget } = await mount<CrmRoas>('crm-roas', { period: 'month', metric: 'margin' }, orders);
    const rows = await tableRows(widget);
    // January: email 40 / 20; sms spent 5.50 on a purchase of unknown margin: a gap, not 0×; blended 40 / 25.50
    expect(rows.get('2024-01-01')).to.deep.equal(['2.00×', '–', '€25.50', '€40.00', '1.57×']);
    expect(rows.get('2024-02-01')).to.deep.equal(['3.00×', '–', '€10.00', '€30.00', '3.00×']);
    const note = root(widget).querySelector('.margin-note')!.textContent!.replace(/\s+/g, ' ');
    expect(note).to.contain('2 of 5 purchases (27.3% of purchase revenue) have no margin');
    // the revenue view says nothing of margins
    [...root(widget).querySelectorAll<HTMLButtonElement>('.tabs button')].find((b) => b.textContent === 'Attributed')!.click();
    await ready(widget);
    expect(root(widget).querySelector('.margin-note')).to.equal(null);
  });

  it('margin ROAS of data without any margin: the note in place of an empty chart, the tabs kept', async () => {
    const { widget } = await mount<CrmRoas>('crm-roas', { period: 'month', metric: 'margin' });
    expect(root(widget).querySelector('.margin-note')!.textContent!.replace(/\s+/g, ' ').trim()).to.equal(
      'No credited purchase in this range has a margin (from a margin or cost column of the orders).',
    );
    expect(root(widget).querySelector('svg.plot')).to.equal(null);
    expect(root(widget).querySelector('.legend')).to.equal(null);
    [...root(widget).querySelectorAll<HTMLButtonElement>('.tabs button')].find((b) => b.textContent === 'Attributed')!.click();
    await ready(widget);
    expect(root(widget).querySelector('svg.plot')).to.not.equal(null);
    expect(root(widget).querySelector('.margin-note')).to.equal(null);
  });

  it('refuses a ROAS payload without the range totals (an older SQL pack), saying which', async () => {
    const { widget: source } = await mount<CrmRoas>('crm-roas');
    const engine = (source as unknown as { source: { handle: { engine: CrmEngine } } }).source.handle.engine;
    const roas = toPayload(await engine.query({ kind: 'roas', params: { period: 'month' } })) as Record<string, unknown>;
    delete roas['rangeRoas'];
    const url = URL.createObjectURL(new Blob([JSON.stringify(roas)], { type: 'application/json' }));
    const widget = await fixture<CrmRoas>(html`<crm-roas locale="en-US" currency="EUR" summary-src=${url}></crm-roas>`);
    expect((await inState(widget, 'error')).textContent).to.contain("roas payload without rangeRoas: rerun this version's SQL pack.");
  });

  it('draws the break-even line and a target, and reflects its attributes', async () => {
    const { widget } = await mount<CrmRoas>('crm-roas', { period: 'month', target: '4', 'by-campaign': '', bars: '' });
    expect([widget.target, widget.byCampaign, widget.bars, widget.period]).to.deep.equal([4, true, true, 'month']);
    const text = [...root(widget).querySelectorAll('svg.plot text')].map((t) => t.textContent);
    expect(text).to.include('Break-even');
    expect(text).to.include('Target 4.00×');
    // the labels come after the lines (drawn over them) with a halo of the background behind the glyphs
    const plot = root(widget).querySelector('svg.plot')!;
    const labels = [...plot.querySelectorAll('text.reference-label')];
    expect(labels.map((l) => l.textContent)).to.deep.equal(['Break-even', 'Target 4.00×']);
    const lines = plot.querySelector('g.lines')!;
    expect(labels.filter((l) => lines.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING).length).to.equal(2);
    expect(labels.map((l) => l.getAttribute('paint-order'))).to.deep.equal(['stroke', 'stroke']);
    // by campaign: Welcome and Winback on email, (none) on sms
    expect(root(widget).querySelector('.legend')!.textContent).to.contain('Welcome (email)');
  });

  it('shows incremental ROAS per channel, n/a without enough holdout data', async () => {
    const { widget } = await mount<CrmRoas>('crm-roas', { metric: 'incremental' });
    const labels = [...root(widget).querySelectorAll('svg.plot text')].map((t) => t.textContent);
    expect(labels).to.include('email');
    expect(labels).to.include('n/a');
    // attributed ROAS over the range (the worker's keyRoas): email 180 of a's purchases on 20 + 10 of cost
    const attributed = marks(widget).map((m) => m.getAttribute('aria-label')!).filter((l) => l.includes('Attributed ROAS'));
    expect(attributed).to.include('email, Attributed ROAS: 6.00×');
    await expect(widget).to.be.accessible();
  });

  it('fires crm-params-change on user changes only, and navigates points by keyboard', async () => {
    const { widget } = await mount<CrmRoas>('crm-roas', { period: 'month' });
    const events = record<CustomEvent>(widget, 'crm-params-change');
    widget.window = '7d';
    await ready(widget);
    expect(events).to.have.length(0);
    choose(widget, 'period', 'week');
    expect(events.map((e) => e.detail.changed)).to.deep.equal(['period']);
    await ready(widget);
    const stop = marks(widget).find((m) => m.getAttribute('tabindex') === '0')!;
    stop.focus();
    press(widget, 'ArrowRight');
    expect(focused(widget)).to.not.equal(stop);
    expect(focused(widget)!.getAttribute('data-nav-row')).to.equal(stop.getAttribute('data-nav-row'));
  });
});
