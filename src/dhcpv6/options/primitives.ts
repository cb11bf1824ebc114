// Byte-level helpers shared by the option codecs: integers, addresses, hex, colon-hex, UTF-8,
// DNS wire-format names (RFC 1035 §3.1, uncompressed as RFC 8415 §10 requires) and prefix fields.

import { formatIpv4, formatIpv6, isHexOf, parseIpv4, parseIpv6, toHex } from '../../net/address.js';

export { formatIpv6, isHexOf, toHex };

/** Whether a[aStart, aStart + n) and b[bStart, bStart + n) hold the same octets (compared in place). */
export function sameOctetsAt(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (a[aStart + i] !== b[bStart + i]) return false;
  return true;
}

/** Whether two byte arrays hold the same octets. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sameOctetsAt(a, 0, b, 0, a.length);
}

export function u16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function u24(b: Uint8Array, o: number): number {
  return (b[o] << 16) | (b[o + 1] << 8) | b[o + 2];
}

export function u32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) >>> 0) + ((b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]);
}

export function put16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff; b[o + 1] = v & 0xff;
}

export function put24(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 16) & 0xff; b[o + 1] = (v >>> 8) & 0xff; b[o + 2] = v & 0xff;
}

export function put32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff; b[o + 1] = (v >>> 16) & 0xff; b[o + 2] = (v >>> 8) & 0xff; b[o + 3] = v & 0xff;
}

/** Checks an encoder input integer; throws on misuse (values come from code or JSON, not the wire). */
export function int(value: unknown, bits: number, what: string): number {
  const max = 2 ** bits - 1;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw new Error(`${what}: expected an integer 0..${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what}: expected a string, got ${JSON.stringify(value)}`);
  return value;
}

export function fromHex(text: unknown, what = 'hex'): Uint8Array {
  const s = str(text, what).replace(/[\s:]/g, '');
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new Error(`${what}: not hex: ${JSON.stringify(text)}`);
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** Colon-separated hex (link-layer addresses); '' for no octets. */
export function colonHex(b: Uint8Array, o = 0, n = b.length - o): string {
  let out = '';
  for (let i = 0; i < n; i++) out += (i ? ':' : '') + (b[o + i] < 16 ? '0' : '') + b[o + i].toString(16);
  return out;
}

export function ipv6Text(b: Uint8Array, o = 0): string {
  return formatIpv6(b, o);
}

export function ipv4Text(b: Uint8Array, o = 0): string {
  return formatIpv4(b, o);
}

export function ipv6Bytes(text: unknown, what: string): Uint8Array {
  const out = parseIpv6(str(text, what));
  if (!out) throw new Error(`${what}: not an IPv6 address: ${JSON.stringify(text)}`);
  return out;
}

export function ipv4Bytes(text: unknown, what: string): Uint8Array {
  const out = parseIpv4(str(text, what));
  if (!out) throw new Error(`${what}: not an IPv4 address: ${JSON.stringify(text)}`);
  return out;
}

const utf8Strict = new TextDecoder('utf-8', { fatal: true });
const utf8 = new TextEncoder();

/** True when b[start..] is valid UTF-8 (ASCII is checked without decoding). */
export function isUtf8(b: Uint8Array, start = 0): boolean {
  let i = start;
  while (i < b.length && b[i] < 0x80) i++;
  if (i === b.length) return true;
  try { utf8Strict.decode(b.subarray(start)); return true; } catch { return false; }
}

export function utf8Text(b: Uint8Array): string {
  return utf8Strict.decode(b);
}

export function utf8Bytes(text: unknown, what: string): Uint8Array {
  return utf8.encode(str(text, what));
}

/** Concatenates byte arrays (the capture stage's helper, shared so there is one). */
export { concatBytes as concat } from '../../capture/writer.js';

// ---- DNS wire-format names (RFC 1035 §3.1; RFC 8415 §10: no compression) ----

/**
 * Reads one name at `o`. Returns the text (labels joined by '.', no trailing dot, '.' for the root
 * name; '.', '\\' and non-printable octets escaped as `\.`, `\\`, `\DDD`), the offset after it and
 * whether it ended with the root label; or a problem description.
 */
export function readName(b: Uint8Array, o: number, end: number): { name: string; next: number; fqdn: boolean } | string {
  const labels: string[] = [];
  let total = 0;
  while (o < end) {
    const len = b[o];
    if (len === 0) {
      total += 1;
      if (total > 255) return 'domain name longer than 255 octets';
      return { name: labels.length ? labels.join('.') : '.', next: o + 1, fqdn: true };
    }
    if (len > 63) return `label length ${len} (compression or bad label) at offset ${o}`;
    if (o + 1 + len > end) return `label of ${len} octets runs past the end of the option`;
    total += 1 + len;
    if (total > 255) return 'domain name longer than 255 octets';
    labels.push(labelText(b, o + 1, len));
    o += 1 + len;
  }
  // ran out of data without a root label: a partial name (RFC 4704 §4.2 allows these in CLIENT_FQDN)
  return { name: labels.join('.'), next: o, fqdn: false };
}

function labelText(b: Uint8Array, o: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    const c = b[o + i];
    if (c === 0x2e || c === 0x5c) s += '\\' + String.fromCharCode(c);
    else if (c > 0x20 && c < 0x7f) s += String.fromCharCode(c);
    else s += '\\' + String(c).padStart(3, '0');
  }
  return s;
}

