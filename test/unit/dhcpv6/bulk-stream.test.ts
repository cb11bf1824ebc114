// RFC 5460 §5.1 framing over reassembled streams: messages per chunk, messages across chunks,
// frames of each record, desync/resync, gaps, mid-stream starts, pending octets, the probe.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { BulkStreamDecoder, looksLikeBulkLeasequery } from '../../../src/dhcpv6/bulk-stream.js';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import type { BulkStreamListener, Dhcpv6Anomaly, MessageRecord } from '../../../src/dhcpv6/types.js';
import type { TcpConnection } from '../../../src/net/types.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const frame = (msg: string): Uint8Array => {
  const m = hex(msg);
  return Uint8Array.from([m.length >> 8, m.length & 0xff, ...m]);
};
const cat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));

const QUERY = frame('0e 123456 0001 000a 0003 0001 001122334455 002c 0011 04 20010db8000100000000000000000000');
const REPLY = frame('0f 123456 0002 000a 0003 0001 665544332211 002d 0008 002e 0004 0000003c');
const DATA1 = frame('11 123456 002d 0008 002e 0004 00000001');
const DATA2 = frame('11 123456 002d 0008 002e 0004 00000002');
const DONE = frame('10 123456');
const SERVER_STREAM = cat(REPLY, DATA1, DATA2, DONE);

function conn(midStream = false): TcpConnection {
  return {
    id: 1, label: '[2001:db8::9]:40123 > [2001:db8::1]:547', client: { address: '2001:db8::9', port: 40123 },
    server: { address: '2001:db8::1', port: 547 }, synSeen: !midStream, midStream, detectedBy: 'port', firstFrame: 1, firstTime: 0,
    synAckFrame: midStream ? 0 : 2, lastSynFrame: midStream ? 0 : 1, lastSynTime: 0,
  };
}

type Ev = [string, ...unknown[]];
function recorder(): { events: Ev[]; records: MessageRecord[]; listener: BulkStreamListener } {
  const events: Ev[] = [];
  const records: MessageRecord[] = [];
  const listener: BulkStreamListener = {
    open: (_c, f) => events.push(['open', f]),
    message: (r) => { records.push(r); events.push(['message', r.message.msgType, r.frame, r.frames]); },
    gap: (_c, d, size, f) => events.push(['gap', d, size, f]),
    desync: (_c, d, a: Dhcpv6Anomaly, f) => events.push(['desync', d, a.name, f]),
    resync: (_c, d, skipped, f) => events.push(['resync', d, skipped, f]),
    fin: (_c, d, f) => events.push(['fin', d, f]),
    rst: (_c, d, f) => events.push(['rst', d, f]),
    close: (_c, reason, f, _t, pending) => events.push(['close', reason, f, pending]),
    cut: (_c, d, a, _frames, _xid, f) => events.push(['cut', d, a.name, f]),
  };
  return { events, records, listener };
}

