/**
 * Numbers straight from bytes.
 *
 * The fast path reads `[-+]digits[.digits]` into an integer mantissa and divides once by a power of
 * ten. With at most 15 significant digits and 22 fraction digits both operands are exact doubles, so the
 * single correctly rounded division gives exactly what `parseFloat` gives (Clinger's fast path). Longer
 * or exponent forms go through `Number()` on a validated ASCII string.
 *
 * Money columns additionally accept a currency symbol or code before or after the number, thousands
 * separators in their proper places, and accounting parentheses for negatives. Hex, `Infinity`, `NaN`
 * and empty strings are never numbers.
 */
import type { RejectReason } from '../../src/core/report.js';

const POW10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10.push(p);

const DOT = 46;
const COMMA = 44;
const MINUS = 45;
const PLUS = 43;

/** How a number column reads its values. */
export class NumberReader {
  /** Reason of the last failure. */
  error: RejectReason = 'bad-number';
  /** Values read with thousands separators (1,234.50). */
  groupedCount = 0;
  groupedExample = '';
  /** Values rejected for looking like the other decimal separator. */
  separatorCount = 0;
  separatorExample = '';
  private readonly dec: number;
  private readonly group: number;
  private readonly money: boolean;

  /**
   * @param decimal decimal separator of text values
   * @param money whether currency symbols and thousands separators are allowed
   */
  constructor(decimal: '.' | ',', money: boolean) {
    this.dec = decimal === ',' ? COMMA : DOT;
    this.group = decimal === ',' ? DOT : COMMA;
    this.money = money;
  }

  /**
   * The number in `buf[start..end)` (already trimmed and non-empty), or NaN with `error` set.
   * `jsonNumber` marks a JSON number literal, which always uses `.`.
   */
  read(buf: Uint8Array, start: number, end: number, jsonNumber: boolean): number {
    const dec = jsonNumber ? DOT : this.dec;
    let i = start;
    let neg = false;
    const c0 = buf[i]!;
    if (c0 === MINUS) {
      neg = true;
      i++;
    } else if (c0 === PLUS) {
      i++;
    }
    let mant = 0;
    let digits = 0;
    let frac = 0;
    let sawDigit = false;
    let sawDot = false;
    for (; i < end; i++) {
      const c = buf[i]!;
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        sawDigit = true;
        if (mant === 0 && d === 0) {
          if (sawDot) frac++;
          continue;
        }
        mant = mant * 10 + d;
        digits++;
        if (sawDot) frac++;
      } else if (c === dec && !sawDot) {
        sawDot = true;
      } else {
        break;
      }
    }
    if (i === end && sawDigit) {
      if (digits <= 15 && frac <= 22) {
        const v = frac === 0 ? mant : mant / POW10[frac]!;
        return neg ? -v : v;
      }
      return this.viaString(buf, start, end, dec);
    }
    if (jsonNumber) return this.viaString(buf, start, end, DOT);
    return this.slow(buf, start, end, dec);
  }

  private slow(buf: Uint8Array, start: number, end: number, dec: number): number {
    // Exponent forms (1.5E+3, as Excel writes large values).
    if (isExponentForm(buf, start, end, dec)) return this.viaString(buf, start, end, dec);
    if (this.money) {
      const v = this.readMoney(buf, start, end, dec);
      if (!Number.isNaN(v)) return v;
      if (this.error === 'decimal-separator') return v;
    }
    if (looksLikeOtherSeparator(buf, start, end, dec)) return this.separatorError(buf, start, end);
    this.error = 'bad-number';
    return Number.NaN;
  }

  private separatorError(buf: Uint8Array, start: number, end: number): number {
    this.error = 'decimal-separator';
    if (this.separatorCount++ === 0) this.separatorExample = latin1(buf, start, end);
    return Number.NaN;
  }

  private viaString(buf: Uint8Array, start: number, end: number, dec: number): number {
    let text = '';
    for (let i = start; i < end; i++) {
      const c = buf[i]!;
      text += c === dec ? '.' : String.fromCharCode(c);
    }
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
      this.error = 'bad-number';
      return Number.NaN;
    }
    const v = Number(text);
    if (!Number.isFinite(v)) {
      this.error = 'bad-number';
      return Number.NaN;
    }
    return v;
  }

  private readMoney(buf: Uint8Array, start: number, end: number, dec: number): number {
    this.error = 'bad-number';
    let s = start;
    let e = end;
    let neg = false;
    if (buf[s] === 40 /* ( */ && buf[e - 1] === 41 /* ) */) {
      neg = true;
      s = skipSpaces(buf, s + 1, e - 1);
      e = trimSpacesEnd(buf, s, e - 1);
    }
    let signSeen = neg;
    if (buf[s] === MINUS || buf[s] === PLUS) {
      if (signSeen) return Number.NaN;
      neg = buf[s] === MINUS;
      signSeen = true;
      s = skipSpaces(buf, s + 1, e);
    }
    const afterPrefix = skipCurrency(buf, s, e);
    if (afterPrefix !== s) {
      s = skipSpaces(buf, afterPrefix, e);
      if (buf[s] === MINUS || buf[s] === PLUS) {
        if (signSeen) return Number.NaN;
        neg = buf[s] === MINUS;
        signSeen = true;
        s = skipSpaces(buf, s + 1, e);
      }
    }
    const beforeSuffix = skipCurrencyEnd(buf, s, e);
    if (beforeSuffix !== e) e = trimSpacesEnd(buf, s, beforeSuffix);
    if (s >= e) return Number.NaN;
    // digits with optional grouping, then an optional fraction
    let i = s;
    let mant = 0;
    let digits = 0;
    let frac = 0;
    let firstGroup = 0;
    while (i < e && isDigit(buf[i]!)) {
      ({ mant, digits } = accumulate(mant, digits, buf[i]! - 48));
      firstGroup++;
      i++;
    }
    let grouped = false;
    let sepStart = -1;
    let sepLen = 0;
    while (i < e) {
      const len = groupSeparatorLength(buf, i, e, this.group, dec);
      if (len === 0) break;
      if (sepStart === -1) {
        sepStart = i;
        sepLen = len;
      } else if (len !== sepLen || !sameBytes(buf, sepStart, i, len)) {
        return Number.NaN;
      }
      let run = 0;
      let j = i + len;
      while (j < e && isDigit(buf[j]!)) {
        ({ mant, digits } = accumulate(mant, digits, buf[j]! - 48));
        run++;
        j++;
      }
      if (run !== 3 || firstGroup === 0 || firstGroup > 3) {
        // "12,50" with decimal "." is a decimal comma, not a thousands separator.
        if (buf[i] === this.group && run > 0 && run !== 3 && j === e && !grouped) {
          return this.separatorError(buf, start, end);
        }
        return Number.NaN;
      }
      grouped = true;
      i = j;
    }
    let sawFraction = false;
    if (i < e && buf[i] === dec) {
      sawFraction = true;
      i++;
      while (i < e && isDigit(buf[i]!)) {
        ({ mant, digits } = accumulate(mant, digits, buf[i]! - 48));
        frac++;
        i++;
      }
    }
    if (i !== e || (firstGroup === 0 && frac === 0)) {
      if (i < e && buf[i] === this.group && !grouped && !sawFraction) {
        return this.separatorError(buf, start, end);
      }
      return Number.NaN;
    }
    if (grouped && this.groupedCount++ === 0) this.groupedExample = latin1(buf, start, end);
    let v: number;
    if (digits <= 15 && frac <= 22) {
      v = frac === 0 ? mant : mant / POW10[frac]!;
    } else {
      let text = '';
      for (let k = s; k < e; k++) {
        const c = buf[k]!;
        if (isDigit(c)) text += String.fromCharCode(c);
        else if (c === dec) text += '.';
      }
      v = Number(text);
    }
    return neg ? -v : v;
  }
}

