// Format sniffing: every magic, the magic split across chunks, bad magic, empty and tiny inputs.
import { describe, expect, it } from 'vitest';
import { createCaptureParser } from '../../../src/capture/sniff.js';
import { writePcap } from '../../kit/pcap-writer.js';
import { Collector } from './collect.js';
import { sameTrafficPcap, sameTrafficPcapng } from './traffic.js';

function sniff(chunks: Uint8Array[]) {
  const c = new Collector();
  const p = createCaptureParser(c);
  for (const ch of chunks) p.push(ch);
  p.end();
  return { c, p };
}

describe('createCaptureParser', () => {
  it('recognises pcap (both orders), ns pcap (both orders) and pcapng, even with the magic split', () => {
    const cases: Array<[Uint8Array, string]> = [
      [sameTrafficPcap(), 'pcap'], [sameTrafficPcap({ bigEndian: true }), 'pcap'],
      [sameTrafficPcap({ nanosecond: true }), 'pcap-ns'], [sameTrafficPcap({ nanosecond: true, bigEndian: true }), 'pcap-ns'],
      [sameTrafficPcapng(), 'pcapng'], [sameTrafficPcapng({ bigEndian: true }), 'pcapng'],
    ];
    for (const [bytes, format] of cases) {
      for (const cut of [1, 2, 3, 4, 5]) {
        const { c, p } = sniff([bytes.slice(0, 1), bytes.slice(1, cut), bytes.slice(cut)]);
        expect(p.format).toBe(format);
        expect(p.frames).toBe(4);
        expect(p.failed).toBe(false);
        expect(c.frames.map((f) => f.offset)[0]).toBe(format === 'pcapng' ? 100 : 24);
      }
    }
  });

  it('gives up on a bad magic with capture.bad_magic and reads nothing more', () => {
    const { c, p } = sniff([Uint8Array.of(0x12, 0x34), Uint8Array.of(0x56, 0x78, 0xd4, 0xc3, 0xb2, 0xa1)]);
    expect(p.failed).toBe(true);
    expect(p.format).toBeUndefined();
    expect(c.anomalies).toEqual([{ name: 'capture.bad_magic', message: 'not a pcap or pcapng capture (magic 12 34 56 78)', offset: 0 }]);
    expect(c.frames).toEqual([]);
  });

  it('names empty, too-short and gzip-in-gzip inputs', () => {
    expect(sniff([]).c.anomalies.map((a) => [a.name, a.message])).toEqual([['capture.empty', 'empty input']]);
    expect(sniff([Uint8Array.of(0xd4, 0xc3)]).c.anomalies.map((a) => [a.name, a.message])).toEqual([['capture.bad_magic', 'input too short (2 bytes)']]);
    expect(sniff([Uint8Array.of(0x1f, 0x8b, 8, 0)]).c.anomalies.map((a) => a.message)).toEqual(['gzip data inside gzip data is not supported']);
    for (const r of [sniff([]), sniff([Uint8Array.of(1)])]) expect(r.p.failed).toBe(true);
  });

  it('fails a pcap whose file header is cut, and a pcapng without a whole section header', () => {
    const pcap = sniff([writePcap({ linkType: 1, records: [] }).slice(0, 20)]);
    expect(pcap.p.failed).toBe(true);
    expect(pcap.c.anomalies.map((a) => a.name)).toEqual(['pcap.truncated_header']);
    const ng = sniff([sameTrafficPcapng().slice(0, 20)]);
    expect(ng.p.failed).toBe(true);
    expect(ng.c.anomalies.map((a) => [a.name, a.offset])).toEqual([['pcapng.truncated_block', 0]]);
  });

  it('does not fail an empty but valid pcap', () => {
    const { c, p } = sniff([writePcap({ linkType: 1, records: [] })]);
    expect(p.failed).toBe(false);
    expect(p.frames).toBe(0);
    expect(c.anomalies).toEqual([]);
    expect(c.infos).toEqual([{ format: 'pcap', compressed: false, snaplen: 262144 }]);
  });
});
