/**
 * The two scales the charts use, written here: a linear scale (with round ticks and nice domains) and
 * a band scale. d3-scale would bring its generic interpolators and with them d3-color, d3-interpolate
 * and d3-format into the main bundle for features the charts never use. The ticks give the values
 * d3-array's `ticks` and `nice` give (a property test compares them); importing d3-array for them cost
 * every page its bisectors too, which its one-file build keeps (about 0.5 kB gzip in all).
 */

/**
 * The tick step for about `count` ticks across [lo, hi]: 1, 2 or 5 times a power of ten, whichever is
 * nearest to the raw step on a log scale. A step below 1 comes back as minus its inverse (-20 for
 * 0.05), so that ticks are computed as whole numbers divided by it and print without binary residue
 * (0.3, not 0.30000000000000004). 0 or a non-finite number when there is no step.
 */
function tickStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / count;
  const power = Math.floor(Math.log10(raw));
  const mantissa = raw / 10 ** power;
  // the thresholds are the geometric means of neighbouring steps: √(1·2), √(2·5), √(5·10)
  const factor = mantissa >= Math.sqrt(50) ? 10 : mantissa >= Math.sqrt(10) ? 5 : mantissa >= Math.SQRT2 ? 2 : 1;
  return power < 0 ? -(10 ** -power) / factor : factor * 10 ** power;
}

/** The k-th multiple of a step from tickStep (k·step, or k / inverse), and k for a value. */
function multiples(step: number): { at: (k: number) => number; index: (v: number) => number } {
  return step > 0 ? { at: (k) => k * step, index: (v) => v / step } : { at: (k) => k / -step, index: (v) => v * -step };
}

/** Round values across [lo, hi] (either order, ends included when round), about `count` of them. */
export function ticks(lo: number, hi: number, count: number): number[] {
  if (!(count > 0) || Number.isNaN(lo) || Number.isNaN(hi)) return [];
  if (lo === hi) return [lo];
  const reversed = hi < lo;
  if (reversed) [lo, hi] = [hi, lo];
  const step = tickStep(lo, hi, count);
  if (step === 0 || !Number.isFinite(step)) return [];
  // k rounded, then moved inside [lo, hi]
  const { at, index } = multiples(step);
  let first = Math.round(index(lo)) || 0; // never -0, which an axis would print as "-0"
  let last = Math.round(index(hi));
  if (at(first) < lo) first++;
  if (at(last) > hi) last--;
  // counted from first rather than k++ up to last: past 2^53 (1e9 ± 1e-7 in steps of 5e-8) k++ stands still
  const values: number[] = [];
  for (let i = 0; i <= last - first; i++) values.push(at(first + i));
  return reversed ? values.reverse() : values;
}

/**
 * [lo, hi] widened outwards to multiples of the tick step for about `count` ticks, repeated until the
 * step settles (a wider domain can call for a larger step). lo ≤ hi.
 */
export function niceDomain(lo: number, hi: number, count: number): [number, number] {
  let previous = NaN;
  for (let round = 0; round < 10; round++) {
    const step = tickStep(lo, hi, count);
    if (step === previous || step === 0 || !Number.isFinite(step)) break;
    // whole multiples of the step at or outside each end; a quotient that rounded across a whole
    // number (1000.0000000000001 / 100 is 10) is stepped once more, so the data stay inside
    const { at, index } = multiples(step);
    let first = Math.floor(index(lo));
    let last = Math.ceil(index(hi));
    if (at(first) > lo) first--;
    if (at(last) < hi) last++;
    [lo, hi] = [at(first), at(last)];
    previous = step;
  }
  return [lo, hi];
}

export interface LinearScale {
  (value: number): number;
  domain(): [number, number];
  range(): [number, number];
  /** About `count` round values across the domain. */
  ticks(count?: number): number[];
}

/** Maps [d0, d1] (d0 ≤ d1) linearly onto [r0, r1]; `nice` extends the domain to round values (as d3's nice()). */
export function linearScale(domain: [number, number], range: [number, number], nice = false): LinearScale {
  let [d0, d1] = domain;
  // a span under a billionth of the values (or of 1) is summation residue, such as a net revenue of
  // 5.6e-17 after a full refund: ticks across it would print the same label ten times
  if (nice && d1 - d0 < 1e-9 * Math.max(1, Math.abs(d0), Math.abs(d1))) d1 = d0 + Math.max(1, Math.abs(d0));
  if (nice) [d0, d1] = niceDomain(d0, d1, 10);
  const [r0, r1] = range;
  const span = d1 - d0;
  const scale = ((value: number): number => (span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0))) as LinearScale;
  scale.domain = () => [d0, d1];
  scale.range = () => [r0, r1];
  scale.ticks = (count = 10) => ticks(d0, d1, count);
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
