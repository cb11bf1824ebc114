// Message and option encoding from the JSON form (json.ts): the fixture builder and the round-trip
// tests build their bytes here. Header formats as in message.ts (RFC 8415 §8, §9; RFC 7341; RFC 8156).

import type { OptionValue } from './options/types.js';
import { concat, fromHex, int, ipv6Bytes, put16, put24, put32 } from './options/primitives.js';
import { HEADER_LENGTH, messageFormat } from './message.js';
import type { Dhcpv6Codec } from './codec.js';

/**
 * An option to encode. `code` (or `name`) is required. The body is `hex` when given (taken as is),
 * else the codec's encoding of `value`, followed by `options` or `message` for containers.
 * `length` defaults to the body length; giving another value writes a malformed option on purpose.
 */
export interface OptionInput {
  code?: number;
  name?: string;
  length?: number;
  value?: OptionValue;
  hex?: string;
  options?: OptionInput[];
  message?: MessageJson;
}

/** A message to encode: the JSON form, where `msgType` may be replaced by `msgName`. */
export interface MessageJson {
  msgType?: number;
  msgName?: string;
  xid?: number;
  hopCount?: number;
  linkAddress?: string;
  peerAddress?: string;
  flags?: number;
  sentTime?: number;
  options?: OptionInput[];
  [extra: string]: unknown;
}

function lookup(codec: Dhcpv6Codec, code: number | undefined, name: string | undefined, what: string): number {
  if (code !== undefined) return code;
  const c = name === undefined ? undefined : codec.names.code(name);
  if (c === undefined) throw new Error(`${what}: needs a known code or name (got ${JSON.stringify(name)})`);
  return c;
}

export function encodeOption(codec: Dhcpv6Codec, o: OptionInput): Uint8Array {
  const code = int(lookup(codec, o.code, o.name, 'option'), 16, 'option.code');
  let body: Uint8Array;
  if (o.hex !== undefined) {
    body = fromHex(o.hex, `option ${code} hex`);
  } else {
    const c = codec.codecFor(code);
    const parts: Uint8Array[] = [c.encode(o.value)];
    if (o.options) for (const s of o.options) parts.push(encodeOption(codec, s));
    if (o.message) parts.push(encodeMessage(codec, o.message));
    body = concat(parts);
  }
  const out = new Uint8Array(4 + body.length);
  put16(out, 0, code);
  put16(out, 2, o.length === undefined ? int(body.length, 16, `option ${code} length`) : int(o.length, 16, 'option.length'));
  out.set(body, 4);
  return out;
}

export function encodeMessage(codec: Dhcpv6Codec, m: MessageJson): Uint8Array {
  const msgType = int(m.msgType ?? lookup(codec, undefined, m.msgName, 'message'), 8, 'msgType');
  const format = messageFormat(msgType);
  const head = new Uint8Array(HEADER_LENGTH[format]);
  head[0] = msgType;
  switch (format) {
    case 'relay':
      head[1] = int(m.hopCount ?? 0, 8, 'hopCount');
      head.set(ipv6Bytes(m.linkAddress ?? '::', 'linkAddress'), 2);
      head.set(ipv6Bytes(m.peerAddress ?? '::', 'peerAddress'), 18);
      break;
    case 'dhcpv4-over-dhcpv6':
      put24(head, 1, int(m.flags ?? 0, 24, 'flags'));
      break;
    case 'failover':
      put24(head, 1, int(m.xid ?? 0, 24, 'xid'));
      put32(head, 4, int(m.sentTime ?? 0, 32, 'sentTime'));
      break;
    default:
      put24(head, 1, int(m.xid ?? 0, 24, 'xid'));
  }
  return concat([head, ...(m.options ?? []).map((o) => encodeOption(codec, o))]);
}
