/**
 * Keyboard navigation over the cells or points of a chart: one tab stop per chart (roving tabindex),
 * arrow keys between neighbours, Home / End along a row, Enter or Space to activate. Marks declare
 * their position with `data-nav-row` and `data-nav-col`; rows and columns may be ragged (a cohort
 * triangle), in which case a move goes to the nearest mark in that direction.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

interface Mark {
  element: HTMLElement | SVGElement;
  row: number;
  col: number;
}

export class GridNavigationController implements ReactiveController {
  private readonly host: ReactiveControllerHost & HTMLElement;
  private readonly root: () => ParentNode | null;
  private readonly onKeyDown = (event: KeyboardEvent): void => this.handle(event);

  /** `root` returns the element whose marks are navigated (the chart's container). */
  constructor(host: ReactiveControllerHost & HTMLElement, root: () => ParentNode | null) {
    this.host = host;
    this.root = root;
    host.addController(this);
  }

  hostConnected(): void {
    this.host.addEventListener('keydown', this.onKeyDown);
  }

  hostDisconnected(): void {
    this.host.removeEventListener('keydown', this.onKeyDown);
  }

  hostUpdated(): void {
    this.refresh();
  }

  /** Gives the tab stop to the first mark when none of the current marks has it (call after a redraw). */
  refresh(): void {
    const marks = this.marks();
    if (marks.length === 0) return;
    if (marks.some((m) => m.element.getAttribute('tabindex') === '0')) return;
    // the first mark in reading order: leftmost column, then top row
    const first = marks.reduce((best, m) => (m.col < best.col || (m.col === best.col && m.row < best.row) ? m : best));
    first.element.setAttribute('tabindex', '0');
  }

  private marks(): Mark[] {
    const root = this.root();
    if (root === null) return [];
    const out: Mark[] = [];
    for (const element of root.querySelectorAll<HTMLElement | SVGElement>('[data-nav-row]')) {
      out.push({ element, row: Number(element.dataset['navRow']), col: Number(element.dataset['navCol']) });
    }
    return out;
  }

  private handle(event: KeyboardEvent): void {
    const path = event.composedPath();
    const marks = this.marks();
    const current = marks.find((m) => path.includes(m.element));
    if (current === undefined) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      current.element.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
      return;
    }
    let target: Mark | undefined;
    const sameRow = marks.filter((m) => m.row === current.row).sort((a, b) => a.col - b.col);
    const nearestIn = (row: number): Mark | undefined => {
      const candidates = marks.filter((m) => m.row === row);
      return candidates.sort((a, b) => Math.abs(a.col - current.col) - Math.abs(b.col - current.col) || a.col - b.col)[0];
    };
    const rows = [...new Set(marks.map((m) => m.row))].sort((a, b) => a - b);
    const rowIndex = rows.indexOf(current.row);
    switch (event.key) {
      case 'ArrowRight':
        target = sameRow.find((m) => m.col > current.col);
        break;
      case 'ArrowLeft':
        target = [...sameRow].reverse().find((m) => m.col < current.col);
        break;
      case 'ArrowDown':
        target = rowIndex + 1 < rows.length ? nearestIn(rows[rowIndex + 1]!) : undefined;
        break;
      case 'ArrowUp':
        target = rowIndex > 0 ? nearestIn(rows[rowIndex - 1]!) : undefined;
        break;
      case 'Home':
        target = sameRow[0];
        break;
      case 'End':
        target = sameRow[sameRow.length - 1];
        break;
      default:
        return;
    }
    event.preventDefault();
    if (target === undefined || target === current) return;
    for (const m of marks) m.element.setAttribute('tabindex', m === target ? '0' : '-1');
    target.element.focus();
  }
}
