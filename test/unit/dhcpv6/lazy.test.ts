// The lazy message (message.ts) against an eager oracle: the validation walk, the option tree built
// on first access, optionOf/hasOption answered from the octets, and the rule tables must all give
// exactly what the one-pass walker gives, on random and mutated bytes and on every fixture capture.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { createCodec, defaultCodec, type Dhcpv6Codec } from '../../../src/dhcpv6/codec.js';
import { DecodedMessage, OptionCursor, WireOption, lengthProblem, messageFormat, HEADER_LENGTH } from '../../../src/dhcpv6/message.js';
import {
  bodyHex, duidHex, findOption, hasOption, messageStatusCode, optionBodyLength, optionOf, optionU16, optionU32, optionU8, peekOption,
  sameBody, scratchOption, transientOption, sameBodyHex, sameOctets, topStatusCode,
} from '../../../src/dhcpv6/helpers.js';
import { BulkStreamDecoder } from '../../../src/dhcpv6/bulk-stream.js';
import { formatIpv6, u16, u24, u32 } from '../../../src/dhcpv6/options/primitives.js';
import type { BulkStreamListener, Dhcpv6Anomaly, Dhcpv6Message, Dhcpv6Option, MessageRecord } from '../../../src/dhcpv6/types.js';
import type { TcpConnection } from '../../../src/net/types.js';
import { decode } from '../../../src/index.js';
import { cleanOptionTrees, hex, SAMPLE_MESSAGES } from '../../kit/dhcpv6-samples.js';
import { captureFiles, FIXTURES_DIR, SHARED_CAPTURES_DIR } from '../../kit/captures.js';

/** A plain, fully built form of a decoded message, for deep comparison. */
interface PlainOption { code: number; length: number; data: string; options?: PlainOption[]; message?: PlainMessage; anomalies?: Dhcpv6Anomaly[] }
interface PlainMessage {
  msgType: number; format: string; xid?: number; flags?: number; hopCount?: number; linkAddress?: string;
  peerAddress?: string; sentTime?: number; length: number; anomalies: Dhcpv6Anomaly[]; options: PlainOption[];
}

const hexOf = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.length).toString('hex');

function plainOption(o: Dhcpv6Option): PlainOption {
  const p: PlainOption = { code: o.code, length: o.length, data: hexOf(o.data) };
  if (o.options) p.options = o.options.map(plainOption);
  if (o.message) p.message = plainMessage(o.message);
  if (o.anomalies) p.anomalies = o.anomalies.map((a) => ({ ...a }));
  return p;
}

function plainMessage(m: Dhcpv6Message): PlainMessage {
  const p: PlainMessage = { msgType: m.msgType, format: m.format, length: m.length, anomalies: m.anomalies.map((a) => ({ ...a })), options: m.options.map(plainOption) };
  for (const k of ['xid', 'flags', 'hopCount', 'linkAddress', 'peerAddress', 'sentTime'] as const) {
    if (m[k] !== undefined) (p as unknown as Record<string, unknown>)[k] = m[k];
  }
  return p;
}

/** Visits the lazy tree and the oracle's side by side (options, sub-options, encapsulated messages). */
function forEachPair(got: readonly Dhcpv6Option[], want: readonly PlainOption[], visit: (o: Dhcpv6Option, p: PlainOption) => void): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    visit(got[i], want[i]);
    if (want[i].options) forEachPair(got[i].options!, want[i].options!, visit);
    if (want[i].message) forEachPair(got[i].message!.options, want[i].message!.options, visit);
  }
}

// ---- the oracle: the eager one-pass decoder as it was before the lazy tree (same rules, same texts)

