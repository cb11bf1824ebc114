// udp-message fast paths: preferenceState and offersLeases read with OptionCursors (in place for a
// clean message, the tree otherwise); on random responses, malformed ones included, they agree with
// a walk of the whole tree.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addressTag, elapsedOf, offersLeases, preferenceState, sameDuid, sameMessage, unwrap } from '../../../src/correlate/udp-message.js';
import { hex } from '../../kit/dhcpv6-samples.js';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import { optionOf } from '../../../src/dhcpv6/helpers.js';
import { toHex } from '../../../src/dhcpv6/options/primitives.js';
import type { Dhcpv6Message, Dhcpv6Option } from '../../../src/dhcpv6/types.js';
import type { OptionInput } from '../../../src/dhcpv6/encode.js';
import { decoded, duidLL, m, opt } from '../../kit/udp-scenario.js';
import { UPSTREAM_MULTICAST, UPSTREAM_NONE } from '../../../src/correlate/client-events.js';

/** The general path: every top-level option, as the correlator computed it before the fast paths. */
function statusCode(options: readonly Dhcpv6Option[]): number | undefined {
  const o = options.find((x) => x.code === 13);
  if (!o || o.anomalies?.length || o.data.length !== o.length || o.length < 2) return undefined;
  return (o.data[0] << 8) | o.data[1];
}

function offersByTree(msg: Dhcpv6Message): boolean {
  const top = statusCode(msg.options);
  if (top !== undefined && top !== 0) return false;
  const offers = (ia: Dhcpv6Option, inner: number): boolean => {
    if (!ia.options) return false;
    const st = statusCode(ia.options);
    if (st !== undefined && st !== 0) return false;
    return ia.options.some((o) => o.code === inner && !o.anomalies?.length);
  };
  return msg.options.some((o) => ((o.code === 3 || o.code === 4) && offers(o, 5)) || (o.code === 25 && offers(o, 26)));
}

function preferenceByTree(msg: Dhcpv6Message): { preference: number; state: string } {
  const prefs = msg.options.filter((o) => o.code === 7);
  if (prefs.length === 0) return { preference: 0, state: 'absent' };
  if (prefs.length > 1) return { preference: 0, state: 'multiple' };
  const p = prefs[0];
  if (p.length !== 1 || p.data.length !== 1 || p.anomalies?.length) return { preference: 0, state: 'malformed' };
  return { preference: p.data[0], state: 'ok' };
}

const status = fc.constantFrom(0, 2, 6).map((c) => opt.status(c, 'x'));
const lease = fc.oneof(
  fc.integer({ min: 1, max: 250 }).map((n) => opt.iaAddr(`2001:db8::${n.toString(16)}`)),
  fc.integer({ min: 1, max: 250 }).map((n) => opt.iaPrefix(`2001:db8:${n.toString(16)}::`, 56)),
  status,
);
const option: fc.Arbitrary<OptionInput> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(lease, { maxLength: 3 })).map(([id, sub]) => opt.iaNa(id, ...sub)),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(lease, { maxLength: 3 })).map(([id, sub]) => opt.iaPd(id, ...sub)),
  fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(lease, { maxLength: 2 })).map(([id, sub]) => ({ code: 4, value: { iaid: id }, options: sub }) as OptionInput),
  status,
  fc.integer({ min: 0, max: 255 }).map((v) => opt.pref(v)),
  fc.constantFrom(opt.prefHex(''), opt.prefHex('0102'), opt.raw(3, '00'), opt.raw(25, '0001'), opt.raw(13, '00'), opt.rapidCommit()),
);

