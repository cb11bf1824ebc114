// pcapng reader: byte orders per section, several sections and interfaces, if_tsresol / if_tsoffset,
// EPB / SPB / OPB, skipped blocks, bad lengths with resync, unknown interfaces, truncated tails.
import { describe, expect, it } from 'vitest';
import { PcapngParser } from '../../../src/capture/pcapng.js';
import { writePcapng, concatBytes, type PcapngPacket } from '../../kit/pcap-writer.js';
import { Collector, chunkBy, feed, plain, randomChunks } from './collect.js';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW, sameTraffic } from './traffic.js';

const traffic = sameTraffic();

function parse(bytes: Uint8Array, chunks?: Uint8Array[]): { c: Collector; p: PcapngParser } {
  const c = new Collector();
  const p = new PcapngParser(c);
  feed(p, chunks ?? [bytes]);
  return { c, p };
}

/** A little-endian block with the given body (already padded). */
function block(type: number, body: number[] | Uint8Array, le = true): Uint8Array {
  const len = 12 + body.length;
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, le);
  dv.setUint32(4, len, le);
  out.set(body, 8);
  dv.setUint32(len - 4, len, le);
  return out;
}

function setU32(b: Uint8Array, off: number, v: number, le = true): void {
  new DataView(b.buffer, b.byteOffset).setUint32(off, v, le);
}

// Interface 0: Ethernet with nanosecond timestamps; interface 1: raw IPv6 with the default µs.
const interfaces = [
  { linkType: LINKTYPE_ETHERNET, tsresol: 9 },
  { linkType: LINKTYPE_RAW },
];
const packets: PcapngPacket[] = traffic.map((t, i) => ({
  interfaceId: i % 2, tsSec: t.tsSec, tsNsec: t.tsNsec, data: i % 2 ? t.ip : t.eth,
}));
// SHB 28 + IDB0 32 + IDB1 20 = 80; EPBs of 112 (Ethernet) and 100 (raw) bytes.
const OFFSETS = [80, 192, 292, 404];
const END = 504;

function expected() {
  return traffic.map((t, i) => ({
    index: i + 1, tsSec: t.tsSec, tsNsec: t.tsNsec, linkType: i % 2 ? LINKTYPE_RAW : LINKTYPE_ETHERNET,
    interfaceId: i % 2, origLength: i % 2 ? 66 : 80, hex: Buffer.from(i % 2 ? t.ip : t.eth).toString('hex'),
  }));
}