function accumulate(mant: number, digits: number, d: number): { mant: number; digits: number } {
  if (mant === 0 && d === 0) return { mant, digits };
  return { mant: mant * 10 + d, digits: digits + 1 };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isExponentForm(buf: Uint8Array, start: number, end: number, dec: number): boolean {
  let sawE = false;
  let sawDigit = false;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (isDigit(c)) sawDigit = true;
    else if ((c === 101 || c === 69) && sawDigit && !sawE) sawE = true;
    else if ((c === MINUS || c === PLUS) && (i === start || buf[i - 1] === 101 || buf[i - 1] === 69)) continue;
    else if (c !== dec) return false;
  }
  return sawE;
}

function looksLikeOtherSeparator(buf: Uint8Array, start: number, end: number, dec: number): boolean {
  const other = dec === DOT ? COMMA : DOT;
  let i = start;
  if (buf[i] === MINUS || buf[i] === PLUS) i++;
  let before = 0;
  while (i < end && isDigit(buf[i]!)) {
    i++;
    before++;
  }
  if (before === 0 || i >= end || buf[i] !== other) return false;
  i++;
  let after = 0;
  while (i < end && isDigit(buf[i]!)) {
    i++;
    after++;
  }
  return i === end && after > 0;
}

function skipSpaces(buf: Uint8Array, i: number, end: number): number {
  for (;;) {
    if (i >= end) return i;
    const c = buf[i]!;
    if (c === 32 || c === 9 || c === 0xa0) i++;
    else if (c === 0xc2 && buf[i + 1] === 0xa0) i += 2;
    else return i;
  }
}

