/**
 * Growable typed-array columns used while rows stream in, and small helpers over typed arrays.
 */
import type { TimeRange } from '../../src/core/report.js';

type Numeric = Float64Array | Int32Array | Uint8Array;

/**
 * A growable typed array. Capacity doubles, so appending n values costs O(n) copies in total; a
 * column presized with `reserve` (from the source size) never copies.
 */
abstract class Column<T extends Numeric> {
  data: T;
  length = 0;
  private readonly make: (n: number) => T;

  constructor(make: (n: number) => T, capacity: number) {
    this.make = make;
    this.data = make(capacity);
  }

  /** Appends a value. */
  abstract push(value: number): void;

  /** Makes room for `n` values in total (one allocation instead of repeated doubling). */
  reserve(n: number): void {
    if (n > this.data.length) this.grow(n);
  }

  /** The values, trimmed to the length (see `trimmed`). */
  finish(): T {
    return trimmed(this.data, this.length);
  }

  private grow(n: number): void {
    const next = this.make(n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}

// Each kind repeats `push` on purpose: one shared `push` sees three typed-array kinds, its element
// store turns polymorphic, and V8 stops inlining it; in Chromium's worker that shared `push` was 7% of
// the 1m ingest. Own copies stay monomorphic.

/** A growable `Float64Array`. */
export class Float64Column extends Column<Float64Array> {
  constructor(capacity = 1024) {
    super((n) => new Float64Array(n), capacity);
  }

  override push(value: number): void {
    if (this.length === this.data.length) this.reserve(Math.max(16, this.data.length * 2));
    this.data[this.length++] = value;
  }
}

/** A growable `Int32Array`. */
export class Int32Column extends Column<Int32Array> {
  constructor(capacity = 1024) {
    super((n) => new Int32Array(n), capacity);
  }

  override push(value: number): void {
    if (this.length === this.data.length) this.reserve(Math.max(16, this.data.length * 2));
    this.data[this.length++] = value;
  }
}

/** A growable `Uint8Array`. */
export class Uint8Column extends Column<Uint8Array> {
  constructor(capacity = 1024) {
    super((n) => new Uint8Array(n), capacity);
  }

  override push(value: number): void {
    if (this.length === this.data.length) this.reserve(Math.max(16, this.data.length * 2));
    this.data[this.length++] = value;
  }
}

/**
 * An array of exactly `length` values: a view when the unused capacity is under 1/8 (a presized column
 * usually is; copying would cost a fresh allocation, which is page-fault bound), a copy otherwise.
 */
function trimmed<T extends Numeric>(data: T, length: number): T {
  if (length === data.length) return data;
  if (data.length - length <= data.length >> 3) return data.subarray(0, length) as T;
  return data.slice(0, length) as T;
}

/** Concatenates typed arrays of one kind (returns the only part itself). */
export function concat<T extends Numeric>(parts: readonly T[], make: (n: number) => T): T {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = make(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Concatenates `Float64Array`s. */
export const concatFloat64 = (parts: readonly Float64Array[]): Float64Array => concat(parts, (n) => new Float64Array(n));
/** Concatenates `Int32Array`s. */
export const concatInt32 = (parts: readonly Int32Array[]): Int32Array => concat(parts, (n) => new Int32Array(n));
/** Concatenates `Uint8Array`s. */
export const concatUint8 = (parts: readonly Uint8Array[]): Uint8Array => concat(parts, (n) => new Uint8Array(n));

/** Smallest and largest value (NaN ignored), or null for no values. */
export function rangeOf(values: Float64Array): TimeRange | null {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? { min, max } : null;
}
