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

  /** The values as an exactly-sized array (a copy only when capacity exceeds the length). */
  finish(): Float64Array {
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
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
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
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
    return this.length === this.data.length ? this.data : this.data.slice(0, this.length);
  }

  private grow(): void {
    const next = new Uint8Array(Math.max(16, this.data.length * 2));
    next.set(this.data);
    this.data = next;
  }
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
