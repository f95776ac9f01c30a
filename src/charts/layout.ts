/** Margins around a chart's plot area, sized for its axis labels and the available width. */
import type { ChartTheme } from './theme.js';

export interface Margins {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** Margins for a chart with a value axis on the left and period labels below. */
export function axisMargins(formatAxis: (v: number) => string, theme: ChartTheme, width: number): Margins {
  // the widest plausible tick label, estimated from the font size (no layout measurement needed)
  const sample = Math.max(formatAxis(1_000_000).length, formatAxis(-10_000).length, formatAxis(0.25).length);
  const left = Math.min(Math.max(32, Math.round(sample * theme.fontSize * 0.62) + 10), Math.round(width * 0.25));
  return { top: 10, right: width < 420 ? 8 : 16, bottom: theme.fontSize + 14, left };
}
