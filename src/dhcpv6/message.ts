// DHCPv6 message decoding: the four header formats (RFC 8415 §8 client/server, §9 relay; RFC 7341
// §6.2 DHCPv4-over-DHCPv6; RFC 8156 §5.2 failover) and the one TLV walker that enforces every
// codec's declared length rules (RFC 8415 §21.1) and records anomalies instead of throwing.

import type { Dhcpv6Anomaly, Dhcpv6Message, Dhcpv6Option, MessageFormat } from './types.js';
import type { OptionCodec } from './options/types.js';
import { formatIpv6, u16, u24, u32 } from './options/primitives.js';

/** What the walker needs from a codec instance. */
export interface WalkContext {
  codecFor(code: number): OptionCodec;
  /** `dhcpv6.max-relay-depth`: encapsulated messages deeper than this are kept as bytes. */
  readonly maxRelayDepth: number;
  /** `dhcpv6.max-option-depth`: options nested deeper than this are kept as bytes. */
  readonly maxOptionDepth: number;
}

/** Header format by message type. */
export function messageFormat(msgType: number): MessageFormat {
  if (msgType === 12 || msgType === 13) return 'relay';
  if (msgType === 20 || msgType === 21) return 'dhcpv4-over-dhcpv6';
  if (msgType >= 24 && msgType <= 35) return 'failover';
  return 'client-server';
}

/** Header length of each format. */
export const HEADER_LENGTH: Readonly<Record<MessageFormat, number>> = {
  'client-server': 4, relay: 34, 'dhcpv4-over-dhcpv6': 4, failover: 8,
};

/** Decodes one message occupying all of `bytes`; `depth` counts enclosing messages. */
export function decodeMessage(ctx: WalkContext, bytes: Uint8Array, depth = 0): Dhcpv6Message {
  const anomalies: Dhcpv6Anomaly[] = [];
  const msgType = bytes.length > 0 ? bytes[0] : 0;
  const format = messageFormat(msgType);
  const header = HEADER_LENGTH[format];
  const msg: Dhcpv6Message = { msgType, format, options: [], anomalies, length: bytes.length };
  const n = bytes.length;
  if (n < header) {
    anomalies.push({
      name: 'dhcpv6.message.truncated',
      message: `${n} octets, shorter than the ${header}-octet ${format} header`,
    });
  }
  switch (format) {
    case 'relay': // RFC 8415 §9
      if (n >= 2) msg.hopCount = bytes[1];
      if (n >= 18) msg.linkAddress = formatIpv6(bytes, 2);
      if (n >= 34) msg.peerAddress = formatIpv6(bytes, 18);
      break;
    case 'dhcpv4-over-dhcpv6': // RFC 7341 §6.2: flags, no transaction-id
      if (n >= 4) msg.flags = u24(bytes, 1);
      break;
    case 'failover': // RFC 8156 §5.2
      if (n >= 4) msg.xid = u24(bytes, 1);
      if (n >= 8) msg.sentTime = u32(bytes, 4);
      break;
    default: // RFC 8415 §8
      if (n >= 4) msg.xid = u24(bytes, 1);
  }
  if (n > header) msg.options = walkOptions(ctx, bytes.subarray(header), depth, 0, anomalies);
  return msg;
}

function anomaly(opt: Dhcpv6Option, sink: Dhcpv6Anomaly[], name: string, message: string): void {
  const a: Dhcpv6Anomaly = { name, message, code: opt.code };
  (opt.anomalies ??= []).push(a);
  sink.push(a);
}

/** Why a body breaks its codec's length rule, or undefined. */
export function lengthProblem(codec: OptionCodec, len: number): string | undefined {
  const r = codec.length;
  if (r.fixed !== undefined && len !== r.fixed) return `length ${len}, expected ${r.fixed}`;
  if (r.min !== undefined && len < r.min) return `length ${len}, expected at least ${r.min}`;
  if (r.max !== undefined && len > r.max) return `length ${len}, expected at most ${r.max}`;
  if (r.multipleOf !== undefined && (len - (r.min ?? 0)) % r.multipleOf !== 0) {
    return `length ${len}, expected ${r.min ? `${r.min} + ` : ''}a multiple of ${r.multipleOf}`;
  }
  return undefined;
}

/**
 * Walks the options in `data` (one level, descending into sub-options and messages). Overruns keep
 * the captured bytes and stop this level; every anomaly goes to the option and to `sink`.
 */
export function walkOptions(
  ctx: WalkContext, data: Uint8Array, msgDepth: number, optDepth: number, sink: Dhcpv6Anomaly[],
): Dhcpv6Option[] {
  const out: Dhcpv6Option[] = [];
  const end = data.length;
  let o = 0;
  while (o < end) {
    if (o + 4 > end) {
      sink.push({
        name: 'dhcpv6.option.overrun',
        message: `${end - o} trailing octet(s), too few for an option header`,
      });
      break;
    }
    const code = u16(data, o);
    const length = u16(data, o + 2);
    const bodyStart = o + 4;
    if (bodyStart + length > end) { // RFC 8415 §21.1: option-len runs past the container
      const opt: Dhcpv6Option = { code, length, data: data.subarray(bodyStart, end) };
      anomaly(opt, sink, 'dhcpv6.option.overrun', `option-len ${length} runs ${bodyStart + length - end} octet(s) past its container`);
      out.push(opt);
      break;
    }
    const body = data.subarray(bodyStart, bodyStart + length);
    const opt: Dhcpv6Option = { code, length, data: body };
    out.push(opt);
    o = bodyStart + length;
    const codec = ctx.codecFor(code);
    const bad = lengthProblem(codec, length);
    if (bad) { anomaly(opt, sink, 'dhcpv6.option.bad_length', bad); continue; }
    let prefix = 0;
    if (codec.body) {
      const p = typeof codec.body.prefix === 'number' ? codec.body.prefix : codec.body.prefix(body);
      if (p === undefined || p > length) { anomaly(opt, sink, 'dhcpv6.option.bad_length', `length ${length} too short for the option's fields`); continue; }
      prefix = p;
    }
    if (codec.check) {
      const problem = codec.check(body);
      if (problem) { anomaly(opt, sink, 'dhcpv6.option.undecodable', problem); continue; }
    }
    if (codec.body?.kind === 'options') {
      if (optDepth + 1 > ctx.maxOptionDepth) {
        anomaly(opt, sink, 'dhcpv6.option.too_deep', `options nested deeper than dhcpv6.max-option-depth (${ctx.maxOptionDepth})`);
        continue;
      }
      opt.options = walkOptions(ctx, body.subarray(prefix), msgDepth, optDepth + 1, sink);
    } else if (codec.body?.kind === 'message') {
      if (msgDepth + 1 > ctx.maxRelayDepth) {
        anomaly(opt, sink, 'dhcpv6.relay.too_deep', `messages nested deeper than dhcpv6.max-relay-depth (${ctx.maxRelayDepth})`);
        continue;
      }
      const inner = decodeMessage(ctx, body.subarray(prefix), msgDepth + 1);
      opt.message = inner;
      for (const a of inner.anomalies) sink.push(a);
    }
  }
  return out;
}
