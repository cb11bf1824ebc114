// The pipeline's handling of capture-layer damage: a DECODE-CAPTURE finding names a frame that exists;
// and the frame accounting of a bulk connection whose rest is TLS.
// Readers tag a damaged record with the number the next frame would get; when no frame follows (the
// file ends inside or after the damage) that frame does not exist, and the evidence is the last frame read.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../src/index.js';
import { udpFrame } from '../kit/packets.js';
import { writePcap, writePcapng } from '../kit/pcap-writer.js';

const solicit = new Uint8Array([1, 0x12, 0x34, 0x56, 0, 8, 0, 2, 0, 0]);
const frame = udpFrame('fe80::1', 'ff02::1:2', 546, 547, solicit);
const records = (n: number) => Array.from({ length: n }, (_, i) => ({ tsSec: 1732262400 + i, tsNsec: 0, data: frame }));

async function captureFindings(bytes: Uint8Array) {
  const report = await analyze([{ stream: Readable.from([bytes]), name: 'damaged' }]);
  return {
    frames: report.stats.frames,
    capture: report.findings.filter((f) => f.ruleId === 'DECODE-CAPTURE').map((f) => [f.frames, f.message]),
  };
}

describe('DECODE-CAPTURE evidence frames', () => {
  it('a pcap cut inside its third record: the evidence is frame 2, the last one read', async () => {
    const whole = writePcap({ linkType: 1, records: records(3) });
    const r = await captureFindings(whole.subarray(0, whole.length - 10));
    expect(r.frames).toBe(2);
    expect(r.capture).toHaveLength(1);
    expect(r.capture[0][0]).toEqual([2]);
    const third = 24 + 2 * (16 + frame.length);
    expect(r.capture[0][1]).toMatch(new RegExp(`^pcap\\.truncated_record at byte ${third} of the capture data: .* \\(after frame 2, the last one read\\)$`));
  });

  it('a pcapng cut inside its last block: the same', async () => {
    const whole = writePcapng({ interfaces: [{ linkType: 1 }], packets: records(2).map((r) => ({ interfaceId: 0, ...r })) });
    const r = await captureFindings(whole.subarray(0, whole.length - 30));
    expect(r.frames).toBe(1);
    // The cut block is the last one: it starts 74 octets before the cut, 30 before the whole file's end.
    expect(r.capture).toEqual([[[1], `pcapng.truncated_block at byte ${whole.length - 30 - 74} of the capture data: the input ends 74 bytes into a block (after frame 1, the last one read)`]]);
  });

  it('a pcap whose only record is cut: no frame to show', async () => {
    const whole = writePcap({ linkType: 1, records: records(1) });
    const r = await captureFindings(whole.subarray(0, whole.length - 10));
    expect(r.frames).toBe(0);
    expect(r.capture).toHaveLength(1);
    expect(r.capture[0][0]).toEqual([]);
  });

  it('a corrupt record length in the middle: the evidence is the frame read after the damage', async () => {
    const whole = writePcap({ linkType: 1, records: records(4) });
    const second = 24 + (16 + frame.length);
    new DataView(whole.buffer).setUint32(second + 8, 0x00ff_ffff, true);
    const r = await captureFindings(whole);
    expect(r.frames).toBe(3);
    // The damage is the second record's header; the reader finds the next plausible one a record later.
    expect(r.capture.map(([frames, message]) => [frames, String(message).split(':')[0]])).toEqual([
      [[2], `pcap.bad_record_length at byte ${second} of the capture data`],
      [[2], `pcap.resync at byte ${second + 16 + frame.length} of the capture data`],
    ]);
  });
});

// RFC 7653 §8.2: the TLS part of a leasequery connection is not decoded, yet its frames are counted:
// they belong to the followed bulk connection, as its ACKs and undecodable octets do.
describe('frames of a connection turned TLS', () => {
  it('starttls-accepted: 33 frames all on the bulk connection, 2 messages (STARTTLS and its REPLY), no finding', async () => {
    const path = fileURLToPath(new URL('../../fixtures/bulk/starttls-accepted.pcapng', import.meta.url));
    const report = await analyze([{ stream: Readable.from([readFileSync(path)]), name: 'starttls-accepted' }]);
    const s = report.stats;
    expect([s.frames, s.dhcpv6Frames, s.otherFrames, s.malformedFrames, s.droppedFrames]).toEqual([33, 33, 0, 0, 0]);
    expect([s.dhcpv6Messages, s.bulkConnections, s.bulkQueries]).toEqual([2, 1, 0]);
    expect(report.findings).toEqual([]);
  });
});
