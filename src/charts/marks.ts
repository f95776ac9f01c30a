/**
 * Behaviour shared by the marks of every chart: keyboard position, accessible label, and the tooltip
 * on hover and on focus; activation (click, Enter, Space) when the chart offers it.
 *
 * A chart has hundreds of marks at a daily period, so the pointer, focus and click listeners live
 * once on the chart's `<svg>` (delegation) and each mark only carries its attributes: a repaint after
 * a parameter change adds no listeners.
 */
import type { Selection } from 'd3-selection';
import type { Tip, TooltipHost } from './theme.js';

/**
 * Most marks a chart draws (performance.md). A daily chart over years would pass it: thousands of
 * focusable, labelled SVG elements stall the host page while they are made and cannot be told apart.
 */
export const MAX_MARKS = 5000;

/**
 * Whether `count` marks fit in a chart `width` px wide. When they do not, the chart draws none and
 * says instead how many `what` it would take and which controls make fewer (`hint`), in lines that
 * fit the width, in the text colour of its widget.
 */
export function fits(g: Selection<SVGGElement, unknown, null, undefined>, count: number, width: number, what: string, hint: string): boolean {
  if (count <= MAX_MARKS) return true;
  // about 7 px per character at the charts' font size
  const perLine = Math.max(20, Math.floor(width / 7));
  let y = 32;
  const say = (line: string): void => {
    g.append('text').attr('x', '50%').attr('y', y).attr('text-anchor', 'middle').attr('fill', 'currentColor').text(line);
    y += 20;
  };
  for (const sentence of [`Too many ${what} to draw: ${count}, at most ${MAX_MARKS}.`, hint]) {
    let line = '';
    for (const word of sentence.split(' ')) {
      if (line !== '' && line.length + word.length >= perLine) {
        say(line);
        line = '';
      }
      line += (line === '' ? '' : ' ') + word;
    }
    say(line);
  }
  return false;
}

interface MarkBehaviour {
  tip: () => Tip;
  tooltip: TooltipHost;
  onActivate: (() => void) | undefined;
}

const behaviours = new WeakMap<Element, MarkBehaviour>();
const delegating = new WeakSet<Element>();

/** The mark an event happened on, with its behaviour. */
function markOf(target: EventTarget | null, svg: Element): [Element, MarkBehaviour] | null {
  if (!(target instanceof Element) || !svg.contains(target)) return null;
  const mark = target.closest('[data-nav-row]');
  if (mark === null || !svg.contains(mark)) return null;
  const behaviour = behaviours.get(mark);
  return behaviour === undefined ? null : [mark, behaviour];
}

function delegate(svg: Element): void {
  if (delegating.has(svg)) return;
  delegating.add(svg);
  const show = (event: Event): void => {
    const found = markOf(event.target, svg);
    if (found !== null) found[1].tooltip.show(found[0], found[1].tip());
  };
  const hide = (event: Event): void => {
    const found = markOf(event.target, svg);
    if (found === null) return;
    // moving within one mark (onto a child) keeps its tooltip
    const next = (event as PointerEvent | FocusEvent).relatedTarget;
    if (next instanceof Node && found[0].contains(next)) return;
    found[1].tooltip.hide();
  };
  svg.addEventListener('pointerover', show);
  svg.addEventListener('pointerout', hide);
  svg.addEventListener('focusin', show);
  svg.addEventListener('focusout', hide);
  svg.addEventListener('click', (event) => markOf(event.target, svg)?.[1].onActivate?.());
}

/** Said of a period the data or the range cover in part, in tooltips and accessible names. */
const PARTIAL_NOTE = '(partial period)';

/** Whether period `i` of a chart is partial (`flags`, a result axis's `partial`), and what its title and label gain then. */
export function partialMarks(flags: ArrayLike<number> | null | undefined): { partial: (i: number) => boolean; note: (i: number) => string } {
  const partial = (i: number): boolean => flags?.[i] === 1;
  return { partial, note: (i) => (partial(i) ? ` ${PARTIAL_NOTE}` : '') };
}

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
    .attr('data-nav-col', options.col);
  if (options.onActivate !== undefined) mark.attr('cursor', 'pointer');
  behaviours.set(node, { tip: options.tip, tooltip: options.tooltip, onActivate: options.onActivate });
  const svg = node.ownerSVGElement ?? node.closest('svg');
  if (svg !== null) delegate(svg);
}