function trimSpacesEnd(buf: Uint8Array, start: number, end: number): number {
  for (;;) {
    if (end <= start) return end;
    const c = buf[end - 1]!;
    if (c === 32 || c === 9) end--;
    else if (c === 0xa0) end -= end - 2 >= start && buf[end - 2] === 0xc2 ? 2 : 1;
    else return end;
  }
}

/** Length of a currency symbol sequence at `i`, or 0. Covers UTF-8 and windows-1252 bytes. */
function currencySymbolLength(buf: Uint8Array, i: number, end: number): number {
  const c = buf[i]!;
  if (c === 36 /* $ */) return 1;
  if (c === 0x80 || c === 0xa3 || c === 0xa5 || c === 0xa2) return 1; // windows-1252 € £ ¥ ¢
  if (c === 0xc2 && i + 1 < end) {
    const d = buf[i + 1]!;
    if (d === 0xa3 || d === 0xa5 || d === 0xa2) return 2; // £ ¥ ¢
  }
  if (c === 0xe2 && i + 2 < end && buf[i + 1] === 0x82) {
    const d = buf[i + 2]!;
    if (d >= 0xa0 && d <= 0xbf) return 3; // currency symbols block U+20A0..U+20BF (€ ₹ ₩ ₺ ₽ ₪ ...)
  }
  if (c === 0xe0 && i + 2 < end && buf[i + 1] === 0xb8 && buf[i + 2] === 0xbf) return 3; // ฿
  return 0;
}

function isLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Whether letters around a currency symbol form a currency token: a three-letter ISO code (`EUR`),
 * a country prefix on a symbol (`US$`, `R$`, `HK$`), or the Nordic `kr`. Anything else (`12abc`) is not.
 */
function isCurrencyToken(letters: string, symbols: number): boolean {
  if (letters === '') return symbols > 0;
  if (letters === 'kr' || letters === 'Kr' || letters === 'KR') return symbols === 0;
  if (!/^[A-Z]+$/.test(letters)) return false;
  return symbols > 0 ? letters.length <= 3 : letters.length === 3;
}

/** Index after a leading currency token (`$`, `€`, `EUR`, `US$`, `kr`), or `start`. */
function skipCurrency(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let letters = '';
  let symbols = 0;
  for (;;) {
    if (i >= end) break;
    const len = currencySymbolLength(buf, i, end);
    if (len > 0) {
      symbols++;
      i += len;
    } else if (isLetter(buf[i]!) && letters.length < 4 && symbols === 0) {
      letters += String.fromCharCode(buf[i]!);
      i++;
    } else {
      break;
    }
  }
  return i !== start && isCurrencyToken(letters, symbols) ? i : start;
}

/** Index where a trailing currency token begins, or `end`. */
function skipCurrencyEnd(buf: Uint8Array, start: number, end: number): number {
  let i = end;
  let letters = '';
  let symbols = 0;
  for (;;) {
    if (i <= start) break;
    const c = buf[i - 1]!;
    if (isLetter(c) && letters.length < 4) {
      letters = String.fromCharCode(c) + letters;
      i--;
      continue;
    }
    let matched = 0;
    for (const len of [1, 2, 3]) {
      if (i - len >= start && currencySymbolLength(buf, i - len, end) === len) {
        matched = len;
        break;
      }
    }
    if (matched === 0) break;
    symbols++;
    i -= matched;
  }
  if (i === end) return end;
  // Require a space or a symbol between the number and a letter code ("12 EUR", "12€"), so "12abc" fails.
  if (letters !== '' && symbols === 0 && i > start && isDigit(buf[i - 1]!)) return end;
  return isCurrencyToken(letters, symbols) ? i : end;
}

/** Length of a thousands separator at `i` (the group character, a space, NBSP, thin space or apostrophe). */
function groupSeparatorLength(buf: Uint8Array, i: number, end: number, group: number, dec: number): number {
  const c = buf[i]!;
  if (c === dec) return 0;
  if (c === group || c === 32 || c === 39 /* ' */ || c === 0xa0) return 1;
  if (c === 0xc2 && i + 1 < end && buf[i + 1] === 0xa0) return 2;
  if (c === 0xe2 && i + 2 < end && buf[i + 1] === 0x80) {
    const d = buf[i + 2]!;
    if (d === 0x89 || d === 0xaf || d === 0x99) return 3; // thin space, narrow NBSP, right single quote
  }
  return 0;
}

function sameBytes(buf: Uint8Array, a: number, b: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (buf[a + k] !== buf[b + k]) return false;
  return true;
}

/** Bytes as a Latin-1 string (for examples in messages). */
export function latin1(buf: Uint8Array, start: number, end: number): string {
  let text = '';
  const stop = Math.min(end, start + 200);
  for (let i = start; i < stop; i++) text += String.fromCharCode(buf[i]!);
  return text;
}