function oracleMessage(c: Dhcpv6Codec, bytes: Uint8Array, depth: number): PlainMessage {
  const anomalies: Dhcpv6Anomaly[] = [];
  const msgType = bytes.length > 0 ? bytes[0] : 0;
  const format = messageFormat(msgType);
  const header = HEADER_LENGTH[format];
  const n = bytes.length;
  const m: PlainMessage = { msgType, format, length: n, anomalies, options: [] };
  if (n < header) anomalies.push({ name: 'dhcpv6.message.truncated', message: `${n} octets, shorter than the ${header}-octet ${format} header` });
  if (format === 'relay') {
    if (n >= 2) m.hopCount = bytes[1];
    if (n >= 18) m.linkAddress = formatIpv6(bytes, 2);
    if (n >= 34) m.peerAddress = formatIpv6(bytes, 18);
  } else if (format === 'dhcpv4-over-dhcpv6') {
    if (n >= 4) m.flags = u24(bytes, 1);
  } else if (format === 'failover') {
    if (n >= 4) m.xid = u24(bytes, 1);
    if (n >= 8) m.sentTime = u32(bytes, 4);
  } else if (n >= 4) m.xid = u24(bytes, 1);
  if (n > header) m.options = oracleOptions(c, bytes.subarray(header), depth, 0, anomalies);
  return m;
}

function oracleOptions(c: Dhcpv6Codec, data: Uint8Array, msgDepth: number, optDepth: number, sink: Dhcpv6Anomaly[]): PlainOption[] {
  const out: PlainOption[] = [];
  const bad = (o: PlainOption, name: string, message: string): void => {
    const a = { name, message, code: o.code };
    (o.anomalies ??= []).push(a);
    sink.push(a);
  };
  let o = 0;
  while (o < data.length) {
    if (o + 4 > data.length) {
      sink.push({ name: 'dhcpv6.option.overrun', message: `${data.length - o} trailing octet(s), too few for an option header` });
      break;
    }
    const code = u16(data, o);
    const length = u16(data, o + 2);
    const s = o + 4;
    if (s + length > data.length) {
      const opt: PlainOption = { code, length, data: hexOf(data.subarray(s)) };
      bad(opt, 'dhcpv6.option.overrun', `option-len ${length} runs ${s + length - data.length} octet(s) past its container`);
      out.push(opt);
      break;
    }
    const body = data.subarray(s, s + length);
    const opt: PlainOption = { code, length, data: hexOf(body) };
    out.push(opt);
    o = s + length;
    const codec = c.codecFor(code);
    const problem = lengthProblem(codec, length);
    if (problem) { bad(opt, 'dhcpv6.option.bad_length', problem); continue; }
    let prefix = 0;
    if (codec.body) {
      const p = typeof codec.body.prefix === 'number' ? codec.body.prefix : codec.body.prefix(body);
      if (p === undefined || p > length) { bad(opt, 'dhcpv6.option.bad_length', `length ${length} too short for the option's fields`); continue; }
      prefix = p;
    }
    const checked = codec.check?.(body);
    if (checked) { bad(opt, 'dhcpv6.option.undecodable', checked); continue; }
    if (codec.body?.kind === 'options') {
      if (optDepth + 1 > c.maxOptionDepth) { bad(opt, 'dhcpv6.option.too_deep', `options nested deeper than dhcpv6.max-option-depth (${c.maxOptionDepth})`); continue; }
      opt.options = oracleOptions(c, body.subarray(prefix), msgDepth, optDepth + 1, sink);
    } else if (codec.body?.kind === 'message') {
      if (msgDepth + 1 > c.maxRelayDepth) { bad(opt, 'dhcpv6.relay.too_deep', `messages nested deeper than dhcpv6.max-relay-depth (${c.maxRelayDepth})`); continue; }
      opt.message = oracleMessage(c, body.subarray(prefix), msgDepth + 1);
      sink.push(...opt.message.anomalies);
    }
  }
  return out;
}

// ---- inputs

const VALID = [
  ...SAMPLE_MESSAGES,
  hex('0f 000001 002f 0036 fe800000000000000000000000000001 0c 00 20010db8000100000000000000000001 fe80000000000000000000000000000c 0012 0000 0059 0006 10 08 00 0a000000'),
  hex('18 000102 5f5e1000 007a 0004 00000e10 0011 000a 00000009 0001 0002 abcd'),
];

