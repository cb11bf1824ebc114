// JsonLineWriter: the octets it writes are exactly JSON.stringify's text plus a newline, as UTF-8,
// for every JSON value, for the values JSON.stringify treats specially, and across chunk boundaries.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JsonLineWriter } from '../../src/cli/json-bytes.js';

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
