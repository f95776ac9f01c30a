/**
 * Lines over an axis of periods (or offsets): one per series, broken where a value is missing (a
 * period without cost has no ROAS: a gap, never zero), with optional bars of a second measure on their
 * own scale, and horizontal reference lines (break-even, target). Points are focusable.
 */
import { bandScale, linearScale } from './scales.js';
import { bandAxis, resetSvg, valueAxis } from './axes.js';
import { axisMargins } from './layout.js';
import { fits, interactive, partialMarks } from './marks.js';
import type { ChartTheme, TipRow, TooltipHost } from './theme.js';

/** One line. */
export interface LineSeries {
  label: string;
  color: string;
  values: ArrayLike<number>;
  /** Drawn thicker (the blended line, the mean curve). */
  emphasis?: boolean;
  /** Drawn thinner and lighter (individual cohorts behind a mean). */
  faint?: boolean;
}

/** Bars of a second measure (cost and revenue behind ROAS lines). */
export interface BarSeries {
  label: string;
  color: string;
  values: ArrayLike<number>;
}

/** A horizontal reference line. */
export interface ReferenceLine {
  value: number;
  label: string;
  color: string;
}

export interface LinesSpec {
  width: number;
  height: number;
  /** Labels of the x positions (tooltips and screen readers). */
  points: string[];
  /** Shorter labels for the axis; default `points`. */
  axisLabels?: string[];
  series: LineSeries[];
  format: (value: number) => string;
  formatAxis: (value: number) => string;
  bars?: { series: BarSeries[]; format: (value: number) => string } | null;
  references?: ReferenceLine[];
  /** 1 for a period the data or the range cover in part: its points are drawn hollow. */
  partial?: ArrayLike<number> | null;
  /** Force zero into the value axis. Default true. */
  zero?: boolean;
  /** Accessible name of the chart. */
  label: string;
  theme: ChartTheme;
  tooltip: TooltipHost;
}