describe('BulkStreamDecoder', () => {
  test('several messages in one chunk, one message across several chunks', () => {
    const { events, records, listener } = recorder();
    const dec = new BulkStreamDecoder(defaultCodec, listener, 3);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 0, QUERY.subarray(0, 5), 4, 1.5);
    dec.data(c, 0, QUERY.subarray(5, 20), 5, 1.6);
    dec.data(c, 0, QUERY.subarray(20), 6, 1.7);
    dec.data(c, 1, SERVER_STREAM.subarray(0, REPLY.length + 3), 8, 2);
    dec.data(c, 1, SERVER_STREAM.subarray(REPLY.length + 3), 9, 2.5);
    dec.fin(c, 1, 10, 3);
    dec.close(c, 'fin', 11, 3);
    expect(events).toEqual([
      ['open', 1],
      ['message', 14, 6, [4, 5, 6]],
      ['message', 15, 8, [8]],
      ['message', 17, 9, [8, 9]],
      ['message', 17, 9, [9]],
      ['message', 16, 9, [9]],
      ['fin', 1, 10],
      ['close', 'fin', 11, [0, 0]],
    ]);
    expect(records[0]).toMatchObject({
      input: 3, time: 1.7, transport: 'tcp', src: '2001:db8::9', dst: '2001:db8::1', srcPort: 40123, dstPort: 547,
      direction: 0, connection: c,
    });
    expect(records[1]).toMatchObject({ src: '2001:db8::1', dst: '2001:db8::9', srcPort: 547, dstPort: 40123, direction: 1 });
    expect(records.map((r) => r.message.xid)).toEqual([0x123456, 0x123456, 0x123456, 0x123456, 0x123456]);
    expect(records[4].message.anomalies).toEqual([]);
    expect(defaultCodec.toJson(records[2].message).options[0].options?.[0].value).toEqual({ cltTime: 1 });
  });

  test('random chunkings of a valid stream yield identical messages', () => {
    const expected = (() => {
      const { records, listener } = recorder();
      const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
      dec.open(conn(), 1, 0);
      dec.data(conn(), 1, SERVER_STREAM, 2, 0);
      return records.map((r) => defaultCodec.toJson(r.message));
    })();
    expect(expected.map((m) => m.msgType)).toEqual([15, 17, 17, 16]);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: SERVER_STREAM.length }), { maxLength: 12 }), (cuts) => {
      const points = [...new Set(cuts)].sort((a, b) => a - b);
      const { records, listener, events } = recorder();
      const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
      const c = conn();
      dec.open(c, 1, 0);
      let prev = 0;
      let f = 2;
      for (const p of [...points, SERVER_STREAM.length]) {
        if (p > prev) dec.data(c, 1, SERVER_STREAM.subarray(prev, p), f++, 0);
        prev = p;
      }
      dec.close(c, 'capture-end', f, 0);
      expect(records.map((r) => defaultCodec.toJson(r.message))).toEqual(expected);
      expect(events.at(-1)).toEqual(['close', 'capture-end', f, [0, 0]]);
      for (const r of records) expect(r.frames.at(-1)).toBe(r.frame);
    }), { numRuns: 300 });
  });

  test('a bad message-size desyncs, and framing resumes at the next plausible frame', () => {
    const { events, records, listener } = recorder();
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 1, cat(REPLY, hex('0002 abcd ffff'), DATA1, DONE), 5, 0);
    expect(events).toEqual([
      ['open', 1],
      ['message', 15, 5, [5]],
      ['desync', 1, 'dhcpv6.bulk.bad_frame', 5],
      ['resync', 1, 6, 5],
      ['message', 17, 5, [5]],
      ['message', 16, 5, [5]],
    ]);
    expect(records.map((r) => r.message.msgType)).toEqual([15, 17, 16]);
  });

  test('after a gap the partial message is dropped and framing is found again', () => {
    const { events, listener } = recorder();
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 1, cat(REPLY, DATA1.subarray(0, 7)), 3, 0);
    dec.gap(c, 1, 100, 5, 0);
    // the bytes after the gap start with the tail of some message, then DATA2 and DONE
    dec.data(c, 1, cat(hex('0004 0000 0001'), DATA2, DONE), 5, 0);
    dec.close(c, 'capture-end', 6, 0);
    expect(events).toEqual([
      ['open', 1],
      ['message', 15, 3, [3]],
      ['gap', 1, 100, 5],
      ['resync', 1, 6, 5],
      ['message', 17, 5, [5]],
      ['message', 16, 5, [5]],
      ['close', 'capture-end', 6, [0, 0]],
    ]);
  });

  test('a mid-stream start hunts for the first frame; pending octets are reported at close', () => {
    const { events, listener } = recorder();
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn(true);
    dec.open(c, 1, 0);
    dec.data(c, 1, cat(REPLY.subarray(10), DATA1, DONE.subarray(0, 4)), 2, 0);
    dec.data(c, 1, DONE.subarray(4), 3, 0);
    dec.data(c, 1, DATA2.subarray(0, 9), 4, 0);
    dec.close(c, 'capture-end', 4, 0);
    expect(events).toEqual([
      ['open', 1],
      ['resync', 1, REPLY.length - 10, 2],
      ['message', 17, 2, [2]],
      ['message', 16, 3, [2, 3]],
      ['close', 'capture-end', 4, [0, 9]],
    ]);
  });

  test('message-size 0..3 is a bad frame even when framing was good', () => {
    for (const size of [0, 1, 2, 3]) {
      const { events, listener } = recorder();
      const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
      dec.open(conn(), 1, 0);
      dec.data(conn(), 0, Uint8Array.from([0, size, 14, 0, 0, 1]), 2, 0);
      expect(events[1]).toEqual(['desync', 0, 'dhcpv6.bulk.bad_frame', 2]);
    }
  });

  test('bulk.max-frames-per-message bounds the frames of a record (first half + last half)', () => {
    const big = frame(`11 000001 002d 0190 ${'0012 0004 00000000'.repeat(50)}`);
    const { records, listener } = recorder();
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0, { 'bulk.max-frames-per-message': 8 });
    dec.open(conn(), 1, 0);
    for (let i = 0; i < big.length; i++) dec.data(conn(), 1, big.subarray(i, i + 1), 10 + i, 0);
    expect(records).toHaveLength(1);
    const last = 10 + big.length - 1;
    expect(records[0].frame).toBe(last);
    expect(records[0].frames).toEqual([10, 11, 12, 13, last - 3, last - 2, last - 1, last]);
  });

  test('bulk.resync-scan-limit gives up the direction once', () => {
    const { events, listener } = recorder();
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0, { 'bulk.resync-scan-limit': 100 });
    const c = conn(true);
    dec.open(c, 1, 0);
    dec.data(c, 0, new Uint8Array(300).fill(0xff), 2, 0);
    dec.data(c, 0, QUERY, 3, 0);
    expect(events).toEqual([['open', 1], ['desync', 0, 'dhcpv6.bulk.undecodable', 2]]);
  });

  test('random garbage in random chunks never throws and always terminates', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), fc.boolean(), (chunks, mid) => {
      const { listener } = recorder();
      const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
      const c = conn(mid);
      dec.open(c, 1, 0);
      chunks.forEach((ch, i) => (i % 5 === 4 ? dec.gap(c, 1, ch.length + 1, i + 2, 0) : dec.data(c, (i % 2) as 0 | 1, ch, i + 2, 0)));
      dec.close(c, 'capture-end', 99, 0);
    }), { numRuns: 300 });
  });

  test('messages decoded in place stay intact while later octets, gaps and junk arrive', () => {
    // long streams of messages of many sizes (some far above the buffers' growth limit), cut at random
    const dataOf = (n: number, big: boolean): Uint8Array => {
      const fill = big ? 20000 + n : n % 300;
      const m = new Uint8Array(4 + 8 + 4 + fill);
      m.set([17, 0x12, 0x34, n & 0xff, 0, 45, (4 + 4 + fill) >> 8, (4 + 4 + fill) & 0xff, 0, 46, 0, 4, 0, 0, n >> 8, n & 0xff]);
      for (let i = 0; i < fill; i++) m[16 + i] = (n + i) & 0xff;
      m.set([0, 0xff, fill >> 8, fill & 0xff].slice(0, Math.min(4, fill)), 16); // an opaque sub-option when it fits
      return Uint8Array.from([m.length >> 8, m.length & 0xff, ...m]);
    };
    fc.assert(fc.property(
      fc.array(fc.boolean(), { minLength: 20, maxLength: 150 }).map((bigs) => bigs.map((b, i) => dataOf(i, b && i % 17 === 0))),
      fc.array(fc.integer({ min: 1, max: 3000 }), { minLength: 1, maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 3 }),
      (messages, sizes, gapsAt) => {
        const stream = cat(...messages);
        const { records, listener } = recorder();
        const at = new Map<MessageRecord, string>();
        const seen: MessageRecord[] = [];
        const dec = new BulkStreamDecoder(defaultCodec, {
          ...listener,
          // with gaps, compare each message with itself as first seen; without, leave it untouched until the end
          message: (r) => { seen.push(r); if (gapsAt.length) at.set(r, JSON.stringify(defaultCodec.toJson(r.message))); listener.message(r); },
        }, 0);
        const c = conn();
        dec.open(c, 1, 0);
        let o = 0;
        let f = 2;
        let i = 0;
        while (o < stream.length) {
          const n = Math.min(sizes[i % sizes.length], stream.length - o);
          if (gapsAt.includes(i)) dec.gap(c, 1, n, f++, 0);
          else dec.data(c, 1, stream.subarray(o, o + n), f++, 0);
          o += n;
          i++;
        }
        dec.close(c, 'capture-end', f, 0);
        expect(records.length).toBe(seen.length);
        if (gapsAt.length === 0) {
          expect(records.length).toBe(messages.length);
          records.forEach((r, k) => expect(JSON.stringify(defaultCodec.toJson(r.message)))
            .toBe(JSON.stringify(defaultCodec.toJson(defaultCodec.decodeMessage(messages[k].slice(2))))));
        }
        for (const r of seen) if (at.has(r)) expect(JSON.stringify(defaultCodec.toJson(r.message))).toBe(at.get(r));
      },
    ), { numRuns: 60 });
  });
});

