// Property tests: random bytes and random mutations of valid pcap / pcapng captures, in random
// chunkings, never throw, terminate with bounded output, and do not depend on the chunking.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCaptureParser } from '../../../src/capture/sniff.js';
import { Collector, chunkBy } from './collect.js';
import { sameTrafficPcap, sameTrafficPcapng } from './traffic.js';
import { writePcapng } from '../../kit/pcap-writer.js';

const bases: Uint8Array[] = [
  sameTrafficPcap(),
  sameTrafficPcap({ nanosecond: true, bigEndian: true }),
  sameTrafficPcapng(),
  sameTrafficPcapng({ bigEndian: true }),
  writePcapng({
    sections: [
      { interfaces: [{ linkType: 1, snaplen: 50 }], packets: [{ interfaceId: 0, tsSec: 0, tsNsec: 0, data: new Uint8Array(60), block: 'spb' }] },
      { bigEndian: true, interfaces: [{ linkType: 101 }], packets: [{ interfaceId: 0, tsSec: 3, tsNsec: 4000, data: new Uint8Array(7), block: 'opb', comments: ['hi'] }] },
    ],
  }),
];

type Mutation = { kind: 'flip' | 'set' | 'insert' | 'delete' | 'truncate'; at: number; value: number; count: number };

function mutate(base: Uint8Array, muts: Mutation[]): Uint8Array {
  let b = Array.from(base);
  for (const m of muts) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.kind) {
      case 'flip': if (b.length) b[at] ^= 1 << (m.value & 7); break;
      case 'set': if (b.length) b[at] = m.value; break;
      case 'insert': b.splice(at, 0, ...Array(m.count).fill(m.value)); break;
      case 'delete': b.splice(at, m.count); break;
      case 'truncate': b = b.slice(0, at); break;
    }
  }
  return Uint8Array.from(b);
}

interface Outcome { frames: string[]; anomalies: string[]; failed: boolean }

function run(bytes: Uint8Array, sizes: number[]): Outcome {
  const c = new Collector();
  const p = createCaptureParser(c);
  for (const chunk of chunkBy(bytes, sizes)) p.push(chunk);
  p.end();
  // Invariants on every run.
  expect(p.frames).toBe(c.frames.length);
  expect(c.frames.length).toBeLessThanOrEqual(Math.floor(bytes.length / 16) + 1);
  expect(c.anomalies.length).toBeLessThanOrEqual(bytes.length + 2);
  let lastOffset = -1;
  c.frames.forEach((f, i) => {
    expect(f.index).toBe(i + 1);
    expect(f.offset).toBeGreaterThan(lastOffset);
    expect(f.offset + f.data.length).toBeLessThanOrEqual(bytes.length);
    expect(f.tsNsec).toBeGreaterThanOrEqual(0);
    expect(f.tsNsec).toBeLessThan(1e9);
    lastOffset = f.offset;
  });
  for (const a of c.anomalies) expect(a.offset).toBeLessThanOrEqual(bytes.length);
  return {
    frames: c.frames.map((f) => `${f.index}@${f.offset}:${f.tsSec}.${f.tsNsec}/${f.linkType}/${f.interfaceId}:${Buffer.from(f.data).toString('hex')}`),
    anomalies: c.anomalies.map((a) => `${a.name}@${a.offset}#${a.frame}`),
    failed: p.failed,
  };
}

const sizes = fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 8 });
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate'),
  at: fc.nat(),
  value: fc.integer({ min: 0, max: 255 }),
  count: fc.integer({ min: 1, max: 24 }),
});

describe('capture readers under random input', () => {
  it('never throw on random bytes (with and without a valid magic), whatever the chunking', () => {
    const magics = [[], [0xd4, 0xc3, 0xb2, 0xa1], [0xa1, 0xb2, 0x3c, 0x4d], [0x0a, 0x0d, 0x0d, 0x0a]];
    let runs = 0;
    fc.assert(fc.property(fc.constantFrom(...magics), fc.uint8Array({ maxLength: 600 }), sizes, (magic, body, chunking) => {
      const bytes = Uint8Array.from([...magic, ...body]);
      const whole = run(bytes, [bytes.length || 1]);
      const chunked = run(bytes, chunking);
      expect(chunked).toEqual(whole);
      runs++;
    }), { numRuns: 400 });
    expect(runs).toBe(400);
  });

  it('never throw on mutated valid captures and give the same result in any chunking', () => {
    let runs = 0;
    let withFrames = 0;
    fc.assert(fc.property(fc.constantFrom(...bases), fc.array(mutation, { minLength: 1, maxLength: 4 }), sizes, (base, muts, chunking) => {
      const bytes = mutate(base, muts);
      const whole = run(bytes, [bytes.length || 1]);
      const chunked = run(bytes, chunking);
      expect(chunked).toEqual(whole);
      expect(run(bytes, [1])).toEqual(whole);
      if (whole.frames.length > 0) withFrames++;
      runs++;
    }), { numRuns: 400 });
    expect(runs).toBe(400);
    // The mutations leave most captures partly readable: the readers recover, not just survive.
    expect(withFrames).toBeGreaterThan(200);
  });

  it('reads an 8-record pcap with a corrupt length in every record position, keeping the others', () => {
    const one = sameTrafficPcap();
    // Two copies of the exchange, ten seconds apart.
    const recs = one.subarray(24);
    const two = new Uint8Array(24 + 2 * recs.length);
    two.set(one);
    two.set(recs, 24 + recs.length);
    const dv = new DataView(two.buffer);
    for (let i = 0; i < 4; i++) dv.setUint32(24 + recs.length + i * 96, dv.getUint32(24 + i * 96, true) + 10, true);
    for (let bad = 0; bad < 8; bad++) {
      const b = two.slice();
      new DataView(b.buffer).setUint32(24 + bad * 96 + 8, 0x00ff_ffff, true);
      const out = run(b, [7, 13]);
      expect(out.frames.length, `record ${bad + 1} corrupt`).toBe(7);
      expect(out.anomalies[0]).toBe(`pcap.bad_record_length@${24 + bad * 96}#${bad + 1}`);
      expect(out.anomalies[1]).toBe(bad === 7 ? `pcap.resync@${24 + 8 * 96}#8` : `pcap.resync@${24 + (bad + 1) * 96}#${bad + 1}`);
    }
  });
});
