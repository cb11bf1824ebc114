// TCP reassembly and frame accounting on the committed net fixtures (read with the project's reader).
import { describe, expect, it } from 'vitest';
import { ANSWER, QUERY } from '../../../fixtures/net/common.js';
import { accountingOk, readFrames, run, shape } from './harness.js';

function fixture(name: string) {
  const r = run(readFrames(`fixtures/net/${name}`));
  expect(accountingOk(r)).toBe(true);
  return r;
}

describe('TCP reassembly from fixtures', () => {
  it('tcp-reorder: reversed segments are delivered in order at the frame that filled the hole', () => {
    const r = fixture('tcp-reorder.pcap');
    expect(r.frames).toBe(13);
    expect(shape(r)).toEqual([
      'open#1@1', 'data#1.0@4:41', 'data#1.1@8:100', 'data#1.1@8:100', 'data#1.1@8:66',
      'fin#1.0@10', 'fin#1.1@12', 'close#1@12:fin',
    ]);
    expect(r.stream(1, 0)).toEqual(QUERY);
    expect(r.stream(1, 1)).toEqual(ANSWER);
    expect(r.counts).toEqual({ dhcpv6: 13, other: 0, malformed: 0, dropped: 0 });
    expect(r.anomalies).toEqual([]);
    const c = r.conns[0];
    expect(c).toMatchObject({
      id: 1, label: '[2001:db8::9]:40001 > [2001:db8::1]:547', synSeen: true, midStream: false, detectedBy: 'port',
      client: { address: '2001:db8::9', port: 40001 }, server: { address: '2001:db8::1', port: 547 }, firstFrame: 1,
    });
  });

  it('tcp-retransmit: identical and shifted resends change nothing and raise nothing', () => {
    const r = fixture('tcp-retransmit.pcap');
    expect(r.frames).toBe(15);
    expect(shape(r)).toEqual([
      'open#1@1', 'data#1.0@4:41', 'data#1.1@6:100', 'data#1.1@7:100', 'data#1.1@8:66',
      'fin#1.0@12', 'fin#1.1@14', 'close#1@14:fin',
    ]);
    expect(r.stream(1, 1)).toEqual(ANSWER);
    expect(r.anomalies).toEqual([]);
    expect(r.counts.dhcpv6).toBe(15);
  });

  it('tcp-overlap-conflict: the first copy wins, each conflict is reported at its frame', () => {
    const r = fixture('tcp-overlap-conflict.pcap');
    expect(r.frames).toBe(15);
    expect(shape(r)).toEqual([
      'open#1@1', 'data#1.0@4:41', 'data#1.1@8:100', 'data#1.1@8:100', 'data#1.1@9:66',
      'fin#1.0@12', 'fin#1.1@14', 'close#1@14:fin',
    ]);
    expect(r.stream(1, 1)).toEqual(ANSWER);
    expect(r.anomalies.map((a) => [a.name, a.frames, a.connection])).toEqual([
      ['tcp.overlap_conflict', [7], '[2001:db8::9]:40001 > [2001:db8::1]:547'],
      ['tcp.overlap_conflict', [11], '[2001:db8::9]:40001 > [2001:db8::1]:547'],
    ]);
  });

  it('tcp-gap: the ACK of unseen octets reports a 100-octet gap, then the buffered rest', () => {
    const r = fixture('tcp-gap.pcap');
    expect(r.frames).toBe(12);
    expect(shape(r)).toEqual([
      'open#1@1', 'data#1.0@4:41', 'data#1.1@6:100', 'gap#1.1@8:100', 'data#1.1@8:66',
      'fin#1.0@9', 'fin#1.1@11', 'close#1@11:fin',
    ]);
    expect(r.stream(1, 1)).toEqual(new Uint8Array([...ANSWER.subarray(0, 100), ...ANSWER.subarray(200)]));
    // Evidence as tshark shows it: frame 6 carried the octets before the hole, frame 7 ("previous
    // segment not captured") those after it, frame 8 ("ACKed unseen segment") proved them sent.
    expect(r.anomalies.map((a) => [a.name, a.frames, a.message])).toEqual([
      ['tcp.gap', [6, 7, 8], '100 octets from the server were not captured between frames 6 and 7 (known at frame 8)'],
    ]);
  });

  it('tcp-mid-stream: roles inferred from port 547, data from the first captured octet', () => {
    const r = fixture('tcp-mid-stream.pcap');
    expect(r.frames).toBe(8);
    expect(shape(r)).toEqual([
      'open#1@1', 'data#1.1@1:100', 'data#1.1@2:100', 'data#1.1@3:66', 'fin#1.0@5', 'fin#1.1@7', 'close#1@7:fin',
    ]);
    expect(r.conns[0]).toMatchObject({ synSeen: false, midStream: true, client: { port: 40001 }, server: { port: 547 } });
    expect(r.stream(1, 1)).toEqual(ANSWER);
    expect(r.anomalies).toEqual([]);
  });

  it('tcp-seq-wrap: sequence numbers past 2^32 (ISN 0xffffff80) reassemble in order', () => {
    const r = fixture('tcp-seq-wrap.pcap');
    expect(r.frames).toBe(13);
    expect(shape(r)).toEqual([
      'open#1@1', 'data#1.0@4:41', 'data#1.1@6:100', 'data#1.1@8:100', 'data#1.1@8:66',
      'fin#1.0@10', 'fin#1.1@12', 'close#1@12:fin',
    ]);
    expect(r.stream(1, 0)).toEqual(QUERY);
    expect(r.stream(1, 1)).toEqual(ANSWER);
    expect(r.anomalies).toEqual([]);
  });

  it('duplicates: copies from a second capture point are folded, retransmissions are not', () => {
    const r = fixture('duplicates.pcap');
    expect(r.frames).toBe(20);
    expect(r.duplicates).toEqual([[2, 1], [5, 4], [12, 11], [19, 18]]);
    expect(r.udp.map((d) => d.frame)).toEqual([1, 3]);
    expect(shape(r)).toEqual([
      'open#1@4', 'data#1.0@8:41', 'data#1.1@11:100', 'data#1.1@13:100', 'data#1.1@14:66',
      'fin#1.0@16', 'fin#1.1@18', 'close#1@18:fin',
    ]);
    expect(r.counts).toEqual({ dhcpv6: 20, other: 0, malformed: 0, dropped: 0 });
    expect(r.anomalies).toEqual([]);
  });
});
