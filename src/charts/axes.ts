/**
 * Axes and grid lines drawn as plain marks with presentation attributes (no stylesheet needed), with
 * tick labels thinned so they never overlap at narrow widths.
 */
import type { BandScale, LinearScale } from './scales.js';
import { select, type Selection } from 'd3-selection';
import type { ChartTheme } from './theme.js';

type G = Selection<SVGGElement, unknown, null, undefined>;

/** Every k-th index so that labels of about `labelWidth` px fit in `span` px. */
export function tickEvery(count: number, span: number, labelWidth: number): number {
  if (count <= 0) return 1;
  const fit = Math.max(1, Math.floor(span / labelWidth));
  return Math.max(1, Math.ceil(count / fit));
}

/** A horizontal axis of bands (periods) at `y`, labels thinned to fit. */
export function bandAxis(g: G, x: BandScale, labels: string[], y: number, theme: ChartTheme): void {
  // the widest label, estimated from its length and the font size, plus a gap
  const longest = labels.reduce((n, l) => Math.max(n, l.length), 0);
  const labelWidth = longest * (theme.fontSize - 1) * 0.6 + 14;
  const every = tickEvery(labels.length, x.range()[1]! - x.range()[0]!, labelWidth);
  const axis = g.append('g').attr('class', 'axis axis-x').attr('aria-hidden', 'true');
  axis
    .append('line')
    .attr('x1', x.range()[0]!)
    .attr('x2', x.range()[1]!)
    .attr('y1', y + 0.5)
    .attr('y2', y + 0.5)
    .attr('stroke', theme.grid);
  labels.forEach((label, i) => {
    if (i % every !== 0) return;
    const key = x.domain()[i]!;
    axis
      .append('text')
      .attr('x', x(key)! + x.bandwidth() / 2)
      .attr('y', y + theme.fontSize + 6)
      .attr('text-anchor', 'middle')
      .attr('fill', theme.muted)
      .attr('font-size', theme.fontSize - 1)
      .text(label);
  });
}

/** A vertical value axis on the left with horizontal grid lines across `width`. */
export function valueAxis(g: G, y: LinearScale, left: number, width: number, format: (v: number) => string, theme: ChartTheme, ticks = 5): void {
  const axis = g.append('g').attr('class', 'axis axis-y').attr('aria-hidden', 'true');
  for (const tick of y.ticks(ticks)) {
    const at = Math.round(y(tick)) + 0.5;
    axis
      .append('line')
      .attr('x1', left)
      .attr('x2', left + width)
      .attr('y1', at)
      .attr('y2', at)
      .attr('stroke', theme.grid)
      .attr('stroke-dasharray', tick === 0 ? null : '2,3');
    axis
      .append('text')
      .attr('x', left - 6)
      .attr('y', at)
      .attr('dy', '0.32em')
      .attr('text-anchor', 'end')
      .attr('fill', theme.muted)
      .attr('font-size', theme.fontSize - 1)
      .text(format(tick));
  }
}

/** Sets up an SVG's size, font and accessible name, and empties it. */
export function resetSvg(svg: SVGSVGElement, width: number, height: number, theme: ChartTheme, label: string): G {
  while (svg.firstChild !== null) svg.removeChild(svg.firstChild);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('font-family', theme.fontFamily);
  svg.setAttribute('font-size', String(theme.fontSize));
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const doc = svg.ownerDocument;
  const g = doc.createElementNS('http://www.w3.org/2000/svg', 'g');
  svg.appendChild(g);
  return selectG(g);
}

function selectG(g: SVGGElement): G {
  return select(g) as unknown as G;
}
