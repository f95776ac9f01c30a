import { expect, fixture, html } from '@open-wc/testing';
import type { CrmRetention } from '../../src/index.js';
import { toPayload } from '../../src/index.js';
import { choose, focused, marks, mount, press, ready, record, root } from './harness.js';

describe('<crm-retention>', function () {
  this.timeout(60_000);

  // cohorts by first purchase: January a and b, February c, March d; a buys again in February (b's
  // February order is a refund, which is not activity); the data ends on March 5
  it('shows the cohort triangle with sizes, hand-computed values and incomplete cells', async () => {
    const { widget } = await mount<CrmRetention>('crm-retention', { offsets: '4' });
    await expect(widget).to.be.accessible();
    const cells = marks(widget).map((m) => m.getAttribute('aria-label'));
    expect(cells).to.include('Jan 2024, M0: 100%');
    expect(cells).to.include('Jan 2024, M1: 50%');
    expect(cells).to.include('Jan 2024, M2: 0% (period not complete)');
    expect(cells.some((c) => c!.startsWith('Jan 2024, M3'))).to.equal(false); // future: not drawn
    expect(cells).to.include('Feb 2024, M1: 0% (period not complete)');
    const labels = [...root(widget).querySelectorAll('svg.plot text')].map((t) => t.textContent);
    expect(labels).to.include.members(['Jan 2024', '2', 'Feb 2024', '1', 'Weighted mean', 'Simple mean']);
    // means over complete cells only: M1 has just January's 50%
    expect(cells).to.include('Weighted mean, M1: 50%');
  });

  it('counts instead of percentages, and curves instead of the matrix', async () => {
    const { widget } = await mount<CrmRetention>('crm-retention', { offsets: '3', mode: 'count' });
    expect(marks(widget).map((m) => m.getAttribute('aria-label'))).to.include('Jan 2024, M1: 1');
    widget.view = 'curves';
    await ready(widget);
    await widget.updateComplete;
    expect(root(widget).querySelectorAll('svg.plot path').length).to.be.greaterThan(0);
    expect(marks(widget).some((m) => m.getAttribute('aria-label')!.startsWith('Weighted mean, M0'))).to.equal(true);
  });

  it('keeps the count / percent choice for a pre-aggregated payload, where the query settings are fixed', async () => {
    const { widget: source } = await mount<CrmRetention>('crm-retention', { offsets: '4' });
    const engine = (source as unknown as { source: { handle: { engine: import('../../src/index.js').CrmEngine } } }).source.handle.engine;
    const payload = toPayload(await engine.query({ kind: 'retention', params: { period: 'month', measure: 'customers', offsets: 4 } }));
    const shown = await fixture<CrmRetention>(html`<crm-retention locale="en-US" .result=${payload}></crm-retention>`);
    await ready(shown);
    expect(root(shown).querySelector('[part~=control][part~=measure]')).to.equal(null);
    expect(root(shown).querySelector('[part=controls]')!.textContent).to.contain('fixed settings');
    expect(marks(shown).map((m) => m.getAttribute('aria-label'))).to.include('Jan 2024, M1: 50%');
    choose(shown, 'mode', 'count');
    await ready(shown);
    await shown.updateComplete;
    expect(marks(shown).map((m) => m.getAttribute('aria-label'))).to.include('Jan 2024, M1: 1');
    await expect(shown).to.be.accessible();
  });

  it('splits cohorts by a customer attribute, with a group choice', async () => {
    const { widget } = await mount<CrmRetention>('crm-retention', { breakdown: 'country', offsets: '2' });
    const group = root(widget).querySelector('[part~=group] select') as HTMLSelectElement;
    expect([...group.options].map((o) => o.textContent)).to.deep.equal(['DE', 'FR', 'US', '(none)']);
    // DE: a (January) and c (February)
    expect(marks(widget).map((m) => m.getAttribute('aria-label'))).to.include('Jan 2024, M0: 100%');
  });

  it('moves between cohorts with the arrow keys and fires crm-params-change for user choices', async () => {
    const { widget } = await mount<CrmRetention>('crm-retention', { offsets: '3' });
    const events = record<CustomEvent>(widget, 'crm-params-change');
    const stop = marks(widget).find((m) => m.getAttribute('tabindex') === '0')!;
    expect(stop.getAttribute('aria-label')).to.equal('Jan 2024, M0: 100%');
    stop.focus();
    press(widget, 'ArrowDown');
    expect(focused(widget)!.getAttribute('aria-label')).to.equal('Feb 2024, M0: 100%');
    press(widget, 'ArrowRight');
    expect(focused(widget)!.getAttribute('aria-label')).to.equal('Feb 2024, M1: 0% (period not complete)');
    choose(widget, 'measure', 'rolling');
    expect(events).to.have.length(1);
    expect(events[0]!.detail.params.measure).to.equal('rolling');
  });
});
