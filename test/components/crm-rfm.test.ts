import { expect, waitUntil } from '@open-wc/testing';
import type { CrmRfm, CrmSelectEvent } from '../../src/index.js';
import { focused, marks, mount, press, record, root } from './harness.js';

function cell(widget: CrmRfm, r: number, f: number): SVGElement {
  return marks(widget).find((m) => m.getAttribute('aria-label')!.startsWith(`R${r} F${f},`))!;
}

async function listed(widget: CrmRfm): Promise<string[]> {
  await waitUntil(() => root(widget).querySelector('[part=customers] tbody') !== null, 'no customer list');
  return [...root(widget).querySelectorAll('[part=customers] tbody th')].map((th) => th.textContent!);
}

describe('<crm-rfm>', function () {
  this.timeout(60_000);

  // B = 3, percentile: recency (days to Mar 6) a 31, b 53, c 24, d 0 → R a1 b1 c2 d3; frequency a 2,
  // others 1 → F a3, others 1. Segments: a Can't lose them, b Hibernating, c Need attention, d Promising.
  it('scores customers into the grid and segments (hand-computed)', async () => {
    const { widget } = await mount<CrmRfm>('crm-rfm', { bins: '3' });
    await expect(widget).to.be.accessible();
    expect(cell(widget, 1, 3).getAttribute('aria-label')).to.equal("R1 F3, Can't lose them: 1 25%");
    expect(cell(widget, 1, 1).getAttribute('aria-label')).to.equal('R1 F1, Hibernating: 1 25%');
    expect(cell(widget, 2, 1).getAttribute('aria-label')).to.equal('R2 F1, Need attention: 1 25%');
    expect(cell(widget, 3, 1).getAttribute('aria-label')).to.equal('R3 F1, Promising: 1 25%');
    expect(cell(widget, 3, 3).getAttribute('aria-label')).to.equal('R3 F3, Champions: 0 0%');
    expect(root(widget).querySelector('[part=footnote]')!.textContent).to.contain('recency as of 2024-03-06');
  });

  it('lists the customers of a clicked cell and fires crm-select with every id on demand', async () => {
    const { widget } = await mount<CrmRfm>('crm-rfm', { bins: '3' });
    const events = record<CrmSelectEvent>(widget, 'crm-select');
    cell(widget, 1, 3).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    expect(await listed(widget)).to.deep.equal(['a']);
    expect(events).to.have.length(1);
    expect(events[0]!.detail.cell).to.deep.equal({ r: 1, f: 3 });
    expect(events[0]!.detail.count).to.equal(1);
    expect(await events[0]!.detail.customerIds()).to.deep.equal(['a']);
    await expect(widget).to.be.accessible();
  });

  it('selects a segment from the legend, and a cell with Enter', async () => {
    const { widget } = await mount<CrmRfm>('crm-rfm', { bins: '3' });
    const events = record<CrmSelectEvent>(widget, 'crm-select');
    const hibernating = [...root(widget).querySelectorAll<HTMLButtonElement>('[part=legend] button')].find((b) => b.textContent!.includes('Hibernating'))!;
    hibernating.click();
    expect(await listed(widget)).to.deep.equal(['b']);
    expect(events[0]!.detail.segment).to.equal('Hibernating');
    const stop = marks(widget).find((m) => m.getAttribute('tabindex') === '0')!;
    stop.focus();
    press(widget, 'ArrowDown');
    press(widget, 'Enter');
    expect(events).to.have.length(2);
    expect(events[1]!.detail.cell).to.not.equal(null);
    expect(focused(widget)).to.not.equal(null);
  });

  it('sorts the list by a column, and no event fires for programmatic changes', async () => {
    const { widget } = await mount<CrmRfm>('crm-rfm', { bins: '3' });
    const selects = record<CrmSelectEvent>(widget, 'crm-select');
    const params = record<CustomEvent>(widget, 'crm-params-change');
    widget.colorBy = 'revenue';
    widget.bins = 4;
    await widget.updateComplete;
    expect(selects.length + params.length).to.equal(0);
    const segment = [...root(widget).querySelectorAll<HTMLButtonElement>('[part=legend] button')][0]!;
    segment.click();
    await listed(widget);
    const byCustomer = [...root(widget).querySelectorAll<HTMLButtonElement>('[part=customers] thead button')].find((b) => b.textContent!.startsWith('Customer'))!;
    byCustomer.click();
    await waitUntil(() => root(widget).querySelector('[part=customers] th[aria-sort=ascending]') !== null, 'not sorted');
  });
});