/** Draws the chart into `svg` (replacing what was there). Faint series of more than 12 get no points. */
export function drawLines(svg: SVGSVGElement, spec: LinesSpec): void {
  const { width, height, points, series, theme } = spec;
  const g = resetSvg(svg, width, height, theme, spec.label);
  // faint series of more than 12 are paths alone: no points, no tooltip rows
  const pointless = (s: LineSeries): boolean => s.faint === true && series.length > 12;
  // a path per series, a point per value of each series with points, a bar per value of each bar series
  const dotted = series.filter((s) => !pointless(s)).length;
  if (!fits(g, series.length + points.length * (dotted + (spec.bars?.series.length ?? 0)), width, 'points', 'Choose a longer period or a shorter range.')) return;
  const margin = axisMargins(spec.formatAxis, theme, width);
  const innerWidth = Math.max(10, width - margin.left - margin.right);
  const innerHeight = Math.max(10, height - margin.top - margin.bottom);
  const keys = points.map((_, i) => String(i));
  const x = bandScale(keys, [margin.left, margin.left + innerWidth], 0.15);
  let lo = spec.zero === false ? Number.POSITIVE_INFINITY : 0;
  let hi = Number.NEGATIVE_INFINITY;
  for (const s of series) {
    for (let i = 0; i < points.length; i++) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  for (const r of spec.references ?? []) {
    if (r.value > hi) hi = r.value;
    if (r.value < lo) lo = r.value;
  }
  if (!Number.isFinite(hi)) hi = 1;
  if (!Number.isFinite(lo)) lo = 0;
  if (hi === lo) hi = lo + 1;
  const y = linearScale([lo, hi], [margin.top + innerHeight, margin.top], true);
  valueAxis(g, y, margin.left, innerWidth, spec.formatAxis, theme);
  bandAxis(g, x, spec.axisLabels ?? points, margin.top + innerHeight, theme);
  // bars behind the lines, on their own scale (no axis: their values are in the tooltips)
  if (spec.bars && spec.bars.series.length > 0) {
    let barMax = 0;
    for (const b of spec.bars.series) for (let i = 0; i < points.length; i++) if (Number.isFinite(b.values[i]!) && b.values[i]! > barMax) barMax = b.values[i]!;
    const yb = linearScale([0, barMax || 1], [margin.top + innerHeight, margin.top + innerHeight * 0.35]);
    const sub = bandScale(spec.bars.series.map((_, i) => String(i)), [0, x.bandwidth()], 0.1);
    const barGroup = g.append('g').attr('class', 'bars').attr('aria-hidden', 'true');
    spec.bars.series.forEach((b, bi) => {
      for (let i = 0; i < points.length; i++) {
        const v = b.values[i]!;
        if (!Number.isFinite(v) || v <= 0) continue;
        barGroup
          .append('rect')
          .attr('x', x(keys[i]!)! + sub(String(bi))!)
          .attr('width', Math.max(1, sub.bandwidth()))
          .attr('y', yb(v))
          .attr('height', yb(0) - yb(v))
          .attr('fill', b.color)
          .attr('fill-opacity', 0.28);
      }
    });
  }
  const referenceAt = (r: ReferenceLine): number => Math.round(y(r.value)) + 0.5;
  for (const r of spec.references ?? []) {
    const at = referenceAt(r);
    const ref = g.append('g').attr('class', 'reference').attr('aria-hidden', 'true');
    ref.append('line').attr('x1', margin.left).attr('x2', margin.left + innerWidth).attr('y1', at).attr('y2', at).attr('stroke', r.color).attr('stroke-dasharray', '6,4').attr('stroke-width', 1.5);
  }
  const cx = (i: number): number => x(keys[i]!)! + x.bandwidth() / 2;
  // one path per series; a missing value (a period without cost) breaks the line: a gap, not a zero
  const pathOf = (values: ArrayLike<number>): string => {
    let d = '';
    let pen = false;
    for (let i = 0; i < points.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      d += `${pen ? 'L' : 'M'}${cx(i)},${y(v)}`;
      pen = true;
    }
    return d;
  };
  const linesGroup = g.append('g').attr('class', 'lines');
  // faint lines first, emphasised last (on top)
  const order = [...series].sort((a, b) => Number(a.emphasis === true) - Number(b.emphasis === true) || Number(b.faint === true) - Number(a.faint === true));
  for (const s of order) {
    linesGroup
      .append('path')
      .attr('d', pathOf(s.values))
      .attr('fill', 'none')
      .attr('stroke', s.color)
      .attr('stroke-width', s.emphasis === true ? 3 : s.faint === true ? 1 : 2)
      .attr('stroke-opacity', s.faint === true ? 0.45 : 1)
      .attr('stroke-linejoin', 'round')
      .attr('aria-hidden', 'true');
  }
  // reference labels above the lines, with a halo of the background, at the end whose first or last
  // values keep farther from the line (a break-even label under the first points was unreadable)
  const clearance = (i: number, at: number): number => {
    let least = Number.POSITIVE_INFINITY;
    for (const s of series) if (Number.isFinite(s.values[i]!)) least = Math.min(least, Math.abs(y(s.values[i]!) - at));
    return least;
  };
  for (const r of spec.references ?? []) {
    const at = referenceAt(r);
    const right = points.length > 1 && clearance(points.length - 1, at) > clearance(0, at);
    g.append('text')
      .attr('class', 'reference-label')
      .attr('aria-hidden', 'true')
      .attr('x', right ? margin.left + innerWidth - 4 : margin.left + 4)
      .attr('y', at - 5)
      .attr('text-anchor', right ? 'end' : 'start')
      .attr('fill', r.color)
      .attr('stroke', theme.background)
      .attr('stroke-width', 3)
      .attr('stroke-linejoin', 'round')
      .attr('paint-order', 'stroke')
      .attr('font-size', theme.fontSize - 1)
      .text(r.label);
  }
  const tipFor = (i: number) => {
    const rows: TipRow[] = series.filter((s) => !pointless(s)).map((s) => ({ label: s.label, value: spec.format(s.values[i]!), color: s.color, strong: s.emphasis === true }));
    for (const b of spec.bars?.series ?? []) rows.push({ label: b.label, value: spec.bars!.format(b.values[i]!), color: b.color });
    return { title: points[i]! + note(i), rows };
  };
  const { partial, note } = partialMarks(spec.partial);
  const dots = g.append('g').attr('class', 'marks');
  series.forEach((s, si) => {
    if (pointless(s)) return;
    for (let i = 0; i < points.length; i++) {
      const v = s.values[i]!;
      if (!Number.isFinite(v)) continue;
      // an isolated point (gaps on both sides) needs a visible dot, or it would not show at all
      const isolated = !Number.isFinite(s.values[i - 1] ?? Number.NaN) && !Number.isFinite(s.values[i + 1] ?? Number.NaN);
      // dense lines show no dots (only isolated points), but every point stays focusable and hoverable
      const visible = isolated || points.length <= 40;
      const dot = dots
        .append('circle')
        .attr('cx', cx(i))
        .attr('cy', y(v))
        .attr('r', visible ? (points.length <= 24 ? 3.5 : 2.5) : Math.max(2, Math.min(6, x.step() / 2)))
        .attr('fill', visible && partial(i) ? theme.background : s.color)
        .attr('fill-opacity', visible ? 1 : 0)
        .attr('stroke', visible ? (partial(i) ? s.color : theme.background) : 'none')
        .attr('stroke-width', partial(i) ? 1.5 : 1);
      if (partial(i)) dot.attr('class', 'partial');
      interactive(dot, {
        row: si,
        col: i,
        label: `${s.label}, ${points[i]}: ${spec.format(v)}${note(i)}`,
        tip: () => tipFor(i),
        tooltip: spec.tooltip,
      });
    }
  });
}
