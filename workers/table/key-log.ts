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
 * Codes are numbered by first appearance, as a per-row dictionary would number them. With `byteOrder`,
 * numeric ids of one width (one prefix length and one digit count) are numbered in the byte order of
 * their text instead: integers give it for the price of a radix sort, and it spares the build its sort
 * of each table's customer strings (in Node at 1m, 50–100 ms less per table than decoding then
 * sorting them).
 *
 * Numeric ids: while every key is one of a few prefixes followed by up to 12 digits (`C02884329`,
 * `O00281091` and `R00617642`, `12345`), which is how most CRM exports write customer and order ids, an entry is
 * logged as two words (the digits' value and their count) instead of six, hashed and compared as
 * integers, and its text is written again from the number at the end. The first key that does not
 * fit converts the log to the general form, once. In Chromium at 1m this cut the key logs' share of
 * ingest (three id columns, 4M entries) from about 1.2 s to 0.75 s.
 */
import type { SourceEncoding } from '../../src/core/options.js';
import { isValidUtf8 } from '../ingest/encoding.js';
import { radixOrder } from './order.js';
import { hashLongKey, INLINE_KEY_BYTES, keyWords, packShortKey } from './keys.js';
import { compareByteRanges, keyCount, packKeys, unpackKeys, type PackedKeys } from './packed.js';

/** Int32 words per log record: hash, length, then four packed words (short keys) or the arena start. */
const RECORD = 6;
const INLINE = INLINE_KEY_BYTES;
const PARTITION_BITS = 8;
const PARTITIONS = 1 << PARTITION_BITS;
/** Int32 words per numeric entry, and the numeric form's limits (a value below 10^12 fits 40 bits). */
const NUMERIC = 2;
const MAX_DIGITS = 12;
const MAX_PREFIX = 8;
/** Distinct prefixes in the numeric form (orders `O…` and refunds `R…`, invoices and credit notes). */
const MAX_PREFIXES = 4;
/** Numeric classes (prefix index << 4 | digit count). */
const CLASSES = MAX_PREFIXES << 4;
/**
 * The dense path's budget: bits per logged entry, plus a floor, for the bitmap of the value ranges (a
 * quarter byte of bitmap and rank counts per bit, so at most 32 bytes per entry, what the hashed path
 * allocates too).
 */
const DENSE_BITS = 128;
const DENSE_FLOOR = 1 << 20;

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
  /** The distinct keys as UTF-8 bytes, by code (the log's own arena when the source is UTF-8 or ASCII). */
  pack(encoding: SourceEncoding): PackedKeys;
}

/** An append-only log of keys, interned in bulk by `finish`. */
export class KeyLog {
  private log: Int32Array;
  private length = 0;
  private arena: Uint8Array = new Uint8Array(1024);
  private arenaLength = 0;
  /** Numeric form: the prefixes seen so far; `general` once a key did not fit. */
  private readonly prefixes: Uint8Array[] = [];
  private general = false;
  /** Numeric entries: [low 32 bits of the value, (prefix << 12) | (digits << 8) | high bits of the value]. */
  private numbers: Int32Array;

  /** Whether `finish` numbers numeric ids of one width in byte order (see the header). */
  private readonly byteOrder: boolean;

  /**
   * `byteOrder` for keys that a build sorts (customer ids); order ids keep first appearance, which
   * nothing sorts and whose radix sort (680k keys at 1m) would only cost.
   */
  constructor(options: { capacity?: number; byteOrder?: boolean } = {}) {
    const capacity = options.capacity ?? 1024;
    this.byteOrder = options.byteOrder ?? false;
    this.numbers = new Int32Array(Math.max(16, capacity) * NUMERIC);
    this.log = new Int32Array(0);
  }

  /** Number of logged entries. */
  get size(): number {
    return this.length;
  }

  /** Makes room for `entries` entries in total. */
  reserve(entries: number): void {
    if (this.general) {
      if (entries * RECORD > this.log.length) this.grow(entries * RECORD);
    } else if (entries * NUMERIC > this.numbers.length) {
      this.growNumbers(entries * NUMERIC);
    }
  }