/** Splits presentation text into label octet arrays (inverse of the escaping above). */
function nameLabels(text: string, what: string): number[][] {
  if (text === '.' || text === '') return [];
  const labels: number[][] = [];
  let cur: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '.') { labels.push(cur); cur = []; continue; }
    if (ch === '\\') {
      const next = text[i + 1];
      if (/[0-9]/.test(next ?? '')) { cur.push(Number(text.slice(i + 1, i + 4))); i += 3; }
      else { cur.push(next.charCodeAt(0)); i += 1; }
      continue;
    }
    const code = ch.charCodeAt(0);
    if (code > 0x7f) for (const x of utf8.encode(ch)) cur.push(x); else cur.push(code);
  }
  if (cur.length) labels.push(cur);
  for (const l of labels) if (l.length === 0 || l.length > 63) throw new Error(`${what}: bad label in ${JSON.stringify(text)}`);
  return labels;
}

/** Octets of a name in wire format; `fqdn` false leaves off the root label (a partial name). */
export function nameLength(text: unknown, fqdn = true, what = 'domain name'): number {
  let n = fqdn ? 1 : 0;
  for (const l of nameLabels(str(text, what), what)) n += 1 + l.length;
  return n;
}

export function writeName(out: Uint8Array, o: number, text: unknown, fqdn = true, what = 'domain name'): number {
  for (const l of nameLabels(str(text, what), what)) {
    out[o++] = l.length;
    for (const x of l) out[o++] = x;
  }
  if (fqdn) out[o++] = 0;
  return o;
}

/** Checks a body that is a sequence of complete names (RFC 8415 §10). */
export function checkNameList(b: Uint8Array, allowPartialLast = false): string | undefined {
  let o = 0;
  while (o < b.length) {
    const r = readName(b, o, b.length);
    if (typeof r === 'string') return r;
    if (!r.fqdn && !allowPartialLast) return 'domain name not terminated by the root label';
    o = r.next;
  }
  return undefined;
}

export function readNameList(b: Uint8Array): string[] {
  const out: string[] = [];
  let o = 0;
  while (o < b.length) {
    const r = readName(b, o, b.length);
    if (typeof r === 'string') break;
    out.push(r.name);
    o = r.next;
  }
  return out;
}

/** IPv6 prefix stored in ceil(len/8) octets (RFC 7598 §4.1): full address text with zero padding. */
export function prefix6Text(b: Uint8Array, o: number, bits: number): string {
  const full = new Uint8Array(16);
  full.set(b.subarray(o, o + Math.ceil(bits / 8)));
  return formatIpv6(full);
}
