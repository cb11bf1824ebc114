// JSON lines written straight to UTF-8 octets (the `decode` command's output): the same text as
// `JSON.stringify(value) + '\n'`, without building each line as a string first and encoding it again.
// On Node 20, JSON.stringify and the string → Buffer step took more than half of `decode`'s time.

import { HEX_DIGITS, writeIpv4, writeIpv6 } from '../net/address.js';

/** Octets gathered before they are handed to the sink. */
const CHUNK = 1 << 16;

/** Keys an object lists before all others, in ascending order (array indices). */
const INDEX_LIKE = /^(?:0|[1-9][0-9]*)$/;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The short escapes JSON.stringify writes for these control characters (RFC 8259 §7); others get \u00XX. */
const SHORT_ESCAPE: ReadonlyMap<number, number> = new Map([
  [0x08, 0x62], [0x09, 0x74], [0x0a, 0x6e], [0x0c, 0x66], [0x0d, 0x72],
]);

/**
 * Writes values as JSON lines into a reused buffer and hands full chunks to `sink` (which must
 * consume the octets before it returns). Plain objects, arrays, strings, finite and non-finite
 * numbers, booleans, null and undefined are written here; anything else (an object with `toJSON`, a
 * typed array, a Map, a bigint) is written by JSON.stringify. The one difference: a `toJSON` is
 * called with the key '' rather than its member's name (the decode lines hold no such objects).
 */
export class JsonLineWriter {
  #buf = Buffer.allocUnsafe(CHUNK);
  #n = 0;

  constructor(private readonly sink: (octets: Buffer) => void) {}

  /** Writes `JSON.stringify(value)` and a newline. */
  line(value: unknown): void {
    this.#value(value, false);
    this.endLine();
  }

  /**
   * Writes the line `JSON.stringify({ ...head, ...body })` (head's keys first, then body's), without
   * making the merged object. When a key of `body` is also one of `head` it falls back to the spread.
   */
  merged(head: Record<string, unknown>, body: object): void {
    const b = body as Record<string, unknown>;
    for (const k in b) {
      // A shared key, or an index-like one (a merged object would list it first): the spread's own order.
      if (Object.prototype.hasOwnProperty.call(head, k) || INDEX_LIKE.test(k)) { this.line({ ...head, ...body }); return; }
    }
    this.byte(0x7b);
    let first = true;
    first = this.#fields(head, first);
    this.#fields(b, first);
    this.byte(0x7d);
    this.endLine();
  }

