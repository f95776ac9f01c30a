/**
 * A dictionary kept as UTF-8 bytes instead of strings: key c is `bytes[offsets[c] .. offsets[c+1])`.
 *
 * Order ids are the one dictionary nothing reads as text on the way to a result: the build groups
 * lines by their codes and reads an id only to break a tie between two orders of one customer at one
 * instant, or to name it in a rejection. Kept as bytes, the 681k order ids of the 1m benchmark cross
 * from a helper worker as two transferred buffers instead of 681k cloned strings, and are decoded only
 * when someone asks for them (`defineLazyStrings`).
 */
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

/** Key c as a string. */
export function keyAt(keys: PackedKeys, c: number): string {
  return decodeBytes(keys.bytes.subarray(keys.offsets[c]!, keys.offsets[c + 1]!), 'utf-8');
}

/** Every key as a string, by code. */
export function unpackKeys(keys: PackedKeys): string[] {
  const n = keyCount(keys);
  const { bytes, offsets } = keys;
  let ascii = true;
  for (let i = 0; i < bytes.length && ascii; i++) if (bytes[i]! >= 0x80) ascii = false;
  const values = new Array<string>(n);
  if (ascii) {
    // one decode, then slices: a decode per key costs more than the keys' own bytes
    const all = decodeBytes(bytes, 'utf-8');
    for (let c = 0; c < n; c++) values[c] = all.slice(offsets[c]!, offsets[c + 1]!);
  } else {
    for (let c = 0; c < n; c++) values[c] = keyAt(keys, c);
  }
  return values;
}

/**
 * Compares keys a and b by their bytes, which for UTF-8 is code point order (as SQL engines compare
 * text, and as the other dictionaries are sorted).
 */
export function compareKeys(keys: PackedKeys, a: number, b: number): number {
  const { bytes, offsets } = keys;
  const a0 = offsets[a]!;
  const b0 = offsets[b]!;
  const la = offsets[a + 1]! - a0;
  const lb = offsets[b + 1]! - b0;
  const n = Math.min(la, lb);
  for (let i = 0; i < n; i++) {
    const d = bytes[a0 + i]! - bytes[b0 + i]!;
    if (d !== 0) return d;
  }
  return la - lb;
}

/**
 * The union of several key lists, codes by first appearance (list by list); a remap per list. One
 * list is its own union.
 */
export function unionKeys(lists: readonly PackedKeys[]): { keys: PackedKeys; remaps: Int32Array[] } {
  if (lists.length === 1) {
    const identity = new Int32Array(keyCount(lists[0]!));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
    return { keys: lists[0]!, remaps: [identity] };
  }
  const index = new Map<string, number>();
  const values: string[] = [];
  const remaps = lists.map((list) => {
    const strings = unpackKeys(list);
    const out = new Int32Array(strings.length);
    for (let i = 0; i < strings.length; i++) {
      const v = strings[i]!;
      let code = index.get(v);
      if (code === undefined) {
        code = values.length;
        values.push(v);
        index.set(v, code);
      }
      out[i] = code;
    }
    return out;
  });
  return { keys: packKeys(values), remaps };
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