describe('udp-message fast paths', () => {
  it('offersLeases and preferenceState agree with a walk of the whole option tree', () => {
    const seen = new Set<string>();
    fc.assert(fc.property(fc.constantFrom(2, 7), fc.array(option, { maxLength: 6 }), (type, options) => {
      const msg = decoded(m(type, 0x42, opt.clientId(duidLL(1)), opt.serverId(duidLL(0x101)), ...options));
      const offers = offersLeases(msg);
      const pref = preferenceState(msg);
      expect(offers).toBe(offersByTree(msg));
      expect(pref).toEqual(preferenceByTree(msg));
      seen.add(`offers:${offers}`).add(pref.state);
    }), { numRuns: 400 });
    // Both answers and every Preference state were exercised.
    expect([...seen].sort()).toEqual(['absent', 'malformed', 'multiple', 'offers:false', 'offers:true', 'ok']);
  });

  it('sameMessage: identical messages only', () => {
    const a = decoded(m(1, 7, opt.clientId(duidLL(1)), opt.elapsed(0), opt.iaNa(1)));
    expect(sameMessage(a, decoded(m(1, 7, opt.clientId(duidLL(1)), opt.elapsed(0), opt.iaNa(1))))).toBe(true);
    expect(sameMessage(a, decoded(m(1, 7, opt.clientId(duidLL(1)), opt.elapsed(100), opt.iaNa(1))))).toBe(false);
    expect(sameMessage(a, decoded(m(1, 8, opt.clientId(duidLL(1)), opt.elapsed(0), opt.iaNa(1))))).toBe(false);
    expect(sameMessage(a, decoded(m(1, 7, opt.clientId(duidLL(1)), opt.elapsed(0), opt.iaNa(2))))).toBe(false);
  });

  it('sameDuid compares a DUID text with an option body as duidHex would', () => {
    const bytes = fc.uint8Array({ maxLength: 20 });
    const option = (data: Uint8Array): Dhcpv6Option => ({ code: 1, length: data.length, data });
    fc.assert(fc.property(bytes, bytes, fc.boolean(), (a, b, same) => {
      const body = same ? a.slice() : b;
      expect(sameDuid(toHex(a), option(body))).toBe(toHex(a) === toHex(body));
    }), { numRuns: 500 });
    expect(sameDuid(undefined, undefined)).toBe(true);
    expect(sameDuid(undefined, option(new Uint8Array([1])))).toBe(false);
    expect(sameDuid('01', undefined)).toBe(false);
  });

  it('sameDuid and elapsedOf read decoded options in place as the body view would', () => {
    // Random Client-ID (1) and Elapsed Time (8) bodies, some of the wrong length, in a Solicit.
    const body = fc.uint8Array({ maxLength: 6 });
    fc.assert(fc.property(body, body, fc.boolean(), (a, b, same) => {
      const duid = same ? a.slice() : b;
      const msg = Uint8Array.from([1, 0, 0, 7, 0, 1, 0, duid.length, ...duid, 0, 8, 0, a.length, ...a]);
      const lazy = defaultCodec.decodeMessageAt(msg, 0, msg.length);
      const viewed = defaultCodec.decodeMessageAt(msg, 0, msg.length);
      const o = optionOf(lazy, 1);
      expect(sameDuid(toHex(a), o)).toBe(toHex(a) === toHex(optionOf(viewed, 1)!.data));
      const e = optionOf(viewed, 8)!;
      expect(elapsedOf(lazy)).toBe(e.length === 2 ? (e.data[0] << 8) | e.data[1] : undefined);
    }), { numRuns: 500 });
    expect(sameDuid(undefined, undefined)).toBe(true);
    expect(sameDuid('01', undefined)).toBe(false);
  });
});

describe('unwrap', () => {
  // A RELAY-FORW (hop 1, link 2001:db8:1::1, peer fe80::c) around a Solicit with xid 0x0a0b0c.
  const relayed = hex('0c 01 20010db8000100000000000000000001 fe80000000000000000000000000000c 0012 0002 6966 0009 0008 01 0a0b0c 0008 0002 0000');
  it('reads the chain once per message: the same answer for the same message, a new one for the next', () => {
    const a = defaultCodec.decodeMessage(relayed);
    const b = defaultCodec.decodeMessage(relayed);
    const first = unwrap(a);
    expect(first.inner?.msgType).toBe(1);
    expect(first.inner?.xid).toBe(0x0a0b0c);
    expect(first.relays).toEqual([{ msgType: 12, hopCount: 1, linkAddress: '2001:db8:1::1', peerAddress: 'fe80::c', interfaceId: '6966' }]);
    expect(unwrap(a)).toBe(first);
    const second = unwrap(b);
    expect(second).not.toBe(first);
    expect(second).toEqual(first);
    expect(unwrap(a)).not.toBe(first); // only the last message's answer is kept
    expect(unwrap(a)).toEqual(first);
  });

  it('a bare message is its own inner message, with the shared empty chain, read at once', () => {
    const solicit = hex('01 0a0b0c 0008 0002 0000');
    const x = defaultCodec.decodeMessage(solicit);
    const y = defaultCodec.decodeMessage(solicit);
    const ux = unwrap(x);
    expect(ux.inner).toBe(x);
    expect(ux.relays).toEqual([]);
    const uy = unwrap(y);
    expect(uy.inner).toBe(y);
    expect(uy.relays).toBe(ux.relays);
    expect(unwrap(x).inner).toBe(x); // asked again after another bare message
  });
});

describe('addressTag', () => {
  it('tags a multicast group as such and every other address with a stable small integer, never a reserved one', () => {
    expect(addressTag('ff05::1:3')).toBe(UPSTREAM_MULTICAST);
    expect(addressTag('ff02::1:2')).toBe(UPSTREAM_MULTICAST);
    expect(addressTag('2001:db8:9::1')).toBe(addressTag('2001:db8:9::1'));
    expect(addressTag('2001:db8:9::1')).not.toBe(addressTag('2001:db8:9::2'));
    fc.assert(fc.property(fc.ipV6(), (a) => {
      const t = addressTag(a);
      return Number.isInteger(t) && t >= 0 && t < 2 ** 30 && (a.startsWith('ff') ? t === UPSTREAM_MULTICAST : t > UPSTREAM_MULTICAST && t !== UPSTREAM_NONE);
    }));
  });
});
