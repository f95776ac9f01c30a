/**
 * What a chart needs to know of its widget's look: colours and font, resolved from the widget's
 * `--crm-*` custom properties before drawing. Charts write them as presentation attributes, so an
 * exported SVG looks like the screen without the page's stylesheets.
 */

/** Resolved colours and font of a chart. */
export interface ChartTheme {
  /** Categorical series colours (10). */
  series: string[];
  /** Colour of non-CRM revenue and other "the rest" series. */
  neutral: string;
  text: string;
  muted: string;
  grid: string;
  background: string;
  accent: string;
  /** Low and high ends of sequential scales (heatmaps, grids). */
  sequentialLow: string;
  sequentialHigh: string;
  fontFamily: string;
  fontSize: number;
}

/** A line of a tooltip: a coloured key, a label and a value. */
export interface TipRow {
  label: string;
  value: string;
  color?: string;
  /** Drawn in bold (a total). */
  strong?: boolean;
}

/** Tooltip content. */
export interface Tip {
  title: string;
  rows: TipRow[];
  /** A closing line (a note, a definition). */
  note?: string;
}

/** Shows and hides the widget's tooltip next to a mark. */
export interface TooltipHost {
  show(anchor: Element, tip: Tip): void;
  hide(): void;
}

/** The colour of series i. */
export function seriesColor(theme: ChartTheme, i: number): string {
  return theme.series[i % theme.series.length]!;
}
