// Address text forms: IPv6 in RFC 5952 canonical form, IPv4 dotted quad, MAC colon hex.
// Used by every stage that reports an address (net, dhcpv6 link/peer addresses, reports).

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
/** ASCII codes of the lowercase hex digits (toHex's alphabet), for writers of text as octets. */
export const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

// A direct-mapped memo of recent texts: captures repeat a few thousand addresses millions of times,
// and comparing 16 octets (as four 32-bit words) is far cheaper than building the text again.
// 4096 slots (96 KiB): at 1 M packets (65 k distinct addresses) misses drop from 214 k (1024 slots) to ~90 k.
const MEMO_SLOTS = 4096;
const memoWords = new Int32Array(MEMO_SLOTS * 4);
const memoText: (string | undefined)[] = new Array<string | undefined>(MEMO_SLOTS).fill(undefined);

/** RFC 5952 §4: lowercase, no leading zeros, longest run (>= 2 groups) of zero groups as "::", first on ties. */
export function formatIpv6(bytes: Uint8Array, offset = 0): string {
  const o = offset;
  const w0 = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
  const w1 = (bytes[o + 4] << 24) | (bytes[o + 5] << 16) | (bytes[o + 6] << 8) | bytes[o + 7];
  const w2 = (bytes[o + 8] << 24) | (bytes[o + 9] << 16) | (bytes[o + 10] << 8) | bytes[o + 11];
  const w3 = (bytes[o + 12] << 24) | (bytes[o + 13] << 16) | (bytes[o + 14] << 8) | bytes[o + 15];
  let h = Math.imul(w0, 0x9e3779b1) ^ w1;
  h = Math.imul(h, 0x85ebca6b) ^ w2;
  h = Math.imul(h, 0xc2b2ae35) ^ w3;
  h = Math.imul(h ^ (h >>> 15), 0x9e3779b1);
  const slot = (h >>> 19) & (MEMO_SLOTS - 1);
  const base = slot * 4;
  const text = memoText[slot];
  if (text !== undefined && memoWords[base] === w0 && memoWords[base + 1] === w1
    && memoWords[base + 2] === w2 && memoWords[base + 3] === w3) return text;
  const out = formatIpv6Text(bytes, offset);
  memoWords[base] = w0;
  memoWords[base + 1] = w1;
  memoWords[base + 2] = w2;
  memoWords[base + 3] = w3;
  memoText[slot] = out;
  return out;
}

/** The eight 16-bit groups of the address being formatted (scratch, reused). */
const groups = new Int32Array(8);

function formatIpv6Text(bytes: Uint8Array, offset: number): string {
  // Character codes into a scratch array, then one flat string (no chain of concatenations).
  return textOf(writeIpv6(bytes, offset, codes, 0));
}

/**
 * Writes the RFC 5952 text of the address in bytes[offset, offset + 16) as ASCII into `out` from
 * `at` (at most 39 octets) and returns where it ends: `formatIpv6`'s text, without making a string.
 */
export function writeIpv6(bytes: Uint8Array, offset: number, out: Uint8Array, at: number): number {
  for (let i = 0; i < 8; i++) groups[i] = (bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1];
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  if (bestLen < 2) bestStart = -1; // RFC 5952 §4.2.2: a single zero group is not shortened
  let n = at;
  // RFC 5952 §5: IPv4-mapped addresses keep the dotted quad
  if (bestStart === 0 && bestLen === 5 && groups[5] === 0xffff) {
    out[n++] = 0x3a; out[n++] = 0x3a; // "::ffff:" then the dotted quad
    for (let i = 0; i < 4; i++) out[n++] = 0x66;
    out[n++] = 0x3a;
    return writeIpv4(bytes, offset + 12, out, n);
  }
  let afterGroup = false; // the last thing written is a group, so the next one needs a ':'
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out[n++] = 0x3a;
      out[n++] = 0x3a;
      i += bestLen - 1;
      afterGroup = false;
      continue;
    }
    if (afterGroup) out[n++] = 0x3a;
    afterGroup = true;
    const g = groups[i];
    if (g >= 0x1000) out[n++] = HEX_DIGITS[g >> 12];
    if (g >= 0x100) out[n++] = HEX_DIGITS[(g >> 8) & 0xf];
    if (g >= 0x10) out[n++] = HEX_DIGITS[(g >> 4) & 0xf];
    out[n++] = HEX_DIGITS[g & 0xf];
  }
  return n;
}

/** Character codes of the text being built (an IPv6 text is at most 39, a memoized hex text 64). */
const codes = new Uint8Array(64);
/** One array per text length, reused: changing one array's length would reallocate its store each time. */
const codeArrays: number[][] = [];

/** The flat string of the first `n` codes (one String.fromCharCode call, no concatenation chain). */
function textOf(n: number): string {
  let a = codeArrays[n];
  if (a === undefined) {
    a = new Array<number>(n).fill(0);
    codeArrays[n] = a;
  }
  for (let i = 0; i < n; i++) a[i] = codes[i];
  return String.fromCharCode.apply(null, a);
}

/**
 * Writes the dotted quad of bytes[offset, offset + 4) as ASCII into `out` from `at` (at most 15
 * octets) and returns where it ends: `formatIpv4`'s text, without making a string.
 */
