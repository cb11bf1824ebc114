// DecodeLineWriter (src/cli/decode-line.ts) against the generic decode line, JSON.stringify of the
// capture fields spread with `codec.toJson(message)`: the same octets for every message of every
// fixture and shared capture, for messages made to hit every option codec, and for random and
// mutated ones (which mostly take the generic path themselves, through their anomalies).

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { DecodeLineWriter } from '../../../src/cli/decode-line.js';
import { JsonLineWriter } from '../../../src/cli/json-bytes.js';
import { createCodec, defaultCodec, type Dhcpv6Codec } from '../../../src/dhcpv6/codec.js';
import { DecodedMessage } from '../../../src/dhcpv6/message.js';
import type { MessageRecord } from '../../../src/dhcpv6/types.js';
import { decode } from '../../../src/index.js';
import { cleanOptionTrees, SAMPLE_MESSAGES, tlv } from '../../kit/dhcpv6-samples.js';
import { captureFiles, FIXTURES_DIR, runOptionsFor, SHARED_CAPTURES_DIR } from '../../kit/captures.js';

/** Lines written by one DecodeLineWriter, collected as text (the sink copies: the buffer is reused). */
class Collector {
  readonly #parts: Buffer[] = [];
  readonly #out = new JsonLineWriter((b) => this.#parts.push(Buffer.from(b)));
  readonly lines = new DecodeLineWriter(this.#out);

  /** The text written since the last call. */
  take(): string {
    this.#out.flush();
    const text = Buffer.concat(this.#parts).toString('utf8');
    this.#parts.length = 0;
    return text;
  }
}

/** The decode line as the generic path makes it (DESIGN.md `decode`). */
function genericLine(r: MessageRecord, codec: Dhcpv6Codec): string {
  return `${JSON.stringify({
    input: r.input, frame: r.frame, time: Number(r.time.toFixed(6)),
    src: r.src, dst: r.dst, srcPort: r.srcPort, dstPort: r.dstPort, transport: r.transport,
    ...codec.toJson(r.message),
  })}\n`;
}

/** Whether the writer reads this message in place (its fast path). */
function inPlace(r: MessageRecord): boolean {
  return r.message instanceof DecodedMessage && r.message.octetsOf({ bytes: new Uint8Array(0), start: 0, end: 0 });
}

function record(message: DecodedMessage | MessageRecord['message'], time = 1732262400.123456): MessageRecord {
  return {
    input: 0, frame: 7, frames: [7], time, transport: 'udp', src: '2001:db8::1', dst: 'ff02::1:2',
    srcPort: 546, dstPort: 547, hopLimit: 64, message,
  };
}

const DRAFT01 = createCodec({ codes: { 'LEASEQUERY-DONE': 246, 'LEASEQUERY-DATA': 247, OPTION_RELAY_ID: 250, QueryTerminated: 240 } });
const CODECS = [defaultCodec, createCodec({ maxRelayDepth: 1, maxOptionDepth: 2 }), DRAFT01];

/** Every code some codec knows, plus unassigned and unknown ones (opaque). */
const CODES = [...new Set([...defaultCodec.table.keys(), ...DRAFT01.table.keys(), 0, 10, 35, 200, 255, 256, 300, 4242, 65535])].sort((a, b) => a - b);

/** An option body that passes its codec's length rule (its content may still be undecodable). */
function bodyFor(codec: Dhcpv6Codec, code: number): fc.Arbitrary<number[]> {
  const rule = codec.codecFor(code).length;
  const min = rule.fixed ?? rule.min ?? 0;
  const max = rule.fixed ?? Math.min(rule.max ?? 65535, min + 48);
  const octet = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0x61, max: 0x7a }), fc.nat(255));
  return fc.tuple(fc.integer({ min, max }), fc.array(octet, { minLength: max, maxLength: max }), fc.nat(6)).map(([n, octets, duidType]) => {
    const m = rule.multipleOf ?? 0;
    const len = m === 0 ? n : min + Math.floor((n - min) / m) * m;
    const body = octets.slice(0, len);
    if (codec.codecFor(code).kind === 'duid' && len >= 2) { body[0] = 0; body[1] = duidType; } // DUID types 0..6
    return body;
  });
}

