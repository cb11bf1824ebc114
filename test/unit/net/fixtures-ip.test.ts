// Link types, IP fragment reassembly and accounting on the committed net fixtures.
import { describe, expect, it } from 'vitest';
import { solicit } from '../../../fixtures/net/dhcpv6-payload.js';
import { accountingOk, readFrames, run } from './harness.js';

describe('links.pcapng', () => {
  const frames = readFrames('fixtures/net/links.pcapng');
  const r = run(frames);

  it('decodes the Solicit on every supported link type', () => {
    expect(frames.map((f) => f.linkType)).toEqual([1, 1, 1, 1, 113, 276, 0, 108, 101, 229, 147, 1]);
    expect(r.udp.map((d) => d.frame)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    r.udp.forEach((d, i) => {
      expect(d).toMatchObject({
        ipVersion: 6, src: 'fe80::211:22ff:fe33:4401', dst: 'ff02::1:2', srcPort: 546, dstPort: 547, hopLimit: 64,
        truncated: false, frames: [i + 1],
      });
      expect(new Uint8Array(d.payload)).toEqual(solicit(0x0b0001 + i));
      // The payload is the buffer between the offsets the DHCPv6 stage decodes from, one view per datagram.
      expect(new Uint8Array(d.buffer.subarray(d.payloadStart, d.payloadEnd))).toEqual(solicit(0x0b0001 + i));
      expect(d.payload).toBe(d.payload);
    });
  });

  it('counts the unknown link type and the ARP frame as other, reporting the link type once', () => {
    expect(r.classes.get(11)).toBe('other');
    expect(r.classes.get(12)).toBe('other');
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['link.unknown_type', [11]]]);
    expect(r.counts).toEqual({ dhcpv6: 10, other: 2, malformed: 0, dropped: 0 });
    expect(accountingOk(r)).toBe(true);
  });
});

describe('ip-fragments.pcap', () => {
  const r = run(readFrames('fixtures/net/ip-fragments.pcap'));

  it('reassembles IPv6 in order, reversed, with extension headers, and IPv4', () => {
    expect(r.udp.map((d) => [d.frame, d.frames, d.ipVersion])).toEqual([
      [2, [1, 2], 6], [4, [3, 4], 6], [6, [5, 6], 6], [9, [7, 8, 9], 4],
    ]);
    expect(new Uint8Array(r.udp[0].payload)).toEqual(solicit(0x0a0001, 2000));
    expect(new Uint8Array(r.udp[1].payload)).toEqual(solicit(0x0a0002, 1800));
    expect(new Uint8Array(r.udp[2].payload)).toEqual(solicit(0x0a0003, 1500));
    expect(new Uint8Array(r.udp[3].payload)).toEqual(solicit(0x0a0004, 1000));
    expect(r.udp[3]).toMatchObject({ src: '192.0.2.10', dst: '192.0.2.1', hopLimit: 64, truncated: false });
  });

  it('classifies every fragment once, with its datagram', () => {
    expect(accountingOk(r)).toBe(true);
    expect(r.counts).toEqual({ dhcpv6: 9, other: 0, malformed: 0, dropped: 0 });
    expect(r.anomalies).toEqual([]);
  });
});
