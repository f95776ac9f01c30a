/**
 * Partial periods of a chart's axis: the periods the orders or the range cover only in part, which
 * the revenue bars and the ROAS points draw apart (a month the data reach for an hour would read as a
 * collapse). A module of its own, so that only the widgets with a period axis over orders carry it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { partialPeriods } from '../../core/periods.js';
import type { DatasetReport } from '../../core/report.js';
import type { PeriodAxis, ResultRange } from '../../core/results.js';
import { dayInZone } from '../../core/time.js';

/** 1 for each partial period of the axis; null without a load report (pre-aggregated payloads say nothing of where their data end). */
export function partialOf(report: DatasetReport | null, axis: PeriodAxis, range: ResultRange): Uint8Array | null {
  const orders = report?.tables.orders?.dateRange ?? null;
  if (report === null || orders === null || range.from === null || range.to === null) return null;
  // the result's own range: well-formed days, read as UTC midnights (day numbers × 86,400,000 ms)
  const day = (text: string): number => Date.parse(text) / 86_400_000;
  const from = Math.max(day(range.from), dayInZone(orders.min, report.timezone));
  const end = Math.min(day(range.to) + 1, dayInZone(orders.max, report.timezone));
  return partialPeriods(axis.start, axis.period, from, end);
}

/** The note under a chart with partial periods, saying how they are `drawn`; nothing when none. */
export function partialNote(flags: Uint8Array | null, drawn: string): TemplateResult | typeof nothing {
  return flags?.includes(1) === true ? html`<p class="note">${drawn}: periods the data cover only in part.</p>` : nothing;
}
