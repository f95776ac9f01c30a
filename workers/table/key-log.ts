/**
 * Bulk dictionary encoding of high-cardinality keys (customer ids, order ids).
 *
 * Interning a key per row into one large hash table costs a cache miss or two per row once the table
 * outgrows the CPU caches: measured in Chromium's worker on 1M order rows (192k customers, 681k
 * orders), per-row interning took about 1 s, the largest share of ingest. A `KeyLog` instead appends
 * each key, packed and hashed while its bytes are still in cache, to a sequential log; at the end of
 * the source it scatters the log into 256 partitions by hash and interns each partition with a table
 * small enough to stay in cache (radix-partitioned hash aggregation).
 *
 * Codes are numbered by first appearance, as a per-row dictionary would number them.
 */
import type { SourceEncoding } from '../../src/core/options.js';
import { decodeBytes, isValidUtf8 } from '../ingest/encoding.js';
import { hashLongKey, INLINE_KEY_BYTES, keyWords, packShortKey } from './keys.js';

/** Int32 words per log record: hash, length, then four packed words (short keys) or the arena start. */
const RECORD = 6;
const INLINE = INLINE_KEY_BYTES;
const PARTITION_BITS = 8;
const PARTITIONS = 1 << PARTITION_BITS;

/** The distinct keys of a finished log and each logged entry's code. */
export interface KeyCodes {
  /** Code of each logged entry, in log order. */
  codes: Int32Array;
  /** Number of distinct keys. */
  count: number;
  /** Whether some distinct key is not valid UTF-8. */
  invalidUtf8: boolean;
  /** The distinct keys as strings, by code. */
  decode(encoding: SourceEncoding): string[];
}

/** An append-only log of keys, interned in bulk by `finish`. */
export class KeyLog {
  private log: Int32Array;
  private length = 0;
  private arena: Uint8Array = new Uint8Array(1024);
  private arenaLength = 0;

  constructor(capacity = 1024) {
    this.log = new Int32Array(Math.max(16, capacity) * RECORD);
  }

  /** Number of logged entries. */
  get size(): number {
    return this.length;
  }

  /** Makes room for `entries` entries in total. */
  reserve(entries: number): void {
    if (entries * RECORD > this.log.length) this.grow(entries * RECORD);
  }

  /**
   * Appends the key `buf[start..end)`; returns its entry index (the code is known after `finish`). A
   * key equal to the previous one returns the previous entry instead of a new one.
   */
  intern(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    let at = this.length * RECORD;
    if (at + RECORD > this.log.length) this.grow(this.log.length * 2);
    const log = this.log;
    if (len <= INLINE) {
      const h = packShortKey(buf, start, end);
      const w0 = keyWords[0]!;
      const w1 = keyWords[1]!;
      const w2 = keyWords[2]!;
      const w3 = keyWords[3]!;
      // a repeat of the previous key (the line items of one order) reuses its entry
      if (at > 0) {
        const p = at - RECORD;
        if (log[p] === h && log[p + 1] === len && log[p + 2] === w0 && log[p + 3] === w1 && log[p + 4] === w2 && log[p + 5] === w3) {
          return this.length - 1;
        }
      }
      log[at++] = h;
      log[at++] = len;
      log[at++] = w0;
      log[at++] = w1;
      log[at++] = w2;
      log[at] = w3;
    } else {
      const h = hashLongKey(buf, start, end);
      if (this.arenaLength + len > this.arena.length) {
        const next = new Uint8Array(Math.max(this.arena.length * 2, this.arenaLength + len));
        next.set(this.arena.subarray(0, this.arenaLength));
        this.arena = next;
      }
      const from = this.arenaLength;
      for (let i = 0; i < len; i++) this.arena[from + i] = buf[start + i]!;
      this.arenaLength += len;
      log[at++] = h;
      log[at++] = len;
      log[at++] = from;
      log[at++] = 0;
      log[at++] = 0;
      log[at] = 0;
    }
    return this.length++;
  }