/**
 * Bodies for one code that pass its length rule, most of which decode: zeros (root names, empty
 * sub-options, prefix length 0), letters, counting octets, and DUIDs of each type at each length.
 */
function sweepBodies(codec: Dhcpv6Codec, code: number): number[][] {
  const rule = codec.codecFor(code).length;
  const min = rule.fixed ?? rule.min ?? 0;
  const max = rule.fixed ?? Math.min(rule.max ?? 65535, min + 20);
  const m = rule.multipleOf ?? 1;
  const out: number[][] = [];
  for (let len = min; len <= max; len += m) {
    out.push(new Array<number>(len).fill(0), new Array<number>(len).fill(0x61), Array.from({ length: len }, (_, i) => (i * 37 + 1) & 0xff));
    if (codec.codecFor(code).kind === 'duid') {
      for (let t = 0; t <= 5; t++) out.push(Array.from({ length: len }, (_, i) => (i === 1 ? t : i === 0 ? 0 : (i * 29 + 3) & 0xff)));
    }
  }
  return out;
}

/** Options of any code, with bodies that often decode. */
const someOptions = (codec: Dhcpv6Codec): fc.Arbitrary<number[]> =>
  fc.array(fc.constantFrom(...CODES).chain((code) => bodyFor(codec, code).map((body) => tlv(code, body))), { minLength: 0, maxLength: 4 })
    .map((list) => list.flat());

/** A message of any header format around `options`. */
const withHeader = (options: fc.Arbitrary<number[]>): fc.Arbitrary<Uint8Array> =>
  fc.tuple(fc.constantFrom(1, 7, 12, 13, 15, 16, 17, 20, 21, 24, 35, 36, 247, 0), fc.uint8Array({ minLength: 33, maxLength: 33 }), options)
    .map(([t, header, opts]) => {
      const size = t === 12 || t === 13 ? 33 : t >= 24 && t <= 35 ? 7 : 3;
      return Uint8Array.from([t, ...header.subarray(0, size), ...opts]);
    });

/** Options nested the ways messages nest them: CLIENT_DATA, IA_NA after its fields, a relayed message. */
const nested = (codec: Dhcpv6Codec): fc.Arbitrary<number[]> => fc.oneof(
  someOptions(codec),
  someOptions(codec).map((o) => tlv(45, o)),
  someOptions(codec).map((o) => tlv(3, [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, ...o])),
  withHeader(someOptions(codec)).map((m) => tlv(9, [...m])),
  withHeader(someOptions(codec)).map((m) => tlv(47, [...new Array<number>(16).fill(0), ...m])),
);

/** Well-formed messages with random edits and cuts. */
const mutated: fc.Arbitrary<Uint8Array> = fc.tuple(
  fc.constantFrom(...SAMPLE_MESSAGES),
  fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }),
  fc.nat(7),
).map(([base, edits, cut]) => {
  const b = Uint8Array.from(base);
  for (const [at, v] of edits) b[at % b.length] = v;
  return b.subarray(0, b.length - cut);
});

/** Capture times, with exact halves of a microsecond (toFixed's ties) and values outside 0..2^32. */
const times: fc.Arbitrary<number> = fc.oneof(
  fc.double({ min: 0, max: 2 ** 32, noNaN: true }),
  fc.integer({ min: 0, max: 2 ** 31 }).chain((s) => fc.integer({ min: 0, max: 127 }).map((k) => s + k / 128)),
  fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }).chain((s) => fc.nat(999_999).map((us) => s + us / 1e6)),
  fc.constantFrom(0, -0, 0.0000005, 0.0000015, 4294967295.9999995, 2 ** 32, 2 ** 40 + 0.5, -1.5, 1e21, NaN, Infinity),
);

