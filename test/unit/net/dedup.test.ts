// DuplicateWindow (typed-array ring + open-addressing table) answers exactly as a plain reference model:
// the newest remembered identical packet (hop limit / TTL / IPv4 checksum aside) within the window.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DuplicateWindow } from '../../../src/net/dedup.js';

/** The octets that take part in the comparison: a copy with the hop limit / TTL and IPv4 checksum zeroed. */
function normalize(data: Uint8Array, start: number, end: number, version: 4 | 6): Uint8Array {
  const out = data.slice(start, end);
  if (version === 6) out[7] = 0;
  else { out[8] = 0; out[10] = 0; out[11] = 0; }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The semantics, written the obvious way: an insertion-ordered list, expired from the oldest. */
class ReferenceWindow {
  private readonly entries: { frame: number; time: number; version: 4 | 6; bytes: Uint8Array }[] = [];
  limitAt = 0;
  constructor(private readonly window: number, private readonly capacity: number) {}

  check(data: Uint8Array, start: number, end: number, version: 4 | 6, frame: number, time: number): number {
    if (this.window <= 0) return 0;
    const w = this.window;
    while (this.entries.length > 0) {
      const t = this.entries[0].time;
      if (time - t <= w && time >= t - w) break;
      this.entries.shift();
    }
    const bytes = normalize(data, start, end, version);
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i];
      if (e.version !== version || !equal(e.bytes, bytes)) continue;
      if (Math.abs(time - e.time) <= w) return e.frame;
      break; // the newest copy is out of the window: this one replaces it
    }
    if (this.entries.length === Math.max(1, this.capacity)) {
      if (this.limitAt === 0) this.limitAt = frame;
      this.entries.shift();
    }
    this.entries.push({ frame, time, version, bytes });
    return 0;
  }
}

/** A packet of the pool, varied by hop limit, by an octet past the hashed head, and by its place in a buffer. */
const packetArb = fc.record({
  base: fc.nat({ max: 5 }),
  hop: fc.integer({ min: 0, max: 2 }),
  tailFlip: fc.boolean(),
  pad: fc.nat({ max: 7 }),
  dt: fc.constantFrom(0, 0.001, 0.002, 0.004, 0.006, -0.003, 0.05),
});

describe('DuplicateWindow', () => {
  it('answers like the reference model on random packet sequences', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ version: fc.constantFrom<4 | 6>(4, 6), body: fc.uint8Array({ minLength: 20, maxLength: 90 }) }), { minLength: 6, maxLength: 6 }),
      fc.array(packetArb, { minLength: 1, maxLength: 200 }),
      fc.constantFrom(1, 2, 3, 8, 64),
      fc.constantFrom(0.005, 0.002, 0),
      (pool, seq, capacity, window) => {
        const win = new DuplicateWindow(window, capacity);
        let limitAt = 0;
        win.onLimit = (frame) => { if (limitAt === 0) limitAt = frame; else limitAt = -1; };
        const ref = new ReferenceWindow(window, capacity);
        let time = 1700000000;
        seq.forEach((p, i) => {
          const src = pool[p.base];
          const body = src.body.slice();
          // Packets that differ only past the hashed head, or only in the hop limit / TTL.
          if (p.tailFlip && body.length > 70) body[body.length - 1] ^= 0x5a;
          body[src.version === 6 ? 7 : 8] = 64 + p.hop;
          const buf = new Uint8Array(p.pad + body.length + 3);
          buf.set(body, p.pad);
          time += p.dt;
          const got = win.check(buf, p.pad, p.pad + body.length, src.version, i + 1, time);
          const want = ref.check(buf, p.pad, p.pad + body.length, src.version, i + 1, time);
          expect(got).toBe(want);
        });
        expect(limitAt).toBe(ref.limitAt);
      },
    ), { numRuns: 500 });
  });

  it('keeps finding duplicates after many evictions (table deletions keep probe chains intact)', () => {
    const win = new DuplicateWindow(1, 16);
    const ref = new ReferenceWindow(1, 16);
    let seed = 7;
    const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 8; };
    for (let i = 1; i <= 20000; i++) {
      const data = new Uint8Array(40);
      data[0] = 0x60;
      const id = rnd() % 40; // few distinct packets: many hits, many replacements
      data[20] = id;
      data[39] = id >> 3;
      const t = 1000 + i * 0.1;
      expect(win.check(data, 0, 40, 6, i, t)).toBe(ref.check(data, 0, 40, 6, i, t));
    }
  });
});

describe('DuplicateWindow under bursts', () => {
  it('grows its table and still answers like the reference model (thousands of packets within the window)', () => {
    for (const [capacity, distinct, seed0] of [[4096, 600, 11], [4096, 2500, 5], [300, 600, 3], [4096, 100, 9]]) {
      const win = new DuplicateWindow(0.005, capacity);
      const ref = new ReferenceWindow(0.005, capacity);
      let limitAt = 0;
      win.onLimit = (frame) => { limitAt = frame; };
      let seed = seed0;
      const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed >>> 8; };
      let time = 1000;
      for (let i = 1; i <= 9000; i++) {
        if (i % 3000 === 0) time += 0.01; // the burst ends: everything expires, the big table stays
        const data = new Uint8Array(60);
        data[0] = 0x60;
        const id = rnd() % distinct; // repeats within the burst: duplicates, and copies replacing older ones
        data[40] = id >> 8; data[41] = id & 0xff; data[59] = id % 7;
        expect(win.check(data, 0, 60, 6, i, time)).toBe(ref.check(data, 0, 60, 6, i, time));
      }
      expect(limitAt).toBe(ref.limitAt);
    }
  });
});
