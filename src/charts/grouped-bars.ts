/**
 * Horizontal grouped bars: one group per category (a channel), one bar per series (a credit model, or
 * attributed and incremental revenue), with an optional interval whisker per bar. Long category names
 * are truncated with the full name in the bar's label.
 */
import { bandScale, linearScale } from './scales.js';
import { resetSvg } from './axes.js';
import { interactive } from './marks.js';
import type { ChartTheme, TipRow, TooltipHost } from './theme.js';

export interface GroupSeries {
  label: string;
  color: string;
  /** One value per category. */
  values: ArrayLike<number>;
  /** Interval per category (low, high), drawn as a whisker. */
  low?: ArrayLike<number>;
  high?: ArrayLike<number>;
}

export interface GroupedBarsSpec {
  width: number;
  categories: string[];
  series: GroupSeries[];
  format: (value: number) => string;
  formatAxis: (value: number) => string;
  /** A note for every tooltip (what the interval is, say). */
  note?: string;
  label: string;
  theme: ChartTheme;
  tooltip: TooltipHost;
}

/** Height the chart needs for its categories. */
export function groupedBarsHeight(categories: number, series: number): number {
  return 24 + categories * Math.max(28, series * 12 + 10);
}

export function drawGroupedBars(svg: SVGSVGElement, spec: GroupedBarsSpec): void {
  const { width, categories, series, theme } = spec;
  const height = groupedBarsHeight(categories.length, series.length);
  const g = resetSvg(svg, width, height, theme, spec.label);
  const labelWidth = Math.min(140, Math.round(width * 0.28));
  const left = labelWidth + 8;
  const right = width < 420 ? 8 : 24;
  let lo = 0;
  let hi = 0;
  for (const s of series) {
    for (let c = 0; c < categories.length; c++) {
      for (const v of [s.values[c]!, s.low?.[c] ?? Number.NaN, s.high?.[c] ?? Number.NaN]) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  if (hi === lo) hi = lo + 1;
  const x = linearScale([lo, hi], [left, width - right], true);
  const y = bandScale(categories.map((_, i) => String(i)), [4, height - 20], 0.25, 0);
  const sub = bandScale(series.map((_, i) => String(i)), [0, y.bandwidth()], 0.08);
  const axis = g.append('g').attr('aria-hidden', 'true');
  for (const tick of x.ticks(width < 420 ? 3 : 5)) {
    const at = Math.round(x(tick)) + 0.5;
    axis.append('line').attr('x1', at).attr('x2', at).attr('y1', 4).attr('y2', height - 20).attr('stroke', theme.grid).attr('stroke-dasharray', tick === 0 ? null : '2,3');
    axis.append('text').attr('x', at).attr('y', height - 6).attr('text-anchor', 'middle').attr('fill', theme.muted).attr('font-size', theme.fontSize - 1).text(spec.formatAxis(tick));
  }
  const maxChars = Math.max(4, Math.floor(labelWidth / (theme.fontSize * 0.58)));
  categories.forEach((name, c) => {
    const shown = name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name;
    const text = axis
      .append('text')
      .attr('x', labelWidth)
      .attr('y', y(String(c))! + y.bandwidth() / 2)
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .attr('fill', theme.text)
      .text(shown);
    if (shown !== name) text.append('title').text(name);
  });
  const tipFor = (c: number) => {
    const rows: TipRow[] = series.map((s) => {
      const v = s.values[c]!;
      const interval = s.low !== undefined && s.high !== undefined && Number.isFinite(s.low[c]!) ? ` (${spec.format(s.low[c]!)} to ${spec.format(s.high![c]!)})` : '';
      return { label: s.label, value: `${spec.format(v)}${interval}`, color: s.color };
    });
    return spec.note !== undefined ? { title: categories[c]!, rows, note: spec.note } : { title: categories[c]!, rows };
  };
  const marks = g.append('g').attr('class', 'marks');
  series.forEach((s, si) => {
    for (let c = 0; c < categories.length; c++) {
      const v = s.values[c]!;
      const top = y(String(c))! + sub(String(si))!;
      if (!Number.isFinite(v)) {
        // no value (not enough holdout data): say so in place of a bar
        marks.append('text').attr('x', x(0) + 4).attr('y', top + sub.bandwidth() / 2).attr('dy', '0.32em').attr('fill', theme.muted).attr('font-size', theme.fontSize - 2).attr('aria-hidden', 'true').text('n/a');
        continue;
      }
      const rect = marks
        .append('rect')
        .attr('x', Math.min(x(0), x(v)))
        .attr('width', Math.max(1, Math.abs(x(v) - x(0))))
        .attr('y', top)
        .attr('height', Math.max(1, sub.bandwidth()))
        .attr('fill', s.color);
      interactive(rect, { row: c, col: si, label: `${categories[c]}, ${s.label}: ${spec.format(v)}`, tip: () => tipFor(c), tooltip: spec.tooltip });
      const low = s.low?.[c] ?? Number.NaN;
      const high = s.high?.[c] ?? Number.NaN;
      if (Number.isFinite(low) && Number.isFinite(high)) {
        const mid = top + sub.bandwidth() / 2;
        const whisker = marks.append('g').attr('aria-hidden', 'true').attr('stroke', theme.text).attr('stroke-width', 1.2);
        whisker.append('line').attr('x1', x(low)).attr('x2', x(high)).attr('y1', mid).attr('y2', mid);
        whisker.append('line').attr('x1', x(low)).attr('x2', x(low)).attr('y1', mid - 4).attr('y2', mid + 4);
        whisker.append('line').attr('x1', x(high)).attr('x2', x(high)).attr('y1', mid - 4).attr('y2', mid + 4);
      }
    }
  });
}
