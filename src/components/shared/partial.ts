/**
 * The note under a chart whose period axis has partial periods (`PeriodAxis.partial`, from the
 * worker): the periods the orders or the range cover only in part, which the revenue bars and the
 * ROAS points draw apart. A module of its own, so that only the widgets with such an axis carry it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { PeriodAxis } from '../../core/results.js';

/**
 * The note saying how partial periods are `drawn`; nothing when the axis has none, or when none of
 * them has a mark to draw (`marked`: a ROAS period without cost is a gap, a bar of 0 is no bar).
 */
export function partialNote(axis: PeriodAxis, drawn: string, marked: (period: number) => boolean): TemplateResult | typeof nothing {
  const partial = axis.partial ?? [];
  for (let p = 0; p < partial.length; p++) {
    if (partial[p] === 1 && marked(p)) return html`<p class="note">${drawn}: periods the data cover only in part.</p>`;
  }
  return nothing;
}