describe('DecodeLineWriter = the generic decode line', () => {
  test('every option codec, alone, in every place an option can be, under three codecs', () => {
    const out = new Collector();
    /** Codes written from the octets (in a clean message), per codec. */
    const fast = CODECS.map(() => new Set<number>());
    let total = 0;
    CODECS.forEach((codec, ci) => {
      for (const code of CODES) {
        for (const body of sweepBodies(codec, code)) {
          const option = tlv(code, body);
          const places = [
            [7, 1, 2, 3, ...option], // REPLY
            [17, 1, 2, 3, ...tlv(45, option)], // LEASEQUERY-DATA, in OPTION_CLIENT_DATA
            [12, 1, ...new Array<number>(32).fill(0), ...tlv(9, [1, 4, 5, 6, ...option])], // RELAY-FORW around a Solicit
            [15, 1, 2, 3, ...tlv(47, [...new Array<number>(16).fill(0), 12, 0, ...new Array<number>(32).fill(0), ...option])],
            [24, 1, 2, 3, 0, 0, 1, 0, ...tlv(3, [0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, ...option])], // failover BNDUPD, in IA_NA
          ];
          for (const bytes of places) {
            const r = record(codec.decodeMessage(Uint8Array.from(bytes)));
            out.lines.write(r, codec);
            expect(out.take()).toBe(genericLine(r, codec));
            total++;
            if (inPlace(r)) fast[ci].add(code);
          }
        }
      }
    });
    // Every code was written from the octets at least once, under each codec.
    for (const codes of fast) expect(CODES.filter((c) => !codes.has(c))).toEqual([]);
    expect(total).toBeGreaterThan(10_000);
  });

  test('random options of every code, nested, in every header format, with every kind of capture time', () => {
    const out = new Collector();
    let clean = 0;
    let total = 0;
    for (const codec of CODECS) {
      fc.assert(fc.property(withHeader(nested(codec)), times, (bytes, time) => {
        const r = record(codec.decodeMessage(bytes), time);
        out.lines.write(r, codec);
        expect(out.take()).toBe(genericLine(r, codec));
        total++;
        if (inPlace(r)) clean++;
      }), { numRuns: 2000 });
    }
    expect(clean).toBeGreaterThan(total / 10);
  });

  test('clean option trees (leases) and random or mutated octets', () => {
    const out = new Collector();
    const leases = cleanOptionTrees().map((body) => Uint8Array.from([17, 1, 2, 3, ...body]));
    const any = fc.oneof(leases, mutated, fc.uint8Array({ maxLength: 200 }), withHeader(fc.uint8Array({ maxLength: 60 }).map((b) => [...b])));
    let clean = 0;
    fc.assert(fc.property(any, times, fc.constantFrom(...CODECS), (bytes, time, codec) => {
      const r = record(codec.decodeMessage(bytes), time);
      out.lines.write(r, codec);
      expect(out.take()).toBe(genericLine(r, codec));
      if (inPlace(r)) clean++;
    }), { numRuns: 3000 });
    expect(clean).toBeGreaterThan(300);
  });

  test('a message whose options were assigned, or one that is not a decoded message, takes the generic path', () => {
    const out = new Collector();
    const m = defaultCodec.decodeMessage(SAMPLE_MESSAGES[0]);
    m.options = m.options.slice(1);
    const r = record(m);
    expect(inPlace(r)).toBe(false);
    out.lines.write(r, defaultCodec);
    expect(out.take()).toBe(genericLine(r, defaultCodec));
    const plain = record({ msgType: 7, format: 'client-server', xid: 5, options: [], anomalies: [], length: 4 });
    out.lines.write(plain, defaultCodec);
    expect(out.take()).toBe(genericLine(plain, defaultCodec));
  });

  test('every message of every fixture and shared capture', async () => {
    const out = new Collector();
    const files = captureFiles(FIXTURES_DIR);
    expect(files.length).toBeGreaterThan(100);
    files.push(...captureFiles(SHARED_CAPTURES_DIR));
    let compared = 0;
    let clean = 0;
    const wrong: string[] = [];
    for (const file of files) {
      await decode([file], (r, codec) => {
        out.lines.write(r, codec);
        if (out.take() !== genericLine(r, codec)) wrong.push(`${file} frame ${r.frame}`);
        compared++;
        if (inPlace(r)) clean++;
      }, runOptionsFor(file));
    }
    expect(wrong).toEqual([]);
    console.log(`decode lines compared on ${compared} messages of ${files.length} captures (${clean} read in place)`);
    expect(compared).toBeGreaterThan(2000);
    expect(clean).toBeGreaterThan(compared / 2);
  });
});

