/**
 * The two scales the charts use, written here: a linear scale (with d3-array's nice domains and
 * ticks) and a band scale. d3-scale would bring its generic interpolators and with them d3-color,
 * d3-interpolate and d3-format into the main bundle for features the charts never use.
 */
import { nice as niceExtent, ticks as tickValues } from 'd3-array';

export interface LinearScale {
  (value: number): number;
  domain(): [number, number];
  range(): [number, number];
  /** About `count` round values across the domain. */
  ticks(count?: number): number[];
}

/** Maps [d0, d1] linearly onto [r0, r1]; `nice` extends the domain to round values (as d3's nice()). */
export function linearScale(domain: [number, number], range: [number, number], nice = false): LinearScale {
  let [d0, d1] = domain;
  if (nice) [d0, d1] = niceExtent(d0, d1, 10);
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number): number => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0))) as LinearScale;
  scale.domain = () => [d0, d1];
  scale.range = () => [r0, r1];
  scale.ticks = (count = 10) => tickValues(d0, d1, count);
  return scale;
}

export interface BandScale {
  /** Start of a key's band, or undefined for a key not in the domain. */
  (key: string): number | undefined;
  domain(): string[];
  range(): [number, number];
  bandwidth(): number;
  step(): number;
}

/**
 * Splits [r0, r1] into one band per key (d3's band scale, unrounded): `inner` is the gap between bands
 * and `outer` the space at both ends, as fractions of a step.
 */
export function bandScale(domain: string[], range: [number, number], inner: number, outer = inner): BandScale {
  const [r0, r1] = range;
  const n = domain.length;
  const index = new Map(domain.map((key, i) => [key, i]));
  const step = (r1 - r0) / Math.max(1, n - inner + outer * 2);
  const start = r0 + (r1 - r0 - step * (n - inner)) * 0.5;
  const scale = ((key: string): number | undefined => {
    const i = index.get(key);
    return i === undefined ? undefined : start + step * i;
  }) as BandScale;
  scale.domain = () => domain.slice();
  scale.range = () => [r0, r1];
  scale.bandwidth = () => step * (1 - inner);
  scale.step = () => step;
  return scale;
}
