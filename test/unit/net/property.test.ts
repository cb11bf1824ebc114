// Property tests: random frames and random mutations of valid captures never throw out of NetDecoder,
// always end, and every frame is classified exactly once.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFrames, run, accountingOk, type Rec } from './harness.js';

const LINK_TYPES = [0, 1, 12, 14, 101, 108, 113, 228, 229, 276, 147];
const sources = ['tcp-reorder.pcap', 'tcp-overlap-conflict.pcap', 'ip-fragments.pcap', 'links.pcapng', 'duplicates.pcap']
  .flatMap((f) => readFrames(`fixtures/net/${f}`).map((fr) => ({ data: new Uint8Array(fr.data), linkType: fr.linkType })));

const probe = (b: Uint8Array): boolean => b.length > 2 && (b[0] & 1) === 0;

describe('NetDecoder never throws and classifies every frame once', () => {
  it('random bytes on random link types', () => {
    fc.assert(fc.property(
      fc.array(fc.record({ data: fc.uint8Array({ maxLength: 120 }), linkType: fc.constantFrom(...LINK_TYPES), dt: fc.integer({ min: 0, max: 5000 }) }), { maxLength: 30 }),
      (items) => {
        let t = 0;
        const records: Rec[] = items.map((x) => { t += x.dt; return { tsSec: 1700000000 + Math.floor(t / 1000), tsNsec: (t % 1000) * 1_000_000, data: x.data, linkType: x.linkType }; });
        const r = run(records, { probe, 'tcp.idle-timeout': 2, 'ip.frag-timeout': 1 });
        expect(accountingOk(r)).toBe(true);
      },
    ), { numRuns: 300 });
  });

  it('mutations of valid frames (bit flips, truncation, repeats, reordering)', () => {
    fc.assert(fc.property(
      fc.array(fc.record({
        pick: fc.nat({ max: sources.length - 1 }),
        flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        cut: fc.option(fc.nat(), { nil: undefined }),
        dt: fc.constantFrom(0, 1, 3, 500, 70000),
      }), { minLength: 1, maxLength: 40 }),
      fc.boolean(),
      (items, lowLimits) => {
        let t = 0;
        const records: Rec[] = items.map((x) => {
          const src = sources[x.pick];
          let data = src.data.slice();
          for (const [pos, v] of x.flips) if (data.length) data[pos % data.length] ^= v;
          if (x.cut !== undefined && data.length) data = data.subarray(0, x.cut % data.length);
          t += x.dt;
          return { tsSec: 1700000000 + Math.floor(t / 1000), tsNsec: (t % 1000) * 1_000_000, data, linkType: src.linkType };
        });
        const opts = lowLimits
          ? { probe, 'reassembly.memcap': 300, 'reassembly.conn-memcap': 150, 'tcp.max-connections': 2, 'tcp.max-light': 2, 'ip.frag-memcap': 2000, 'ip.frag-max-fragments': 2, 'dedup.max-entries': 2 }
          : { probe };
        const r = run(records, opts);
        expect(accountingOk(r)).toBe(true);
        // Every opened connection is closed exactly once.
        const opened = r.events.filter((e) => e.ev === 'open').map((e) => e.conn);
        const closed = r.events.filter((e) => e.ev === 'close').map((e) => e.conn);
        expect(closed.sort((a, b) => a - b)).toEqual(opened.sort((a, b) => a - b));
      },
    ), { numRuns: 300 });
  });
});
