/**
 * Dictionary encoding of strings.
 *
 * `ByteDictionary` interns byte slices straight from the input buffer, so a customer id that occurs a
 * thousand times is hashed a thousand times but decoded to a JS string once. Strings are decoded at the
 * end of a source, once its encoding is known (a windows-1252 file is only recognisable when its first
 * non-UTF-8 byte shows up, which may be deep into the file).
 *
 * `StringDictionary` is the dataset-level dictionary that merges the sources.
 */
import { decodeBytes, isValidUtf8 } from '../ingest/encoding.js';
import type { SourceEncoding } from '../../src/core/options.js';

const EMPTY = new Uint8Array(0);

/** Interns byte slices; codes are dense, in order of first appearance. */
export class ByteDictionary {
  private arena: Uint8Array = new Uint8Array(4096);
  private arenaLength = 0;
  private offsets: Int32Array = new Int32Array(257);
  private hashes: Int32Array = new Int32Array(256);
  private slots: Int32Array = new Int32Array(512);
  private mask = 511;
  private count = 0;
  private nonAscii = false;
  /** True when some entry is not valid UTF-8. */
  invalidUtf8 = false;

  /** Number of distinct values. */
  get size(): number {
    return this.count;
  }

  /** The code of the bytes `buf[start..end)`, adding them if new. */
  intern(buf: Uint8Array, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
    const slots = this.slots;
    const mask = this.mask;
    let slot = h & mask;
    const len = end - start;
    for (;;) {
      const v = slots[slot]!;
      if (v === 0) break;
      const id = v - 1;
      if (this.hashes[id] === h) {
        const a = this.offsets[id]!;
        if (this.offsets[id + 1]! - a === len) {
          const arena = this.arena;
          let j = 0;
          while (j < len && arena[a + j] === buf[start + j]) j++;
          if (j === len) return id;
        }
      }
      slot = (slot + 1) & mask;
    }
    return this.insert(buf, start, end, h, slot);
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

  private insert(buf: Uint8Array, start: number, end: number, hash: number, slot: number): number {
    const id = this.count;
    const len = end - start;
    if (this.arenaLength + len > this.arena.length) {
      const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + len));
      next.set(this.arena.subarray(0, this.arenaLength));
      this.arena = next;
    }
    const src = len === 0 ? EMPTY : buf.subarray(start, end);
    this.arena.set(src, this.arenaLength);
    for (let i = 0; i < len; i++) {
      if (src[i]! >= 0x80) {
        this.nonAscii = true;
        if (!this.invalidUtf8 && !isValidUtf8(src, 0, len)) this.invalidUtf8 = true;
        break;
      }
    }
    this.arenaLength += len;
    if (id + 1 >= this.hashes.length) {
      const hashes = new Int32Array(this.hashes.length * 2);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const offsets = new Int32Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.hashes[id] = hash;
    this.offsets[id + 1] = this.arenaLength;
    this.slots[slot] = id + 1;
    this.count++;
    if (this.count * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
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
 * Sorts a list of distinct strings and returns the sorted list and, for each original code, its rank.
 * Sorting by UTF-16 code units makes codes canonical: the same data in any row order gets the same
 * codes, and code order equals string order.
 */
export function sortDictionary(values: readonly string[]): { sorted: string[]; rank: Int32Array } {
  const order = Array.from(values.keys());
  order.sort((a, b) => {
    const x = values[a]!;
    const y = values[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const rank = new Int32Array(values.length);
  const sorted = new Array<string>(values.length);
  for (let i = 0; i < order.length; i++) {
    rank[order[i]!] = i;
    sorted[i] = values[order[i]!]!;
  }
  return { sorted, rank };
}
