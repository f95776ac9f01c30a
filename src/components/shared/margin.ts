/**
 * The note under a margin view (revenue by margin, margin ROAS) when some purchases have no margin:
 * margin figures sum the known margins and are unknown (a gap, "—") where none is known (metrics.md,
 * "Margin"), so the reader must learn how much revenue they leave out. A module of its own, so that
 * only the widgets with a margin view carry it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Formats } from '../../core/format.js';
import type { DatasetReport } from '../../core/report.js';

/** The note for the data's orders, or nothing when every purchase has a margin (or nothing is loaded). */
export function marginNote(report: DatasetReport | null | undefined, f: Formats): TemplateResult | typeof nothing {
  const o = report?.tables.orders?.orders;
  const n = o?.purchasesWithoutMargin ?? 0;
  if (n === 0) return nothing;
  return html`<p class="note margin-note">
    ${f.count(n)} of ${f.count(o!.purchases)} purchases (${f.percent(o!.purchaseRevenueWithoutMargin / o!.purchaseRevenue, 1)} of purchase revenue) have no margin: margins sum the known ones, and none known is a gap.
  </p>`;
}

/** The note in the place of a margin chart with nothing to draw: no `what` ("purchase") of the range has a margin. */
export function noMarginNote(what: string): TemplateResult {
  return html`<p class="note margin-note">No ${what} in this range has a margin (from a <code>margin</code> or <code>cost</code> column of the orders).</p>`;
}

/**
 * The sum of `n` values read by `at`, margin-wise: unknown values (NaN) are left out, and the sum is
 * unknown when some are and no other value is known. A value is known when it is not 0, or when
 * `counted(i)` says purchases make it up (a margin of exactly 0 earned, not a cell without purchases).
 * Revenue values are never NaN, so revenue sums through it unchanged.
 */
export function knownSum(n: number, at: (i: number) => number, counted: (i: number) => boolean): number {
  let sum = 0;
  // 1: an unknown value seen, 2: a known one
  let seen = 0;
  for (let i = 0; i < n; i++) {
    const v = at(i);
    if (v !== v) seen |= 1;
    else if (v !== 0 || counted(i)) {
      sum += v;
      seen |= 2;
    }
  }
  return seen === 1 ? Number.NaN : sum;
}
