// Each link type decoder: IP version and offset, non-IP, truncation.
import { describe, expect, it } from 'vitest';
import { LINK_DECODERS, newLinkResult } from '../../../src/net/link/index.js';
import { ethernet, ipv4, ipv6, nullLoop, sll, sll2 } from '../../kit/packets.js';

const v6 = ipv6({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 59, payload: new Uint8Array(0) });
const v4 = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: new Uint8Array(8) });

function decode(linkType: number, data: Uint8Array) {
  const out = newLinkResult();
  LINK_DECODERS.get(linkType)!(data, out);
  return { ...out };
}

describe('link decoders', () => {
  it('Ethernet: plain, 802.1Q, QinQ 0x88a8 and 0x9100, non-IP, truncated', () => {
    expect(decode(1, ethernet({ payload: v6 }))).toEqual({ version: 6, offset: 14, anomaly: null });
    expect(decode(1, ethernet({ payload: v4 }))).toEqual({ version: 4, offset: 14, anomaly: null });
    expect(decode(1, ethernet({ payload: v6, vlans: [5] }))).toEqual({ version: 6, offset: 18, anomaly: null });
    expect(decode(1, ethernet({ payload: v6, vlans: [5, 6], qinq: true }))).toEqual({ version: 6, offset: 22, anomaly: null });
    expect(decode(1, ethernet({ payload: v4, vlans: [1, 2, 3], qinq: 0x9100 }))).toEqual({ version: 4, offset: 26, anomaly: null });
    expect(decode(1, ethernet({ payload: new Uint8Array(28), type: 0x0806 }))).toEqual({ version: 0, offset: 14, anomaly: null });
    expect(decode(1, new Uint8Array(13)).anomaly).toBe('link.truncated');
    expect(decode(1, ethernet({ payload: new Uint8Array(0), vlans: [5] }).subarray(0, 16)).anomaly).toBe('link.truncated');
  });

  it('Linux SLL and SLL2 (with a VLAN tag left in place)', () => {
    expect(decode(113, sll({ payload: v6 }))).toEqual({ version: 6, offset: 16, anomaly: null });
    expect(decode(113, sll({ payload: v4 }))).toEqual({ version: 4, offset: 16, anomaly: null });
    expect(decode(113, new Uint8Array(15)).anomaly).toBe('link.truncated');
    expect(decode(276, sll2({ payload: v6 }))).toEqual({ version: 6, offset: 20, anomaly: null });
    expect(decode(276, sll2({ payload: v4 }))).toEqual({ version: 4, offset: 20, anomaly: null });
    const tagged = sll2({ payload: new Uint8Array([0, 7, 0x86, 0xdd, ...v6]), protocol: 0x8100 });
    expect(decode(276, tagged)).toEqual({ version: 6, offset: 24, anomaly: null });
    expect(decode(276, new Uint8Array(19)).anomaly).toBe('link.truncated');
  });

  it('BSD NULL in either byte order and LOOP in network order, every AF_INET6 value', () => {
    for (const af of [10, 24, 28, 30]) {
      expect(decode(0, nullLoop({ payload: v6, family: af }))).toEqual({ version: 6, offset: 4, anomaly: null });
      expect(decode(0, nullLoop({ payload: v6, family: af, bigEndian: true }))).toEqual({ version: 6, offset: 4, anomaly: null });
      expect(decode(108, nullLoop({ payload: v6, family: af, loop: true }))).toEqual({ version: 6, offset: 4, anomaly: null });
    }
    expect(decode(0, nullLoop({ payload: v4 }))).toEqual({ version: 4, offset: 4, anomaly: null });
    expect(decode(108, nullLoop({ payload: v4, loop: true }))).toEqual({ version: 4, offset: 4, anomaly: null });
    expect(decode(0, nullLoop({ payload: v4, family: 7 })).version).toBe(0);
    expect(decode(108, new Uint8Array(3)).anomaly).toBe('link.truncated');
  });

  it('raw IP (101, 12, 14) by the version nibble; LINKTYPE_IPV4 / IPV6 fixed', () => {
    for (const lt of [101, 12, 14]) {
      expect(decode(lt, v6)).toEqual({ version: 6, offset: 0, anomaly: null });
      expect(decode(lt, v4)).toEqual({ version: 4, offset: 0, anomaly: null });
    }
    expect(decode(101, new Uint8Array([0x50, 0])).anomaly).toBe('link.bad_ip_version');
    expect(decode(101, new Uint8Array(0)).anomaly).toBe('link.truncated');
    expect(decode(228, v4)).toEqual({ version: 4, offset: 0, anomaly: null });
    expect(decode(229, v6)).toEqual({ version: 6, offset: 0, anomaly: null });
  });
});