  /**
   * Appends the key `buf[start..end)`; returns its entry index (the code is known after `finish`). A
   * key equal to the previous one returns the previous entry instead of a new one.
   */
  intern(buf: Uint8Array, start: number, end: number): number {
    if (!this.general) {
      const entry = this.internNumeric(buf, start, end);
      if (entry >= 0) return entry;
      this.toGeneral();
    }
    return this.internGeneral(buf, start, end);
  }

  /** Logs a key of the numeric form; -1 when it does not have that form. */
  private internNumeric(buf: Uint8Array, start: number, end: number): number {
    // the prefix: the bytes before the first digit
    let p = start;
    while (p < end && (buf[p]! < 48 || buf[p]! > 57)) {
      p++;
      if (p - start > MAX_PREFIX) return -1;
    }
    const digits = end - p;
    if (digits < 1 || digits > MAX_DIGITS) return -1;
    const k = this.prefixIndex(buf, start, p);
    if (k < 0) return -1;
    let value = 0;
    for (let i = p; i < end; i++) {
      const d = buf[i]! - 48;
      if (d >>> 0 > 9) return -1;
      value = value * 10 + d;
    }
    const at = this.length * NUMERIC;
    if (at + NUMERIC > this.numbers.length) this.growNumbers(this.numbers.length * 2);
    // written past the last entry, and counted only when it is not the same key again
    const numbers = this.numbers;
    setNumeric(numbers, at, (k << 4) | digits, value);
    if (at > 0 && numbers[at - 2] === numbers[at] && numbers[at - 1] === numbers[at + 1]) return this.length - 1;
    return this.length++;
  }

  /** Index of the prefix `buf[start..end)` among the log's prefixes (added when new); -1 when there are too many. */
  private prefixIndex(buf: Uint8Array, start: number, end: number): number {
    const prefixes = this.prefixes;
    const len = end - start;
    for (let k = 0; k < prefixes.length; k++) {
      const prefix = prefixes[k]!;
      if (prefix.length !== len) continue;
      let same = true;
      for (let i = 0; i < len && same; i++) if (buf[start + i] !== prefix[i]) same = false;
      if (same) return k;
    }
    if (prefixes.length === MAX_PREFIXES) return -1;
    prefixes.push(buf.slice(start, end));
    return prefixes.length - 1;
  }

  /** Rewrites the numeric entries logged so far in the general form (entry indexes are kept). */
  private toGeneral(): void {
    this.general = true;
    const n = this.length;
    const numbers = this.numbers;
    this.numbers = new Int32Array(0);
    this.log = new Int32Array(Math.max(16, n * 2) * RECORD);
    this.length = 0;
    const key = new Uint8Array(MAX_PREFIX + MAX_DIGITS + 1);
    for (let e = 0; e < n; e++) {
      const len = writeNumericKey(this.prefixes, numbers[e * NUMERIC]!, numbers[e * NUMERIC + 1]!, key, 0);
      this.append(key, 0, len);
    }
  }

  private internGeneral(buf: Uint8Array, start: number, end: number): number {
    return this.append(buf, start, end, true);
  }

