/**
 * Packing and hashing of short keys (ids, channels, campaigns), shared by the per-row dictionary and
 * the bulk key log. A key of up to `INLINE_KEY_BYTES` bytes is held as four little-endian words, so
 * two keys compare with four integer comparisons and no byte arena.
 */

/** Keys up to this length are packed into words. */
export const INLINE_KEY_BYTES = 16;

/** The words of the last packed key: [w0, w1, w2, w3]. */
export const keyWords = new Int32Array(4);

/**
 * Packs `buf[start..end)` (at most 16 bytes) into `keyWords`, zero padded, and returns its hash.
 * The hash mixes the length too, so "a" and "a\0" differ.
 */
export function packShortKey(buf: Uint8Array, start: number, end: number): number {
  const len = end - start;
  let w0 = 0;
  let w1 = 0;
  let w2 = 0;
  let w3 = 0;
  let i = start;
  let shift = 0;
  const stop0 = start + (len < 4 ? len : 4);
  for (; i < stop0; i++, shift += 8) w0 |= buf[i]! << shift;
  if (len > 4) {
    shift = 0;
    const stop1 = start + (len < 8 ? len : 8);
    for (; i < stop1; i++, shift += 8) w1 |= buf[i]! << shift;
    if (len > 8) {
      shift = 0;
      const stop2 = start + (len < 12 ? len : 12);
      for (; i < stop2; i++, shift += 8) w2 |= buf[i]! << shift;
      if (len > 12) {
        shift = 0;
        for (; i < end; i++, shift += 8) w3 |= buf[i]! << shift;
      }
    }
  }
  keyWords[0] = w0;
  keyWords[1] = w1;
  keyWords[2] = w2;
  keyWords[3] = w3;
  let h = Math.imul(w0 ^ len, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ w1, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13) ^ w2, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16) ^ w3, 0x27d4eb2f);
  return h ^ (h >>> 15);
}

/** Hash of a key of any length (FNV-1a, finalised). */
export function hashLongKey(buf: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return h ^ (h >>> 15);
}
