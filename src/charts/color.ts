/**
 * Sequential colour for cell values, and a readable text colour on top of it. Colours come from CSS
 * custom properties, so any CSS colour must be understood: the browser parses them (a 2D canvas
 * normalises a colour to `#rrggbb` or `rgba(...)`), which keeps a colour library out of the bundle.
 */

type Rgb = [number, number, number];

const parsed = new Map<string, Rgb | null>();
let context: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;

/** A CSS colour as sRGB 0–255 channels, or null when the browser does not read it as a colour. */
export function parseRgb(value: string): Rgb | null {
  const key = value.trim();
  if (parsed.has(key)) return parsed.get(key)!;
  if (context === undefined) {
    context = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1).getContext('2d') : document.createElement('canvas').getContext('2d');
  }
  let rgb: Rgb | null = null;
  if (context !== null && key !== '') {
    // a value the canvas rejects leaves fillStyle unchanged: start from a sentinel to tell
    context.fillStyle = '#010203';
    context.fillStyle = key;
    const out = String(context.fillStyle);
    const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(out);
    const fn = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/i.exec(out);
    if (hex !== null) rgb = [parseInt(hex[1]!, 16), parseInt(hex[2]!, 16), parseInt(hex[3]!, 16)];
    else if (fn !== null) rgb = [Number(fn[1]), Number(fn[2]), Number(fn[3])];
    if (out === '#010203' && key.toLowerCase() !== '#010203') rgb = null;
  }
  if (parsed.size > 256) parsed.clear();
  parsed.set(key, rgb);
  return rgb;
}

/** A function from a value in [lo, hi] to a colour between `low` and `high` (linear in sRGB). */
export function sequential(lo: number, hi: number, low: string, high: string): (value: number) => string {
  const a = parseRgb(low) ?? [238, 243, 252];
  const b = parseRgb(high) ?? [31, 79, 168];
  const span = hi - lo || 1;
  return (value) => {
    const t = Math.max(0, Math.min(1, (value - lo) / span));
    return `rgb(${Math.round(a[0] + (b[0] - a[0]) * t)}, ${Math.round(a[1] + (b[1] - a[1]) * t)}, ${Math.round(a[2] + (b[2] - a[2]) * t)})`;
  };
}

/** Relative luminance (WCAG, sRGB). */
function luminance([r, g, b]: Rgb): number {
  const channel = (v: number): number => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/** Dark or light text, whichever has more contrast on `background`. */
export function textOn(background: string, dark: string, light: string): string {
  const bg = parseRgb(background);
  if (bg === null) return dark;
  const l = luminance(bg);
  const contrast = (text: string): number => {
    const t = parseRgb(text);
    const lt = t === null ? 0 : luminance(t);
    return (Math.max(l, lt) + 0.05) / (Math.min(l, lt) + 0.05);
  };
  return contrast(dark) >= contrast(light) ? dark : light;
}
