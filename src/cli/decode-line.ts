// The `decode` command's lines (DESIGN.md, `decode`): the capture fields, then the message's JSON
// form, written straight from the message's octets into the line writer's buffer. The octets are
// the exact text of `JSON.stringify({ ...captureFields, ...codec.toJson(message) })`, which stays
// the generic path: for messages with anomalies, and for option values without a writer here.

import { JsonLineWriter } from './json-bytes.js';
import type { Dhcpv6Codec } from '../dhcpv6/codec.js';
import type { MessageFormat, MessageRecord } from '../dhcpv6/types.js';
import type { OptionCodec } from '../dhcpv6/options/types.js';
import {
  contentStart, DecodedMessage, headerLength, HOLDS_MESSAGE, HOLDS_OPTIONS, messageFormat, type OctetRange,
} from '../dhcpv6/message.js';
import { containerCodec, emptyCodec, opaqueCodec, relayMsgCodec } from '../dhcpv6/options/special.js';
import { duidCodec } from '../dhcpv6/options/duid.js';
import { isStructCodec, type Field } from '../dhcpv6/options/struct.js';
import { u24, u32 } from '../dhcpv6/options/primitives.js';

const utf8 = new TextEncoder();
/** JSON text made once, as octets. */
const text = (s: string): Uint8Array => utf8.encode(s);

const K_INPUT = text('{"input":');
const K_FRAME = text(',"frame":');
const K_TIME = text(',"time":');
const K_SRC = text(',"src":');
const K_DST = text(',"dst":');
const K_SRC_PORT = text(',"srcPort":');
const K_DST_PORT = text(',"dstPort":');
const K_TRANSPORT = text(',"transport":');
const K_LINK_ADDRESS = text(',"linkAddress":');
const K_PEER_ADDRESS = text(',"peerAddress":');
const K_SENT_TIME = text(',"sentTime":');
const K_OPTIONS = text(',"options":[');
const K_MESSAGE = text(',"message":{');
const K_VALUE = text(',"value":');
const K_HEX = text(',"hex":');
const K_DUID = text(',"value":{"duidType":');
const K_HW_TYPE = text(',"hwType":');
const K_LINK_LAYER = text(',"linkLayer":');
const K_ENTERPRISE = text(',"enterpriseNumber":');
const K_IDENTIFIER = text(',"identifier":');

const COMMA = 0x2c;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Codecs whose `decode` gives no value: their options have no `value` member. */
const NO_VALUE: ReadonlySet<OptionCodec> = new Set([emptyCodec, opaqueCodec, containerCodec, relayMsgCodec]);

/** Struct field types read in place (struct.ts `decode`); a codec with any other field takes the generic path. */
const F = {
  U8: 0, U16: 1, U24: 2, U32: 3, IPV4: 4, IPV6: 5, BYTES: 6, HEX: 7, MAC: 8, U16_LIST: 9, IPV6_LIST: 10, OPAQUE_LIST: 11,
} as const;
const FIELD_TYPES: Readonly<Record<string, number>> = {
  u8: F.U8, u16: F.U16, u24: F.U24, u32: F.U32, ipv4: F.IPV4, ipv6: F.IPV6, bytes: F.BYTES,
  hex: F.HEX, mac: F.MAC, 'u16[]': F.U16_LIST, 'ipv6[]': F.IPV6_LIST, 'opaque[]': F.OPAQUE_LIST,
};

/** A struct codec's fields, ready to write: `,"value":{"key":` then `,"key":`, the types, the size of `bytes` fields. */
interface StructPlan { keys: Uint8Array[]; types: number[]; sizes: number[] }

const V_NONE = 0;
const V_DUID = 1;
const V_STRUCT = 2;
const V_GENERIC = 3;

/** How options with one code are written, made once per code and codec. */
interface OptionPlan {
  /** `{"code":N,"name":"…","length":` */
  head: Uint8Array;
  codec: OptionCodec;
  /** HOLDS_OPTIONS, HOLDS_MESSAGE or 0 (OptionRules.holds). */
  holds: number;
  /** How the value is written: V_NONE, V_DUID, V_STRUCT (fields in place) or V_GENERIC (the codec's decode). */
  value: number;
  struct: StructPlan | undefined;
  /** `hex` follows when there is no value: opaque codecs without a body (json.ts `optionToJson`). */
  hexWithoutValue: boolean;
}

