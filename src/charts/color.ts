/** Sequential colour for cell values, and a readable text colour on top of it. */
import { color as parseColor, hsl } from 'd3-color';
import { interpolateRgb } from 'd3-interpolate';

/** A function from a value in [lo, hi] to a colour between `low` and `high`. */
export function sequential(lo: number, hi: number, low: string, high: string): (value: number) => string {
  const mix = interpolateRgb(low, high);
  const span = hi - lo || 1;
  return (value) => mix(Math.max(0, Math.min(1, (value - lo) / span)));
}

/** Dark or light text, whichever reads better on `background`. */
export function textOn(background: string, dark: string, light: string): string {
  const c = parseColor(background);
  if (c === null) return dark;
  const rgb = c.rgb();
  // relative luminance (sRGB), WCAG formula
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * channel(rgb.r) + 0.7152 * channel(rgb.g) + 0.0722 * channel(rgb.b);
  const contrast = (a: number, b: number): number => (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  const lum = (text: string): number => {
    const t = parseColor(text)?.rgb();
    return t === undefined ? 0 : 0.2126 * channel(t.r) + 0.7152 * channel(t.g) + 0.0722 * channel(t.b);
  };
  return contrast(l, lum(dark)) >= contrast(l, lum(light)) ? dark : light;
}

/** A colour made lighter (positive) or darker (negative) by `amount` of lightness. */
export function shade(value: string, amount: number): string {
  const c = hsl(value);
  if (Number.isNaN(c.l)) return value;
  c.l = Math.max(0, Math.min(1, c.l + amount));
  return c.formatHex();
}
