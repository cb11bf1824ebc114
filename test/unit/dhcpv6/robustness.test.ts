// Wire data never throws: random bytes and mutated valid messages decode (and render as JSON, and
// re-encode from JSON to the same bytes) without exceptions and in bounded time.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createCodec, defaultCodec } from '../../../src/dhcpv6/codec.js';
import { walkOptions } from '../../../src/dhcpv6/helpers.js';
import { SAMPLE_MESSAGES } from '../../kit/dhcpv6-samples.js';

const VALID = SAMPLE_MESSAGES;

function exercise(bytes: Uint8Array): void {
  for (const codec of [defaultCodec, createCodec({ maxRelayDepth: 2, maxOptionDepth: 3 })]) {
    const m = codec.decodeMessage(bytes);
    expect(m.length).toBe(bytes.length);
    const j = codec.toJson(m);
    JSON.stringify(j);
    walkOptions(m.options, (o) => { codec.optionValue(o); }, { messages: true });
    // the JSON form re-encodes to the bytes it came from when the header was complete
    const header = m.format === 'relay' ? 34 : m.format === 'failover' ? 8 : 4;
    const trailing = m.anomalies.some((a) => a.name === 'dhcpv6.option.overrun' && a.code === undefined);
    if (bytes.length >= header && !trailing && !m.anomalies.some((a) => a.name.endsWith('too_deep') || a.name === 'dhcpv6.message.truncated')) {
      expect(Buffer.from(codec.encodeMessage(j)).toString('hex')).toBe(Buffer.from(bytes).toString('hex'));
    }
  }
}

describe('robustness', () => {
  test('random bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), exercise), { numRuns: 500 });
  });

  test('random bytes after a plausible header never throw', () => {
    const arb = fc.tuple(fc.constantFrom(1, 7, 12, 13, 14, 15, 16, 17, 20, 24), fc.uint8Array({ minLength: 33, maxLength: 300 }))
      .map(([t, b]) => Uint8Array.from([t, ...b]));
    fc.assert(fc.property(arb, exercise), { numRuns: 500 });
  });

  test('mutated valid messages never throw', () => {
    const arb = fc.tuple(
      fc.constantFrom(...VALID),
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
      fc.nat(),
    ).map(([base, edits, cut]) => {
      const b = Uint8Array.from(base);
      for (const [at, v] of edits) b[at % b.length] = v;
      return b.subarray(0, b.length - (cut % 8));
    });
    fc.assert(fc.property(arb, exercise), { numRuns: 500 });
  });

  test('deeply nested containers stop at dhcpv6.max-option-depth', () => {
    // 2000 CLIENT_DATA options each holding the next: far deeper than any stack-safe recursion needs
    let body = new Uint8Array(0);
    for (let i = 0; i < 2000; i++) {
      const o = new Uint8Array(4 + body.length);
      o[0] = 0; o[1] = 45; o[2] = body.length >> 8; o[3] = body.length & 0xff;
      o.set(body, 4);
      body = o.length > 60000 ? body : o;
    }
    const m = defaultCodec.decodeMessage(Uint8Array.from([17, 0, 0, 1, ...body]));
    expect(m.anomalies.map((a) => a.name)).toEqual(['dhcpv6.option.too_deep']);
  });
});
