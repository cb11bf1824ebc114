// JsonLineWriter: the octets it writes are exactly JSON.stringify's text plus a newline, as UTF-8,
// for every JSON value, for the values JSON.stringify treats specially, and across chunk boundaries.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonLineWriter } from '../../src/cli/json-bytes.js';
import { formatIpv4, formatIpv6, toHex } from '../../src/net/address.js';
import { colonHex } from '../../src/dhcpv6/options/primitives.js';

/** What the writer hands its sink, as one text (the sink copies: the writer reuses its buffer). */
function written(write: (w: JsonLineWriter) => void): { text: string; chunks: number } {
  const parts: Buffer[] = [];
  const w = new JsonLineWriter((b) => parts.push(Buffer.from(b)));
  write(w);
  w.flush();
  return { text: Buffer.concat(parts).toString('utf8'), chunks: parts.length };
}

const line = (v: unknown): string => written((w) => w.line(v)).text;

describe('JsonLineWriter', () => {
  it('writes any JSON value as JSON.stringify does', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => {
      expect(line(v)).toBe(`${JSON.stringify(v)}\n`);
    }), { numRuns: 500 });
  });

  it('escapes and encodes every string as JSON.stringify and UTF-8 do', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), (a, b) => {
      expect(line({ [a]: b, b: [a] })).toBe(`${JSON.stringify({ [a]: b, b: [a] })}\n`);
    }), { numRuns: 500 });
    const tricky = ['"\\/', '\b\f\n\r\t\u0000\u001f\u007f', 'é€😀', '\ud800', 'a\udc00b', '\udbff\udfff', '\ud83d', 'x\ud83d\ude00\ud83d'];
    for (const s of tricky) expect(line(s)).toBe(`${JSON.stringify(s)}\n`);
    expect(line('\u0001')).toBe('"\\u0001"\n'); // lowercase hex, as JSON.stringify
    expect(line('\ud800')).toBe('"\\ud800"\n'); // a lone surrogate is escaped, not encoded
  });

  it('writes numbers, undefined, functions and exotic objects as JSON.stringify does', () => {
    const values: unknown[] = [
      0, -0, 7, 1073741823, 1073741824, -5, 0.1, 1e21, 1.5e-7, 1732262400.001551, NaN, Infinity, -Infinity,
      { a: undefined, b: () => 1, c: Symbol('s'), d: 1 }, [undefined, () => 1, Symbol('s')],
      { when: new Date(0) }, { bytes: new Uint8Array([1, 2]) }, { m: new Map([[1, 2]]) },
      { toJSON: () => ({ replaced: true }) }, Object.assign(Object.create(null) as object, { x: 1 }),
      { gone: { toJSON: () => undefined }, kept: 1 }, [{ toJSON: () => undefined }],
      { 2: 'b', 1: 'a', z: 0 }, [], {}, [[[]]], null, true, false,
    ];
    for (const v of values) expect(line(v)).toBe(`${JSON.stringify(v)}\n`);
  });

  it('merges a head and a body as the spread {...head, ...body} would be written', () => {
    const head = { input: 0, frame: 8, time: 1.5, src: 'fe80::1' };
    const cases: object[] = [
      { msgType: 2, msgName: 'ADVERTISE', options: [] },
      { frame: 99, extra: 'x' }, // a shared key keeps head's place and takes body's value
      { 3: 'index-like keys come first', a: 1 },
      { skipped: undefined, kept: null },
    ];
    for (const body of cases) {
      expect(written((w) => w.merged(head, body)).text).toBe(`${JSON.stringify({ ...head, ...body })}\n`);
    }
  });

  it('keeps lines whole across chunks, a long line and multi-octet characters included', () => {
    const long = 'é€😀'.repeat(30000) + 'x'.repeat(70000);
    const values = [{ long }, ...Array.from({ length: 3000 }, (_, i) => ({ i, s: 'ü'.repeat(i % 50) }))];
    const { text, chunks } = written((w) => { for (const v of values) w.line(v); });
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe(values.map((v) => `${JSON.stringify(v)}\n`).join(''));
  });

  it('fails on a bigint as JSON.stringify does', () => {
    expect(() => line({ n: 1n })).toThrow(TypeError);
  });
});

