// The JSON form of a decoded message: the body of a `dhcp6audit decode` line (DESIGN.md, `decode`).
// The same shape is the encoder's input (encode.ts), so fixtures can be written as JSON.

import type { Dhcpv6Anomaly, Dhcpv6Message, Dhcpv6Option } from './types.js';
import type { OptionValue } from './options/types.js';
import { toHex } from './options/primitives.js';
import type { Dhcpv6Codec } from './codec.js';

/** One option in JSON form. */
export interface OptionJson {
  code: number;
  /** IANA name, `OPTION_<code>` when unassigned. */
  name: string;
  /** option-len as on the wire. */
  length: number;
  /** Decoded fields (camelCase; addresses as text; DUIDs with duidType, parts and hex). */
  value?: OptionValue;
  /** Encapsulated options. */
  options?: OptionJson[];
  /** Encapsulated message: OPTION_RELAY_MSG (9), OPTION_LQ_RELAY_DATA (47). */
  message?: MessageBodyJson;
  /** The body as captured, when it has no decoded form (unknown code, malformed, too deep). */
  hex?: string;
}

/** A message in JSON form (without the capture fields the decode command adds). */
export interface MessageBodyJson {
  msgType: number;
  msgName: string;
  xid?: number;
  hopCount?: number;
  linkAddress?: string;
  peerAddress?: string;
  flags?: number;
  sentTime?: number;
  options: OptionJson[];
  anomalies?: Dhcpv6Anomaly[];
}

export function messageToJson(codec: Dhcpv6Codec, m: Dhcpv6Message): MessageBodyJson {
  const out: MessageBodyJson = { msgType: m.msgType, msgName: codec.messageName(m.msgType) } as MessageBodyJson;
  if (m.xid !== undefined) out.xid = m.xid;
  if (m.hopCount !== undefined) out.hopCount = m.hopCount;
  if (m.linkAddress !== undefined) out.linkAddress = m.linkAddress;
  if (m.peerAddress !== undefined) out.peerAddress = m.peerAddress;
  if (m.flags !== undefined) out.flags = m.flags;
  if (m.sentTime !== undefined) out.sentTime = m.sentTime;
  out.options = m.options.map((o) => optionToJson(codec, o));
  if (m.anomalies.length) out.anomalies = m.anomalies.map((a) => ({ ...a }));
  return out;
}

export function optionToJson(codec: Dhcpv6Codec, o: Dhcpv6Option): OptionJson {
  const out: OptionJson = { code: o.code, name: codec.optionName(o.code), length: o.length };
  if (o.anomalies?.length || o.data.length !== o.length) {
    out.hex = toHex(o.data);
    return out;
  }
  const c = codec.codecFor(o.code);
  const value = c.decode(o.data, codec.names);
  if (value !== undefined) out.value = value;
  if (o.options) out.options = o.options.map((s) => optionToJson(codec, s));
  if (o.message) out.message = messageToJson(codec, o.message);
  if (value === undefined && !c.body && c.kind === 'opaque') out.hex = toHex(o.data);
  return out;
}
