// IPv6 extension headers, IPv4 headers and UDP lengths, through the decoders and NetDecoder.
import { describe, expect, it } from 'vitest';
import { newIpInfo } from '../../../src/net/ip-info.js';
import { decodeIpv4 } from '../../../src/net/ipv4.js';
import { decodeIpv6 } from '../../../src/net/ipv6.js';
import { concat, ethernet, ipv4, ipv6, udp } from '../../kit/packets.js';
import { accountingOk, recs, run } from './harness.js';

const S = '2001:db8::1';
const D = '2001:db8::2';
const dg = udp({ src: S, dst: D, srcPort: 546, dstPort: 547, payload: Uint8Array.from([1, 0, 0, 1]) });

describe('IPv6 extension headers', () => {
  it('walks hop-by-hop, routing and destination options to UDP', () => {
    const p = ipv6({ src: S, dst: D, nextHeader: 17, payload: dg, hopLimit: 7, extensionHeaders: [{ type: 0 }, { type: 43 }, { type: 60, body: new Uint8Array(10) }] });
    const ip = newIpInfo();
    decodeIpv6(p, 0, ip);
    expect(ip.anomaly).toBeNull();
    expect(ip.protocol).toBe(17);
    expect(ip.payloadStart).toBe(40 + 8 + 8 + 16);
    expect(ip.payloadEnd).toBe(p.length);
    expect(ip.hopLimit).toBe(7);
    expect(ip.fragment).toBe(false);
  });

  it('skips an authentication header (length in 4-octet units) and treats an atomic fragment as whole', () => {
    const ah = Uint8Array.from([17, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, ...new Array(12).fill(0)]); // (4+2)*4 = 24 octets
    const atomic = Uint8Array.from([51, 0, 0, 0, 0, 0, 0, 9]);
    const p = ipv6({ src: S, dst: D, nextHeader: 44, payload: concat(atomic, ah, dg) });
    const ip = newIpInfo();
    decodeIpv6(p, 0, ip);
    expect(ip.anomaly).toBeNull();
    expect([ip.protocol, ip.payloadStart, ip.fragment]).toEqual([17, 40 + 8 + 24, false]);
  });

  it('reports ipv6.bad_header for an extension header past the payload, and a short header', () => {
    const bad = ipv6({ src: S, dst: D, nextHeader: 60, payload: Uint8Array.from([17, 5, 1, 4, 0, 0, 0, 0]) });
    const ip = newIpInfo();
    decodeIpv6(bad, 0, ip);
    expect(ip.anomaly).toBe('ipv6.bad_header');
    decodeIpv6(bad.subarray(0, 39), 0, ip);
    expect(ip.anomaly).toBe('ipv6.bad_header');
    const r = run(recs([ethernet({ payload: bad })]));
    expect(r.classes.get(1)).toBe('malformed');
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['ipv6.bad_header', [1]]]);
  });

  it('no next header (59) and ICMPv6 are other traffic; a version mismatch is malformed', () => {
    const none = ipv6({ src: S, dst: D, nextHeader: 59, payload: new Uint8Array(0) });
    const icmp = ipv6({ src: S, dst: D, nextHeader: 58, payload: new Uint8Array(8) });
    const wrong = ethernet({ payload: ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: new Uint8Array(8) }), type: 0x86dd });
    const r = run(recs([ethernet({ payload: none }), ethernet({ payload: icmp }), wrong]));
    expect([r.classes.get(1), r.classes.get(2), r.classes.get(3)]).toEqual(['other', 'other', 'malformed']);
    expect(r.anomalies.map((a) => a.name)).toEqual(['ipv6.bad_version']);
  });
});

describe('IPv4 header', () => {
  it('skips options by IHL, trims link padding by the total length', () => {
    const p = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: udp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 546, dstPort: 547, payload: Uint8Array.from([1, 2]) }), options: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1]), ttl: 9 });
    const padded = concat(p, new Uint8Array(6));
    const ip = newIpInfo();
    decodeIpv4(padded, 0, ip);
    expect([ip.anomaly, ip.payloadStart, ip.payloadEnd, ip.hopLimit, ip.protocol, ip.truncated]).toEqual([null, 28, p.length, 9, 17, false]);
    const r = run(recs([ethernet({ payload: padded })]));
    expect(r.udp.map((d) => [Array.from(d.payload), d.src, d.dst, d.hopLimit, d.ipVersion])).toEqual([[[1, 2], '192.0.2.1', '192.0.2.2', 9, 4]]);
  });

  it('rejects IHL < 5 and a total length below the header', () => {
    const ip = newIpInfo();
    const p = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: new Uint8Array(8) });
    const low = p.slice(); low[0] = 0x44;
    decodeIpv4(low, 0, ip);
    expect(ip.anomaly).toBe('ipv4.bad_header');
    const short = ipv4({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: new Uint8Array(8), totalLength: 10 });
    decodeIpv4(short, 0, ip);
    expect(ip.anomaly).toBe('ipv4.bad_header');
    decodeIpv4(p.subarray(0, 19), 0, ip);
    expect(ip.anomaly).toBe('ipv4.bad_header');
  });
});

describe('UDP', () => {
  it('marks a datagram cut by the snaplen as truncated and keeps the captured part', () => {
    const whole = ethernet({ payload: ipv6({ src: S, dst: D, nextHeader: 17, payload: udp({ src: S, dst: D, srcPort: 546, dstPort: 547, payload: new Uint8Array(100).fill(7) }) }) });
    const cut = whole.subarray(0, whole.length - 60);
    const r = run(recs([cut]));
    expect(r.udp).toHaveLength(1);
    expect(r.udp[0].truncated).toBe(true);
    expect(r.udp[0].payload.length).toBe(40);
    expect(accountingOk(r)).toBe(true);
  });

  it('marks a length field larger than the IP packet as truncated; a smaller one trims', () => {
    const long = udp({ src: S, dst: D, srcPort: 546, dstPort: 547, payload: new Uint8Array(10), length: 40 });
    const short = udp({ src: S, dst: D, srcPort: 546, dstPort: 547, payload: new Uint8Array(10), length: 12 });
    const r = run(recs([long, short].map((u) => ethernet({ payload: ipv6({ src: S, dst: D, nextHeader: 17, payload: u }) }))));
    expect(r.udp.map((d) => [d.truncated, d.payload.length, d.srcPort, d.dstPort])).toEqual([[true, 10, 546, 547], [false, 4, 546, 547]]);
  });

  it('reports udp.bad_header and udp.bad_length as malformed', () => {
    const tiny = ethernet({ payload: ipv6({ src: S, dst: D, nextHeader: 17, payload: new Uint8Array(5) }) });
    const badLen = ethernet({ payload: ipv6({ src: S, dst: D, nextHeader: 17, payload: udp({ src: S, dst: D, srcPort: 1, dstPort: 2, payload: new Uint8Array(4), length: 3 }) }) });
    const r = run(recs([tiny, badLen]));
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['udp.bad_header', [1]], ['udp.bad_length', [2]]]);
    expect(r.counts.malformed).toBe(2);
  });
});