/** Bytes shaped like options: random TLVs with plausible codes, sometimes lying about their length. */
const tlvs: fc.Arbitrary<Uint8Array> = fc.array(
  fc.tuple(fc.constantFrom(1, 2, 3, 5, 6, 7, 9, 13, 17, 18, 24, 25, 26, 39, 44, 45, 46, 47, 53, 56, 89, 92, 300, 65000),
    fc.uint8Array({ maxLength: 40 }), fc.integer({ min: -3, max: 3 })),
  { maxLength: 8 },
).map((items) => {
  const parts: number[] = [];
  for (const [code, body, lie] of items) {
    const len = Math.max(0, Math.min(65535, body.length + (lie === 3 || lie === -3 ? lie : 0)));
    parts.push(code >> 8, code & 0xff, len >> 8, len & 0xff, ...body);
  }
  return Uint8Array.from(parts);
});

const messages: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.tuple(fc.constantFrom(1, 7, 12, 13, 14, 15, 16, 17, 20, 24), fc.uint8Array({ minLength: 0, maxLength: 40 }), tlvs)
    .map(([t, head, body]) => {
      const h = t === 12 || t === 13 ? 33 : t === 24 ? 7 : 3;
      const header = Uint8Array.from({ length: h }, (_, i) => head[i] ?? i);
      return Uint8Array.from([t, ...header, ...body]);
    }),
  fc.tuple(fc.constantFrom(...VALID), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat())
    .map(([base, edits, cut]) => {
      const b = Uint8Array.from(base);
      for (const [at, v] of edits) b[at % b.length] = v;
      return b.subarray(0, b.length - (cut % 6));
    }),
  // a relay wrapping random options: nested messages built lazily
  tlvs.map((inner) => {
    const msg = Uint8Array.from([1, 0, 0, 9, ...inner]);
    return Uint8Array.from([12, 0, ...new Array(32).fill(0), 0, 9, msg.length >> 8, msg.length & 0xff, ...msg]);
  }),
);

const CODECS = [defaultCodec, createCodec({ maxRelayDepth: 1, maxOptionDepth: 2 }), createCodec({ codes: { OPTION_RELAY_ID: 300 } })];
const PROBE = [1, 2, 3, 5, 7, 9, 13, 17, 18, 25, 39, 44, 45, 46, 47, 53, 89, 300, 65000, 4242];

/**
 * What OptionCursors read from a message, in the PlainOption shape: code, option-len and captured body
 * of every option, sub-options where `enter` says there are some (a fresh cursor per level), and
 * whether the option has anomalies of its own.
 */
function cursorLevel(c: OptionCursor): Array<PlainOption & { ok: boolean }> {
  const out: Array<PlainOption & { ok: boolean }> = [];
  while (c.next()) {
    const n = c.end - c.start;
    const p: PlainOption & { ok: boolean } = { code: c.code, length: c.length, data: hexOf(c.bytes.subarray(c.start, c.end)), ok: c.ok };
    if (n >= 1) expect(c.u8(n - 1)).toBe(c.bytes[c.end - 1]);
    if (n >= 2) expect(c.u16(0)).toBe(u16(c.bytes, c.start));
    if (n >= 4) expect(c.u32(n - 4)).toBe(u32(c.bytes, c.end - 4));
    expect(c.sameBodyAs(c.bytes, c.start, c.end)).toBe(true);
    if (n >= 1) expect(c.sameBodyAs(c.bytes, c.start, c.end - 1)).toBe(false);
    const sub = new OptionCursor();
    if (c.enter(sub)) p.options = cursorLevel(sub);
    out.push(p);
  }
  return out;
}

/** The tree as a cursor tells it: no encapsulated messages, anomalies as `ok`. */
function treeLevel(options: readonly PlainOption[]): Array<PlainOption & { ok: boolean }> {
  return options.map((o) => ({
    code: o.code, length: o.length, data: o.data, ok: !o.anomalies?.length, ...(o.options ? { options: treeLevel(o.options) } : {}),
  }));
}