  /** The newline after a line; whole lines are handed on once a chunk is nearly full. */
  endLine(): void {
    this.byte(0x0a);
    if (this.#n >= CHUNK - 4096) this.flush();
  }

  /** Hands what is gathered to the sink. */
  flush(): void {
    if (this.#n === 0) return;
    this.sink(this.#buf.subarray(0, this.#n));
    this.#n = 0;
  }

  // ---- Pieces of a line, for writers that know their line's shape (decode-line.ts). Each writes
  // exactly what JSON.stringify writes for the same value at that place; the caller writes the
  // punctuation and keys between them and ends the line with `endLine`.

  /** Octets that are already JSON text (keys and punctuation made once, ahead of time). */
  raw(octets: Uint8Array): void {
    const k = octets.length;
    this.#room(k);
    const buf = this.#buf;
    const n = this.#n;
    if (k > 16) buf.set(octets, n); // a copy in one call beats a loop from about 16 octets on
    else for (let i = 0; i < k; i++) buf[n + i] = octets[i];
    this.#n = n + k;
  }

  /** A member's value (undefined, functions and symbols are the caller's to leave out). */
  value(v: unknown): void {
    this.#value(v, false);
  }

  /** The string `toHex(b, s, n)` (lowercase, no separators), quoted. */
  hex(b: Uint8Array, s: number, n: number): void {
    this.#room(2 * n + 2);
    const buf = this.#buf;
    let at = this.#n;
    buf[at++] = QUOTE;
    for (let i = s; i < s + n; i++) {
      const v = b[i];
      buf[at++] = HEX_DIGITS[v >> 4];
      buf[at++] = HEX_DIGITS[v & 15];
    }
    buf[at++] = QUOTE;
    this.#n = at;
  }

  /** The string `colonHex(b, s, n)` (lowercase octets joined by ':'), quoted. */
  colonHex(b: Uint8Array, s: number, n: number): void {
    this.#room(3 * n + 2);
    const buf = this.#buf;
    let at = this.#n;
    buf[at++] = QUOTE;
    for (let i = s; i < s + n; i++) {
      if (i > s) buf[at++] = 0x3a;
      const v = b[i];
      buf[at++] = HEX_DIGITS[v >> 4];
      buf[at++] = HEX_DIGITS[v & 15];
    }
    buf[at++] = QUOTE;
    this.#n = at;
  }

  /** The string `formatIpv6(b, o)` (RFC 5952 text), quoted. */
  ipv6(b: Uint8Array, o: number): void {
    this.#room(41);
    const buf = this.#buf;
    buf[this.#n] = QUOTE;
    const end = writeIpv6(b, o, buf, this.#n + 1);
    buf[end] = QUOTE;
    this.#n = end + 1;
  }

  /** The string `formatIpv4(b, o)` (dotted quad), quoted. */
  ipv4(b: Uint8Array, o: number): void {
    this.#room(17);
    const buf = this.#buf;
    buf[this.#n] = QUOTE;
    const end = writeIpv4(b, o, buf, this.#n + 1);
    buf[end] = QUOTE;
    this.#n = end + 1;
  }

  #room(k: number): void {
    if (this.#n + k <= this.#buf.length) return;
    this.flush();
    if (k > this.#buf.length) this.#buf = Buffer.allocUnsafe(Math.max(k, 2 * this.#buf.length));
  }

  /** One octet of JSON punctuation (an ASCII character). */
  byte(c: number): void {
    if (this.#n === this.#buf.length) this.#room(1);
    this.#buf[this.#n++] = c;
  }

  /** An ASCII text without anything to escape (JSON punctuation, number texts). */
  #ascii(s: string): void {
    this.#room(s.length);
    const buf = this.#buf;
    let n = this.#n;
    for (let i = 0; i < s.length; i++) buf[n++] = s.charCodeAt(i);
    this.#n = n;
  }

  /** Writes a value; `inArray` says how undefined (and functions, symbols) are written: null there, nothing elsewhere. */
  #value(v: unknown, inArray: boolean): void {
    switch (typeof v) {
      case 'string':
        this.string(v);
        return;
      case 'number':
        this.number(v);
        return;
      case 'boolean':
        this.#ascii(v ? 'true' : 'false');
        return;
      case 'object':
        if (v === null) this.#ascii('null');
        else if (Array.isArray(v)) this.#array(v);
        else if (isPlain(v)) this.#object(v as Record<string, unknown>);
        else this.#other(v);
        return;
      case 'bigint':
        this.#other(v); // throws, as JSON.stringify does
        return;
      default: // undefined, function, symbol
        if (inArray) this.#ascii('null');
    }
  }

  /** Written by JSON.stringify itself: exotic objects and anything with toJSON. */
  #other(v: unknown): void {
    const text = JSON.stringify(v);
    if (text === undefined) { this.#ascii('null'); return; } // only reached inside arrays or at the top
    this.#utf8(text);
  }

  /** A number as JSON.stringify writes it (null when not finite). */
  number(x: number): void {
    // Digits written directly: most numbers here are codes, lengths, frames, ports and 32-bit fields.
    if (x >= 0 && x <= 0xffffffff && Number.isInteger(x)) this.uint(x);
    else if (!Number.isFinite(x)) this.#ascii('null');
    else this.#ascii(String(x)); // exponents and fractions as JSON.stringify writes them
  }

  /** An integer the caller knows is in 0..2^32-1 (-0 included: written "0"), as its decimal digits. */
  uint(x: number): void {
    this.#room(10);
    const buf = this.#buf;
    let n = this.#n;
    if (x < 10) {
      buf[n] = 0x30 + x;
      this.#n = n + 1;
      return;
    }
    n += x < 100 ? 2 : x < 1e3 ? 3 : x < 1e4 ? 4 : x < 1e5 ? 5 : x < 1e6 ? 6 : x < 1e7 ? 7 : x < 1e8 ? 8 : x < 1e9 ? 9 : 10;
    this.#n = n;
    let y = x;
    while (y >= 10) {
      const q = (y / 10) >>> 0;
      buf[--n] = 0x30 + (y - 10 * q);
      y = q;
    }
    buf[n - 1] = 0x30 + y;
  }

  /**
   * `Number(x.toFixed(6))` as JSON.stringify writes it (capture times: seconds with 6 decimals).
   * Below 2^32 doubles lie less than 10^-6 apart, so the shortest text that reads back as that number
   * is toFixed's own digits without trailing zeros (no shorter decimal is within half a spacing).
   * The digits come from integer arithmetic; from toFixed itself when the micro-seconds are within
   * 10^-6 of a half, where the rounded product might round the other way.
   */
  fixed6(x: number): void {
    if (!(x >= 0 && x < 0x100000000)) { this.number(Number(x.toFixed(6))); return; }
    let whole = Math.floor(x);
    const micro = (x - whole) * 1e6; // x - whole is exact; the product is within 10^-9 of the true one
    const frac = micro - Math.floor(micro);
    if (frac > 0.499999 && frac < 0.500001) { this.number(Number(x.toFixed(6))); return; } // toFixed decides a tie
    let digits = Math.round(micro);
    if (digits === 1e6) { whole += 1; digits = 0; }
    this.uint(whole);
    if (digits === 0) return;
    this.#room(7);
    const buf = this.#buf;
    let end = this.#n + 7;
    while (digits % 10 === 0) { digits /= 10; end--; }
    buf[this.#n] = 0x2e;
    for (let i = end - 1; i > this.#n; i--) {
      const q = (digits / 10) >>> 0;
      buf[i] = 0x30 + (digits - 10 * q);
      digits = q;
    }
    this.#n = end;
  }

  /** A string, quoted and escaped as JSON.stringify writes it, as UTF-8. */
  string(s: string): void {
    this.#room(s.length + 2);
    const buf = this.#buf;
    let n = this.#n;
    buf[n++] = QUOTE;
    let i = 0;
    // The usual case: printable ASCII with nothing to escape.
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c >= 0x7f || c === QUOTE || c === BACKSLASH) break;
      buf[n++] = c;
    }
    this.#n = n;
    if (i < s.length) this.#stringRest(s, i);
    this.byte(QUOTE);
  }

  /** The rest of a string from index `i`, escaping and encoding as JSON.stringify and UTF-8 do. */
  #stringRest(s: string, i: number): void {
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      this.#room(12);
      const buf = this.#buf;
      if (c === QUOTE || c === BACKSLASH) {
        buf[this.#n++] = BACKSLASH;
        buf[this.#n++] = c;
      } else if (c < 0x20) {
        const short = SHORT_ESCAPE.get(c);
        buf[this.#n++] = BACKSLASH;
        if (short !== undefined) buf[this.#n++] = short;
        else this.#unicodeEscape(c);
      } else if (c < 0x80) {
        buf[this.#n++] = c;
      } else if (c < 0x800) {
        buf[this.#n++] = 0xc0 | (c >> 6);
        buf[this.#n++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) { // a surrogate pair: one code point, four octets
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          buf[this.#n++] = 0xf0 | (cp >> 18);
          buf[this.#n++] = 0x80 | ((cp >> 12) & 0x3f);
          buf[this.#n++] = 0x80 | ((cp >> 6) & 0x3f);
          buf[this.#n++] = 0x80 | (cp & 0x3f);
          i++;
        } else { // a lone surrogate: JSON.stringify escapes it (well-formed JSON.stringify)
          buf[this.#n++] = BACKSLASH;
          this.#unicodeEscape(c);
        }
      } else {
        buf[this.#n++] = 0xe0 | (c >> 12);
        buf[this.#n++] = 0x80 | ((c >> 6) & 0x3f);
        buf[this.#n++] = 0x80 | (c & 0x3f);
      }
    }
  }

  /** `uXXXX` in lowercase hex (after the backslash); room is already made. */
  #unicodeEscape(c: number): void {
    const buf = this.#buf;
    buf[this.#n++] = 0x75;
    for (let shift = 12; shift >= 0; shift -= 4) buf[this.#n++] = HEX_DIGITS[(c >> shift) & 15];
  }

  /** Text that is already JSON (from JSON.stringify), as UTF-8. */
  #utf8(text: string): void {
    const need = Buffer.byteLength(text, 'utf8');
    this.#room(need);
    this.#n += this.#buf.write(text, this.#n, 'utf8');
  }

  #array(a: readonly unknown[]): void {
    this.byte(0x5b);
    for (let i = 0; i < a.length; i++) {
      if (i > 0) this.byte(0x2c);
      this.#value(a[i], true);
    }
    this.byte(0x5d);
  }

  #object(o: Record<string, unknown>): void {
    this.byte(0x7b);
    this.#fields(o, true);
    this.byte(0x7d);
  }

  /**
   * The members of `o` in JSON.stringify's order (its own keys: indices, then the rest as added), after
   * others when `first` is false. A for-in loop: V8 reads each member through the object's enum cache
   * there, where a load by a key from Object.keys is a slow generic lookup (plain objects inherit no
   * enumerable keys, which `isPlain` and the own-key test keep true).
   */
  #fields(o: Record<string, unknown>, first: boolean): boolean {
    for (const k in o) {
      if (!Object.prototype.hasOwnProperty.call(o, k)) continue;
      const v = o[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue; // omitted, as JSON.stringify does
      // An exotic value is written by JSON.stringify, and omitted when that writes nothing (toJSON → undefined).
      const exotic = typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlain(v);
      const text = exotic ? JSON.stringify(v) : undefined;
      if (exotic && text === undefined) continue;
      if (!first) this.byte(0x2c);
      first = false;
      this.string(k);
      this.byte(0x3a);
      if (text !== undefined) this.#utf8(text);
      else this.#value(v, false);
    }
    return first;
  }
}

/** An ordinary object JSON.stringify writes member by member: Object's or null's prototype, no toJSON. */
function isPlain(v: object): boolean {
  const proto = Object.getPrototypeOf(v) as object | null;
  return (proto === Object.prototype || proto === null) && typeof (v as { toJSON?: unknown }).toJSON !== 'function';
}
