// Classic pcap reader: µs / ns magics, both byte orders, any chunking, corrupt lengths and resync,
// truncated tails.
import { describe, expect, it } from 'vitest';
import { PcapParser } from '../../../src/capture/pcap.js';
import { writePcap } from '../../kit/pcap-writer.js';
import { Collector, chunkBy, feed, plain, randomChunks } from './collect.js';
import { LINKTYPE_ETHERNET, sameTraffic } from './traffic.js';

const traffic = sameTraffic();
const records = traffic.map((t) => ({ tsSec: t.tsSec, tsNsec: t.tsNsec, data: t.eth }));
// Each record is 16 + 80 bytes: records start at 24, 120, 216, 312; the file ends at 408.
const REC = 96;

function parse(bytes: Uint8Array, chunks?: Uint8Array[]): { c: Collector; p: PcapParser } {
  const c = new Collector();
  const p = new PcapParser(c);
  feed(p, chunks ?? [bytes]);
  return { c, p };
}

function expected(linkType = LINKTYPE_ETHERNET) {
  return traffic.map((t, i) => ({
    index: i + 1, tsSec: t.tsSec, tsNsec: t.tsNsec, linkType, interfaceId: 0, origLength: 80,
    hex: Buffer.from(t.eth).toString('hex'),
  }));
}

function setU32(b: Uint8Array, off: number, v: number, le = true): void {
  new DataView(b.buffer, b.byteOffset).setUint32(off, v, le);
}

