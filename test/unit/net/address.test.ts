import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIpv6, parseIpv6, formatIpv4, toHex, formatMac, isLinkLocalText } from '../../../src/net/address.js';

describe('RFC 5952 formatting', () => {
  const cases: Array<[string, string]> = [
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1'],
    ['2001:0db8:0000:0001:0000:0000:0000:0001', '2001:db8:0:1::1'], // longest run wins
    ['2001:0db8:0000:0000:0001:0000:0000:0001', '2001:db8::1:0:0:1'], // first of equal runs
    ['2001:0db8:0000:0001:0001:0001:0001:0001', '2001:db8:0:1:1:1:1:1'], // single zero group kept
    ['0000:0000:0000:0000:0000:0000:0000:0000', '::'],
    ['0000:0000:0000:0000:0000:0000:0000:0001', '::1'],
    ['fe80:0000:0000:0000:0211:22ff:fe33:4455', 'fe80::211:22ff:fe33:4455'],
    ['ff02:0000:0000:0000:0000:0000:0001:0002', 'ff02::1:2'],
    ['0000:0000:0000:0000:0000:ffff:c000:0201', '::ffff:192.0.2.1'],
    ['2001:0db8:0000:0000:0000:0000:0000:0000', '2001:db8::'],
  ];
  for (const [full, canonical] of cases) {
    it(`${full} -> ${canonical}`, () => {
      const bytes = parseIpv6(full)!;
      expect(bytes).not.toBeNull();
      expect(formatIpv6(bytes)).toBe(canonical);
      expect(toHex(parseIpv6(canonical)!)).toBe(toHex(bytes));
    });
  }
  it('rejects invalid text', () => {
    expect(parseIpv6('1::2::3')).toBeNull();
    expect(parseIpv6('12345::')).toBeNull();
    expect(parseIpv6('1:2:3:4:5:6:7')).toBeNull();
  });
  it('formats IPv4 and MAC', () => {
    expect(formatIpv4(Uint8Array.of(192, 0, 2, 1))).toBe('192.0.2.1');
    expect(formatMac(Uint8Array.of(0, 0x11, 0x22, 0x33, 0x44, 0x55))).toBe('00:11:22:33:44:55');
  });
});

/** RFC 5952 written the plain way (no memo), to compare the memoized formatter with. */
function referenceIpv6(b: Uint8Array, o: number): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[o + 2 * i] << 8) | b[o + 2 * i + 1]);
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; i++) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
  }
  if (bestLen < 2) return g.map((x) => x.toString(16)).join(':');
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) return `::ffff:${b[o + 12]}.${b[o + 13]}.${b[o + 14]}.${b[o + 15]}`;
  const left = g.slice(0, bestStart).map((x) => x.toString(16)).join(':');
  const right = g.slice(bestStart + bestLen).map((x) => x.toString(16)).join(':');
  return `${left}::${right}`;
}

describe('formatIpv6 memo', () => {
  it('answers like the plain formatter for random, repeated and zero-rich addresses at any offset', () => {
    // Groups drawn mostly from {0, 1, 0xffff}: zero runs, ties and IPv4-mapped forms are common.
    const group = fc.oneof(fc.constantFrom(0, 0, 0, 1, 0xffff), fc.integer({ min: 0, max: 0xffff }));
    const addr = fc.array(group, { minLength: 8, maxLength: 8 });
    fc.assert(fc.property(fc.array(addr, { minLength: 1, maxLength: 30 }), fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 })), { maxLength: 100 }), (pool, picks) => {
      for (const [k, pad] of [[0, 0] as [number, number], ...picks]) {
        const g = pool[k % pool.length];
        const buf = new Uint8Array(pad + 16);
        for (let i = 0; i < 8; i++) { buf[pad + 2 * i] = g[i] >> 8; buf[pad + 2 * i + 1] = g[i] & 0xff; }
        expect(formatIpv6(buf, pad)).toBe(referenceIpv6(buf, pad));
      }
    }), { numRuns: 300 });
  });

  it('stays right when many addresses compete for the memo slots', () => {
    const buf = new Uint8Array(16);
    buf[0] = 0x20; buf[1] = 0x01;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40000; i += 7) {
        buf[13] = i >> 16; buf[14] = (i >> 8) & 0xff; buf[15] = i & 0xff;
        expect(formatIpv6(buf)).toBe(referenceIpv6(buf, 0));
      }
    }
  });
});

describe('toHex memo', () => {
  const plain = (b: Uint8Array, o: number, n: number): string => Buffer.from(b.subarray(o, o + n)).toString('hex');
  it('answers like plain hex for random, repeated and overlapping ranges, short and long', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 40 }), { minLength: 1, maxLength: 12 }), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 60 }), (pool, picks) => {
      for (const [k, a, b] of picks) {
        const buf = pool[k % pool.length];
        const o = buf.length === 0 ? 0 : a % buf.length;
        const n = buf.length - o === 0 ? 0 : b % (buf.length - o + 1);
        expect(toHex(buf, o, n)).toBe(plain(buf, o, n));
        expect(toHex(buf.subarray(o))).toBe(plain(buf, o, buf.length - o));
      }
    }), { numRuns: 300 });
  });

  it('stays right when many values compete for the memo slots', () => {
    const buf = new Uint8Array(14);
    buf[1] = 1;
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 40000; i += 3) {
        buf[11] = i >> 16; buf[12] = (i >> 8) & 0xff; buf[13] = i & 0xff;
        buf[5] = round;
        expect(toHex(buf)).toBe(plain(buf, 0, 14));
        expect(toHex(buf, 10, 4)).toBe(plain(buf, 10, 4));
      }
    }
  });
});

describe('isLinkLocalText', () => {
  it('is true for fe80::/10 in RFC 5952 text and false elsewhere', () => {
    for (const a of ['fe80::1', 'fe80::a:b', 'fe9f:1::', 'feab::2', 'febf:ffff::1']) expect(isLinkLocalText(a), a).toBe(true);
    for (const a of ['fec0::1', 'fe8::1', 'ff02::1:2', '2001:db8::1', '::', '::1', '192.0.2.1', 'fe80']) expect(isLinkLocalText(a), a).toBe(false);
  });

  it('agrees with the address bits for every formatted address', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), fc.boolean(), (bytes, ll) => {
      if (ll) { bytes[0] = 0xfe; bytes[1] = 0x80 | (bytes[1] & 0x3f); }
      const linkLocal = bytes[0] === 0xfe && (bytes[1] & 0xc0) === 0x80;
      expect(isLinkLocalText(formatIpv6(bytes))).toBe(linkLocal);
    }));
  });
});