/**
 * Writes one decode line per message record into a JsonLineWriter. A clean decoded message (no
 * anomaly at any depth, see `DecodedMessage.octetsOf`) is written from its octets, option by option,
 * without building its option tree or its JSON object; any other goes through `codec.toJson`.
 */
export class DecodeLineWriter {
  readonly #out: JsonLineWriter;
  #codec: Dhcpv6Codec | undefined = undefined;
  /** Plans by option code below 256, and the rest. */
  #low: Array<OptionPlan | undefined> = [];
  #high = new Map<number, OptionPlan>();
  /** `"msgType":T,"msgName":"…","xid":` (or `"hopCount":`, `"flags":`) by message type. */
  #msgHeads: Uint8Array[] = [];
  /** Header format by message type. */
  #formats: MessageFormat[] = [];
  readonly #range: OctetRange = { bytes: new Uint8Array(0), start: 0, end: 0 };

  constructor(out: JsonLineWriter) {
    this.#out = out;
  }

  /** Writes the line of `record`, whose message `codec` decoded. */
  write(record: MessageRecord, codec: Dhcpv6Codec): void {
    if (codec !== this.#codec) this.#use(codec);
    const m = record.message;
    const r = this.#range;
    if (!(m instanceof DecodedMessage) || !m.octetsOf(r) || !plainCaptureFields(record)) {
      this.#out.merged(captureFields(record), codec.toJson(m));
      return;
    }
    const w = this.#out;
    w.raw(K_INPUT); w.number(record.input);
    w.raw(K_FRAME); w.number(record.frame);
    w.raw(K_TIME); w.fixed6(record.time);
    w.raw(K_SRC); w.string(record.src);
    w.raw(K_DST); w.string(record.dst);
    w.raw(K_SRC_PORT); w.number(record.srcPort);
    w.raw(K_DST_PORT); w.number(record.dstPort);
    w.raw(K_TRANSPORT); w.string(record.transport);
    w.byte(COMMA);
    this.#message(r.bytes, r.start, r.end);
    w.byte(CLOSE_BRACE);
    w.endLine();
  }

  #use(codec: Dhcpv6Codec): void {
    this.#codec = codec;
    this.#low = new Array<OptionPlan | undefined>(256).fill(undefined);
    this.#high = new Map();
    this.#formats = Array.from({ length: 256 }, (_, t) => messageFormat(t));
    this.#msgHeads = this.#formats.map((format, t) => {
      const first = format === 'relay' ? 'hopCount' : format === 'dhcpv4-over-dhcpv6' ? 'flags' : 'xid';
      return text(`"msgType":${t},"msgName":${JSON.stringify(codec.messageName(t))},"${first}":`);
    });
  }

  /** The members of a clean message in b[s, e) (messageToJson's order), without its braces. */
  #message(b: Uint8Array, s: number, e: number): void {
    const w = this.#out;
    const msgType = b[s];
    w.raw(this.#msgHeads[msgType]);
    // The header fields by format (RFC 8415 §8, §9; RFC 7341 §6.2; RFC 8156 §5.2), after the head that
    // ends with the first one's key; a clean message's header is whole.
    const format = this.#formats[msgType];
    if (format === 'relay') {
      w.uint(b[s + 1]);
      w.raw(K_LINK_ADDRESS); w.ipv6(b, s + 2);
      w.raw(K_PEER_ADDRESS); w.ipv6(b, s + 18);
    } else {
      w.uint(u24(b, s + 1)); // xid, or the DHCPv4-over-DHCPv6 flags
      if (format === 'failover') { w.raw(K_SENT_TIME); w.uint(u32(b, s + 4)); }
    }
    w.raw(K_OPTIONS);
    this.#options(b, s + headerLength(msgType), e);
    w.byte(CLOSE_BRACKET);
  }

  /** The options in b[o, end) of a clean message, as array elements (optionToJson's members and order). */
  #options(b: Uint8Array, o: number, end: number): void {
    const w = this.#out;
    const codec = this.#codec!;
    while (o < end) {
      const code = (b[o] << 8) | b[o + 1];
      const length = (b[o + 2] << 8) | b[o + 3];
      const s = o + 4;
      const e = s + length;
      const plan = code < 256 ? (this.#low[code] ?? this.#plan(code)) : (this.#high.get(code) ?? this.#plan(code));
      w.raw(plan.head);
      w.uint(length);
      let valued = true;
      switch (plan.value) {
        case V_NONE: valued = false; break;
        case V_DUID: this.#duid(b, s, e); break;
        case V_STRUCT: this.#struct(plan.struct!, b, s, e); break;
        default: {
          const v = plan.codec.decode(new Uint8Array(b.buffer, b.byteOffset + s, length), codec.names);
          if (v === undefined) valued = false;
          else { w.raw(K_VALUE); w.value(v); }
        }
      }
      if (plan.holds === HOLDS_OPTIONS) {
        w.raw(K_OPTIONS);
        this.#options(b, contentStart(codec, code, b, s, e), e);
        w.byte(CLOSE_BRACKET);
      } else if (plan.holds === HOLDS_MESSAGE) {
        w.raw(K_MESSAGE);
        this.#message(b, contentStart(codec, code, b, s, e), e);
        w.byte(CLOSE_BRACE);
      } else if (!valued && plan.hexWithoutValue) {
        w.raw(K_HEX);
        w.hex(b, s, length);
      }
      w.byte(CLOSE_BRACE);
      o = e;
      if (o < end) w.byte(COMMA);
    }
  }

  /** The plan for a code, made and kept on first use. */
  #plan(code: number): OptionPlan {
    const codec = this.#codec!;
    const c = codec.codecFor(code);
    let value = V_GENERIC;
    let struct: StructPlan | undefined;
    if (NO_VALUE.has(c)) value = V_NONE;
    else if (c === duidCodec) value = V_DUID;
    else if (isStructCodec(c) && !c.derives) {
      struct = structPlan(c.fields);
      if (struct !== undefined) value = V_STRUCT;
    }
    const plan: OptionPlan = {
      head: text(`{"code":${code},"name":${JSON.stringify(codec.optionName(code))},"length":`),
      codec: c,
      holds: codec.rules.holds(code),
      value,
      struct,
      hexWithoutValue: !c.body && c.kind === 'opaque',
    };
    if (code < 256) this.#low[code] = plan;
    else this.#high.set(code, plan);
    return plan;
  }

  /** `,"value":` and a DUID in b[s, e) as duid.ts `decodeDuid` gives it (RFC 8415 §11; RFC 6355). */
  #duid(b: Uint8Array, s: number, e: number): void {
    const w = this.#out;
    const n = e - s;
    const duidType = (b[s] << 8) | b[s + 1];
    if (duidType === 4 && n === 18) { // DUID-UUID: the generic path writes the UUID text
      w.raw(K_VALUE);
      w.value(duidCodec.decode(new Uint8Array(b.buffer, b.byteOffset + s, n), this.#codec!.names));
      return;
    }
    w.raw(K_DUID); w.uint(duidType);
    if (duidType === 1 && n >= 8) {
      w.raw(K_HW_TYPE); w.uint((b[s + 2] << 8) | b[s + 3]);
      w.raw(K_TIME); w.uint(u32(b, s + 4));
      w.raw(K_LINK_LAYER); w.colonHex(b, s + 8, n - 8);
    } else if (duidType === 2 && n >= 6) {
      w.raw(K_ENTERPRISE); w.uint(u32(b, s + 2));
      w.raw(K_IDENTIFIER); w.hex(b, s + 6, n - 6);
    } else if (duidType === 3 && n >= 4) {
      w.raw(K_HW_TYPE); w.uint((b[s + 2] << 8) | b[s + 3]);
      w.raw(K_LINK_LAYER); w.colonHex(b, s + 4, n - 4);
    } else {
      w.raw(K_IDENTIFIER); w.hex(b, s + 2, n - 2);
    }
    w.raw(K_HEX); w.hex(b, s, n);
    w.byte(CLOSE_BRACE);
  }

  /** `,"value":` and a struct codec's fields read from b[s, e) (struct.ts `decode`). */
  #struct(p: StructPlan, b: Uint8Array, s: number, e: number): void {
    const w = this.#out;
    let o = s;
    for (let i = 0; i < p.types.length; i++) {
      w.raw(p.keys[i]);
      switch (p.types[i]) {
        case F.U8: w.uint(b[o]); o += 1; break;
        case F.U16: w.uint((b[o] << 8) | b[o + 1]); o += 2; break;
        case F.U24: w.uint(u24(b, o)); o += 3; break;
        case F.U32: w.uint(u32(b, o)); o += 4; break;
        case F.IPV4: w.ipv4(b, o); o += 4; break;
        case F.IPV6: w.ipv6(b, o); o += 16; break;
        case F.BYTES: w.hex(b, o, p.sizes[i]); o += p.sizes[i]; break;
        case F.HEX: w.hex(b, o, e - o); o = e; break;
        case F.MAC: w.colonHex(b, o, e - o); o = e; break;
        case F.U16_LIST:
          w.byte(OPEN_BRACKET);
          for (let k = o; k + 1 < e; k += 2) {
            if (k > o) w.byte(COMMA);
            w.uint((b[k] << 8) | b[k + 1]);
          }
          w.byte(CLOSE_BRACKET);
          o = e;
          break;
        case F.IPV6_LIST:
          w.byte(OPEN_BRACKET);
          for (let k = o; k + 15 < e; k += 16) {
            if (k > o) w.byte(COMMA);
            w.ipv6(b, k);
          }
          w.byte(CLOSE_BRACKET);
          o = e;
          break;
        case F.OPAQUE_LIST:
          w.byte(OPEN_BRACKET);
          for (let k = o; k + 2 <= e;) {
            if (k > o) w.byte(COMMA);
            const n = (b[k] << 8) | b[k + 1];
            w.hex(b, k + 2, n);
            k += 2 + n;
          }
          w.byte(CLOSE_BRACKET);
          o = e;
          break;
      }
    }
    w.byte(CLOSE_BRACE);
  }
}

