import { describe, expect, it } from 'vitest';
import { formatIpv6, parseIpv6, formatIpv4, toHex, formatMac } from '../../../src/net/address.js';

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