  /** Logs a key in the general form; with `repeats`, a key equal to the previous entry reuses it. */
  private append(buf: Uint8Array, start: number, end: number, repeats = false): number {
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
      if (at > 0 && repeats) {
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
    return this.general ? this.finishGeneral() : this.finishNumeric();
  }

  private finishNumeric(): KeyCodes {
    const dense = this.finishDense();
    if (dense !== null) return dense;
    const n = this.length;
    const numbers = this.numbers;
    // as finishGeneral, with four-word records (value low, value high and digits, entry, hash): the
    // hash travels with the record, as a read of it by entry would miss the cache once per entry
    const counts = new Int32Array(PARTITIONS + 1);
    const hashes = new Int32Array(n);
    for (let e = 0; e < n; e++) {
      const h = hashNumber(numbers[e * NUMERIC]!, numbers[e * NUMERIC + 1]!);
      hashes[e] = h;
      counts[(h >>> (32 - PARTITION_BITS)) + 1]!++;
    }
    for (let p = 0; p < PARTITIONS; p++) counts[p + 1]! += counts[p]!;
    const fill = counts.slice(0, PARTITIONS);
    const W = 4;
    const parts = new Int32Array(n * W);
    for (let e = 0; e < n; e++) {
      const h = hashes[e]!;
      let to = fill[h >>> (32 - PARTITION_BITS)]!++ * W;
      parts[to++] = numbers[e * NUMERIC]!;
      parts[to++] = numbers[e * NUMERIC + 1]!;
      parts[to++] = e;
      parts[to] = h;
    }
    this.numbers = new Int32Array(0);
    const codes = new Int32Array(n);
    const distinct = new Int32Array(n * NUMERIC);
    let total = 0;
    let table = new Int32Array(64);
    for (let p = 0; p < PARTITIONS; p++) {
      const a = counts[p]!;
      const b = counts[p + 1]!;
      if (a === b) continue;
      table = clearedTable(table, b - a);
      const mask = slotsFor(b - a) - 1;
      const base = total;
      for (let k = a; k < b; k++) {
        const r = k * W;
        const lo = parts[r]!;
        const hi = parts[r + 1]!;
        let slot = parts[r + 3]! & mask;
        let code = -1;
        for (;;) {
          const c1 = table[slot]!;
          if (c1 === 0) break;
          const q = (base + c1 - 1) * NUMERIC;
          if (distinct[q] === lo && distinct[q + 1] === hi) {
            code = base + c1 - 1;
            break;
          }
          slot = (slot + 1) & mask;
        }
        if (code < 0) {
          code = total++;
          distinct[code * NUMERIC] = lo;
          distinct[code * NUMERIC + 1] = hi;
          table[slot] = code - base + 1;
        }
        codes[parts[r + 2]!] = code;
      }
    }
    this.length = 0;
    return numericKeyCodes(this.prefixes, codes, distinct, total, renumber(codes, total, this.byteOrder ? numericByteOrder(this.prefixes, distinct, total) : null));
  }

  /**
   * Numeric ids whose values lie in narrow ranges (sequential order ids, customer ids drawn from a few
   * million numbers), interned without hashing: one bit per possible value of each (prefix, digit count)
   * class, set for the values present; a key's provisional code is the number of set bits before its
   * own (a rank), so codes come out in (class, value) order, which is the byte order when every key has
   * one prefix length and one digit count. Null when the ranges would take more than `DENSE_BITS` bits
   * per entry; the hashed path then interns them.
   *
   * In a Node profile of the 1M orders' parse, the two id columns' finish took about 26 ms of self time
   * this way against 48 ms hashed (with the customer ids' radix sort, which this spares).
   */
  private finishDense(): KeyCodes | null {
    const n = this.length;
    const numbers = this.numbers;
    if (n === 0) return null;
    // each class's least and greatest value (a class is prefix index << 4 | digit count)
    const min = new Float64Array(CLASSES).fill(Infinity);
    const max = new Float64Array(CLASSES).fill(-1);
    for (let e = 0; e < n; e++) {
      const hi = numbers[e * NUMERIC + 1]!;
      const c = hi >>> 8;
      const v = numericValue(numbers[e * NUMERIC]!, hi);
      if (v < min[c]!) min[c] = v;
      if (v > max[c]!) max[c] = v;
    }
    const prefixes = this.prefixes;
    const present: number[] = [];
    for (let c = 0; c < CLASSES; c++) if (max[c]! >= 0) present.push(c);
    // byte order: one prefix length and one digit count, the classes then in their prefixes' byte order
    const inByteOrder =
      this.byteOrder &&
      present.length > 0 &&
      prefixes.every((p) => p.length === prefixes[0]!.length) &&
      present.every((c) => (c & 0xf) === (present[0]! & 0xf));
    if (inByteOrder) present.sort((a, b) => compareByteRanges(prefixes[a >>> 4]!, 0, prefixes[a >>> 4]!.length, prefixes[b >>> 4]!, 0, prefixes[b >>> 4]!.length));
    const start = new Float64Array(CLASSES);
    let bits = 0;
    for (const c of present) {
      start[c] = bits;
      bits += max[c]! - min[c]! + 1;
    }
    if (bits > DENSE_BITS * n + DENSE_FLOOR || bits >= 2 ** 31) return null;
    const words = Math.ceil(bits / 32);
    const bitmap = new Int32Array(words);
    // each entry's bit, kept in `codes` until its rank replaces it
    const codes = new Int32Array(n);
    for (let e = 0; e < n; e++) {
      const hi = numbers[e * NUMERIC + 1]!;
      const c = hi >>> 8;
      const bit = start[c]! + (numericValue(numbers[e * NUMERIC]!, hi) - min[c]!);
      codes[e] = bit;
      bitmap[bit >>> 5]! |= 1 << (bit & 31);
    }
    this.numbers = new Int32Array(0);
    this.length = 0;
    // set bits before each word, then each distinct value by rank
    const before = new Int32Array(words);
    let total = 0;
    for (let w = 0; w < words; w++) {
      before[w] = total;
      total += popcount(bitmap[w]!);
    }
    if (!inByteOrder && total === n) {
      // every entry a different key (order ids, whose line items share one entry): the codes by first
      // appearance are the entries' own indexes, and the log holds their keys in that order (written
      // from the values in rank order instead, through the renumbering, the 681k order ids of the 1M
      // orders cost about 55 ms of cache misses in Node)
      for (let e = 0; e < n; e++) codes[e] = e;
      return numericKeyCodes(prefixes, codes, numbers, total, null);
    }
    for (let e = 0; e < n; e++) {
      const bit = codes[e]!;
      codes[e] = before[bit >>> 5]! + popcount(bitmap[bit >>> 5]! & ((1 << (bit & 31)) - 1));
    }
    const distinct = new Int32Array(total * NUMERIC);
    let code = 0;
    for (const c of present) {
      const from = start[c]!;
      const to = from + (max[c]! - min[c]!);
      const base = min[c]! - from;
      for (let w = Math.floor(from / 32); w <= Math.floor(to / 32); w++) {
        let word = bitmap[w]!;
        // the class's own bits of a word it shares with its neighbours
        if (w * 32 < from) word &= -1 << (from - w * 32);
        if (w * 32 + 31 > to) word &= (1 << (to - w * 32 + 1)) - 1;
        while (word !== 0) {
          const low = word & -word;
          setNumeric(distinct, code * NUMERIC, c, base + w * 32 + (31 - Math.clz32(low)));
          code++;
          word ^= low;
        }
      }
    }
    return numericKeyCodes(prefixes, codes, distinct, total, inByteOrder ? null : renumber(codes, total, null));
  }

  private finishGeneral(): KeyCodes {
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
      table = clearedTable(table, b - a);
      if (keys.length < (b - a) * RECORD) keys = new Int32Array((b - a) * RECORD);
      const mask = slotsFor(b - a) - 1;
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
    const all = new Int32Array(total * RECORD);
    let filled = 0;
    for (const block of distinct) {
      all.set(block, filled);
      filled += block.length;
    }
    const arena = this.arena;
    this.arena = new Uint8Array(0);
    this.length = 0;
    return keyCodes(codes, renumber(codes, total, null), (code) => all[code * RECORD + 1]!, (code, text, at) => {
      const q = code * RECORD;
      const len = all[q + 1]!;
      let bits = 0;
      if (len > INLINE) {
        const from = all[q + 2]!;
        for (let i = 0; i < len; i++) bits |= text[at + i] = arena[from + i]!;
      } else {
        for (let i = 0; i < len; i++) bits |= text[at + i] = (all[q + 2 + (i >> 2)]! >>> ((i & 3) * 8)) & 0xff;
      }
      return bits;
    });
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

  private growNumbers(words: number): void {
    const next = new Int32Array(words);
    next.set(this.numbers.subarray(0, this.length * NUMERIC));
    this.numbers = next;
  }
}

/**
 * Renumbers provisional codes in place: in `order` (provisional codes in their final order) when
 * given, else by first appearance (so codes follow the order of the rows). Returns the provisional code
 * of each final code.
 */
function renumber(codes: Int32Array, total: number, order: Int32Array | null): Int32Array {
  const n = codes.length;
  if (order !== null) {
    const final = new Int32Array(total);
    for (let r = 0; r < total; r++) final[order[r]!] = r;
    for (let e = 0; e < n; e++) codes[e] = final[codes[e]!]!;
    return order;
  }
  const final = new Int32Array(total).fill(-1);
  const original = new Int32Array(total);
  let next = 0;
  for (let e = 0; e < n; e++) {
    const c = codes[e]!;
    let r = final[c]!;
    if (r < 0) {
      r = next++;
      final[c] = r;
      original[r] = c;
    }
    codes[e] = r;
  }
  return original;
}

/**
 * The finished codes with the distinct keys copied, in final code order, into one byte arena
 * (`original` gives each final code's provisional one). `length(c)` and `write(c, text, at)` give
 * provisional code c's key bytes; `write` returns the OR of the bytes it wrote (for the ASCII check).
 */
function keyCodes(
  codes: Int32Array,
  original: Int32Array,
  length: (code: number) => number,
  write: (code: number, text: Uint8Array, at: number) => number,
): KeyCodes {
  const total = original.length;
  let bytesTotal = 0;
  for (let c = 0; c < total; c++) bytesTotal += length(c);
  const text = new Uint8Array(bytesTotal);
  const offsets = new Int32Array(total + 1);
  let at = 0;
  let bits = 0;
  for (let code = 0; code < total; code++) {
    const c = original[code]!;
    offsets[code] = at;
    bits |= write(c, text, at);
    at += length(c);
  }
  offsets[total] = at;
  return finishedCodes(codes, text, offsets, bits);
}

/** The `KeyCodes` of coded entries and their distinct keys' bytes (`bits`: the OR of those bytes). */
function finishedCodes(codes: Int32Array, text: Uint8Array, offsets: Int32Array, bits: number): KeyCodes {
  const total = offsets.length - 1;
  let invalidUtf8 = false;
  if (bits >= 0x80) {
    for (let c = 0; c < total && !invalidUtf8; c++) if (!isValidUtf8(text, offsets[c]!, offsets[c + 1]!)) invalidUtf8 = true;
  }
  const ascii = bits < 0x80;
  return {
    codes,
    count: total,
    invalidUtf8,
    decode(encoding: SourceEncoding): string[] {
      return unpackKeys({ bytes: text, offsets }, encoding, ascii);
    },
    pack(encoding: SourceEncoding): PackedKeys {
      return ascii || encoding === 'utf-8' ? { bytes: text, offsets } : packKeys(this.decode(encoding));
    },
  };
}

/**
 * `keyCodes` of numeric entries (`total` distinct keys), their text written from the numbers in one
 * loop: final code r's key is at `values[2 × original[r]]` (value words as the log holds them), or at
 * `values[2 × r]` without `original`.
 */
function numericKeyCodes(prefixes: readonly Uint8Array[], codes: Int32Array, values: Int32Array, total: number, original: Int32Array | null): KeyCodes {
  let prefixBits = 0;
  for (const prefix of prefixes) for (const b of prefix) prefixBits |= b;
  // each class's key length (prefix bytes + digits)
  const lengths = new Int32Array(CLASSES);
  for (let c = 0; c < CLASSES; c++) lengths[c] = (prefixes[c >>> 4]?.length ?? 0) + (c & 0xf);
  let bytesTotal = 0;
  for (let r = 0; r < total; r++) bytesTotal += lengths[values[(original === null ? r : original[r]!) * NUMERIC + 1]! >>> 8]!;
  const text = new Uint8Array(bytesTotal);
  const offsets = new Int32Array(total + 1);
  let at = 0;
  for (let r = 0; r < total; r++) {
    const q = (original === null ? r : original[r]!) * NUMERIC;
    offsets[r] = at;
    at += writeNumericKey(prefixes, values[q]!, values[q + 1]!, text, at);
  }
  offsets[total] = at;
  return finishedCodes(codes, text, offsets, prefixBits);
}

/** A numeric entry's value from its two words: the low 32 bits, and the 8 bits above them in `hi`. */
function numericValue(lo: number, hi: number): number {
  return (hi & 0xff) * 4294967296 + (lo >>> 0);
}

/**
 * Writes a numeric entry at `out[at]`: the value's low 32 bits, then its class (prefix index << 4 |
 * digit count) << 8 with the value's bits above 32 (`numericValue` reads it back).
 */
function setNumeric(out: Int32Array, at: number, c: number, value: number): void {
  // most ids are below 2^32: no division then
  const high = value < 4294967296 ? 0 : Math.floor(value / 4294967296);
  out[at] = value - high * 4294967296;
  out[at + 1] = (c << 8) | high;
}

/** Set bits of a 32-bit word. */
function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

/**
 * The distinct numeric keys' provisional codes in the byte order of their text, when integers give it
 * cheaply: every prefix of one length and every key of one digit count (`C02884329`, `O…` and `R…`),
 * so the text orders as (prefix, value). Null otherwise (the codes then follow first appearance).
 *
 * A dataset's build sorts each table's customer dictionary by code point; numbered this way, the sort
 * finds it in order and skips the radix sort of 200k strings. The keys are ordered by `radixOrder`.
 */
function numericByteOrder(prefixes: readonly Uint8Array[], distinct: Int32Array, total: number): Int32Array | null {
  if (total < 2) return null;
  const width = prefixes[0]!.length;
  if (prefixes.some((p) => p.length !== width)) return null;
  const digits = distinct[1]! & 0xf00;
  for (let c = 1; c < total; c++) if ((distinct[c * NUMERIC + 1]! & 0xf00) !== digits) return null;
  // the key of a code: (prefix rank, value) as one whole number below 2^42, exact in a double
  const rank = prefixes.map((p) => prefixes.filter((q) => compareByteRanges(q, 0, q.length, p, 0, p.length) < 0).length);
  const keys = new Float64Array(total);
  for (let c = 0; c < total; c++) {
    const hi = distinct[c * NUMERIC + 1]!;
    keys[c] = ((rank[hi >>> 12]! << 8) | (hi & 0xff)) * 4294967296 + (distinct[c * NUMERIC]! >>> 0);
  }
  return radixOrder(keys).slice(0, total);
}

/** Slots of a partition's open-addressing table: a power of two, at least twice the entries (and 64). */
function slotsFor(entries: number): number {
  let size = 64;
  while (size < entries * 2) size *= 2;
  return size;
}

/** `table` (or a larger one) with its first `slotsFor(entries)` slots zeroed, for the next partition. */
function clearedTable(table: Int32Array<ArrayBuffer>, entries: number): Int32Array<ArrayBuffer> {
  const size = slotsFor(entries);
  if (table.length < size) return new Int32Array(size);
  table.fill(0, 0, size);
  return table;
}

/** Hash of a numeric entry. */
function hashNumber(lo: number, hi: number): number {
  let h = Math.imul(lo, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ hi, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Writes a numeric entry's key (prefix, then the value zero-padded to its digits) at `at`; returns its length. */
function writeNumericKey(prefixes: readonly Uint8Array[], lo: number, hi: number, out: Uint8Array, at: number): number {
  const prefix = prefixes[hi >>> 12]!;
  const digits = (hi >>> 8) & 0xf;
  let value = numericValue(lo, hi);
  for (let i = 0; i < prefix.length; i++) out[at + i] = prefix[i]!;
  const end = at + prefix.length + digits;
  let i = end - 1;
  // above 2^31 in doubles, then in integers (most ids)
  for (; i >= at + prefix.length && value > 0x7fffffff; i--) {
    const q = Math.floor(value / 10);
    out[i] = 48 + (value - q * 10);
    value = q;
  }
  let v = value | 0;
  for (; i >= at + prefix.length; i--) {
    const q = (v / 10) | 0;
    out[i] = 48 + (v - q * 10);
    v = q;
  }
  return end - at;
}

/**
 * The union of several lists of distinct keys (order ids of several files), codes by first appearance,
 * list by list, with a remap per list; interned as bytes by a key log, never as strings. One list is
 * its own union.
 */
export function unionKeys(lists: readonly PackedKeys[]): { keys: PackedKeys; remaps: Int32Array[] } {
  if (lists.length === 1) {
    const identity = new Int32Array(keyCount(lists[0]!));
    for (let i = 0; i < identity.length; i++) identity[i] = i;
    return { keys: lists[0]!, remaps: [identity] };
  }
  const log = new KeyLog({ capacity: lists.reduce((n, list) => n + keyCount(list), 0) });
  // the log's entry of each key (a key equal to the one before it shares that entry), then its code
  const remaps = lists.map(({ bytes, offsets }) => {
    const entries = new Int32Array(offsets.length - 1);
    for (let i = 0; i < entries.length; i++) entries[i] = log.intern(bytes, offsets[i]!, offsets[i + 1]!);
    return entries;
  });
  const finished = log.finish();
  for (const remap of remaps) for (let i = 0; i < remap.length; i++) remap[i] = finished.codes[remap[i]!]!;
  return { keys: finished.pack('utf-8'), remaps };
}
