// BLQ-QT-LINK-FILTER-NOTCONFIGURED fast path: the allocation-free, byte-wise prefix test
// (holdsUnrelatedClient) judges random CLIENT_DATA exactly as the rule's original per-bit formulation.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Dhcpv6Message, Dhcpv6Option } from '../../../src/dhcpv6/types.js';
import { holdsUnrelatedClient } from '../../../src/checks/rfc5460/blq-qt-link-filter-notconfigured.js';

function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const m = 0x80 >> (i & 7);
    if ((a[i >> 3] & m) !== (b[i >> 3] & m)) return false;
  }
  return true;
}

/** The rule as first written (the reference). */
function reference(m: Dhcpv6Message, link: Uint8Array, bits: number): boolean {
  for (const cd of m.options) {
    if (cd.code !== 45 || !cd.options) continue;
    const held: Array<[Uint8Array, number]> = [];
    for (const o of cd.options) {
      if (o.code === 5 && o.data.length >= 16) held.push([o.data.subarray(0, 16), 128]);
      if (o.code === 26 && o.data.length >= 25) held.push([o.data.subarray(9, 25), o.data[8]]);
    }
    if (held.length === 0) continue;
    if (held.some(([a, len]) => samePrefix(a, link, Math.min(bits, len)))) continue;
    return true;
  }
  return false;
}

// Addresses close to the link (so that prefixes of every length match or not), with sub-option tails.
const LINK = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0x12, 0x34, 0x56, 0x78, 0, 0, 0, 0, 0, 0, 0, 0]);
const near = fc.array(fc.tuple(fc.nat(15), fc.nat(255)), { maxLength: 2 }).map((flips) => {
  const a = LINK.slice();
  for (const [i, v] of flips) a[i] ^= v;
  return a;
});
const iaaddr = fc.tuple(near, fc.constantFrom(16, 24, 30)).map(([a, len]): Dhcpv6Option => {
  const data = new Uint8Array(len);
  data.set(a);
  return { code: 5, length: len, data };
});
const iaprefix = fc.tuple(near, fc.nat(255), fc.constantFrom(25, 29, 40), fc.nat(255)).map(([a, plen, len, fill]): Dhcpv6Option => {
  const data = new Uint8Array(len).fill(fill);
  data[8] = plen;
  data.set(a, 9);
  return { code: 26, length: len, data };
});
const short = fc.constantFrom(5, 26, 1, 46).map((code): Dhcpv6Option => ({ code, length: 8, data: new Uint8Array(8) }));
const clientData = fc.option(fc.array(fc.oneof(iaaddr, iaprefix, short), { maxLength: 4 }), { nil: undefined })
  .map((sub): Dhcpv6Option => ({ code: 45, length: 0, data: new Uint8Array(0), ...(sub ? { options: sub } : {}) }));
const message = fc.array(fc.oneof(clientData, short), { maxLength: 3 })
  .map((options): Dhcpv6Message => ({ msgType: 17, format: 'client-server', xid: 1, options, anomalies: [], length: 0 }));

describe('BLQ-QT-LINK-FILTER-NOTCONFIGURED holdsUnrelatedClient', () => {
  test('equals the per-bit formulation on random CLIENT_DATA', () => {
    const seen = new Set<boolean>();
    fc.assert(fc.property(message, fc.integer({ min: 1, max: 128 }), (m, bits) => {
      const want = reference(m, LINK, bits);
      seen.add(want);
      expect(holdsUnrelatedClient(m, LINK, bits)).toBe(want);
    }), { numRuns: 5000 });
    expect(seen.size).toBe(2);
  });
});
