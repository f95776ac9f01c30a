/**
 * Stacked bars over periods: one bar per period, one segment per series (CRM channels, and non-CRM
 * revenue on top), negatives stacked below zero. Hover or focus a segment for the period's breakdown.
 */
import { bandScale, linearScale } from './scales.js';
import { axisMargins } from './layout.js';
import { bandAxis, resetSvg, valueAxis } from './axes.js';
import { interactive, partialMarks } from './marks.js';
import type { ChartTheme, TipRow, TooltipHost } from './theme.js';

/** One stacked series. */
export interface StackSeries {
  label: string;
  color: string;
  /** One value per period. */
  values: ArrayLike<number>;
}

/** What a stacked bar chart shows. */
export interface StackedBarsSpec {
  width: number;
  height: number;
  /** Period labels, one per bar (tooltips and screen readers). */
  periods: string[];
  /** Shorter labels for the axis; default `periods`. */
  axisLabels?: string[];
  series: StackSeries[];
  /** 1 for a period the data or the range cover in part: its bar is drawn faded with a dashed outline. */
  partial?: ArrayLike<number> | null;
  /** Full value format (tooltips, labels) and short format (axis). */
  format: (value: number) => string;
  formatAxis: (value: number) => string;
  /** Accessible name of the chart. */
  label: string;
  theme: ChartTheme;
  tooltip: TooltipHost;
}

/** Draws the chart into `svg` (replacing what was there). */
export function drawStackedBars(svg: SVGSVGElement, spec: StackedBarsSpec): void {
  const { width, height, periods, series, theme } = spec;
  const g = resetSvg(svg, width, height, theme, spec.label);
  const margin = axisMargins(spec.formatAxis, theme, width);
  const innerWidth = Math.max(10, width - margin.left - margin.right);
  const innerHeight = Math.max(10, height - margin.top - margin.bottom);
  // stack: positives up from zero, negatives down from zero
  const n = periods.length;
  const up = new Float64Array(n);
  const down = new Float64Array(n);
  const segments: { s: number; p: number; y0: number; y1: number; value: number }[] = [];
  series.forEach((ser, s) => {
    for (let p = 0; p < n; p++) {
      const v = ser.values[p]!;
      if (!Number.isFinite(v) || v === 0) continue;
      if (v > 0) {
        segments.push({ s, p, y0: up[p]!, y1: up[p]! + v, value: v });
        up[p]! += v;
      } else {
        segments.push({ s, p, y0: down[p]! + v, y1: down[p]!, value: v });
        down[p]! += v;
      }
    }
  });
  let top = 0;
  let bottom = 0;
  for (let p = 0; p < n; p++) {
    if (up[p]! > top) top = up[p]!;
    if (down[p]! < bottom) bottom = down[p]!;
  }
  if (top === 0 && bottom === 0) top = 1;
  const keys = periods.map((_, i) => String(i));
  const x = bandScale(keys, [margin.left, margin.left + innerWidth], n > 60 ? 0.05 : 0.2, 0.1);
  const y = linearScale([bottom, top], [margin.top + innerHeight, margin.top], true);
  valueAxis(g, y, margin.left, innerWidth, spec.formatAxis, theme);
  bandAxis(g, x, spec.axisLabels ?? periods, margin.top + innerHeight, theme);
  const total = (p: number): number => {
    let sum = 0;
    for (const ser of series) if (Number.isFinite(ser.values[p]!)) sum += ser.values[p]!;
    return sum;
  };
  const tipFor = (p: number, highlight: number) => {
    const rows: TipRow[] = series
      .map((ser, s) => ({ label: ser.label, value: spec.format(ser.values[p]!), color: ser.color, strong: s === highlight }))
      // an unknown value (a margin no purchase of the period has) shows as one, not left out
      .filter((_, s) => series[s]!.values[p] !== 0);
    rows.push({ label: 'Total', value: spec.format(total(p)), strong: true });
    return { title: periods[p]! + note(p), rows };
  };
  const { partial, note } = partialMarks(spec.partial);
  const bars = g.append('g').attr('class', 'marks');
  for (const seg of segments) {
    const ser = series[seg.s]!;
    const rect = bars
      .append('rect')
      .attr('x', x(keys[seg.p]!)!)
      .attr('width', Math.max(1, x.bandwidth()))
      .attr('y', y(seg.y1))
      .attr('height', Math.max(0.5, y(seg.y0) - y(seg.y1)))
      .attr('fill', ser.color);
    if (partial(seg.p)) rect.attr('class', 'partial').attr('fill-opacity', 0.45).attr('stroke', theme.muted).attr('stroke-dasharray', '3,2');
    interactive(rect, {
      row: seg.s,
      col: seg.p,
      label: `${ser.label}, ${periods[seg.p]}: ${spec.format(seg.value)}${note(seg.p)}`,
      tip: () => tipFor(seg.p, seg.s),
      tooltip: spec.tooltip,
    });
  }
}
