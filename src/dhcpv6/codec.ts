// A DHCPv6 codec instance: the option table and names for one set of code points (rfc5460, or a
// draft-01 profile with experimental numbers), with message decode/encode and the JSON form.

import type { Dhcpv6Message, Dhcpv6Option } from './types.js';
import type { OptionCodec, OptionValue } from './options/types.js';
import { OPTION_CODECS, opaqueCodec } from './codec-table.js';
import { NameRegistry, RFC5460_CODES, resolveCodePoints, type CodePoints } from './names.js';
import { DecodedMessage, decodeMessage, OptionRules, type WalkContext } from './message.js';
import { encodeMessage, type MessageJson } from './encode.js';
import { messageToJson, type MessageBodyJson } from './json.js';

/** Settings of a codec instance. */
export interface CodecOptions {
  /** Moved code points by name (draft-01 profile), e.g. `{"LEASEQUERY-DONE": 250}`. */
  codes?: Partial<Record<string, number>>;
  /** `dhcpv6.max-relay-depth` (default 32, RFC 3315's HOP_COUNT_LIMIT): deeper encapsulated messages stay bytes. */
  maxRelayDepth?: number;
  /** `dhcpv6.max-option-depth` (default 32): deeper option nesting stays bytes. */
  maxOptionDepth?: number;
}

export const DEFAULT_MAX_RELAY_DEPTH = 32;
export const DEFAULT_MAX_OPTION_DEPTH = 32;

/** Decoder and encoder for one profile's code points. Wire data never makes it throw. */
export class Dhcpv6Codec implements WalkContext {
  readonly names: NameRegistry;
  readonly codes: Readonly<CodePoints>;
  readonly maxRelayDepth: number;
  readonly maxOptionDepth: number;
  /** The effective option table: RFC 5460 codes plus the moved OPTION_RELAY_ID. */
  readonly table: ReadonlyMap<number, OptionCodec>;
  /** The table compiled for the walkers (shared by codecs with the same table). */
  readonly rules: OptionRules;
  /** The table for codes below 256 as an array. */
  private readonly low: OptionCodec[];

  constructor(options: CodecOptions = {}) {
    this.codes = resolveCodePoints(options.codes);
    this.names = new NameRegistry(this.codes);
    this.maxRelayDepth = options.maxRelayDepth ?? DEFAULT_MAX_RELAY_DEPTH;
    this.maxOptionDepth = options.maxOptionDepth ?? DEFAULT_MAX_OPTION_DEPTH;
    const table = new Map(OPTION_CODECS);
    if (this.codes.OPTION_RELAY_ID !== RFC5460_CODES.OPTION_RELAY_ID) {
      table.set(this.codes.OPTION_RELAY_ID, OPTION_CODECS.get(RFC5460_CODES.OPTION_RELAY_ID)!);
    }
    this.table = table;
    this.rules = rulesFor(this.codes.OPTION_RELAY_ID, table);
    this.low = Array.from({ length: 256 }, (_, c) => table.get(c) ?? opaqueCodec);
  }

  codecFor(code: number): OptionCodec {
    return code < 256 ? this.low[code] : this.table.get(code) ?? opaqueCodec;
  }

  messageName(msgType: number): string { return this.names.messageName(msgType); }
  optionName(code: number): string { return this.names.optionName(code); }
  statusName(code: number): string { return this.names.statusName(code); }

  /** Decodes one DHCPv6 message (the whole of `bytes`). Never throws on wire data. */
  decodeMessage(bytes: Uint8Array): Dhcpv6Message {
    return decodeMessage(this, bytes, 0);
  }

  /**
   * Decodes the message in buf[start, end) without a view of its own: the message keeps `buf`, so
   * those octets must never be overwritten (the bulk stream decoder's slabs).
   */
  decodeMessageAt(buf: Uint8Array, start: number, end: number): Dhcpv6Message {
    return new DecodedMessage(this, buf, start, end, 0, false);
  }

  /** Builds the bytes of a message from its JSON form (see encode.ts), including what toJson gave.
   * Throws on a malformed value. */
  encodeMessage(json: MessageJson | MessageBodyJson): Uint8Array {
    return encodeMessage(this, json as MessageJson);
  }

  /** The decode-line body of a message (DESIGN.md `decode`). */
  toJson(message: Dhcpv6Message): MessageBodyJson {
    return messageToJson(this, message);
  }

  /** The structured value of an option, or undefined (no fields, unknown code, or malformed). */
  optionValue(option: Dhcpv6Option): OptionValue | undefined {
    if (option.anomalies?.length || option.data.length !== option.length) return undefined;
    return this.codecFor(option.code).decode(option.data, this.names);
  }
}

/** Compiled tables by OPTION_RELAY_ID code point (the only code a profile moves in the option table). */
const compiled = new Map<number, OptionRules>();

function rulesFor(relayId: number, table: ReadonlyMap<number, OptionCodec>): OptionRules {
  let r = compiled.get(relayId);
  if (r === undefined) {
    r = new OptionRules(table);
    compiled.set(relayId, r);
  }
  return r;
}

/** A codec for a profile's code points. */
export function createCodec(options: CodecOptions = {}): Dhcpv6Codec {
  return new Dhcpv6Codec(options);
}

/** The RFC 5460 codec. */
export const defaultCodec: Dhcpv6Codec = createCodec();
