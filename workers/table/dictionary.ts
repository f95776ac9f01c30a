/**
 * Dictionary encoding of strings.
 *
 * `ByteDictionary` interns byte slices straight from the input buffer, so a customer id that occurs a
 * thousand times is hashed a thousand times but decoded to a JS string once. Strings are decoded at the
 * end of a source, once its encoding is known (a windows-1252 file is only recognisable when its first
 * non-UTF-8 byte shows up, which may be deep into the file).
 *
 * Layout, chosen for cache behaviour (measured on 1M rows: a slot table of hash + code, with keys
 * stored densely by code, interns customer ids in ~130 ns and mostly-new order ids in ~150 ns; a table
 * that held the keys inline in 32-byte slots was ~2× slower on inserts, and separate hash, offset and
 * byte arrays slower still): keys of up to 16 bytes — typical ids, channels and campaigns — are kept as
 * four packed words next to their length, so comparing a candidate touches one small record; longer
 * keys are compared against the byte arena. A one-entry cache of the previous key makes consecutive
 * repeats (line items of one order) free.
 *
 * `StringDictionary` is the dataset-level dictionary that merges the sources.
 */
import { decodeBytes, isValidUtf8 } from '../ingest/encoding.js';
import type { SourceEncoding } from '../../src/core/options.js';
import { hashLongKey, INLINE_KEY_BYTES, keyWords, packShortKey } from './keys.js';

/** Int32 words per key record: length, then four packed words (short keys) or the arena start (long keys). */
const KEY = 5;
const INLINE = INLINE_KEY_BYTES;

/** Interns byte slices; codes are dense, in order of first appearance. */
export class ByteDictionary {
  private arena: Uint8Array = new Uint8Array(4096);
  private arenaLength = 0;
  private offsets: Int32Array = new Int32Array(257);
  /** Hash table: [hash, code + 1] per slot. */
  private slots: Int32Array = new Int32Array(512);
  private mask = 255;
  /** Key records by code. */
  private keys: Int32Array = new Int32Array(256 * KEY);
  private count = 0;
  private nonAscii = false;
  /**
   * The previous key, for consecutive repeats: [code, length, w0, w1, w2, w3]. Kept in a typed array
   * because the packed words are often outside V8's small-integer range, and storing them in object
   * fields allocated a heap number per intern (measured: 150 young-generation collections per 1M rows).
   */
  private readonly last = Int32Array.of(-1, -1, 0, 0, 0, 0);
  /** True when some entry is not valid UTF-8. */
  invalidUtf8 = false;

  /** Number of distinct values. */
  get size(): number {
    return this.count;
  }

  /** The code of the bytes `buf[start..end)`, adding them if new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len > INLINE) return this.internLong(buf, start, end);
    const h = packShortKey(buf, start, end);
    const w0 = keyWords[0]!;
    const w1 = keyWords[1]!;
    const w2 = keyWords[2]!;
    const w3 = keyWords[3]!;
    const last = this.last;
    if (len === last[1] && w0 === last[2] && w1 === last[3] && w2 === last[4] && w3 === last[5]) return last[0]!;
    const slots = this.slots;
    const keys = this.keys;
    const mask = this.mask;
    let slot = h & mask;
    let code = -1;
    for (;;) {
      const code1 = slots[slot * 2 + 1]!;
      if (code1 === 0) break;
      if (slots[slot * 2] === h) {
        const k = (code1 - 1) * KEY;
        if (keys[k] === len && keys[k + 1] === w0 && keys[k + 2] === w1 && keys[k + 3] === w2 && keys[k + 4] === w3) {
          code = code1 - 1;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (code < 0) code = this.insert(buf, start, end, h, slot, w0, w1, w2, w3);
    last[0] = code;
    last[1] = len;
    last[2] = w0;
    last[3] = w1;
    last[4] = w2;
    last[5] = w3;
    return code;
  }

  private internLong(buf: Uint8Array, start: number, end: number): number {
    const h = hashLongKey(buf, start, end);
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    for (;;) {
      const code1 = slots[slot * 2 + 1]!;
      if (code1 === 0) break;
      if (slots[slot * 2] === h) {
        const k = (code1 - 1) * KEY;
        if (this.keys[k] === len) {
          const a = this.keys[k + 1]!;
          const arena = this.arena;
          let j = 0;
          while (j < len && arena[a + j] === buf[start + j]) j++;
          if (j === len) return code1 - 1;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(buf, start, end, h, slot, 0, 0, 0, 0);
  }

  /** The bytes of a code. */
  bytes(code: number): Uint8Array {
    return this.arena.subarray(this.offsets[code]!, this.offsets[code + 1]!);
  }