describe('JsonLineWriter pieces (decode-line.ts)', () => {
  /** One line made of pieces, as text. */
  const pieces = (write: (w: JsonLineWriter) => void): string => written((w) => { write(w); w.endLine(); }).text;

  it('writes unsigned integers and numbers as JSON.stringify does', () => {
    const ints = [0, -0, 1, 9, 10, 99, 100, 65535, 999_999_999, 1_000_000_000, 0x7fffffff, 0x80000000, 0xffffffff];
    for (const x of ints) expect(pieces((w) => w.uint(x))).toBe(`${JSON.stringify(x)}\n`);
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (x) => {
      expect(pieces((w) => w.uint(x))).toBe(`${x}\n`);
    }), { numRuns: 1000 });
    fc.assert(fc.property(fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0xffffffff + 1, -1, 2 ** 53)), (x) => {
      expect(pieces((w) => w.number(x))).toBe(`${JSON.stringify(x)}\n`);
    }), { numRuns: 1000 });
  });

  it('writes a capture time as JSON.stringify(Number(x.toFixed(6))), ties of toFixed included', () => {
    const want = (x: number): string => `${JSON.stringify(Number(x.toFixed(6)))}\n`;
    const special = [0, -0, 0.0000005, 0.0000015, 0.0078125, 1732262400.0078125, 1732262400.123456, 1732262400.9999995,
      4294967295.9999995, 2 ** 32 - 2 ** -20, 2 ** 32, 2 ** 40 + 0.5, -1.5, 1e21, NaN, Infinity, -Infinity];
    for (const x of special) expect(pieces((w) => w.fixed6(x))).toBe(want(x));
    fc.assert(fc.property(fc.oneof(
      fc.double({ min: 0, max: 2 ** 33, noNaN: true }),
      fc.integer({ min: 0, max: 2 ** 32 - 1 }).chain((s) => fc.nat(1023).map((k) => s + k / 1024)), // exact binary fractions: ties
      fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).chain((s) => fc.nat(999_999).map((us) => s + us / 1e6)),
    ), (x) => {
      expect(pieces((w) => w.fixed6(x))).toBe(want(x));
    }), { numRuns: 5000 });
  });

  it('writes octets as hex, colon hex, IPv6 and IPv4 text, quoted, as the text helpers make them', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 80 }), fc.nat(), fc.nat(), (b, i, j) => {
      const s = b.length ? i % b.length : 0;
      const n = b.length - s ? j % (b.length - s + 1) : 0;
      expect(pieces((w) => w.hex(b, s, n))).toBe(`"${toHex(b, s, n)}"\n`);
      expect(pieces((w) => w.colonHex(b, s, n))).toBe(`"${colonHex(b, s, n)}"\n`);
    }), { numRuns: 1000 });
    const group = fc.oneof(fc.constant(0), fc.constant(0xffff), fc.integer({ min: 0, max: 0xffff }));
    const address = fc.array(group, { minLength: 8, maxLength: 8 }).map((g) => Uint8Array.from(g.flatMap((x) => [x >> 8, x & 0xff])));
    const mapped = fc.uint8Array({ minLength: 4, maxLength: 4 }).map((v4) => Uint8Array.from([...new Array<number>(10).fill(0), 0xff, 0xff, ...v4]));
    fc.assert(fc.property(fc.oneof(address, mapped, fc.uint8Array({ minLength: 16, maxLength: 16 })), (a) => {
      expect(pieces((w) => w.ipv6(a, 0))).toBe(`"${formatIpv6(a)}"\n`);
      expect(pieces((w) => w.ipv4(a, 12))).toBe(`"${formatIpv4(a, 12)}"\n`);
    }), { numRuns: 2000 });
  });

  it('copies ready-made octets, short and long, across chunks', () => {
    const parts = ['{', '"a":', 'x'.repeat(16), 'y'.repeat(17), 'z'.repeat(5000)].map((t) => new TextEncoder().encode(t));
    const { text, chunks } = written((w) => { for (let i = 0; i < 100; i++) { for (const p of parts) w.raw(p); w.endLine(); } });
    expect(chunks).toBeGreaterThan(2);
    expect(text).toBe(`{"a":${'x'.repeat(16)}${'y'.repeat(17)}${'z'.repeat(5000)}\n`.repeat(100));
  });
});