/** A struct codec's fields as a plan, or undefined when a field type is not read in place here. */
function structPlan(fields: readonly Field[]): StructPlan | undefined {
  if (fields.length === 0) return undefined; // decode gives no value: the generic path says so
  const plan: StructPlan = { keys: [], types: [], sizes: [] };
  for (let i = 0; i < fields.length; i++) {
    const [key, type] = fields[i];
    const t = FIELD_TYPES[type];
    if (t === undefined) return undefined;
    plan.keys.push(text(`${i === 0 ? ',"value":{' : ','}${JSON.stringify(key)}:`));
    plan.types.push(t);
    plan.sizes.push(type === 'bytes' ? fields[i][2] as number : 0);
  }
  return plan;
}

/** The capture fields of a line, as the generic path spreads them (DESIGN.md `decode`). */
function captureFields(record: MessageRecord): Record<string, unknown> {
  return {
    input: record.input, frame: record.frame, time: lineTime(record.time),
    src: record.src, dst: record.dst, srcPort: record.srcPort, dstPort: record.dstPort, transport: record.transport,
  };
}

/** Whether every capture field is present with its declared type (else the generic path leaves some out). */
function plainCaptureFields(r: MessageRecord): boolean {
  return typeof r.input === 'number' && typeof r.frame === 'number' && typeof r.time === 'number'
    && typeof r.src === 'string' && typeof r.dst === 'string' && typeof r.srcPort === 'number'
    && typeof r.dstPort === 'number' && typeof r.transport === 'string';
}

/** `time`: seconds with 6 decimals. */
function lineTime(t: number): number {
  return Number(t.toFixed(6));
}
