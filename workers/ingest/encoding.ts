/**
 * Text encodings.
 *
 * The parsers work on UTF-8-compatible bytes: every delimiter, quote, digit and newline is ASCII, so
 * UTF-8 and windows-1252 files are parsed byte for byte and only the strings that end up in
 * dictionaries are decoded, once the encoding is known. UTF-16 files (recognised by their byte-order mark
 * or their zero bytes) are transcoded to UTF-8 chunk by chunk.
 */
import { CrmError } from '../../src/core/errors.js';
import type { SourceEncoding } from '../../src/core/options.js';

const decoders = new Map<string, TextDecoder>();

function decoderFor(encoding: SourceEncoding): TextDecoder {
  let decoder = decoders.get(encoding);
  if (decoder === undefined) {
    decoder = new TextDecoder(encoding);
    decoders.set(encoding, decoder);
  }
  return decoder;
}

/** Decodes a complete byte string. */
export function decodeBytes(bytes: Uint8Array, encoding: SourceEncoding): string {
  if (bytes.length === 0) return '';
  if (bytes.length < 24 && encoding !== 'utf-16le' && encoding !== 'utf-16be') {
    let ascii = true;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  }
  return decoderFor(encoding === 'utf-16le' || encoding === 'utf-16be' ? 'utf-8' : encoding).decode(bytes);
}

/** Whether `bytes[start..end)` is well-formed UTF-8 (no overlongs, surrogates or values above U+10FFFF). */
export function isValidUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    let cp: number;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + need >= end) return false;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/** The encoding a byte-order mark announces, and its length. */
export function sniffBom(head: Uint8Array): { encoding: SourceEncoding; length: number } | null {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { encoding: 'utf-8', length: 3 };
  }
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return null;
}

/**
 * UTF-16 without a byte-order mark: text made of ASCII characters has a zero byte in every other
 * position. Returns the byte order when at least 40% of the first bytes' odd (LE) or even (BE) positions
 * are zero and the others are not.
 */
export function sniffUtf16(head: Uint8Array): SourceEncoding | null {
  const n = Math.min(head.length, 4096) & ~1;
  if (n < 4) return null;
  let zeroEven = 0;
  let zeroOdd = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) zeroEven++;
    if (head[i + 1] === 0) zeroOdd++;
  }
  const pairs = n / 2;
  if (zeroOdd >= pairs * 0.4 && zeroEven < pairs * 0.05) return 'utf-16le';
  if (zeroEven >= pairs * 0.4 && zeroOdd < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Turns the raw byte stream of a source into UTF-8-compatible bytes for the parsers: strips a BOM and
 * transcodes UTF-16. UTF-8 and windows-1252 pass through unchanged; which of the two it is gets decided
 * from the strings that are decoded (see `ByteDictionary`).
 */
export class InputDecoder {
  /** The encoding in force. For pass-through sources this is `utf-8` until windows-1252 is detected. */
  encoding: SourceEncoding = 'utf-8';
  /** Whether the source began with a byte-order mark. */
  bom = false;
  /** Whether the encoding was given by the caller. */
  readonly declared: boolean;
  private utf16: TextDecoder | null = null;
  private readonly encoder = new TextEncoder();
  private started = false;

  constructor(declared: SourceEncoding | 'auto' | undefined) {
    this.declared = declared !== undefined && declared !== 'auto';
    if (this.declared) this.encoding = declared as SourceEncoding;
  }

  /** Inspects the first bytes (at least a few KB when the source has them) and fixes the encoding. */
  start(head: Uint8Array): number {
    this.started = true;
    const bom = sniffBom(head);
    let skip = 0;
    if (bom !== null && (!this.declared || bom.encoding === this.encoding)) {
      this.bom = true;
      this.encoding = bom.encoding;
      skip = bom.length;
    } else if (!this.declared) {
      const utf16 = sniffUtf16(head);
      if (utf16 !== null) this.encoding = utf16;
    }
    if (this.encoding === 'utf-16le' || this.encoding === 'utf-16be') {
      this.utf16 = new TextDecoder(this.encoding, { fatal: true });
    }
    return skip;
  }

  /** Whether the parsers need transcoded bytes. */
  get transcodes(): boolean {
    return this.utf16 !== null;
  }

  /** Converts a chunk (after `start`) into parser bytes. */
  transform(chunk: Uint8Array, final: boolean): Uint8Array {
    if (!this.started) throw new Error('InputDecoder.transform before start');
    if (this.utf16 === null) return chunk;
    let text: string;
    try {
      text = this.utf16.decode(chunk, { stream: !final });
    } catch {
      throw new CrmError('encoding', `The file is not valid ${this.encoding.toUpperCase()}.`, {
        hint: 'Save the file as UTF-8 (in Excel: "CSV UTF-8"), or set encoding to the one it was saved in.',
      });
    }
    return this.encoder.encode(text);
  }
}