  /** Every value decoded with an encoding, indexed by code. */
  decode(encoding: SourceEncoding): string[] {
    const out = new Array<string>(this.count);
    if (!this.nonAscii) {
      // All ASCII: decode the arena once and slice it (character offsets equal byte offsets).
      const text = decodeBytes(this.arena.subarray(0, this.arenaLength), 'utf-8');
      for (let i = 0; i < this.count; i++) out[i] = text.slice(this.offsets[i]!, this.offsets[i + 1]!);
      return out;
    }
    for (let i = 0; i < this.count; i++) out[i] = decodeBytes(this.bytes(i), encoding);
    return out;
  }

  private insert(buf: Uint8Array, start: number, end: number, hash: number, slot: number, w0: number, w1: number, w2: number, w3: number): number {
    const id = this.count;
    const len = end - start;
    if (this.arenaLength + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + len));
      next.set(this.arena.subarray(0, this.arenaLength));
      this.arena = next;
    }
    const arena = this.arena;
    const at0 = this.arenaLength;
    let bits = 0;
    for (let i = 0; i < len; i++) {
      const b = buf[start + i]!;
      arena[at0 + i] = b;
      bits |= b;
    }
    if (bits >= 0x80) {
      this.nonAscii = true;
      if (!this.invalidUtf8 && !isValidUtf8(arena, at0, at0 + len)) this.invalidUtf8 = true;
    }
    this.arenaLength += len;
    if (id + 2 > this.offsets.length) {
      const offsets = new Int32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.offsets[id + 1] = this.arenaLength;
    if ((id + 1) * KEY > this.keys.length) {
      const keys = new Int32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    const k = id * KEY;
    const keys = this.keys;
    keys[k] = len;
    if (len > INLINE) {
      keys[k + 1] = at0;
    } else {
      keys[k + 1] = w0;
      keys[k + 2] = w1;
      keys[k + 3] = w2;
      keys[k + 4] = w3;
    }
    this.slots[slot * 2] = hash;
    this.slots[slot * 2 + 1] = id + 1;
    this.count++;
    // load factor at most 3/4
    if (this.count * 4 > (this.mask + 1) * 3) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size * 2);
    const mask = size - 1;
    const old = this.slots;
    for (let at = 0; at < old.length; at += 2) {
      const code1 = old[at + 1]!;
      if (code1 === 0) continue;
      let slot = old[at]! & mask;
      while (slots[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      slots[slot * 2] = old[at]!;
      slots[slot * 2 + 1] = code1;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/** A dataset-level dictionary of JS strings with dense codes. */
export class StringDictionary {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();

  get size(): number {
    return this.values.length;
  }

  /** The code of a string, adding it if new. */
  intern(value: string): number {
    let code = this.index.get(value);
    if (code === undefined) {
      code = this.values.length;
      this.values.push(value);
      this.index.set(value, code);
    }
    return code;
  }

  /** The code of a string, or -1. */
  get(value: string): number {
    return this.index.get(value) ?? -1;
  }

  /** Codes for a list of strings (a remap table from a source dictionary). */
  internAll(values: readonly string[]): Int32Array {
    const out = new Int32Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = this.intern(values[i]!);
    return out;
  }
}

/**
 * Sorts distinct strings by code point (the order of their UTF-8 bytes, which is how SQL engines such
 * as DuckDB order VARCHAR) and returns the sorted list and, for each original index, its rank.
 *
 * An MSD radix sort over the UTF-8 bytes: about 10× faster than `Array#sort` with a comparator on
 * 200k customer ids, which matters because every dataset build sorts its dictionaries once so that
 * codes are canonical (the same rows in any order give identical arrays).
 */
export function sortDictionary(values: readonly string[]): { sorted: string[]; rank: Int32Array } {
  const n = values.length;
  // a key log numbers uniform numeric ids (`C02884329`) in byte order already: one pass confirms it
  if (isSorted(values)) {
    const rank = new Int32Array(n);
    for (let i = 0; i < n; i++) rank[i] = i;
    return { sorted: values.slice(), rank };
  }
  // one UTF-8 arena for all values
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i]!.length * 3;
  const arena = new Uint8Array(total);
  const start = new Int32Array(n + 1);
  const encoder = new TextEncoder();
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    start[i] = at;
    let ascii = true;
    for (let k = 0; k < v.length; k++) {
      const c = v.charCodeAt(k);
      if (c >= 0x80) {
        ascii = false;
        break;
      }
      arena[at + k] = c;
    }
    at += ascii ? v.length : encoder.encodeInto(v, arena.subarray(at)).written;
  }
  start[n] = at;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const scratch = new Int32Array(n);
  radixSort(order, scratch, 0, n, 0, arena, start);
  const rank = new Int32Array(n);
  const sorted = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    rank[order[i]!] = i;
    sorted[i] = values[order[i]!]!;
  }
  return { sorted, rank };
}

/** Whether distinct strings are in code point order. */
function isSorted(values: readonly string[]): boolean {
  for (let i = 1; i < values.length; i++) if (compareCodePoints(values[i - 1]!, values[i]!) >= 0) return false;
  return true;
}

/**
 * Compares strings by code point (the order `sortDictionary` gives). UTF-16 units compare the same
 * except that surrogates (code points above U+FFFF) must sort after U+E000..U+FFFF.
 */
export function compareCodePoints(x: string, y: string): number {
  const n = Math.min(x.length, y.length);
  for (let k = 0; k < n; k++) {
    let u = x.charCodeAt(k);
    let v = y.charCodeAt(k);
    if (u === v) continue;
    if (u >= 0xd800) u = u >= 0xe000 ? u - 0x800 : u + 0x2000;
    if (v >= 0xd800) v = v >= 0xe000 ? v - 0x800 : v + 0x2000;
    return u - v;
  }
  return x.length - y.length;
}

/** Byte at `depth` of key `k`, or -1 past its end. */
function byteAt(arena: Uint8Array, start: Int32Array, k: number, depth: number): number {
  const p = start[k]! + depth;
  return p < start[k + 1]! ? arena[p]! : -1;
}

function compareFrom(arena: Uint8Array, start: Int32Array, a: number, b: number, depth: number): number {
  let pa = start[a]! + depth;
  let pb = start[b]! + depth;
  const ea = start[a + 1]!;
  const eb = start[b + 1]!;
  while (pa < ea && pb < eb) {
    const d = arena[pa]! - arena[pb]!;
    if (d !== 0) return d;
    pa++;
    pb++;
  }
  return ea - pa - (eb - pb);
}

function radixSort(order: Int32Array, scratch: Int32Array, lo: number, hi: number, depth: number, arena: Uint8Array, start: Int32Array): void {
  const n = hi - lo;
  if (n < 2) return;
  if (n <= 24) {
    for (let i = lo + 1; i < hi; i++) {
      const v = order[i]!;
      let j = i - 1;
      while (j >= lo && compareFrom(arena, start, order[j]!, v, depth) > 0) {
        order[j + 1] = order[j]!;
        j--;
      }
      order[j + 1] = v;
    }
    return;
  }
  // bucket 0: keys that end here; bucket b + 1: byte b
  const count = new Int32Array(258);
  for (let i = lo; i < hi; i++) count[byteAt(arena, start, order[i]!, depth) + 2]!++;
  count[0] = lo;
  for (let b = 1; b < 258; b++) count[b]! += count[b - 1]!;
  const bucketStart = count.slice(0, 257);
  for (let i = lo; i < hi; i++) {
    const k = order[i]!;
    scratch[count[byteAt(arena, start, k, depth) + 1]!++] = k;
  }
  order.set(scratch.subarray(lo, hi), lo);
  // keys that ended are equal (and distinct values never end together); recurse into byte buckets
  for (let b = 1; b < 257; b++) {
    const s = bucketStart[b]!;
    const e = b < 256 ? bucketStart[b + 1]! : hi;
    if (e - s > 1) radixSort(order, scratch, s, e, depth + 1, arena, start);
  }
}