  /** Interns every logged key; the distinct keys are decoded later, once the encoding is known. Frees the log. */
  finish(): KeyCodes {
    const n = this.length;
    const log = this.log;
    // 1. scatter the records (with their entry index) into partitions by the top bits of the hash,
    // so that each partition is then read sequentially
    const counts = new Int32Array(PARTITIONS + 1);
    for (let e = 0; e < n; e++) counts[(log[e * RECORD]! >>> (32 - PARTITION_BITS)) + 1]!++;
    for (let p = 0; p < PARTITIONS; p++) counts[p + 1]! += counts[p]!;
    const fill = counts.slice(0, PARTITIONS);
    const W = RECORD + 1;
    const parts = new Int32Array(n * W);
    for (let e = 0; e < n; e++) {
      const r = e * RECORD;
      let to = fill[log[r]! >>> (32 - PARTITION_BITS)]!++ * W;
      for (let k = 0; k < RECORD; k++) parts[to++] = log[r + k]!;
      parts[to] = e;
    }
    this.log = new Int32Array(0);
    // 2. intern each partition with a table and a key store small enough to stay in cache
    const codes = new Int32Array(n);
    const distinct: Int32Array[] = [];
    let total = 0;
    let table = new Int32Array(64);
    let keys = new Int32Array(64 * RECORD);
    for (let p = 0; p < PARTITIONS; p++) {
      const a = counts[p]!;
      const b = counts[p + 1]!;
      if (a === b) continue;
      let size = 64;
      while (size < (b - a) * 2) size *= 2;
      if (table.length < size) table = new Int32Array(size);
      else table.fill(0, 0, size);
      if (keys.length < (b - a) * RECORD) keys = new Int32Array((b - a) * RECORD);
      const mask = size - 1;
      let local = 0;
      for (let k = a; k < b; k++) {
        const r = k * W;
        const h = parts[r]!;
        const len = parts[r + 1]!;
        let slot = h & mask;
        let code = -1;
        for (;;) {
          const c1 = table[slot]!;
          if (c1 === 0) break;
          const q = (c1 - 1) * RECORD;
          if (keys[q] === h && keys[q + 1] === len && this.sameWords(parts, r, keys, q, len)) {
            code = c1 - 1;
            break;
          }
          slot = (slot + 1) & mask;
        }
        if (code < 0) {
          code = local++;
          const q = code * RECORD;
          for (let w = 0; w < RECORD; w++) keys[q + w] = parts[r + w]!;
          table[slot] = code + 1;
        }
        codes[parts[r + RECORD]!] = total + code;
      }
      distinct.push(keys.slice(0, local * RECORD));
      total += local;
    }
    // 3. renumber codes by first appearance (so codes follow the order of the rows, which keeps later
    // passes over "all rows of code c" close to sequential), then copy the distinct keys in that order
    // into one byte arena
    const all = new Int32Array(total * RECORD);
    let filled = 0;
    for (const block of distinct) {
      all.set(block, filled);
      filled += block.length;
    }
    const renumber = new Int32Array(total).fill(-1);
    const original = new Int32Array(total);
    let next = 0;
    for (let e = 0; e < n; e++) {
      const c = codes[e]!;
      let r = renumber[c]!;
      if (r < 0) {
        r = next++;
        renumber[c] = r;
        original[r] = c;
      }
      codes[e] = r;
    }
    let bytesTotal = 0;
    for (let c = 0; c < total; c++) bytesTotal += all[c * RECORD + 1]!;
    const text = new Uint8Array(bytesTotal);
    const offsets = new Int32Array(total + 1);
    let at = 0;
    let bits = 0;
    for (let code = 0; code < total; code++) {
      const q = original[code]! * RECORD;
      offsets[code] = at;
      const len = all[q + 1]!;
      if (len > INLINE) {
        const from = all[q + 2]!;
        for (let i = 0; i < len; i++) bits |= text[at + i] = this.arena[from + i]!;
      } else {
        for (let i = 0; i < len; i++) bits |= text[at + i] = (all[q + 2 + (i >> 2)]! >>> ((i & 3) * 8)) & 0xff;
      }
      at += len;
    }
    offsets[total] = at;
    let invalidUtf8 = false;
    if (bits >= 0x80) {
      for (let c = 0; c < total && !invalidUtf8; c++) if (!isValidUtf8(text, offsets[c]!, offsets[c + 1]!)) invalidUtf8 = true;
    }
    this.arena = new Uint8Array(0);
    this.length = 0;
    const ascii = bits < 0x80;
    return {
      codes,
      count: total,
      invalidUtf8,
      decode(encoding: SourceEncoding): string[] {
        const values = new Array<string>(total);
        if (ascii) {
          const all = decodeBytes(text, 'utf-8');
          for (let c = 0; c < total; c++) values[c] = all.slice(offsets[c]!, offsets[c + 1]!);
        } else {
          for (let c = 0; c < total; c++) values[c] = decodeBytes(text.subarray(offsets[c]!, offsets[c + 1]!), encoding);
        }
        return values;
      },
    };
  }

  /** Whether record `r` of `a` and record `q` of `b` (same hash and length) hold the same key. */
  private sameWords(a: Int32Array, r: number, b: Int32Array, q: number, len: number): boolean {
    if (len <= INLINE) return a[r + 2] === b[q + 2] && a[r + 3] === b[q + 3] && a[r + 4] === b[q + 4] && a[r + 5] === b[q + 5];
    const x = a[r + 2]!;
    const y = b[q + 2]!;
    for (let i = 0; i < len; i++) if (this.arena[x + i] !== this.arena[y + i]) return false;
    return true;
  }

  private grow(words: number): void {
    const next = new Int32Array(words);
    next.set(this.log.subarray(0, this.length * RECORD));
    this.log = next;
  }
}