describe('pcapng reader', () => {
  const file = writePcapng({ interfaces, packets });

  it('reads two interfaces with different link types and resolutions', () => {
    expect(file.length).toBe(END);
    const { c, p } = parse(file);
    expect(c.frames.map(plain)).toEqual(expected());
    expect(c.frames.map((f) => f.offset)).toEqual(OFFSETS);
    expect(c.infos).toEqual([{ format: 'pcapng', compressed: false, snaplen: 262144 }]);
    expect(c.anomalies).toEqual([]);
    expect(p.frames).toBe(4);
  });

  it('reads a big-endian section to the same frames', () => {
    const be = writePcapng({ bigEndian: true, interfaces, packets });
    expect(be[8]).toBe(0x1a);
    expect(parse(be).c.frames.map(plain)).toEqual(expected());
  });

  it('gives the same frames for every two-chunk split and for single bytes', () => {
    const want = expected();
    for (let k = 1; k < file.length; k++) {
      const { c } = parse(file, [file.slice(0, k), file.slice(k)]);
      expect(c.frames.map(plain), `split at ${k}`).toEqual(want);
      expect(c.anomalies).toEqual([]);
    }
    expect(parse(file, chunkBy(file, [1])).c.frames.map(plain)).toEqual(want);
    for (let seed = 1; seed <= 20; seed++) expect(parse(file, randomChunks(file, seed, 50)).c.frames.map(plain)).toEqual(want);
  });

  it('resets interfaces per section, each section in its own byte order', () => {
    const two = writePcapng({
      sections: [
        { interfaces: [{ linkType: LINKTYPE_ETHERNET }], packets: [{ interfaceId: 0, tsSec: 10, tsNsec: 1000, data: traffic[0].eth }] },
        { bigEndian: true, interfaces: [{ linkType: LINKTYPE_RAW, tsresol: 3 }], packets: [{ interfaceId: 0, tsSec: 20, tsNsec: 7_000_000, data: traffic[1].ip }] },
      ],
    });
    const { c } = parse(two, randomChunks(two, 9, 17));
    expect(c.frames.map((f) => [f.index, f.interfaceId, f.linkType, f.tsSec, f.tsNsec, f.data.length])).toEqual([
      [1, 0, LINKTYPE_ETHERNET, 10, 1000, 80], [2, 0, LINKTYPE_RAW, 20, 7_000_000, 66],
    ]);
    expect(c.anomalies).toEqual([]);
  });

  it('reads SPB (captured length limited by the IDB 0 snaplen) and OPB', () => {
    const bytes = writePcapng({
      interfaces: [{ linkType: LINKTYPE_ETHERNET, snaplen: 60 }],
      packets: [
        { interfaceId: 0, tsSec: 0, tsNsec: 0, data: traffic[0].eth, block: 'spb' },
        { interfaceId: 0, tsSec: 1700000000, tsNsec: 250_000, data: traffic[1].eth.slice(0, 60), origLength: 80, block: 'opb' },
      ],
    });
    const { c } = parse(bytes);
    expect(c.frames.map((f) => [f.index, f.tsSec, f.tsNsec, f.data.length, f.origLength])).toEqual([
      [1, 0, 0, 60, 80], [2, 1700000000, 250_000, 60, 80],
    ]);
    expect(Buffer.from(c.frames[0].data).equals(Buffer.from(traffic[0].eth.subarray(0, 60)))).toBe(true);
    expect(c.infos[0].snaplen).toBe(60);
  });

  it('reads power-of-two resolutions and if_tsoffset', () => {
    const shb = writePcapng({ interfaces: [] });
    // if_tsresol = 0x94 (2^-20 s), if_tsoffset = 100 s.
    const idb = block(1, [
      1, 0, 0, 0, 0, 0, 4, 0,
      9, 0, 1, 0, 0x94, 0, 0, 0,
      14, 0, 8, 0, 100, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0,
    ]);
    const ts = 5n * (1n << 20n) + (1n << 19n); // 5.5 s
    const epbBody = new Uint8Array(20 + 4);
    const dv = new DataView(epbBody.buffer);
    dv.setUint32(4, Number(ts >> 32n), true);
    dv.setUint32(8, Number(ts & 0xffffffffn), true);
    dv.setUint32(12, 3, true);
    dv.setUint32(16, 3, true);
    epbBody.set([7, 8, 9], 20);
    const bytes = concatBytes([shb, idb, block(6, epbBody)]);
    const { c } = parse(bytes);
    expect(c.anomalies).toEqual([]);
    expect(c.frames.map((f) => [f.tsSec, f.tsNsec, Array.from(f.data)])).toEqual([[105, 500_000_000, [7, 8, 9]]]);
  });

  it('skips NRB, ISB, DSB, custom and unknown blocks', () => {
    const parts = [file.subarray(0, 80)];
    const extra = [block(4, [0, 0, 0, 0]), block(5, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), block(0x0a, [0, 0, 0, 0]),
      block(0x0bad, [1, 2, 3, 4]), block(0x4000_0bad, [1, 2, 3, 4]), block(0x1234_5678, [9, 9, 9, 9])];
    for (let i = 0; i < 4; i++) {
      parts.push(file.subarray(OFFSETS[i], i < 3 ? OFFSETS[i + 1] : END));
      parts.push(extra[i]);
    }
    parts.push(extra[4], extra[5]);
    const bytes = concatBytes(parts);
    const { c } = parse(bytes, randomChunks(bytes, 4, 60));
    expect(c.frames.map(plain)).toEqual(expected());
    expect(c.anomalies).toEqual([]);
  });

  it('reports a bad block length, keeps what came before and resynchronises', () => {
    for (const [len, what] of [[0x7fff_fff0, 'beyond the cap'], [101, 'not a multiple of 4'], [8, 'below 12']] as const) {
      const bytes = file.slice();
      setU32(bytes, OFFSETS[1] + 4, len);
      const { c } = parse(bytes, randomChunks(bytes, 12, 70));
      expect(c.named, what).toEqual([['pcapng.bad_block_length', 192, 2], ['pcapng.resync', 292, 2]]);
      expect(c.anomalies[1].message).toBe('skipped 100 bytes to the next plausible block');
      expect(c.frames.map((f) => [f.index, f.offset, f.interfaceId])).toEqual([[1, 80, 0], [2, 292, 0], [3, 404, 1]]);
    }
  });

  it('reports a trailing length that disagrees with the leading one', () => {
    const bytes = file.slice();
    setU32(bytes, OFFSETS[2] + 112 - 4, 116);
    const { c } = parse(bytes);
    expect(c.named).toEqual([['pcapng.bad_block_length', 292, 3], ['pcapng.resync', 404, 3]]);
    expect(c.anomalies[0].message).toBe('block of type 0x6: leading length 112, trailing length 116');
    expect(c.frames.map((f) => f.offset)).toEqual([80, 192, 404]);
  });

  it('drops a packet on an unknown interface with an anomaly', () => {
    const bytes = file.slice();
    setU32(bytes, OFFSETS[1] + 8, 5);
    const { c } = parse(bytes);
    expect(c.named).toEqual([['pcapng.unknown_interface', 192, 2]]);
    expect(c.frames.map((f) => [f.index, f.offset])).toEqual([[1, 80], [2, 292], [3, 404]]);
  });

  it('reports a truncated last block and does not emit it', () => {
    const cut = file.slice(0, END - 30);
    const { c } = parse(cut, randomChunks(cut, 2, 40));
    expect(c.named).toEqual([['pcapng.truncated_block', 404, 4]]);
    expect(c.anomalies[0].message).toBe('the input ends 70 bytes into a block');
    expect(c.frames).toHaveLength(3);
  });

  it('reports a packet whose captured length exceeds its block', () => {
    const bytes = file.slice();
    setU32(bytes, OFFSETS[0] + 20, 200);
    const { c } = parse(bytes);
    expect(c.named).toEqual([['pcapng.bad_captured_length', 80, 1]]);
    expect(c.frames.map((f) => f.offset)).toEqual([192, 292, 404]);
  });
});
