// MessageStore: a kept message is a copy of the octets (the capture buffer may be reused), reads
// exactly as the original (the decode JSON, nested messages included), and messages with anomalies
// or without octets are kept as they are.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import { MessageStore, optionOf, sameOctets } from '../../../src/dhcpv6/helpers.js';
import type { Dhcpv6Message } from '../../../src/dhcpv6/types.js';
import { cleanOptionTrees, hex, SAMPLE_MESSAGES } from '../../kit/dhcpv6-samples.js';

/** The message decoded in place from a larger buffer (as the pipeline does: a view of the read chunk). */
function inBuffer(octets: Uint8Array, pad = 7): { buf: Uint8Array; message: Dhcpv6Message } {
  const buf = new Uint8Array(octets.length + 2 * pad).fill(0xee);
  buf.set(octets, pad);
  return { buf, message: defaultCodec.decodeMessageAt(buf, pad, pad + octets.length) };
}

const json = (m: Dhcpv6Message): string => JSON.stringify(defaultCodec.toJson(m));

describe('MessageStore', () => {
  it('keeps a copy that reads as the original, even after the source octets are overwritten', () => {
    const store = new MessageStore();
    for (const octets of SAMPLE_MESSAGES) {
      const { buf, message } = inBuffer(octets);
      const want = json(message);
      const kept = store.keep(message);
      expect(kept).not.toBe(message);
      buf.fill(0); // the read buffer is reused or freed: the kept message must not read from it
      expect(json(kept)).toBe(want);
      expect(kept.xid).toBe(defaultCodec.decodeMessage(octets).xid);
    }
  });

  it('a relayed message: the copy unwraps to the same inner message', () => {
    const store = new MessageStore();
    const { buf, message } = inBuffer(SAMPLE_MESSAGES[1]);
    const inner = optionOf(message, 9)!.message!;
    const keptOuter = store.keep(message);
    const keptInner = store.keep(inner);
    const want = json(inner);
    const peer = message.peerAddress;
    buf.fill(0);
    expect(json(keptInner)).toBe(want);
    expect(json(optionOf(keptOuter, 9)!.message!)).toBe(want);
    expect(keptOuter.peerAddress).toBe(peer);
    expect(peer).toBe('2001:db8:1::1');
  });

  it('random clean messages, past many slabs: every copy still reads as its original', () => {
    const store = new MessageStore();
    const kept: Array<[Dhcpv6Message, string, Uint8Array]> = [];
    fc.assert(fc.property(cleanOptionTrees(), fc.integer({ min: 0, max: 0xffffff }), (body, xid) => {
      const octets = Uint8Array.from([3, xid >> 16, (xid >> 8) & 0xff, xid & 0xff, ...body]);
      const { buf, message } = inBuffer(octets);
      expect(message.anomalies).toEqual([]);
      const k = store.keep(message);
      expect(sameOctets(k, message)).toBe(true);
      kept.push([k, json(message), buf]);
    }), { numRuns: 3000 });
    for (const [, , buf] of kept) buf.fill(0);
    let octets = 0;
    for (const [k, want] of kept) {
      expect(json(k)).toBe(want);
      octets += k.length;
    }
    expect(octets).toBeGreaterThan(64 * 1024); // more than one slab was filled
  });

  it('a message longer than an eighth of a slab gets a buffer of its own, and reads the same', () => {
    const big = Uint8Array.from([7, 0, 0, 1, 0xff, 0xf0, 0x27, 0x10, ...new Array(10000).fill(0x61)]); // Reply with a 10 000-octet unknown option
    const { buf, message } = inBuffer(big);
    expect(message.anomalies).toEqual([]);
    const want = json(message);
    const kept = new MessageStore().keep(message);
    expect(kept).not.toBe(message);
    buf.fill(0);
    expect(json(kept)).toBe(want);
  });

  it('keeps a message with anomalies, or a plain object, as it is', () => {
    const store = new MessageStore();
    const broken = defaultCodec.decodeMessage(hex('01 000001 0001 0009 0003 0001')); // Client-ID overruns the message
    expect(broken.anomalies.length).toBeGreaterThan(0);
    expect(store.keep(broken)).toBe(broken);
    const plain: Dhcpv6Message = { msgType: 1, format: 'client-server', xid: 1, length: 4, options: [], anomalies: [] };
    expect(store.keep(plain)).toBe(plain);
  });
});