describe('looksLikeBulkLeasequery', () => {
  test('accepts a framed LEASEQUERY whose options parse exactly', () => {
    expect(looksLikeBulkLeasequery(QUERY)).toBe(true);
    expect(looksLikeBulkLeasequery(cat(QUERY, QUERY))).toBe(true);
    expect(looksLikeBulkLeasequery(frame('17 000001'))).toBe(true); // STARTTLS
  });
  test('rejects other types, bad sizes, partial frames and options that do not end exactly', () => {
    expect(looksLikeBulkLeasequery(REPLY)).toBe(false);
    expect(looksLikeBulkLeasequery(QUERY.subarray(0, QUERY.length - 1))).toBe(false);
    expect(looksLikeBulkLeasequery(frame('0e 123456 0001 000a 0003'))).toBe(false);
    expect(looksLikeBulkLeasequery(hex('0002 0e12'))).toBe(false);
    expect(looksLikeBulkLeasequery(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toBe(false);
  });
});

// RFC 7653 §8.2: after an accepted STARTTLS both directions carry TLS records, which are not framed.
describe('BulkStreamDecoder after STARTTLS', () => {
  const STARTTLS = frame('17 000001');
  const ACCEPT = frame('07 000001 0002 000a 0003 0001 665544332211');
  const ACCEPT_LQ = frame('0f 000001 0002 000a 0003 0001 665544332211');
  const REFUSE = frame('07 000001 000d 0002 000f');
  const SUCCESS = frame('07 000001 000d 0002 0000');
  const ALQ = frame('16 000002 0001 000a 0003 0001 001122334455');
  const record = (type: number, len: number, fill: number): Uint8Array =>
    Uint8Array.from([type, 3, type === 22 ? 1 : 3, len >> 8, len & 0xff, ...new Array<number>(len).fill(fill)]);
  // a ClientHello record (TLS 1.0 record version) whose first octets frame a 5635-octet SOLICIT
  const HELLO = record(22, 300, 0x41);
  const SERVER_HELLO = cat(record(22, 90, 0x0e), record(20, 1, 1), record(23, 700, 0x10));
  const APP = record(23, 6000, 0x5a);

  function run(answer: Uint8Array): Ev[] {
    const { events, listener } = recorder();
    listener.tls = (_c, d, how, f) => events.push(['tls', d, how, f]);
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 0, STARTTLS, 4, 1);
    dec.data(c, 1, answer, 6, 1.1);
    dec.data(c, 0, HELLO.subarray(0, 100), 8, 1.2);
    dec.data(c, 0, HELLO.subarray(100), 9, 1.2);
    dec.data(c, 1, SERVER_HELLO, 10, 1.3);
    dec.data(c, 0, APP, 12, 1.4);
    dec.data(c, 1, APP, 13, 1.5);
    dec.fin(c, 0, 14, 2);
    dec.fin(c, 1, 15, 2);
    dec.close(c, 'fin', 15, 2);
    return events;
  }

  test('an accepting REPLY (type 7 or 15, no status or Success) stops framing in both directions at its frame', () => {
    for (const answer of [ACCEPT, ACCEPT_LQ, SUCCESS]) {
      expect(run(answer)).toEqual([
        ['open', 1],
        ['message', 23, 4, [4]],
        ['message', answer[2], 6, [6]],
        ['tls', 1, 'starttls', 6],
        ['tls', 0, 'starttls', 6],
        ['fin', 0, 14],
        ['fin', 1, 15],
        ['close', 'fin', 15, [0, 0]],
      ]);
    }
  });

  test('a refusal (TLSConnectionRefused) leaves the connection in plaintext: a later query is framed', () => {
    const { events, listener } = recorder();
    listener.tls = (_c, d, how, f) => events.push(['tls', d, how, f]);
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 0, STARTTLS, 4, 1);
    dec.data(c, 1, REFUSE, 6, 1.1);
    dec.data(c, 0, ALQ, 8, 1.2);
    dec.close(c, 'capture-end', 8, 1.2);
    expect(events).toEqual([['open', 1], ['message', 23, 4, [4]], ['message', 7, 6, [6]], ['message', 22, 8, [8]], ['close', 'capture-end', 8, [0, 0]]]);
  });

  test('a requestor that starts TLS despite a refusal sends records, not frames', () => {
    const { events, listener } = recorder();
    listener.tls = (_c, d, how, f) => events.push(['tls', d, how, f]);
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 0, STARTTLS, 4, 1);
    dec.data(c, 1, REFUSE, 6, 1.1);
    dec.data(c, 0, HELLO, 8, 1.2);
    dec.close(c, 'capture-end', 8, 1.2);
    expect(events).toEqual([['open', 1], ['message', 23, 4, [4]], ['message', 7, 6, [6]], ['tls', 0, 'records', 8], ['close', 'capture-end', 8, [0, 0]]]);
  });

  test("the requestor's handshake before the answer is seen (or without one) is TLS, not a SOLICIT frame", () => {
    const { events, listener } = recorder();
    listener.tls = (_c, d, how, f) => events.push(['tls', d, how, f]);
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 0, STARTTLS, 4, 1);
    dec.data(c, 0, HELLO.subarray(0, 2), 5, 1.1); // two octets decide nothing yet
    dec.data(c, 0, HELLO.subarray(2), 6, 1.1);
    dec.data(c, 0, APP, 7, 1.2);
    dec.close(c, 'capture-end', 7, 1.2);
    expect(events).toEqual([['open', 1], ['message', 23, 4, [4]], ['tls', 0, 'records', 6], ['close', 'capture-end', 7, [0, 0]]]);
  });

  test('TLS records met while hunting (capture started mid-connection) are recognised, not resynchronised on', () => {
    const { events, listener } = recorder();
    listener.tls = (_c, d, how, f) => events.push(['tls', d, how, f]);
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn(true);
    dec.open(c, 1, 0);
    // the tail of a record, then whole records, the second one's header split across segments
    const tail = APP.subarray(APP.length - 40);
    dec.data(c, 1, cat(tail, APP.subarray(0, 3000)), 2, 1);
    dec.data(c, 1, cat(APP.subarray(3000), APP), 3, 2);
    dec.data(c, 1, DONE, 4, 3);
    dec.close(c, 'capture-end', 4, 3);
    expect(events).toEqual([['open', 1], ['tls', 1, 'records', 3], ['close', 'capture-end', 4, [0, 0]]]);
  });

  test('without a STARTTLS, a requestor frame that looks like TLS is decoded as usual', () => {
    const { events, listener } = recorder();
    listener.tls = (_c, d, how, f) => events.push(['tls', d, how, f]);
    const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
    const c = conn();
    dec.open(c, 1, 0);
    dec.data(c, 0, QUERY, 2, 1);
    dec.data(c, 1, ACCEPT, 3, 1); // a REPLY without a STARTTLS before it switches nothing
    dec.data(c, 0, QUERY, 4, 2);
    dec.close(c, 'capture-end', 4, 2);
    expect(events.map((e) => e[0])).toEqual(['open', 'message', 'message', 'message', 'close']);
  });
});
