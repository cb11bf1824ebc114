// pcap / pcapng writers: exact header and block bytes, comments readable by tshark, incremental writer
// equal to the one-shot one, and read back by our readers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writePcap, writePcapng, PcapngWriter, concatBytes } from '../../kit/pcap-writer.js';
import { createCaptureParser } from '../../../src/capture/sniff.js';
import { Collector } from './collect.js';
import { sameTraffic } from './traffic.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'dhcp6audit-writer-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

function readBack(bytes: Uint8Array): Collector {
  const c = new Collector();
  const p = createCaptureParser(c);
  p.push(bytes);
  p.end();
  return c;
}

describe('writePcap', () => {
  it('writes the file header and records', () => {
    const b = writePcap({ linkType: 101, snaplen: 65535, records: [{ tsSec: 0x01020304, tsNsec: 5_000_999, data: Uint8Array.of(0xaa, 0xbb), origLength: 9 }] });
    expect(hex(b)).toBe('d4c3b2a1' + '02000400' + '00000000' + '00000000' + 'ffff0000' + '65000000'
      + '04030201' + '88130000' + '02000000' + '09000000' + 'aabb');
    const be = writePcap({ linkType: 1, nanosecond: true, bigEndian: true, records: [{ tsSec: 1, tsNsec: 5_000_999, data: Uint8Array.of(1) }] });
    expect(hex(be)).toBe('a1b23c4d' + '00020004' + '00000000' + '00000000' + '00040000' + '00000001'
      + '00000001' + '004c4f27' + '00000001' + '00000001' + '01');
  });
});

describe('writePcapng', () => {
  it('writes SHB, IDB with if_name and if_tsresol, and an EPB with a padded comment', () => {
    const b = writePcapng({
      interfaces: [{ linkType: 1, snaplen: 1500, tsresol: 9, name: 'e0' }],
      packets: [{ interfaceId: 0, tsSec: 1, tsNsec: 2, data: Uint8Array.of(9, 8, 7), comments: ['hé'] }],
    });
    const shb = '0a0d0d0a' + '1c000000' + '4d3c2b1a' + '0100' + '0000' + 'ffffffffffffffff' + '1c000000';
    const idb = '01000000' + '28000000' + '0100' + '0000' + 'dc050000' + '0200' + '0200' + '65300000' + '0900' + '0100' + '09000000' + '00000000' + '28000000';
    // ts = 1 s * 10^9 + 2 = 0x3b9aca02 units.
    const epb = '06000000' + '30000000' + '00000000' + '00000000' + '02ca9a3b' + '03000000' + '03000000' + '09080700'
      + '0100' + '0300' + '68c3a900' + '00000000' + '30000000';
    expect(hex(b)).toBe(shb + idb + epb);
  });

  it('writes comments tshark shows, and SPB / OPB blocks tshark reads', () => {
    const t = sameTraffic();
    const bytes = writePcapng({
      interfaces: [{ linkType: 1 }],
      packets: [
        { interfaceId: 0, tsSec: 10, tsNsec: 0, data: t[0].eth, comments: ['BLQ-XID-DONE: first', 'second'] },
        { interfaceId: 0, tsSec: 0, tsNsec: 0, data: t[1].eth, block: 'spb' },
        { interfaceId: 0, tsSec: 12, tsNsec: 0, data: t[2].eth, block: 'opb', comments: ['obsolete'] },
      ],
    });
    const file = join(tmp, 'comments.pcapng');
    writeFileSync(file, bytes);
    const out = execFileSync('/usr/bin/tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment', '-e', 'frame.len'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(out.trimEnd().split('\n')).toEqual(['1\tBLQ-XID-DONE: first,second\t80', '2\t\t80', '3\tobsolete\t80']);
    expect(readBack(bytes).frames.map((f) => [f.index, f.tsSec, f.data.length])).toEqual([[1, 10, 80], [2, 0, 80], [3, 12, 80]]);
  });

  it('converts timestamps to the interface resolution (truncating)', () => {
    const bytes = writePcapng({
      interfaces: [{ linkType: 101, tsresol: 3 }, { linkType: 101, tsresol: 9 }, { linkType: 101 }],
      packets: [0, 1, 2].map((i) => ({ interfaceId: i, tsSec: 1700000000, tsNsec: 123_456_789, data: Uint8Array.of(0x60) })),
    });
    expect(readBack(bytes).frames.map((f) => [f.tsSec, f.tsNsec])).toEqual([
      [1700000000, 123_000_000], [1700000000, 123_456_789], [1700000000, 123_456_000],
    ]);
  });

  it('PcapngWriter chunks equal the one-shot file', () => {
    const section = { bigEndian: true, interfaces: [{ linkType: 1, name: 'x' }, { linkType: 101, tsresol: 9 }] };
    const packets = sameTraffic().map((t, i) => ({ interfaceId: i % 2, tsSec: t.tsSec, tsNsec: t.tsNsec, data: i % 2 ? t.ip : t.eth, comments: i === 2 ? ['c'] : undefined }));
    const w = new PcapngWriter(section);
    const chunks = [w.header(), ...packets.map((p) => w.packet(p))];
    expect(hex(concatBytes(chunks))).toBe(hex(writePcapng({ ...section, packets })));
  });

  it('refuses misuse', () => {
    const w = new PcapngWriter({ interfaces: [{ linkType: 1 }, { linkType: 1 }] });
    expect(() => w.packet({ interfaceId: 1, tsSec: 0, tsNsec: 0, data: new Uint8Array(1), block: 'spb' })).toThrow('interface 0');
    expect(() => w.packet({ interfaceId: 0, tsSec: 0, tsNsec: 0, data: new Uint8Array(1), block: 'spb', comments: ['x'] })).toThrow('no options');
    expect(() => w.packet({ interfaceId: 2, tsSec: 0, tsNsec: 0, data: new Uint8Array(1) })).toThrow('no interface 2');
    // 2^64 ns is about 1.8e10 s: a later time would wrap silently, so it is refused.
    const ns = new PcapngWriter({ interfaces: [{ linkType: 1, tsresol: 9 }] });
    expect(() => ns.packet({ interfaceId: 0, tsSec: 1e13, tsNsec: 0, data: new Uint8Array(1) })).toThrow(RangeError);
    expect(() => ns.packet({ interfaceId: 0, tsSec: 1.8e10, tsNsec: 0, data: new Uint8Array(1) })).not.toThrow();
  });
});