describe('pcap reader', () => {
  const us = writePcap({ linkType: LINKTYPE_ETHERNET, records });

  it('reads a little-endian microsecond pcap', () => {
    expect(us.length).toBe(24 + 4 * REC);
    const { c, p } = parse(us);
    expect(c.frames.map(plain)).toEqual(expected());
    expect(c.frames.map((f) => f.offset)).toEqual([24, 120, 216, 312]);
    expect(c.infos).toEqual([{ format: 'pcap', compressed: false, snaplen: 262144 }]);
    expect(c.anomalies).toEqual([]);
    expect(p.frames).toBe(4);
    expect(p.failed).toBe(false);
    expect(p.format).toBe('pcap');
  });

  it('reads big-endian and nanosecond pcaps to the same frames', () => {
    for (const opts of [{ bigEndian: true }, { nanosecond: true }, { nanosecond: true, bigEndian: true }]) {
      const bytes = writePcap({ linkType: LINKTYPE_ETHERNET, records, ...opts });
      const { c } = parse(bytes);
      expect(c.frames.map(plain)).toEqual(expected());
      expect(c.infos[0].format).toBe(opts.nanosecond ? 'pcap-ns' : 'pcap');
    }
  });

  it('keeps nanoseconds in a nanosecond pcap and truncates them to µs in a µs pcap', () => {
    const rec = [{ tsSec: 5, tsNsec: 123_456_789, data: new Uint8Array([1, 2, 3]) }];
    expect(parse(writePcap({ linkType: 101, nanosecond: true, records: rec })).c.frames[0].tsNsec).toBe(123_456_789);
    expect(parse(writePcap({ linkType: 101, records: rec })).c.frames[0].tsNsec).toBe(123_456_000);
  });

  it('gives the same frames for every two-chunk split and for single bytes', () => {
    const want = expected();
    for (let k = 1; k < us.length; k++) {
      const { c } = parse(us, [us.slice(0, k), us.slice(k)]);
      expect(c.frames.map(plain), `split at ${k}`).toEqual(want);
      expect(c.anomalies).toEqual([]);
    }
    const { c } = parse(us, chunkBy(us, [1]));
    expect(c.frames.map(plain)).toEqual(want);
    for (let seed = 1; seed <= 20; seed++) {
      expect(parse(us, randomChunks(us, seed, 40)).c.frames.map(plain)).toEqual(want);
    }
  });

  it('hands out views into the pushed chunk, copying only records that span chunks', () => {
    const c = new Collector();
    const p = new PcapParser(c);
    const first = us.slice(0, 24 + 96 + 50);
    const second = us.slice(24 + 96 + 50);
    p.push(first);
    p.push(second);
    p.end();
    expect(c.frames[0].data.buffer).toBe(first.buffer);
    expect(c.frames[1].data.buffer).not.toBe(first.buffer); // spans the two chunks: copied
    expect(c.frames[1].data.buffer).not.toBe(second.buffer);
    expect(c.frames[2].data.buffer).toBe(second.buffer);
    expect(c.frames[3].data.buffer).toBe(second.buffer);
    expect(c.frames.map(plain)).toEqual(expected());
  });

  it('takes the link type from the low 16 bits of the header field', () => {
    const bytes = writePcap({ linkType: 0x0001_0000 | 101, records });
    expect(parse(bytes).c.frames[0].linkType).toBe(101);
  });

  it('keeps snaplen-truncated records with their wire length', () => {
    const bytes = writePcap({ linkType: 1, snaplen: 40, records: [{ tsSec: 1, tsNsec: 0, data: traffic[0].eth.slice(0, 40), origLength: 80 }] });
    const { c } = parse(bytes);
    expect(c.frames).toHaveLength(1);
    expect(c.frames[0].data.length).toBe(40);
    expect(c.frames[0].origLength).toBe(80);
    expect(c.infos[0].snaplen).toBe(40);
  });

  it('reports a record length beyond the ceiling, keeps what came before and resynchronises', () => {
    const bytes = us.slice();
    setU32(bytes, 120 + 8, 0x0010_0000); // record 2 claims 1 MiB
    for (const chunks of [[bytes], chunkBy(bytes, [1]), randomChunks(bytes, 7, 50)]) {
      const { c } = parse(bytes, chunks);
      expect(c.named).toEqual([['pcap.bad_record_length', 120, 2], ['pcap.resync', 216, 2]]);
      expect(c.anomalies[1].message).toBe('skipped 96 bytes to the next plausible record');
      expect(c.frames.map((f) => [f.index, f.offset, f.tsSec, f.tsNsec])).toEqual([
        [1, 24, 1700000000, 100_000_000], [2, 216, 1700000001, 5_000], [3, 312, 1700000001, 999_999_000],
      ]);
    }
  });

  it('reports a captured length far above the wire length', () => {
    const bytes = us.slice();
    setU32(bytes, 216 + 8, 70000);
    setU32(bytes, 216 + 12, 10);
    const { c } = parse(bytes);
    expect(c.named).toEqual([['pcap.bad_record_length', 216, 3], ['pcap.resync', 312, 3]]);
    expect(c.frames.map((f) => f.offset)).toEqual([24, 120, 312]);
  });

  it('resynchronises after a corrupt first record (no previous timestamp)', () => {
    const bytes = us.slice();
    setU32(bytes, 24 + 8, 0xffff_fff0);
    const { c } = parse(bytes, randomChunks(bytes, 3, 30));
    expect(c.named).toEqual([['pcap.bad_record_length', 24, 1], ['pcap.resync', 120, 1]]);
    expect(c.frames.map((f) => [f.index, f.offset])).toEqual([[1, 120], [2, 216], [3, 312]]);
  });

  it('skips to the end when no plausible record follows the corruption', () => {
    const bytes = us.slice();
    setU32(bytes, 312 + 8, 0x0100_0000);
    const { c } = parse(bytes, randomChunks(bytes, 11, 20));
    expect(c.named).toEqual([['pcap.bad_record_length', 312, 4], ['pcap.resync', 408, 4]]);
    expect(c.anomalies[1].message).toBe('no plausible record found; skipped the last 96 bytes');
    expect(c.frames).toHaveLength(3);
  });

  it('reports a truncated last record and does not emit it', () => {
    const cut = us.slice(0, us.length - 10);
    const { c } = parse(cut, randomChunks(cut, 5, 33));
    expect(c.frames).toHaveLength(3);
    expect(c.named).toEqual([['pcap.truncated_record', 312, 4]]);
    expect(c.anomalies[0].message).toBe('the input ends inside a record: 70 of 80 captured bytes present');
    const inHeader = parse(us.slice(0, 312 + 8)).c;
    expect(inHeader.named).toEqual([['pcap.truncated_record', 312, 4]]);
    expect(inHeader.anomalies[0].message).toBe('the input ends 8 bytes into a record header');
  });

  it('fails on a truncated file header and on a bad magic', () => {
    const short = parse(us.slice(0, 10));
    expect(short.p.failed).toBe(true);
    expect(short.c.named).toEqual([['pcap.truncated_header', 0, undefined]]);
    const bad = us.slice();
    bad[0] = 0;
    const r = parse(bad);
    expect(r.p.failed).toBe(true);
    expect(r.c.named).toEqual([['capture.bad_magic', 0, undefined]]);
    expect(r.c.frames).toEqual([]);
  });

  it('reads the modified (a1b2cd34) format with 24-byte record headers', () => {
    const std = us;
    const mod = new Uint8Array(24 + 4 * (REC + 8));
    mod.set(std.subarray(0, 24));
    setU32(mod, 0, 0xa1b2cd34);
    for (let i = 0; i < 4; i++) {
      const from = 24 + i * REC;
      const to = 24 + i * (REC + 8);
      mod.set(std.subarray(from, from + 16), to);
      mod.set(std.subarray(from + 16, from + REC), to + 24);
    }
    const { c } = parse(mod);
    expect(c.frames.map(plain)).toEqual(expected());
  });
});
