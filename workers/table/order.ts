/**
 * Stable ordering of float64 values by LSD radix sort on their bits: the row order used for RFM ranks
 * and n-tiles, and for the key log's numeric ids (`key-log.ts`). One read for six 11-bit digits' histograms, then a scatter per digit that the keys do
 * not all share, instead of a comparison sort: a native sort of 190k doubles takes ~27 ms on the
 * reference machine, this a few. Whole numbers below 2^16 (days, counts) take one counting sort.
 */

const BITS = [11, 11, 10];
const BUCKETS = 1 << 11;

/** Grow-only scratch (fresh large arrays cost page faults and garbage collection on every query). */
let scratchBits = new Float64Array(0);
let scratchLo = new Uint32Array(0);
let scratchHi = new Uint32Array(0);
let scratchA = new Int32Array(0);
let scratchB = new Int32Array(0);
/** The six digits' histograms, digit d at d × BUCKETS (the 10-bit digits use the first half of theirs). */
const counts = new Int32Array(6 * BUCKETS);
/** The counting sort's histogram, grown to the largest value seen. */
let smallCounts = new Int32Array(1024);
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function ensure(n: number): void {
  if (scratchBits.length >= n) return;
  const size = Math.max(n, Math.ceil(scratchBits.length * 1.5));
  scratchBits = new Float64Array(size);
  scratchLo = new Uint32Array(size);
  scratchHi = new Uint32Array(size);
  scratchA = new Int32Array(size);
  scratchB = new Int32Array(size);
}

/**
 * Row indexes ordered by value ascending (or descending), ties in row order (so by customer id when
 * rows are customers). NaN sorts last either way; −0 equals 0. The returned array is scratch: valid
 * until the next call, and it may be longer than `values` (read the first `values.length` entries).
 */
export function radixOrder(values: Float64Array, descending = false): Int32Array {
  const n = values.length;
  ensure(n);
  const whole = smallIntegerOrder(values, descending);
  if (whole !== null) return whole;
  const bits = scratchBits;
  const words = new Uint32Array(bits.buffer, 0, 2 * n);
  const lo = scratchLo;
  const hi = scratchHi;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    bits[i] = v + 0;
  }
  const loAt = littleEndian ? 0 : 1;
  for (let i = 0; i < n; i++) {
    // order-preserving unsigned keys: flip the sign bit of positives, every bit of negatives; for a
    // descending order, the complement of that; NaN last in both directions
    let h: number;
    let l: number;
    if (bits[i] !== bits[i]) {
      h = 0xffffffff;
      l = h;
    } else {
      h = words[2 * i + 1 - loAt]!;
      l = words[2 * i + loAt]!;
      if (h >>> 31 === 1) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      } else {
        h = (h | 0x80000000) >>> 0;
      }
      if (descending) {
        h = ~h >>> 0;
        l = ~l >>> 0;
      }
    }
    hi[i] = h;
    lo[i] = l;
  }
  // every digit's histogram in one read of the keys, instead of one read per digit
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const l = lo[i]!;
    const h = hi[i]!;
    counts[l & 0x7ff]!++;
    counts[BUCKETS + ((l >>> 11) & 0x7ff)]!++;
    counts[2 * BUCKETS + (l >>> 22)]!++;
    counts[3 * BUCKETS + (h & 0x7ff)]!++;
    counts[4 * BUCKETS + ((h >>> 11) & 0x7ff)]!++;
    counts[5 * BUCKETS + (h >>> 22)]!++;
  }
  let order = scratchA;
  let next = scratchB;
  for (let i = 0; i < n; i++) order[i] = i;
  for (let w = 0; w < 2; w++) {
    const word = w === 0 ? lo : hi;
    let shift = 0;
    for (let d = 0; d < BITS.length; d++) {
      if (radixPass(word, shift, (1 << BITS[d]!) - 1, counts.subarray((3 * w + d) * BUCKETS, (3 * w + d + 1) * BUCKETS), order, next, n)) {
        const swap = order;
        order = next;
        next = swap;
      }
      shift += BITS[d]!;
    }
  }
  return order;
}

/** One scatter on a digit, from its histogram; false (and nothing moved) when every key has the same digit. */
function radixPass(word: Uint32Array, shift: number, digitMask: number, count: Int32Array, order: Int32Array, next: Int32Array, n: number): boolean {
  if (n === 0 || count[(word[0]! >>> shift) & digitMask] === n) return false;
  let sum = 0;
  for (let d = 0; d <= digitMask; d++) {
    const c = count[d]!;
    count[d] = sum;
    sum += c;
  }
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    next[count[(word[i]! >>> shift) & digitMask]!++] = i;
  }
  return true;
}

/** The largest value the counting sort takes (recency in days and frequency fit; money rarely does). */
const SMALL_LIMIT = 1 << 16;

/**
 * The order of values that are all whole numbers in 0 .. SMALL_LIMIT − 1 (RFM's recency and frequency),
 * by one counting sort: one histogram and one scatter instead of the float keys' passes. Null when a
 * value is not such a number.
 */
function smallIntegerOrder(values: Float64Array, descending: boolean): Int32Array | null {
  const n = values.length;
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // NaN, fractions, negatives and large values fail one of these
    if (!(v >= 0 && v < SMALL_LIMIT) || v !== Math.floor(v)) return null;
    if (v > max) max = v;
  }
  if (smallCounts.length <= max) smallCounts = new Int32Array(Math.max(max + 1, 1024));
  const count = smallCounts;
  count.fill(0, 0, max + 1);
  for (let i = 0; i < n; i++) count[descending ? max - values[i]! : values[i]!]!++;
  let sum = 0;
  for (let d = 0; d <= max; d++) {
    const c = count[d]!;
    count[d] = sum;
    sum += c;
  }
  const order = scratchA;
  for (let i = 0; i < n; i++) order[count[descending ? max - values[i]! : values[i]!]!++] = i;
  return order;
}
