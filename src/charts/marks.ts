/**
 * Behaviour shared by the marks of every chart: keyboard position, accessible label, and the tooltip
 * on hover and on focus; activation (click, Enter, Space) when the chart offers it.
 */
import type { Selection } from 'd3-selection';
import type { Tip, TooltipHost } from './theme.js';

/** Makes a mark navigable and explained: `row`/`col` for the arrow keys, `label` for screen readers. */
export function interactive<E extends SVGElement>(
  mark: Selection<E, unknown, null, undefined>,
  options: { row: number; col: number; label: string; tip: () => Tip; tooltip: TooltipHost; onActivate?: () => void },
): void {
  const node = mark.node()!;
  mark
    .attr('tabindex', '-1')
    .attr('role', options.onActivate !== undefined ? 'button' : 'img')
    .attr('aria-label', options.label)
    .attr('data-nav-row', options.row)
    .attr('data-nav-col', options.col)
    .attr('focusable', 'true');
  const show = (): void => options.tooltip.show(node, options.tip());
  const hide = (): void => options.tooltip.hide();
  mark.on('pointerenter', show).on('pointerleave', hide).on('focus', show).on('blur', hide);
  if (options.onActivate !== undefined) {
    mark.attr('cursor', 'pointer').on('click', () => options.onActivate!());
  }
}