describe('lazy message = eager oracle', () => {
  test('OptionCursor = the option tree; a clean message is read in place, building nothing', () => {
    let clean = 0;
    let nested = 0;
    let anomalous = 0;
    const leases = cleanOptionTrees().map((body) => Uint8Array.from([17, 1, 2, 3, ...body])); // LEASEQUERY-DATA
    fc.assert(fc.property(fc.oneof(messages, leases), (bytes) => {
      for (const c of CODECS) {
        const m = c.decodeMessage(bytes) as DecodedMessage;
        const want = oracleMessage(c, bytes, 0);
        const top = new OptionCursor();
        top.open(m);
        expect(cursorLevel(top)).toEqual(treeLevel(want.options));
        if (want.anomalies.length === 0) {
          clean++;
          expect(m.optionsBuilt).toBe(false); // read in place
          if (want.options.some((o) => o.options?.some((x) => x.options))) nested++;
        } else {
          anomalous++;
        }
      }
    }), { numRuns: 1500 });
    expect(clean).toBeGreaterThan(300);
    expect(anomalous).toBeGreaterThan(300);
    expect(nested).toBeGreaterThan(100); // options three levels deep, read through two cursors
  });

  test('the whole tree, the anomalies and the header fields', () => {
    fc.assert(fc.property(messages, (bytes) => {
      for (const c of CODECS) {
        const m = c.decodeMessage(bytes);
        const want = oracleMessage(c, bytes, 0);
        // anomalies are exact before anything else is touched
        expect(m.anomalies).toEqual(want.anomalies);
        expect(plainMessage(m)).toEqual(want);
      }
    }), { numRuns: 2000 });
  });

  test('peekOption = optionOf without keeping what it built; messageStatusCode = topStatusCode of the tree', () => {
    fc.assert(fc.property(messages, (bytes) => {
      for (const c of CODECS) {
        const lazy = c.decodeMessage(bytes);
        const status = messageStatusCode(lazy);
        const peeked = PROBE.map((code) => peekOption(lazy, code));
        const tree = c.decodeMessage(bytes).options;
        expect(status).toBe(topStatusCode(tree));
        PROBE.forEach((code, i) => {
          const want = findOption(tree, code);
          expect(peeked[i] && plainOption(peeked[i]!)).toEqual(want && plainOption(want));
          // not kept: asking again builds another object (a clean message had built nothing)
          if (want !== undefined && lazy.anomalies.length === 0) expect(peekOption(lazy, code)).not.toBe(peeked[i]);
        });
        if (lazy.anomalies.length === 0) expect((lazy as DecodedMessage).optionsBuilt).toBe(false);
        // once optionOf has built it, peekOption hands out that same object
        for (const code of PROBE) {
          const kept = optionOf(lazy, code);
          expect(peekOption(lazy, code)).toBe(kept);
        }
      }
    }), { numRuns: 1000 });
  });

  test('transientOption = peekOption, answered with the scratch for a leaf of a clean, unbuilt message', () => {
    const scratch = scratchOption();
    let reused = 0;
    fc.assert(fc.property(messages, (bytes) => {
      for (const c of CODECS) {
        const lazy = c.decodeMessage(bytes);
        const tree = c.decodeMessage(bytes).options;
        for (const code of PROBE) {
          const got = transientOption(lazy, code, scratch);
          const want = findOption(tree, code);
          // compared before the next call resets the scratch
          expect(got && plainOption(got)).toEqual(want && plainOption(want));
          const leaf = want !== undefined && want.options === undefined && want.message === undefined && want.anomalies === undefined;
          if (lazy.anomalies.length === 0 && leaf) {
            expect(got).toBe(scratch);
            reused++;
          } else if (got !== undefined) {
            expect(got).not.toBe(scratch);
          }
        }
        if (lazy.anomalies.length === 0) expect((lazy as DecodedMessage).optionsBuilt).toBe(false);
        // what optionOf built and kept is handed out itself, never the scratch
        for (const code of PROBE) {
          const kept = optionOf(lazy, code);
          expect(transientOption(lazy, code, scratch)).toBe(kept);
        }
      }
    }), { numRuns: 1000 });
    expect(reused).toBeGreaterThan(20); // clean messages are the minority of the mutated ones
  });

  test('optionOf/hasOption before the tree exists = findOption on the tree', () => {
    fc.assert(fc.property(messages, (bytes) => {
      for (const c of CODECS) {
        const lazy = c.decodeMessage(bytes);
        const answers = PROBE.map((code) => [hasOption(lazy, code), optionOf(lazy, code)] as const);
        const tree = c.decodeMessage(bytes).options;
        const built = lazy.options;
        PROBE.forEach((code, i) => {
          const want = findOption(tree, code);
          expect(answers[i][0]).toBe(want !== undefined);
          expect(answers[i][1] && plainOption(answers[i][1]!)).toEqual(want && plainOption(want));
          // and after the tree is built: the tree's own objects
          expect(optionOf(lazy, code)).toBe(findOption(built, code));
          expect(hasOption(lazy, code)).toBe(want !== undefined);
        });
      }
    }), { numRuns: 1000 });
  });

  test('sameOctets (in place, no tree) = every header field and every top-level option compared on the trees', () => {
    // Pairs that differ in a few octets (or not at all) make equal and unequal answers both common.
    const pairs = messages.chain((a) => fc.tuple(
      fc.constant(a),
      fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 2 }).map((edits) => {
        const b = Uint8Array.from(a);
        for (const [at, v] of edits) if (b.length > 0) b[at % b.length] = v;
        return b;
      }),
    ));
    let equal = 0;
    let compared = 0;
    fc.assert(fc.property(pairs, ([x, y]) => {
      const a = defaultCodec.decodeMessage(x);
      const b = defaultCodec.decodeMessage(y);
      const fast = sameOctets(a, b);
      if (a.anomalies.length || b.anomalies.length) { expect(fast).toBeUndefined(); return; }
      compared++;
      const p = a.options;
      const q = b.options;
      const header = (['msgType', 'xid', 'flags', 'hopCount', 'linkAddress', 'peerAddress', 'sentTime', 'length'] as const)
        .every((k) => a[k] === b[k]);
      const want = header && p.length === q.length
        && p.every((o, i) => o.code === q[i].code && o.length === q[i].length && hexOf(o.data) === hexOf(q[i].data));
      if (want) equal++;
      expect(fast).toBe(want);
    }), { numRuns: 1500 });
    expect(compared).toBeGreaterThan(100);
    expect(equal).toBeGreaterThan(20);
    expect(compared - equal).toBeGreaterThan(20);
  });

  test('option bodies: the accessors without a view, then the lazy `data` view, = the oracle octet for octet', () => {
    fc.assert(fc.property(messages, fc.nat(), (bytes, salt) => {
      for (const c of CODECS) {
        const want = oracleMessage(c, bytes, 0);
        const m = c.decodeMessage(bytes);
        // 1. before any `data` is read: every accessor against the oracle's body
        const before: string[] = [];
        forEachPair(m.options, want.options, (o, p) => {
          const d = Uint8Array.from(Buffer.from(p.data, 'hex'));
          expect(o).toBeInstanceOf(WireOption);
          expect(optionBodyLength(o)).toBe(d.length);
          for (let i = -1; i <= d.length; i++) expect(optionU8(o, i)).toBe(d[i]);
          for (let i = 0; i + 2 <= d.length; i++) expect(optionU16(o, i)).toBe(u16(d, i));
          for (let i = 0; i + 4 <= d.length; i++) expect(optionU32(o, i)).toBe(u32(d, i));
          expect(bodyHex(o)).toBe(p.data);
          expect(duidHex(o)).toBe(p.data);
          expect(sameBodyHex(o, p.data)).toBe(true);
          expect(sameBody(o, d)).toBe(true);
          // a body that differs in one octet, or in length, is not the same
          if (d.length > 0) {
            const e = Uint8Array.from(d);
            e[salt % d.length] ^= 1 + (salt % 255);
            expect(sameBody(o, e)).toBe(false);
            expect(sameBodyHex(o, hexOf(e))).toBe(false);
            expect(sameBodyHex(o, p.data.toUpperCase())).toBe(p.data === p.data.toUpperCase());
          }
          expect(sameBody(o, Uint8Array.from([...d, 0]))).toBe(false);
          expect(sameBodyHex(o, `${p.data}00`)).toBe(false);
          before.push(p.data);
        });
        // 2. the lazy view: the oracle's octets, made once and kept
        const after: string[] = [];
        forEachPair(m.options, want.options, (o) => {
          const d = o.data;
          expect(o.data).toBe(d);
          after.push(hexOf(d));
        });
        expect(after).toEqual(before);
        // 3. a plain option (tests, encode.ts) answers the same through the generic path
        forEachPair(m.options, want.options, (o, p) => {
          const plain: Dhcpv6Option = { code: o.code, length: o.length, data: Uint8Array.from(o.data) };
          expect(optionBodyLength(plain)).toBe(optionBodyLength(o));
          expect(bodyHex(plain)).toBe(p.data);
          expect(sameBodyHex(plain, p.data)).toBe(true);
          if (plain.data.length >= 2) expect(optionU16(plain, 0)).toBe(optionU16(o, 0));
          if (plain.data.length >= 4) expect(optionU32(plain, 0)).toBe(optionU32(o, 0));
          expect(optionU8(plain, 0)).toBe(optionU8(o, 0));
        });
      }
    }), { numRuns: 700 });
  });

  test('decoded options have one shape and show no more own keys than the contract', () => {
    const m = defaultCodec.decodeMessage(VALID[0]);
    const keys = new Set<string>();
    forEachPair(m.options, oracleMessage(defaultCodec, VALID[0], 0).options, (o) => keys.add(Object.keys(o).join(',')));
    expect([...keys]).toEqual(['code,length,options,message,anomalies']);
    const o = m.options[0];
    const replaced = Uint8Array.from([1, 2, 3]);
    o.data = replaced; // the contract's `data` stays writable
    expect(o.data).toBe(replaced);
    expect(bodyHex(o)).toBe('010203');
    expect(optionBodyLength(o)).toBe(3);
  });

  test('messages decoded in place by the bulk stream: lazy bodies read long after = the oracle', () => {
    // The stream decoder keeps messages in its buffers and never rewrites octets a message holds
    // (bulk-stream.ts `shared`): bodies read only after the whole stream went through must still be
    // the captured ones, whether a top-level option was asked for while the message was fresh or not.
    const framed = messages.filter((b) => b.length >= 4);
    fc.assert(fc.property(
      fc.array(framed, { minLength: 1, maxLength: 40 }),
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: 1, maxLength: 10 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 7 }),
      (list, sizes, touch) => {
        const stream = Uint8Array.from(list.flatMap((m) => [m.length >> 8, m.length & 0xff, ...m]));
        const records: MessageRecord[] = [];
        let k = 0;
        const listener: BulkStreamListener = {
          open: () => {}, gap: () => {}, desync: () => {}, resync: () => {}, fin: () => {}, rst: () => {}, close: () => {}, cut: () => {},
          message: (r) => {
            if (touch[k++ % touch.length]) for (const code of PROBE) optionOf(r.message, code);
            records.push(r);
          },
        };
        const dec = new BulkStreamDecoder(defaultCodec, listener, 0);
        const c: TcpConnection = {
          id: 1, label: 'c', client: { address: '2001:db8::9', port: 40123 }, server: { address: '2001:db8::1', port: 547 },
          synSeen: true, midStream: false, detectedBy: 'port', firstFrame: 1, firstTime: 0, synAckFrame: 2, lastSynFrame: 1, lastSynTime: 0,
        };
        dec.open(c, 1, 0);
        for (let o = 0, i = 0; o < stream.length; i++) {
          const n = Math.min(sizes[i % sizes.length], stream.length - o);
          dec.data(c, 1, stream.slice(o, o + n), i + 2, 0); // a fresh chunk each time, as the capture reader gives
          o += n;
        }
        dec.close(c, 'capture-end', 999, 0);
        expect(records.length).toBe(list.length);
        records.forEach((r, i) => {
          const want = oracleMessage(defaultCodec, list[i], 0);
          forEachPair(r.message.options, want.options, (o, p) => {
            expect(bodyHex(o)).toBe(p.data);
            expect(hexOf(o.data)).toBe(p.data);
          });
          expect(plainMessage(r.message)).toEqual(want);
        });
      },
    ), { numRuns: 300 });
  });

  test('a clean message shares the empty anomaly list and builds nothing until asked', () => {
    const m = defaultCodec.decodeMessage(VALID[0]) as DecodedMessage;
    expect(m).toBeInstanceOf(DecodedMessage);
    expect(m.anomalies).toEqual([]);
    expect(Object.isFrozen(m.anomalies)).toBe(true);
    expect(m.optionsBuilt).toBe(false);
    const clientData = optionOf(m, 45);
    expect(clientData?.options?.map((o) => o.code)).toEqual([1, 5, 26, 46]);
    expect(optionOf(m, 45)).toBe(clientData);
    expect(m.optionsBuilt).toBe(false);
    expect(m.options.length).toBe(3);
    expect(m.options[2]).toBe(clientData);
    expect(m.optionsBuilt).toBe(true);
    expect(m.options).toBe(m.options);
    const bad = defaultCodec.decodeMessage(hex('07 000001 0007 0002 0a0b')) as DecodedMessage;
    expect(bad.optionsBuilt).toBe(true);
    expect(bad.anomalies.map((a) => a.name)).toEqual(['dhcpv6.option.bad_length']);
    expect(bad.options[0].anomalies?.[0]).toBe(bad.anomalies[0]);
  });

  test('the rule tables agree with lengthProblem for every code and length', () => {
    const wrong: string[] = [];
    for (const c of CODECS) {
      for (const code of [...c.table.keys(), 0, 200, 300, 65000, 65535]) {
        const codec = c.codecFor(code);
        for (const len of [...Array.from({ length: 301 }, (_, i) => i), 65535]) {
          if (c.rules.lengthOk(code, len) !== (lengthProblem(codec, len) === undefined)) wrong.push(`code ${code} length ${len}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

const ALL_CODES = [...Array.from({ length: 256 }, (_, i) => i), 300, 65000];

describe('fixture captures', () => {
  test('optionOf/hasOption/transientOption from the octets = findOption on the built tree, for every message', async () => {
    const files = captureFiles(FIXTURES_DIR);
    expect(files.length).toBeGreaterThan(50);
    files.push(...captureFiles(SHARED_CAPTURES_DIR));
    let compared = 0;
    let reused = 0;
    const scratch = scratchOption();
    const mismatches: string[] = [];
    for (const file of files) {
      await decode([file], (record) => {
        const m = record.message;
        // every code below 256 (and two above), asked before the tree exists
        // transientOption first (it builds nothing it keeps), then optionOf, both before the tree exists
        const transient = ALL_CODES.map((code) => {
          const o = transientOption(m, code, scratch);
          if (o === scratch) reused++;
          return o && plainOption(o);
        });
        const answers = ALL_CODES.map((code) => {
          const o = optionOf(m, code);
          return [hasOption(m, code), o && plainOption(o)] as const;
        });
        ALL_CODES.forEach((code, i) => {
          const want = findOption(m.options, code);
          const same = answers[i][0] === (want !== undefined)
            && JSON.stringify(answers[i][1]) === JSON.stringify(want && plainOption(want));
          if (!same) mismatches.push(`${file} frame ${record.frame} code ${code}`);
          if (JSON.stringify(transient[i]) !== JSON.stringify(want && plainOption(want))) mismatches.push(`${file} frame ${record.frame} code ${code} (transient)`);
        });
        compared++;
      });
    }
    expect(mismatches).toEqual([]);
    expect(compared).toBeGreaterThan(500);
    expect(reused).toBeGreaterThan(1000); // the scratch path is taken on real messages
    console.log(`optionOf/hasOption/transientOption compared on ${compared} messages of ${files.length} captures (${reused} answers in the scratch)`);
  }, 120_000);
});
