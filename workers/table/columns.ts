/**
 * Growable typed-array columns used while rows stream in. Capacity doubles, so appending n values costs
 * O(n) copies in total; `finish()` returns a view trimmed to the length.
 */

/** A growable `Float64Array`. */
export class Float64Column {
  data: Float64Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }

  /** The values, trimmed to the length (see `trimmed`). */
  finish(): Float64Array {
    return trimmed(this.data, this.length);
  }

  /** Makes room for `n` values in total (one allocation instead of repeated doubling). */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Float64Array(n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  private grow(): void {
    const next = new Float64Array(Math.max(16, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** A growable `Int32Array`. */
export class Int32Column {
  data: Int32Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Int32Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }

  finish(): Int32Array {
    return trimmed(this.data, this.length);
  }

  /** Makes room for `n` values in total (one allocation instead of repeated doubling). */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Int32Array(n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  private grow(): void {
    const next = new Int32Array(Math.max(16, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/** A growable `Uint8Array`. */
export class Uint8Column {
  data: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.data = new Uint8Array(capacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow();
    this.data[this.length++] = value;
  }

  finish(): Uint8Array {
    return trimmed(this.data, this.length);
  }

  /** Makes room for `n` values in total (one allocation instead of repeated doubling). */
  reserve(n: number): void {
    if (n <= this.data.length) return;
    const next = new Uint8Array(n);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }

  private grow(): void {
    const next = new Uint8Array(Math.max(16, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
}

/**
 * An array of exactly `length` values: a view when the unused capacity is under 1/8 (a presized column
 * usually is; copying would cost a fresh allocation, which is page-fault bound), a copy otherwise.
 */
function trimmed<T extends Float64Array | Int32Array | Uint8Array>(data: T, length: number): T {
  if (length === data.length) return data;
  if (data.length - length <= data.length >> 3) return data.subarray(0, length) as T;
  return data.slice(0, length) as T;
}

/** Concatenates typed arrays of one kind. */
export function concatFloat64(parts: readonly Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Float64Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Concatenates `Int32Array`s. */
export function concatInt32(parts: readonly Int32Array[]): Int32Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Int32Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Concatenates `Uint8Array`s. */
export function concatUint8(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
