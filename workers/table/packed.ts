/**
 * A dictionary kept as UTF-8 bytes instead of strings: key c is `bytes[offsets[c] .. offsets[c+1])`.
 *
 * Order ids are the one dictionary nothing reads as text on the way to a result: the build groups
 * lines by their codes and reads an id only to break a tie between two orders of one customer at one
 * instant, or to name it in a rejection. Kept as bytes, the 681k order ids of the 1m benchmark cross
 * from a helper worker as two transferred buffers instead of 681k cloned strings, and are decoded only
 * when someone asks for them (`defineLazyStrings`).
 */
import type { SourceEncoding } from '../../src/core/options.js';
import { decodeBytes } from '../ingest/encoding.js';

/** Distinct keys as UTF-8 bytes. */
export interface PackedKeys {
  bytes: Uint8Array;
  /** count + 1 offsets into `bytes`. */
  offsets: Int32Array;
}

const encoder = new TextEncoder();

/** The keys' count. */
export function keyCount(keys: PackedKeys): number {
  return keys.offsets.length - 1;
}

/** Packs strings (their UTF-8 bytes, in order). */
export function packKeys(values: readonly string[]): PackedKeys {
  const encoded = values.map((v) => encoder.encode(v));
  const offsets = new Int32Array(values.length + 1);
  for (let c = 0; c < encoded.length; c++) offsets[c + 1] = offsets[c]! + encoded[c]!.length;
  const bytes = new Uint8Array(offsets[values.length]!);
  for (let c = 0; c < encoded.length; c++) bytes.set(encoded[c]!, offsets[c]!);
  return { bytes, offsets };
}

/** Key c as a string (its bytes are UTF-8 unless `encoding` says otherwise). */
export function keyAt(keys: PackedKeys, c: number, encoding: SourceEncoding = 'utf-8'): string {
  return decodeBytes(keys.bytes.subarray(keys.offsets[c]!, keys.offsets[c + 1]!), encoding);
}

/**
 * Every key as a string, by code. The bytes are UTF-8 unless `encoding` says otherwise (a key log's
 * arena before its source's encoding is settled); `ascii` when the caller already knows every byte is.
 */
export function unpackKeys(keys: PackedKeys, encoding: SourceEncoding = 'utf-8', ascii = isAscii(keys.bytes)): string[] {
  const n = keyCount(keys);
  const { bytes, offsets } = keys;
  const values = new Array<string>(n);
  if (ascii) {
    // one decode, then slices: a decode per key costs more than the keys' own bytes
    const all = decodeBytes(bytes, 'utf-8');
    for (let c = 0; c < n; c++) values[c] = all.slice(offsets[c]!, offsets[c + 1]!);
  } else {
    for (let c = 0; c < n; c++) values[c] = keyAt(keys, c, encoding);
  }
  return values;
}

function isAscii(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i]! >= 0x80) return false;
  return true;
}

/**
 * Compares keys a and b by their bytes, which for UTF-8 is code point order (as SQL engines compare
 * text, and as the other dictionaries are sorted).
 */
export function compareKeys(keys: PackedKeys, a: number, b: number): number {
  const { bytes, offsets } = keys;
  return compareByteRanges(bytes, offsets[a]!, offsets[a + 1]!, bytes, offsets[b]!, offsets[b + 1]!);
}

/** Compares `x[x0..x1)` with `y[y0..y1)` byte by byte, the shorter first when one is a prefix of the other. */
export function compareByteRanges(x: Uint8Array, x0: number, x1: number, y: Uint8Array, y0: number, y1: number): number {
  const n = Math.min(x1 - x0, y1 - y0);
  for (let i = 0; i < n; i++) {
    const d = x[x0 + i]! - y[y0 + i]!;
    if (d !== 0) return d;
  }
  return x1 - x0 - (y1 - y0);
}

/**
 * Defines `target[name]` as the keys' strings, decoded on first read (then kept as a plain value). The
 * property is enumerable, so spreading the object or cloning it (structured clone reads getters) gives
 * the strings.
 */
export function defineLazyStrings<T extends object>(target: T, name: keyof T & string, keys: PackedKeys): void {
  Object.defineProperty(target, name, {
    enumerable: true,
    configurable: true,
    get(this: T): string[] {
      const values = unpackKeys(keys);
      Object.defineProperty(this, name, { value: values, enumerable: true, configurable: true, writable: true });
      return values;
    },
  });
}
