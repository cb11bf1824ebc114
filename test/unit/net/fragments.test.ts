// IPv6 / IPv4 fragment reassembly: order, overlap (RFC 5722), timeout, memcap, incomplete at the end.
import { describe, expect, it } from 'vitest';
import { ethernet, ipv4Fragments, ipv6Fragments, udp } from '../../kit/packets.js';
import { accountingOk, run, type Rec } from './harness.js';

const S = '2001:db8::1';
const D = '2001:db8::2';
const payload = new Uint8Array(3000).map((_, i) => i & 0xff);
const dg = udp({ src: S, dst: D, srcPort: 546, dstPort: 547, payload });
const frags = ipv6Fragments({ src: S, dst: D, nextHeader: 17, payload: dg, id: 9 }, 1280); // 3 fragments

function at(frames: Uint8Array[], times?: number[]): Rec[] {
  return frames.map((f, i) => {
    const t = 1700000000 + (times ? times[i] : i * 0.01);
    return { tsSec: Math.floor(t), tsNsec: Math.round((t - Math.floor(t)) * 1e9), data: ethernet({ payload: f }) };
  });
}

describe('IPv6 fragments', () => {
  it('reassembles in order and reversed', () => {
    expect(frags).toHaveLength(3);
    for (const order of [[0, 1, 2], [2, 1, 0], [1, 2, 0]]) {
      const r = run(at(order.map((i) => frags[i])));
      expect(r.udp).toHaveLength(1);
      expect(r.udp[0].frame).toBe(3);
      expect(r.udp[0].frames).toEqual([1, 2, 3]);
      expect(new Uint8Array(r.udp[0].payload)).toEqual(payload);
      expect(r.counts.dhcpv6).toBe(3);
      expect(accountingOk(r)).toBe(true);
    }
  });

  it('accepts an identical resent fragment; different overlapping octets discard the datagram', () => {
    const same = run(at([frags[0], frags[1], frags[1], frags[2]], [0, 0.01, 0.5, 0.6]));
    expect(same.udp).toHaveLength(1);
    expect(same.udp[0].frames).toEqual([1, 2, 3, 4]);
    const evil = frags[1].slice();
    evil[evil.length - 1] ^= 0xff;
    const r = run(at([frags[0], frags[1], evil, frags[2]], [0, 0.01, 0.5, 0.6]));
    expect(r.udp).toHaveLength(0);
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['ipv6.frag.overlap', [1, 2, 3]]]);
    // RFC 5722: the later fragment of the discarded datagram is discarded too.
    expect([1, 2, 3, 4].map((f) => r.classes.get(f))).toEqual(['malformed', 'malformed', 'malformed', 'malformed']);
    expect(accountingOk(r)).toBe(true);
  });

  it('gives up after ip.frag-timeout (60 s default) and drops the held frames', () => {
    const other = udp({ src: S, dst: D, srcPort: 1, dstPort: 2, payload: new Uint8Array(4) });
    const lone = at([frags[0], frags[1]], [0, 1]);
    const later = { tsSec: 1700000061 + 1, tsNsec: 0, data: ethernet({ payload: ipv6Fragments({ src: S, dst: D, nextHeader: 17, payload: other, id: 1 }, 1280)[0] }) };
    const r = run([...lone, later], {}, 1, () => 'other');
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['ip.frag.timeout', [1, 2]]]);
    expect([r.classes.get(1), r.classes.get(2), r.classes.get(3)]).toEqual(['dropped', 'dropped', 'other']);
    const short = run([...lone, later], { 'ip.frag-timeout': 100 }, 1, () => 'other');
    expect(short.anomalies.map((a) => a.name)).toEqual(['ip.frag.incomplete']);
  });

  it('reports fragments still held at the end as incomplete and dropped', () => {
    const r = run(at([frags[0], frags[2]]));
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['ip.frag.incomplete', [1, 2]]]);
    expect(r.counts).toEqual({ dhcpv6: 0, other: 0, malformed: 0, dropped: 2 });
  });

  it('hits ip.frag-memcap: limit.frag_memcap, the datagram and its later fragments dropped', () => {
    const r = run(at(frags), { 'ip.frag-memcap': 2000 });
    expect(r.udp).toHaveLength(0);
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['limit.frag_memcap', [1, 2]]]);
    expect(r.counts).toEqual({ dhcpv6: 0, other: 0, malformed: 0, dropped: 3 });
  });

  it('hits ip.frag-max-fragments', () => {
    const small = ipv6Fragments({ src: S, dst: D, nextHeader: 17, payload: dg, id: 3 }, 200); // 20 fragments
    const r = run(at(small), { 'ip.frag-max-fragments': 8 });
    expect(r.anomalies.map((a) => a.name)).toEqual(['limit.frag_max_fragments']);
    expect(r.counts.dropped).toBe(small.length);
    expect(accountingOk(r)).toBe(true);
  });

  it('rejects a non-last fragment whose length is not a multiple of 8', () => {
    const f = frags[0].slice(0, frags[0].length - 3);
    f[4] = (f.length - 40) >> 8; f[5] = (f.length - 40) & 0xff;
    const r = run(at([f]));
    expect(r.anomalies.map((a) => a.name)).toEqual(['ipv6.frag.bad_length']);
    expect(r.classes.get(1)).toBe('malformed');
  });
});

describe('IPv4 fragments', () => {
  const v4 = udp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 546, dstPort: 547, payload: payload.subarray(0, 1200) });
  const f4 = ipv4Fragments({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: v4, id: 5 }, 576);

  it('reassembles reversed IPv4 fragments', () => {
    const r = run(at([...f4].reverse()));
    expect(r.udp.map((d) => [d.frame, d.frames, d.ipVersion])).toEqual([[3, [1, 2, 3], 4]]);
    expect(new Uint8Array(r.udp[0].payload)).toEqual(payload.subarray(0, 1200));
  });

  it('reports ipv4.frag.overlap', () => {
    const evil = f4[0].slice();
    evil[evil.length - 1] ^= 1;
    const r = run(at([f4[0], evil, f4[1], f4[2]]));
    expect(r.anomalies.map((a) => [a.name, a.frames])).toEqual([['ipv4.frag.overlap', [1, 2]]]);
    expect(r.counts.malformed).toBe(4);
  });
});
