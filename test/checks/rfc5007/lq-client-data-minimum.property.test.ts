// LQ-CLIENT-DATA-MINIMUM fast path: the one-pass, allocation-free judgement (clientDataDefect) gives
// the same verdict as the rule's original, general formulation on random CLIENT_DATA trees.
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Dhcpv6Message, Dhcpv6Option } from '../../../src/dhcpv6/types.js';
import { clientDataDefect } from '../../../src/checks/rfc5007/lq-client-data-minimum.js';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import type { DecodedMessage } from '../../../src/dhcpv6/message.js';
import { cleanOptionTrees } from '../../kit/dhcpv6-samples.js';

/** The rule as first written: several passes, closures and arrays (the reference). */
function reference(m: Dhcpv6Message): { messageId: string; data: Record<string, string | number> } | undefined {
  for (const cd of m.options) {
    if (cd.code !== 45) continue;
    const sub = cd.options ?? [];
    const has = (c: number) => sub.some((o) => o.code === c);
    const missing: string[] = [];
    if (!has(1)) missing.push('OPTION_CLIENTID');
    const leases = has(5) || has(26);
    const nested = !leases && sub.some((o) => (o.code === 3 || o.code === 4 || o.code === 25) && (o.options ?? []).some((x) => x.code === 5 || x.code === 26));
    if (!leases && !nested) missing.push('OPTION_IAADDR or OPTION_IAPREFIX');
    if (!has(46)) missing.push('OPTION_CLT_TIME');
    const clt = sub.find((o) => o.code === 46);
    let messageId: string | undefined;
    let data: Record<string, string | number> = {};
    if (missing.length) { messageId = 'incomplete'; data = { missing: missing.join(', ') }; }
    else if (nested) messageId = 'nested';
    else if (clt && clt.length !== 4) { messageId = 'bad-clt-time'; data = { length: clt.length }; }
    if (!messageId) continue;
    return { messageId, data };
  }
  return undefined;
}

const CODES = [1, 2, 3, 4, 5, 13, 25, 26, 45, 46, 47, 48];
const leaf = fc.record({
  code: fc.constantFrom(...CODES),
  length: fc.constantFrom(0, 2, 4, 8),
}).map(({ code, length }): Dhcpv6Option => ({ code, length, data: new Uint8Array(length) }));
const inner = fc.record({
  code: fc.constantFrom(...CODES), length: fc.constantFrom(2, 4, 4, 4), kids: fc.option(fc.array(leaf, { maxLength: 3 }), { nil: undefined }),
}).map(({ code, length, kids }): Dhcpv6Option => ({ code, length, data: new Uint8Array(length), ...(kids ? { options: kids } : {}) }));
const clientData = fc.option(fc.array(inner, { maxLength: 6 }), { nil: undefined })
  .map((kids): Dhcpv6Option => ({ code: 45, length: 0, data: new Uint8Array(0), ...(kids ? { options: kids } : {}) }));
const message = fc.array(fc.oneof(clientData, inner), { maxLength: 4 })
  .map((options): Dhcpv6Message => ({ msgType: 17, format: 'client-server', xid: 1, options, anomalies: [], length: 0 }));

describe('LQ-CLIENT-DATA-MINIMUM clientDataDefect', () => {
  test('equals the general formulation on random messages', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(message, (m) => {
      const want = reference(m);
      seen.add(want?.messageId ?? 'complete');
      expect(clientDataDefect(m)).toEqual(want);
    }), { numRuns: 3000 });
    expect([...seen].sort()).toEqual(['bad-clt-time', 'complete', 'incomplete', 'nested']);
  });

  test('read in place from decoded octets: the same verdict as the general formulation on the tree', () => {
    const seen = new Set<string>();
    let inPlace = 0;
    fc.assert(fc.property(cleanOptionTrees(), fc.constantFrom(15, 17), (body, type) => {
      const bytes = Uint8Array.from([type, 0, 0, 7, ...body]);
      const fast = defaultCodec.decodeMessage(bytes) as DecodedMessage;
      if (fast.anomalies.length === 0) inPlace++;
      const got = clientDataDefect(fast);
      expect(fast.optionsBuilt).toBe(fast.anomalies.length !== 0); // the clean ones were read without a tree
      const want = reference(defaultCodec.decodeMessage(bytes));
      seen.add(want?.messageId ?? 'complete');
      expect(got).toEqual(want);
    }), { numRuns: 3000 });
    expect(inPlace).toBe(3000);
    expect([...seen].sort()).toEqual(['complete', 'incomplete', 'nested']);
  });
});
