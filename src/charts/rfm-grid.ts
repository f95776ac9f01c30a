/**
 * The RFM grid: recency score up (best at the top), frequency score across (best on the right), one
 * cell per (R, F) coloured by the chosen measure, thick borders between segments and each segment's
 * name in its region. Cells are buttons: clicking one (or Enter on it) selects its customers.
 */
import { resetSvg } from './axes.js';
import { sequential, textOn } from './color.js';
import { interactive } from './marks.js';
import type { ChartTheme, Tip, TooltipHost } from './theme.js';

export interface RfmGridSpec {
  width: number;
  bins: number;
  /** Per cell [(r − 1) × bins + (f − 1)]: the coloured value, its text, a second line, the segment index (−1: split by M). */
  value: (r: number, f: number) => number;
  text: (r: number, f: number) => string;
  detail: (r: number, f: number) => string;
  segment: (r: number, f: number) => number;
  segments: string[];
  domain: [number, number];
  tip: (r: number, f: number) => Tip;
  onSelect: (r: number, f: number) => void;
  /** The selected cell, outlined. */
  selected: { r: number; f: number } | null;
  label: string;
  theme: ChartTheme;
  tooltip: TooltipHost;
}

/** Size of the grid (it is square). */
export function rfmGridSize(width: number): number {
  return Math.max(220, Math.min(width, 560));
}

export function drawRfmGrid(svg: SVGSVGElement, spec: RfmGridSpec): void {
  const { bins: B, theme } = spec;
  const size = rfmGridSize(spec.width);
  const left = 28;
  const bottom = 30;
  const cell = (size - left - 4) / B;
  const height = cell * B + bottom + 4;
  const g = resetSvg(svg, size, height, theme, spec.label);
  const color = sequential(spec.domain[0], spec.domain[1], theme.sequentialLow, theme.sequentialHigh);
  const xOf = (f: number): number => left + (f - 1) * cell;
  const yOf = (r: number): number => 4 + (B - r) * cell;
  const axis = g.append('g').attr('aria-hidden', 'true').attr('fill', theme.muted).attr('font-size', theme.fontSize - 1);
  for (let k = 1; k <= B; k++) {
    axis.append('text').attr('x', xOf(k) + cell / 2).attr('y', yOf(1) + cell + 14).attr('text-anchor', 'middle').text(`F${k}`);
    axis.append('text').attr('x', left - 6).attr('y', yOf(k) + cell / 2).attr('dy', '0.32em').attr('text-anchor', 'end').text(`R${k}`);
  }
  axis.append('text').attr('x', left + (cell * B) / 2).attr('y', height - 2).attr('text-anchor', 'middle').text('Frequency →');
  const marks = g.append('g').attr('class', 'marks');
  const text = g.append('g').attr('aria-hidden', 'true').attr('pointer-events', 'none');
  for (let r = B; r >= 1; r--) {
    for (let f = 1; f <= B; f++) {
      const v = spec.value(r, f);
      const fill = Number.isFinite(v) ? color(v) : theme.background;
      const rect = marks
        .append('rect')
        .attr('x', xOf(f) + 1)
        .attr('y', yOf(r) + 1)
        .attr('width', cell - 2)
        .attr('height', cell - 2)
        .attr('rx', 3)
        .attr('fill', fill)
        .attr('stroke', spec.selected !== null && spec.selected.r === r && spec.selected.f === f ? theme.accent : 'none')
        .attr('stroke-width', 3);
      const segment = spec.segment(r, f);
      const name = segment >= 0 ? spec.segments[segment]! : 'several segments';
      interactive(rect, {
        row: B - r,
        col: f - 1,
        label: `R${r} F${f}, ${name}: ${spec.text(r, f)} ${spec.detail(r, f)}`,
        tip: () => spec.tip(r, f),
        tooltip: spec.tooltip,
        onActivate: () => spec.onSelect(r, f),
      });
      const ink = textOn(fill, theme.text, theme.background);
      text.append('text').attr('x', xOf(f) + cell / 2).attr('y', yOf(r) + cell / 2 + (cell >= 64 ? 6 : 0)).attr('text-anchor', 'middle').attr('dy', '0.32em').attr('fill', ink).attr('font-weight', 600).text(spec.text(r, f));
      if (cell >= 64) {
        text.append('text').attr('x', xOf(f) + cell / 2).attr('y', yOf(r) + cell / 2 + 22).attr('text-anchor', 'middle').attr('fill', ink).attr('font-size', theme.fontSize - 2).text(spec.detail(r, f));
      }
    }
  }
  // borders between cells of different segments
  const borders = g.append('g').attr('aria-hidden', 'true').attr('stroke', theme.text).attr('stroke-width', 2.5).attr('stroke-linecap', 'square');
  for (let r = 1; r <= B; r++) {
    for (let f = 1; f <= B; f++) {
      const s = spec.segment(r, f);
      if (f < B && spec.segment(r, f + 1) !== s) borders.append('line').attr('x1', xOf(f + 1)).attr('x2', xOf(f + 1)).attr('y1', yOf(r)).attr('y2', yOf(r) + cell);
      if (r < B && spec.segment(r + 1, f) !== s) borders.append('line').attr('x1', xOf(f)).attr('x2', xOf(f) + cell).attr('y1', yOf(r)).attr('y2', yOf(r));
    }
  }
  // each segment's name in the top-left cell of its region, when cells are large enough to hold it
  if (cell >= 56) {
    const named = new Set<number>();
    for (let r = B; r >= 1; r--) {
      for (let f = 1; f <= B; f++) {
        const s = spec.segment(r, f);
        if (s < 0 || named.has(s)) continue;
        named.add(s);
        const v = spec.value(r, f);
        const ink = textOn(Number.isFinite(v) ? color(v) : theme.background, theme.text, theme.background);
        const maxChars = Math.floor((cell - 8) / (theme.fontSize * 0.5));
        const name = spec.segments[s]!;
        text
          .append('text')
          .attr('x', xOf(f) + 5)
          .attr('y', yOf(r) + 13)
          .attr('fill', ink)
          .attr('font-size', theme.fontSize - 3)
          .text(name.length > maxChars ? `${name.slice(0, maxChars - 1)}…` : name);
      }
    }
  }
}
