/**
 * The tooltip of a widget: one absolutely positioned element in its shadow root, filled with text
 * nodes only (data values with markup stay text), placed next to the hovered or focused mark and
 * kept inside the widget.
 */
import { select } from 'd3-selection';
import type { Tip, TooltipHost } from './theme.js';

/** A tooltip over `container` (the positioned wrapper of the chart) using the element `tip`. */
export function createTooltip(container: HTMLElement, tip: HTMLElement): TooltipHost {
  return {
    show(anchor: Element, content: Tip): void {
      const root = select(tip);
      root.selectAll('*').remove();
      root.append('div').attr('class', 'tip-title').text(content.title);
      for (const row of content.rows) {
        const line = root.append('div').attr('class', row.strong === true ? 'tip-row tip-strong' : 'tip-row');
        const key = line.append('span').attr('class', 'tip-key');
        if (row.color !== undefined) key.style('background', row.color);
        line.append('span').attr('class', 'tip-label').text(row.label);
        line.append('span').attr('class', 'tip-value').text(row.value);
      }
      if (content.note !== undefined) root.append('div').attr('class', 'tip-note').text(content.note);
      tip.hidden = false;
      const box = container.getBoundingClientRect();
      const at = anchor.getBoundingClientRect();
      const width = tip.offsetWidth;
      const height = tip.offsetHeight;
      let left = at.left - box.left + at.width / 2 - width / 2;
      left = Math.max(4, Math.min(left, box.width - width - 4));
      let top = at.top - box.top - height - 8;
      if (top < 4) top = at.bottom - box.top + 8;
      tip.style.left = `${Math.round(left)}px`;
      tip.style.top = `${Math.round(top)}px`;
    },
    hide(): void {
      tip.hidden = true;
    },
  };
}
