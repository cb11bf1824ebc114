// SeenTable (the client correlator's last-seen times by DUID or address text) against a Map: any
// sequence of sets, lookups, drops of stale entries and clears gives the same answers, across growth.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SeenTable } from '../../../src/correlate/seen.js';

type Op = { op: 'set'; key: string; value: number } | { op: 'get'; key: string } | { op: 'drop'; min: number } | { op: 'clear' };

const key = fc.oneof(
  fc.integer({ min: 0, max: 3000 }).map((n) => `fe80::${n.toString(16)}`),
  fc.integer({ min: 0, max: 3000 }).map((n) => `00030001${n.toString(16).padStart(12, '0')}`),
  fc.string({ maxLength: 6 }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 1000 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('get' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), min: fc.integer({ min: 0, max: 1000 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('SeenTable', () => {
  it('= a Map under any sequence of set, get, drop-below and clear', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
      const t = new SeenTable();
      const m = new Map<string, number>();
      for (const o of ops) {
        if (o.op === 'set') { t.set(o.key, o.value); m.set(o.key, o.value); }
        else if (o.op === 'get') expect(t.get(o.key)).toBe(m.get(o.key));
        else if (o.op === 'drop') { t.dropBelow(o.min); for (const [k, v] of m) if (v < o.min) m.delete(k); }
        else { t.clear(); m.clear(); }
        expect(t.size).toBe(m.size);
      }
      for (const [k, v] of m) expect(t.get(k)).toBe(v);
    }), { numRuns: 200 });
  });

  it('holds 100 000 clients, each with its own time, and forgets the stale half', () => {
    const t = new SeenTable();
    for (let i = 0; i < 100000; i++) t.set(`2001:db8::${i.toString(16)}`, i);
    expect(t.size).toBe(100000);
    for (let i = 0; i < 100000; i += 997) expect(t.get(`2001:db8::${i.toString(16)}`)).toBe(i);
    expect(t.get('2001:db8::fffff')).toBeUndefined();
    t.dropBelow(50000);
    expect(t.size).toBe(50000);
    expect(t.get('2001:db8::0')).toBeUndefined();
    expect(t.get(`2001:db8::${(50000).toString(16)}`)).toBe(50000);
  });
});
