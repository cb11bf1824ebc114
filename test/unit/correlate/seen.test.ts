// SeenTable (the client correlator's last-seen times by DUID or address text) against a Map: any
// sequence of sets, lookups, drops of stale entries and clears gives the same answers, across growth.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fingerprintJoined, homeSlot, KeySlots, SeenTable } from '../../../src/correlate/seen.js';

type Op = { op: 'set'; key: string; value: number } | { op: 'get'; key: string } | { op: 'delete'; key: string } | { op: 'drop'; min: number } | { op: 'clear' };

const key = fc.oneof(
  fc.integer({ min: 0, max: 3000 }).map((n) => `fe80::${n.toString(16)}`),
  fc.integer({ min: 0, max: 3000 }).map((n) => `00030001${n.toString(16).padStart(12, '0')}`),
  fc.string({ maxLength: 6 }),
);
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ op: fc.constant('set' as const), key, value: fc.integer({ min: 0, max: 1000 }) }) },
  { weight: 6, arbitrary: fc.record({ op: fc.constant('get' as const), key }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('drop' as const), min: fc.integer({ min: 0, max: 1000 }) }) },
  { weight: 1, arbitrary: fc.constant({ op: 'clear' as const }) },
);

describe('SeenTable', () => {
  it('= a Map under any sequence of set, get, delete, drop-below and clear', () => {
    fc.assert(fc.property(fc.array(op, { maxLength: 3000 }), (ops) => {
      const t = new SeenTable();
      const m = new Map<string, number>();
      for (const o of ops) {
        if (o.op === 'set') { t.set(o.key, o.value); m.set(o.key, o.value); }
        else if (o.op === 'get') expect(t.get(o.key)).toBe(m.get(o.key));
        else if (o.op === 'delete') expect(t.delete(o.key)).toBe(m.delete(o.key));
        else if (o.op === 'drop') { t.dropBelow(o.min); for (const [k, v] of m) if (v < o.min) m.delete(k); }
        else { t.clear(); m.clear(); }
        expect(t.size).toBe(m.size);
      }
      for (const [k, v] of m) expect(t.get(k)).toBe(v);
    }), { numRuns: 200 });
  });

  it('keys by fingerprintJoined are the joined texts: set one way, found and deleted the other', () => {
    const part = fc.oneof(key, fc.string({ maxLength: 8, unit: 'binary' }));
    fc.assert(fc.property(fc.array(fc.tuple(part, part, part, fc.boolean()), { maxLength: 300 }), (keys) => {
      const t = new SeenTable();
      const m = new Map<string, number>();
      const fp = new Int32Array(2);
      keys.forEach(([a, b, c, byFingerprint], i) => {
        const joined = `${a}|${b}|${c}`;
        fingerprintJoined(a, b, c, fp);
        if (byFingerprint) t.setBy(fp, i); else t.set(joined, i);
        m.set(joined, i);
      });
      for (const [a, b, c, byFingerprint] of keys) {
        const joined = `${a}|${b}|${c}`;
        fingerprintJoined(a, b, c, fp);
        expect(t.getBy(fp)).toBe(m.get(joined));
        expect(t.get(joined)).toBe(m.get(joined));
        expect(byFingerprint ? t.deleteBy(fp) : t.delete(joined)).toBe(m.delete(joined));
        expect(t.getBy(fp)).toBeUndefined();
      }
      expect(t.size).toBe(0);
    }), { numRuns: 200 });
    // different splits of the same characters are different keys only through the separator
    const a = new Int32Array(2);
    const b = new Int32Array(2);
    fingerprintJoined('ab', 'c', '', a);
    fingerprintJoined('a', 'bc', '', b);
    expect([...a]).not.toEqual([...b]);
  });

  it('KeySlots: a slot per key until released, freed slots reused, the owner told of each doubling', () => {
    const grows: Array<[number, number]> = [];
    const slots = new KeySlots((n, from) => grows.push([n, from]));
    const fp = (i: number): Int32Array => {
      const out = new Int32Array(2);
      fingerprintJoined(`client-${i}`, 'fe80::1', '', out);
      return out;
    };
    const given = Array.from({ length: 300 }, (_, i) => slots.add(fp(i)));
    expect(given).toEqual(Array.from({ length: 300 }, (_, i) => i));
    expect(grows).toEqual([[256, 0], [512, 256]]);
    expect(slots.used).toBe(300);
    expect(slots.find(fp(7))).toBe(7);
    slots.release(7);
    expect(slots.find(fp(7))).toBeUndefined();
    expect(slots.find(fp(8))).toBe(8);
    expect(slots.add(fp(1000))).toBe(7); // the freed slot first
    slots.clear();
    expect(slots.used).toBe(0);
    expect(slots.find(fp(8))).toBeUndefined();
    expect(slots.add(fp(8))).toBe(0);
    expect(grows).toHaveLength(2); // the arrays keep their size
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

  it('deletes from crowded runs: every other key gone, the rest still found (backward shift)', () => {
    const t = new SeenTable();
    for (let i = 0; i < 400; i++) t.set(`k${i}`, i); // 1024 slots: long probe runs
    for (let i = 0; i < 400; i += 2) expect(t.delete(`k${i}`)).toBe(true);
    expect(t.delete('k0')).toBe(false);
    for (let i = 0; i < 400; i++) expect(t.get(`k${i}`)).toBe(i % 2 ? i : undefined);
    expect(t.size).toBe(200);
  });

  it('deletes inside a probe run that wraps from the last slot to the first', () => {
    // Keys whose probes start in the last two slots or the first one, so their run crosses the end.
    const keys: string[] = [];
    for (let i = 0; keys.length < 12; i++) {
      const h = homeSlot(`w${i}`, 1024);
      if (h >= 1022 || h === 0) keys.push(`w${i}`);
    }
    for (let d = 0; d < keys.length; d++) {
      const t = new SeenTable();
      keys.forEach((k, i) => t.set(k, i));
      expect(t.delete(keys[d])).toBe(true);
      keys.forEach((k, i) => expect(t.get(k)).toBe(i === d ? undefined : i));
    }
  });
});