export function writeIpv4(bytes: Uint8Array, offset: number, out: Uint8Array, at: number): number {
  let n = at;
  for (let i = 0; i < 4; i++) {
    if (i > 0) out[n++] = 0x2e;
    const v = bytes[offset + i];
    if (v >= 100) out[n++] = 0x30 + ((v / 100) | 0);
    if (v >= 10) out[n++] = 0x30 + (((v / 10) | 0) % 10);
    out[n++] = 0x30 + (v % 10);
  }
  return n;
}

export function formatIpv4(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

export function formatMac(bytes: Uint8Array, offset = 0, length = 6): string {
  let out = '';
  for (let i = 0; i < length; i++) out += (i ? ':' : '') + HEX[bytes[offset + i]];
  return out;
}

// A direct-mapped memo of short hex texts (DUIDs, Interface-IDs): a few thousand values repeat in
// every message, and a text built with += is a chain of one string object per octet, which the
// correlator's keys and parties then keep alive. Memoized texts are built flat, once. Keys live in
// one flat arena (no object per slot).
const HEX_MEMO_SLOTS = 4096;
const HEX_MEMO_MAX = 32;
const hexMemoKeys = new Uint8Array(HEX_MEMO_SLOTS * HEX_MEMO_MAX);
/** Key length per slot; 0 = empty (the empty range is never memoized). */
const hexMemoLength = new Uint8Array(HEX_MEMO_SLOTS);
const hexMemoText: string[] = new Array<string>(HEX_MEMO_SLOTS).fill('');


/** Whether `hex` is `toHex(bytes, offset, length)`, compared in place (no text is built). */
export function isHexOf(hex: string, bytes: Uint8Array, offset = 0, length = bytes.length - offset): boolean {
  if (hex.length !== 2 * length) return false;
  for (let i = 0; i < length; i++) {
    const v = bytes[offset + i];
    if (hex.charCodeAt(2 * i) !== HEX_DIGITS[v >> 4] || hex.charCodeAt(2 * i + 1) !== HEX_DIGITS[v & 15]) return false;
  }
  return true;
}

/**
 * Whether an IPv6 address in RFC 5952 text is link-local (fe80::/10): a first group of four digits,
 * fe8x, fe9x, feax or febx. ("fe8::1" is 0fe8::1, not link-local.)
 */
export function isLinkLocalText(a: string): boolean {
  if (a.length < 6 || a.charCodeAt(0) !== 0x66 || a.charCodeAt(1) !== 0x65 || a.charCodeAt(3) === 0x3a || a.charCodeAt(4) !== 0x3a) return false;
  const c = a.charCodeAt(2);
  return c === 0x38 || c === 0x39 || c === 0x61 || c === 0x62; // 8 9 a b
}

/** Lowercase hex of a byte range, no separators. */
export function toHex(bytes: Uint8Array, offset = 0, length = bytes.length - offset): string {
  if (length > HEX_MEMO_MAX || length <= 0) {
    let out = '';
    for (let i = 0; i < length; i++) out += HEX[bytes[offset + i]];
    return out;
  }
  let h = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const o = offset + i;
    h = Math.imul(h ^ ((bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]), 0x9e3779b1);
    h ^= h >>> 15;
  }
  for (; i < length; i++) h = Math.imul(h ^ bytes[offset + i], 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  const slot = (h >>> 19) & (HEX_MEMO_SLOTS - 1);
  const base = slot * HEX_MEMO_MAX;
  if (hexMemoLength[slot] === length) {
    let k = 0;
    while (k < length && hexMemoKeys[base + k] === bytes[offset + k]) k++;
    if (k === length) return hexMemoText[slot];
  }
  for (let k = 0; k < length; k++) {
    const v = bytes[offset + k];
    hexMemoKeys[base + k] = v;
    codes[2 * k] = HEX_DIGITS[v >> 4];
    codes[2 * k + 1] = HEX_DIGITS[v & 0xf];
  }
  const out = textOf(2 * length);
  hexMemoLength[slot] = length;
  hexMemoText[slot] = out;
  return out;
}

/** Parses IPv6 text (any valid form, including embedded IPv4) into 16 bytes; null when invalid. */
export function parseIpv6(text: string): Uint8Array | null {
  let head = text;
  let tailV4: number[] | null = null;
  const lastColon = text.lastIndexOf(':');
  if (text.indexOf('.', lastColon) > 0) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (!v4) return null;
    tailV4 = Array.from(v4);
    head = text.slice(0, lastColon + 1) + '0:0';
  }
  const halves = head.split('::');
  if (halves.length > 2) return null;
  const parse = (s: string): number[] | null => {
    if (s === '') return [];
    const out: number[] = [];
    for (const g of s.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const left = parse(halves[0]);
  const right = halves.length === 2 ? parse(halves[1]) : [];
  if (!left || !right) return null;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { out[2 * i] = g >> 8; out[2 * i + 1] = g & 0xff; });
  if (tailV4) out.set(tailV4, 12);
  return out;
}

export function parseIpv4(text: string): Uint8Array | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    if (!/^\d{1,3}$/.test(parts[i])) return null;
    const n = Number(parts[i]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}
