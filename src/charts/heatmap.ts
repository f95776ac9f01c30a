/**
 * The cohort triangle: one row per cohort with its size, one column per offset, cells coloured by
 * value. Incomplete cells (the period is still running) are drawn faded with a dashed outline; future
 * cells are left blank. Summary rows (weighted and simple means) follow, set apart.
 */
import { resetSvg } from './axes.js';
import { sequential, textOn } from './color.js';
import { fits, interactive, MAX_MARKS } from './marks.js';
import type { ChartTheme, Tip, TooltipHost } from './theme.js';

/** Cell states, as in retention results. */
export const COMPLETE = 0;
export const INCOMPLETE = 1;
export const FUTURE = 2;

export interface HeatmapRow {
  label: string;
  /** Text of the size column (cohort size). */
  size: string;
}

export interface HeatmapSpec {
  width: number;
  rows: HeatmapRow[];
  columns: string[];
  /** Header of the size column. */
  sizeHeader: string;
  value: (row: number, col: number) => number;
  text: (row: number, col: number) => string;
  status: (row: number, col: number) => number;
  tip: (row: number, col: number) => Tip;
  /** Rows below the matrix (means), with their own values. */
  summaries: { label: string; value: (col: number) => number; text: (col: number) => string; tip: (col: number) => Tip }[];
  /** Colour domain. */
  domain: [number, number];
  label: string;
  theme: ChartTheme;
  tooltip: TooltipHost;
}

const ROW = 24;
const HEADER = 22;
const GAP = 10;

/** Height the heatmap needs. */
export function heatmapHeight(rows: number, summaries: number): number {
  return HEADER + rows * ROW + (summaries > 0 ? GAP + summaries * ROW : 0) + 20;
}

export function drawHeatmap(svg: SVGSVGElement, spec: HeatmapSpec): void {
  const { width, rows, columns, theme } = spec;
  // a cell per row and column but the future ones, and per summary row and column
  let count = spec.summaries.length * columns.length;
  rows.forEach((_, i) => columns.forEach((_, j) => (count += spec.status(i, j) === FUTURE ? 0 : 1)));
  const g = resetSvg(svg, width, count > MAX_MARKS ? 120 : heatmapHeight(rows.length, spec.summaries.length), theme, spec.label);
  if (!fits(g, count, width, 'cells', 'Choose cohorts by a longer period, fewer periods or a shorter range.')) return;
  const narrow = width < 480;
  const labelWidth = narrow ? 64 : 92;
  const sizeWidth = narrow ? 44 : 64;
  const left = labelWidth + sizeWidth + 6;
  const cell = Math.max(8, (width - left - 4) / Math.max(1, columns.length));
  const showText = cell >= 26;
  const cellFont = Math.min(theme.fontSize - 1, Math.floor(cell / 2.6));
  const color = sequential(spec.domain[0], spec.domain[1], theme.sequentialLow, theme.sequentialHigh);
  const header = g.append('g').attr('aria-hidden', 'true').attr('fill', theme.muted).attr('font-size', theme.fontSize - 1);
  header.append('text').attr('x', labelWidth + sizeWidth).attr('y', HEADER - 8).attr('text-anchor', 'end').text(spec.sizeHeader);
  const every = Math.max(1, Math.ceil(28 / cell));
  columns.forEach((c, j) => {
    if (j % every !== 0) return;
    header.append('text').attr('x', left + j * cell + cell / 2).attr('y', HEADER - 8).attr('text-anchor', 'middle').text(c);
  });
  const marks = g.append('g').attr('class', 'marks');
  const labels = g.append('g').attr('aria-hidden', 'true').attr('font-size', theme.fontSize - 1);
  const drawRow = (top: number, label: string, size: string, navRow: number, valueAt: (j: number) => number, textAt: (j: number) => string, statusAt: (j: number) => number, tipAt: (j: number) => Tip, strong: boolean): void => {
    labels.append('text').attr('x', 0).attr('y', top + ROW / 2).attr('dy', '0.32em').attr('fill', theme.text).attr('font-weight', strong ? 600 : null).text(label);
    labels.append('text').attr('x', labelWidth + sizeWidth).attr('y', top + ROW / 2).attr('dy', '0.32em').attr('text-anchor', 'end').attr('fill', theme.muted).text(size);
    for (let j = 0; j < columns.length; j++) {
      const status = statusAt(j);
      if (status === FUTURE) continue;
      const v = valueAt(j);
      const fill = Number.isFinite(v) ? color(v) : theme.background;
      const rect = marks
        .append('rect')
        .attr('x', left + j * cell + 0.5)
        .attr('y', top + 0.5)
        .attr('width', Math.max(1, cell - 1))
        .attr('height', ROW - 1)
        .attr('fill', fill)
        .attr('fill-opacity', status === INCOMPLETE ? 0.45 : 1);
      if (status === INCOMPLETE) rect.attr('stroke', theme.muted).attr('stroke-dasharray', '3,2');
      else if (!Number.isFinite(v)) rect.attr('stroke', theme.grid);
      const text = textAt(j);
      interactive(rect, {
        row: navRow,
        col: j,
        label: `${label}, ${columns[j]}: ${text}${status === INCOMPLETE ? ' (period not complete)' : ''}`,
        tip: () => tipAt(j),
        tooltip: spec.tooltip,
      });
      if (showText && Number.isFinite(v)) {
        labels
          .append('text')
          .attr('x', left + j * cell + cell / 2)
          .attr('y', top + ROW / 2)
          .attr('dy', '0.32em')
          .attr('text-anchor', 'middle')
          .attr('fill', status === INCOMPLETE ? theme.text : textOn(fill, theme.text, theme.background))
          .attr('font-weight', strong ? 600 : null)
          .attr('font-size', cellFont)
          .attr('pointer-events', 'none')
          .text(text);
      }
    }
  };
  rows.forEach((row, i) =>
    drawRow(HEADER + i * ROW, row.label, row.size, i, (j) => spec.value(i, j), (j) => spec.text(i, j), (j) => spec.status(i, j), (j) => spec.tip(i, j), false),
  );
  const below = HEADER + rows.length * ROW + GAP;
  spec.summaries.forEach((s, k) =>
    drawRow(below + k * ROW, s.label, '', rows.length + k, s.value, s.text, (j) => (Number.isFinite(s.value(j)) ? COMPLETE : FUTURE), s.tip, true),
  );
}
