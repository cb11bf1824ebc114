// Record-level mutation of whole captures for the pipeline fuzz test: a capture is read into records
// with the project's reader, one or more mutations change frames (order, copies, truncation, TCP
// sequence numbers and flags) or the DHCPv6 bytes inside them (message type, xid, option codes and
// lengths, RFC 5460 §6.3 message-size, whole options removed or repeated with every enclosing length
// fixed up), and the records are written again with the kit's writer, so most results still parse and
// the damage reaches the DHCPv6 decoder, the correlators and the rules.

import { createCaptureParser } from '../../src/capture/sniff.js';
import type { CaptureFormat, Frame } from '../../src/capture/types.js';
import { newIpInfo } from '../../src/net/ip-info.js';
import { decodeIpv4 } from '../../src/net/ipv4.js';
import { decodeIpv6 } from '../../src/net/ipv6.js';
import { LINK_DECODERS, newLinkResult } from '../../src/net/link/index.js';
import { decodeTcp, newTcpHeader } from '../../src/net/tcp.js';
import { decodeUdp, newUdpHeader } from '../../src/net/udp.js';
import { writePcap, writePcapng, type PcapngInterface } from './pcap-writer.js';

/** One captured record, owned (its data is a copy): a Frame without its place in the file. */
export type Rec = Pick<Frame, 'tsSec' | 'tsNsec' | 'linkType' | 'interfaceId' | 'data' | 'origLength'>;

export interface Records {
  format: CaptureFormat;
  recs: Rec[];
}

/** Reads a capture into records with the project's own reader (what it cannot read is left out). */
export function readRecords(bytes: Uint8Array): Records {
  let format: CaptureFormat = 'pcapng';
  const recs: Rec[] = [];
  const parser = createCaptureParser({
    info: (i) => { format = i.format; },
    frame: (f: Frame) => recs.push({
      tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: f.linkType, interfaceId: f.interfaceId,
      data: f.data.slice(), origLength: f.origLength,
    }),
    anomaly: () => undefined,
  });
  parser.push(bytes);
  parser.end();
  return { format, recs };
}

/**
 * Writes records back: classic pcap when the input was pcap and has one link type, else pcapng with
 * nanosecond timestamps and one interface per interface id (its link type from the first record on it).
 */
export function writeRecords(r: Records): Uint8Array {
  const linkTypes = new Set(r.recs.map((x) => x.linkType));
  if (r.format !== 'pcapng' && linkTypes.size <= 1) {
    return writePcap({
      linkType: r.recs[0]?.linkType ?? 1, nanosecond: r.format === 'pcap-ns',
      records: r.recs.map((x) => ({ tsSec: x.tsSec, tsNsec: x.tsNsec, data: x.data, origLength: Math.max(x.origLength, x.data.length) })),
    });
  }
  // pcapng: interface ids as they were, so a record keeps its interface; a link type seen on an
  // interface id other than its first gets an interface of its own.
  const interfaces: PcapngInterface[] = [];
  const ifaceOf = new Map<string, number>();
  const byId = new Map<number, number>();
  for (const x of r.recs) if (!byId.has(x.interfaceId)) byId.set(x.interfaceId, x.linkType);
  const maxId = Math.max(-1, ...byId.keys());
  for (let i = 0; i <= maxId; i++) {
    interfaces.push({ linkType: byId.get(i) ?? 1, tsresol: 9 });
    if (byId.has(i)) ifaceOf.set(`${i}/${byId.get(i)}`, i);
  }
  const packets = r.recs.map((x) => {
    const key = `${x.interfaceId}/${x.linkType}`;
    let id = ifaceOf.get(key);
    if (id === undefined) {
      id = interfaces.length;
      interfaces.push({ linkType: x.linkType, tsresol: 9 });
      ifaceOf.set(key, id);
    }
    return { interfaceId: id, tsSec: x.tsSec, tsNsec: x.tsNsec, data: x.data, origLength: Math.max(x.origLength, x.data.length) };
  });
  return writePcapng({ interfaces, packets });
}

/** Where the transport layer of one frame lies (a first or unfragmented packet only). */
export interface Located {
  transport: 'udp' | 'tcp';
  ipVersion: 4 | 6;
  /** Offset of the IP header. */
  ipStart: number;
  /** Offset of the UDP or TCP header. */
  l4Start: number;
  payloadStart: number;
  payloadEnd: number;
  /** src > dst with ports: one direction of a flow. */
  flow: string;
  /** The same flow seen from the other end. */
  reverse: string;
}

const linkResult = newLinkResult();
const ipInfo = newIpInfo();
const udpHeader = newUdpHeader();
const tcpHeader = newTcpHeader();

function hexOf(b: Uint8Array, at: number, n: number): string {
  return Buffer.from(b.subarray(at, at + n)).toString('hex');
}

/** Decodes link, IP and UDP/TCP headers with the project's decoders; undefined when there is no transport. */
export function locate(rec: Rec): Located | undefined {
  const link = LINK_DECODERS.get(rec.linkType);
  if (!link) return undefined;
  const data = rec.data;
  link(data, linkResult);
  if (linkResult.anomaly || linkResult.version === 0) return undefined;
  if (linkResult.version === 6) decodeIpv6(data, linkResult.offset, ipInfo); else decodeIpv4(data, linkResult.offset, ipInfo);
  if (ipInfo.anomaly || (ipInfo.fragment && ipInfo.fragOffset !== 0)) return undefined;
  const addrLen = ipInfo.version === 6 ? 16 : 4;
  const src = hexOf(data, ipInfo.srcOffset, addrLen);
  const dst = hexOf(data, ipInfo.dstOffset, addrLen);
  const base = { ipVersion: ipInfo.version, ipStart: ipInfo.headerStart, l4Start: ipInfo.payloadStart };
  if (ipInfo.protocol === 17 && !ipInfo.fragment) {
    decodeUdp(data, ipInfo.payloadStart, ipInfo.payloadEnd, ipInfo.truncated, udpHeader);
    if (udpHeader.anomaly) return undefined;
    const a = `${src}:${udpHeader.srcPort}`;
    const b = `${dst}:${udpHeader.dstPort}`;
    return { ...base, transport: 'udp', payloadStart: udpHeader.payloadStart, payloadEnd: udpHeader.payloadEnd, flow: `u ${a}>${b}`, reverse: `u ${b}>${a}` };
  }
  if (ipInfo.protocol === 6 && !ipInfo.fragment) {
    decodeTcp(data, ipInfo.payloadStart, ipInfo.payloadEnd, tcpHeader);
    if (tcpHeader.anomaly) return undefined;
    const a = `${src}:${tcpHeader.srcPort}`;
    const b = `${dst}:${tcpHeader.dstPort}`;
    return { ...base, transport: 'tcp', payloadStart: tcpHeader.payloadStart, payloadEnd: tcpHeader.payloadEnd, flow: `t ${a}>${b}`, reverse: `t ${b}>${a}` };
  }
  return undefined;
}

/** A DHCPv6 field found in a transport payload, at an offset relative to the payload. */
export interface Field {
  kind: 'bulk-size' | 'message' | 'msg-type' | 'xid' | 'hop-count' | 'option-code' | 'option-length' | 'option';
  offset: number;
  size: number;
  /** Offsets of the 16-bit length fields enclosing this field (outermost first): option lengths and the bulk message-size. */
  enclosing: number[];
}

/** Octets before the sub-options of the options that hold sub-options; 9 and 47 hold a message. */
const SUBOPTIONS_AFTER: ReadonlyMap<number, number> = new Map([[3, 12], [4, 4], [25, 12], [5, 24], [26, 25], [44, 17], [45, 0]]);
const MESSAGE_AFTER: ReadonlyMap<number, number> = new Map([[9, 0], [47, 16]]);

function u16(b: Uint8Array, at: number): number {
  return (b[at] << 8) | b[at + 1];
}

function walkMessage(b: Uint8Array, start: number, end: number, enclosing: number[], out: Field[], depth: number): void {
  if (start >= end || depth > 8) return;
  out.push({ kind: 'message', offset: start, size: end - start, enclosing });
  out.push({ kind: 'msg-type', offset: start, size: 1, enclosing });
  const type = b[start];
  if (type === 12 || type === 13) {
    if (start + 1 < end) out.push({ kind: 'hop-count', offset: start + 1, size: 1, enclosing });
    walkOptions(b, start + 34, end, enclosing, out, depth);
    return;
  }
  if (start + 4 <= end) out.push({ kind: 'xid', offset: start + 1, size: 3, enclosing });
  walkOptions(b, start + 4, end, enclosing, out, depth);
}

function walkOptions(b: Uint8Array, start: number, end: number, enclosing: number[], out: Field[], depth: number): void {
  let at = start;
  while (at + 4 <= end) {
    const code = u16(b, at);
    const length = u16(b, at + 2);
    const bodyEnd = Math.min(at + 4 + length, end);
    out.push({ kind: 'option', offset: at, size: bodyEnd - at, enclosing });
    out.push({ kind: 'option-code', offset: at, size: 2, enclosing });
    out.push({ kind: 'option-length', offset: at + 2, size: 2, enclosing });
    const inner = [...enclosing, at + 2];
    const sub = SUBOPTIONS_AFTER.get(code);
    if (sub !== undefined) walkOptions(b, at + 4 + sub, bodyEnd, inner, out, depth + 1);
    const msg = MESSAGE_AFTER.get(code);
    if (msg !== undefined) walkMessage(b, at + 4 + msg, bodyEnd, inner, out, depth + 1);
    at += 4 + length;
  }
}

/**
 * The DHCPv6 fields of a transport payload: one message for UDP; for TCP, the RFC 5460 §6.3 frames
 * (two-octet message-size, then the message) as far as they can be followed from the segment's start.
 */
export function dhcpv6Fields(payload: Uint8Array, transport: 'udp' | 'tcp'): Field[] {
  const out: Field[] = [];
  if (transport === 'udp') {
    walkMessage(payload, 0, payload.length, [], out, 0);
    return out;
  }
  let at = 0;
  while (at + 2 <= payload.length) {
    const size = u16(payload, at);
    out.push({ kind: 'bulk-size', offset: at, size: 2, enclosing: [] });
    walkMessage(payload, at + 2, Math.min(at + 2 + size, payload.length), [at], out, 0);
    at += 2 + size;
  }
  return out;
}

/** One mutation, as plain numbers so fast-check can shrink and print it. */
export interface Mutation {
  op: MutationOp;
  /** Picks the frame (modulo the candidates). */
  target: number;
  /** Picks the field, offset or second frame. */
  pick: number;
  /** The value written, the size cut, the shift. */
  value: number;
}

export const FRAME_OPS = ['drop', 'duplicate', 'duplicate-later', 'swap', 'move', 'truncate-record', 'time-shift', 'time-reverse'] as const;
export const TRANSPORT_OPS = ['tcp-seq', 'tcp-seq-delta', 'tcp-flags', 'port'] as const;
export const DHCPV6_OPS = [
  'msg-type', 'xid', 'xid-copy', 'hop-count', 'option-code', 'option-length', 'bulk-size',
  'payload-flip', 'payload-byte', 'option-delete', 'option-repeat', 'option-grow', 'payload-cut',
  'option-transplant', 'message-transplant', 'relay-wrap',
] as const;
export const FILE_OPS = ['file-truncate', 'file-byte'] as const;
export type MutationOp = typeof FRAME_OPS[number] | typeof TRANSPORT_OPS[number] | typeof DHCPV6_OPS[number] | typeof FILE_OPS[number];

/** Message types worth trying: every assigned one around DHCPv6 and leasequery, and a few unassigned. */
const MSG_TYPES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 20, 21, 0, 18, 255];
/** Option codes worth trying: containers, identities, status, leasequery and a few unassigned. */
const OPTION_CODES = [1, 2, 3, 4, 5, 7, 8, 9, 13, 14, 18, 19, 25, 26, 37, 39, 44, 45, 46, 47, 48, 52, 53, 0, 999, 0xffff];
const LENGTHS = (old: number): number[] => [0, 1, 2, 3, 4, old - 1, old + 1, old + 4, 0x7fff, 0xffff];

function put16(b: Uint8Array, at: number, v: number): void {
  b[at] = (v >> 8) & 0xff;
  b[at + 1] = v & 0xff;
}

function put32(b: Uint8Array, at: number, v: number): void {
  put16(b, at, (v >>> 16) & 0xffff);
  put16(b, at + 2, v & 0xffff);
}

function get32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Records of `recs` that carry a UDP or TCP payload, with where it lies. */
function payloadFrames(recs: Rec[]): Array<{ index: number; loc: Located }> {
  const out: Array<{ index: number; loc: Located }> = [];
  recs.forEach((r, index) => {
    const loc = locate(r);
    if (loc && loc.payloadEnd > loc.payloadStart) out.push({ index, loc });
  });
  return out;
}

/**
 * Replaces `rec.data[from, to)` with `insert`, fixing up the lengths that enclose it: the DHCPv6
 * length fields given (payload-relative), the UDP length, the IPv6 payload length or IPv4 total length,
 * and, for TCP, the sequence numbers of the flow's later octets (and the acknowledgments of them), so the
 * stream stays whole. (No checksum is fixed: the checker does not verify them.)
 */
function splice(recs: Rec[], index: number, loc: Located, from: number, to: number, insert: Uint8Array, enclosing: number[]): void {
  const rec = recs[index];
  const delta = insert.length - (to - from);
  const d = rec.data;
  const out = new Uint8Array(d.length + delta);
  out.set(d.subarray(0, from));
  out.set(insert, from);
  out.set(d.subarray(to), from + insert.length);
  for (const at of enclosing) {
    const abs = loc.payloadStart + at;
    if (abs + 2 <= from) put16(out, abs, (u16(out, abs) + delta) & 0xffff);
  }
  if (loc.transport === 'udp') put16(out, loc.l4Start + 4, (u16(out, loc.l4Start + 4) + delta) & 0xffff);
  if (loc.ipVersion === 6) put16(out, loc.ipStart + 4, (u16(out, loc.ipStart + 4) + delta) & 0xffff);
  else put16(out, loc.ipStart + 2, (u16(out, loc.ipStart + 2) + delta) & 0xffff);
  rec.data = out;
  rec.origLength = Math.max(rec.origLength + delta, out.length);
  if (loc.transport !== 'tcp' || delta === 0) return;
  // Later octets of the stream move, wherever their segments lie in the capture (reordered captures).
  const seq = get32(out, loc.l4Start + 4);
  const after = (x: number): boolean => ((x - seq) | 0) > 0;
  for (let i = 0; i < recs.length; i++) {
    if (i === index) continue;
    const other = locate(recs[i]);
    if (!other) continue;
    const d = recs[i].data;
    if (other.flow === loc.flow && after(get32(d, other.l4Start + 4))) put32(d, other.l4Start + 4, (get32(d, other.l4Start + 4) + delta) >>> 0);
    else if (other.flow === loc.reverse && after(get32(d, other.l4Start + 8))) put32(d, other.l4Start + 8, (get32(d, other.l4Start + 8) + delta) >>> 0);
  }
}

/** Applies one mutation in place; returns a short description of what it did ('' when it found nothing to change). */
export function applyMutation(r: Records, m: Mutation): string {
  const recs = r.recs;
  const n = recs.length;
  if (n === 0) return '';
  const frame = m.target % n;
  switch (m.op) {
    case 'drop':
      recs.splice(frame, 1);
      return `drop frame ${frame + 1}`;
    case 'duplicate':
      recs.splice(frame + 1, 0, { ...recs[frame], data: recs[frame].data.slice() });
      return `duplicate frame ${frame + 1}`;
    case 'duplicate-later': {
      const to = frame + 1 + (m.pick % (n - frame));
      const copy = { ...recs[frame], data: recs[frame].data.slice() };
      // Up to 2 s after the frame it follows: a retransmission, or a late copy from another capture point.
      const t = recs[to - 1];
      const ns = t.tsNsec + 1000 * (1 + (m.value % 2_000_000));
      copy.tsSec = t.tsSec + Math.floor(ns / 1e9);
      copy.tsNsec = ns % 1e9;
      recs.splice(to, 0, copy);
      return `copy frame ${frame + 1} after frame ${to}`;
    }
    case 'swap': {
      const other = m.pick % n;
      [recs[frame], recs[other]] = [recs[other], recs[frame]];
      return `swap frames ${frame + 1} and ${other + 1}`;
    }
    case 'move': {
      const [x] = recs.splice(frame, 1);
      const to = m.pick % n;
      recs.splice(to, 0, x);
      return `move frame ${frame + 1} to ${to + 1}`;
    }
    case 'truncate-record': {
      const rec = recs[frame];
      const keep = m.value % (rec.data.length + 1);
      rec.origLength = Math.max(rec.origLength, rec.data.length);
      rec.data = rec.data.slice(0, keep);
      return `cut frame ${frame + 1} to ${keep} octets`;
    }
    case 'time-shift': {
      // Frames from `frame` on move by up to ±600 s (idle timeouts, reversed time).
      const shift = (m.value % 1_200_001) - 600_000; // milliseconds
      for (let i = frame; i < n; i++) {
        const ns = recs[i].tsSec * 1e9 + recs[i].tsNsec + shift * 1e6;
        const clamped = Math.max(0, ns);
        recs[i].tsSec = Math.floor(clamped / 1e9);
        recs[i].tsNsec = Math.round(clamped - recs[i].tsSec * 1e9) % 1e9;
      }
      return `shift frames ${frame + 1}.. by ${shift} ms`;
    }
    case 'time-reverse': {
      const other = m.pick % n;
      const a = recs[frame];
      const b = recs[other];
      [a.tsSec, a.tsNsec, b.tsSec, b.tsNsec] = [b.tsSec, b.tsNsec, a.tsSec, a.tsNsec];
      return `swap the times of frames ${frame + 1} and ${other + 1}`;
    }
    case 'file-truncate':
    case 'file-byte':
      return ''; // applied to the written bytes, see applyFileMutation
    default:
      break;
  }

  if (m.op === 'port') {
    const located = recs.map((rec, index) => ({ index, loc: locate(rec) })).filter((x) => x.loc !== undefined);
    if (located.length === 0) return '';
    const { index, loc } = located[m.target % located.length] as { index: number; loc: Located };
    const v = [546, 547, 5460, 53, 40000][m.value % 5];
    const side = m.pick % 2;
    put16(recs[index].data, loc.l4Start + 2 * side, v);
    return `frame ${index + 1}: ${loc.transport} ${side ? 'destination' : 'source'} port = ${v}`;
  }

  if (m.op === 'tcp-seq' || m.op === 'tcp-seq-delta' || m.op === 'tcp-flags') {
    const tcp = recs.map((rec, index) => ({ index, loc: locate(rec) })).filter((x) => x.loc?.transport === 'tcp');
    if (tcp.length === 0) return '';
    const { index, loc } = tcp[m.target % tcp.length] as { index: number; loc: Located };
    const d = recs[index].data;
    if (m.op === 'tcp-flags') {
      const bits = [0x01, 0x02, 0x04, 0x10, 0x08][m.pick % 5];
      d[loc.l4Start + 13] ^= bits;
      return `frame ${index + 1}: TCP flags ^ 0x${bits.toString(16)}`;
    }
    const old = get32(d, loc.l4Start + 4);
    const seq = m.op === 'tcp-seq' ? m.value >>> 0 : (old + ((m.value % 4001) - 2000)) >>> 0;
    put32(d, loc.l4Start + 4, seq);
    return `frame ${index + 1}: TCP seq ${old} → ${seq}`;
  }

  const frames = payloadFrames(recs);
  if (frames.length === 0) return '';
  const { index, loc } = frames[m.target % frames.length];
  const rec = recs[index];
  const payload = rec.data.subarray(loc.payloadStart, loc.payloadEnd);
  const at = (off: number): number => loc.payloadStart + off;
  const where = `frame ${index + 1} (${loc.transport})`;

  if (m.op === 'payload-flip') {
    const off = m.pick % payload.length;
    rec.data[at(off)] ^= 1 << (m.value & 7);
    return `${where}: flip bit ${m.value & 7} of payload octet ${off}`;
  }
  if (m.op === 'payload-byte') {
    const off = m.pick % payload.length;
    rec.data[at(off)] = m.value & 0xff;
    return `${where}: payload octet ${off} = ${m.value & 0xff}`;
  }
  if (m.op === 'payload-cut') {
    const keep = m.pick % payload.length;
    splice(recs, index, loc, at(keep), loc.payloadEnd, new Uint8Array(0), []);
    return `${where}: payload cut to ${keep} octets (IP/UDP lengths fixed)`;
  }

  const fields = dhcpv6Fields(payload, loc.transport);
  if (m.op === 'option-transplant' || m.op === 'message-transplant') {
    // Another option or message of the capture (any frame, any depth) put here: options land in the
    // wrong message or container, messages in the wrong transport or inside a relay.
    const kind = m.op === 'option-transplant' ? 'option' : 'message';
    const donors: Uint8Array[] = [];
    for (const other of frames) {
      const b = recs[other.index].data.subarray(other.loc.payloadStart, other.loc.payloadEnd);
      for (const g of dhcpv6Fields(b, other.loc.transport)) if (g.kind === kind && g.size > 0) donors.push(b.slice(g.offset, g.offset + g.size));
    }
    const targets = fields.filter((g) => g.kind === kind);
    if (donors.length === 0 || targets.length === 0) return '';
    const donor = donors[m.value % donors.length];
    const f = targets[m.pick % targets.length];
    if (kind === 'option') {
      splice(recs, index, loc, at(f.offset), at(f.offset), donor, f.enclosing);
      return `${where}: option ${u16(donor, 0)} (${donor.length} octets) inserted at ${f.offset} (lengths fixed)`;
    }
    splice(recs, index, loc, at(f.offset), at(f.offset + f.size), donor, f.enclosing);
    return `${where}: message at ${f.offset} replaced by a type ${donor[0]} message of ${donor.length} octets (lengths fixed)`;
  }
  if (m.op === 'relay-wrap') {
    const targets = fields.filter((g) => g.kind === 'message');
    if (targets.length === 0) return '';
    const f = targets[m.pick % targets.length];
    const inner = rec.data.slice(at(f.offset), at(f.offset + f.size));
    const head = new Uint8Array(34 + 4);
    head[0] = m.value % 2 === 0 ? 12 : 13;
    head[1] = (m.value >> 1) % 4;
    head.set([0x20, 0x01, 0x0d, 0xb8, 0, 0x77], 2); // link-address 2001:db8:77::
    head.set([0xfe, 0x80], 18); // peer-address fe80::1
    head[33] = 1;
    put16(head, 34, 9);
    put16(head, 36, inner.length);
    const wrapped = new Uint8Array(head.length + inner.length);
    wrapped.set(head);
    wrapped.set(inner, head.length);
    splice(recs, index, loc, at(f.offset), at(f.offset + f.size), wrapped, f.enclosing);
    return `${where}: message at ${f.offset} wrapped in a type ${head[0]} relay message (lengths fixed)`;
  }
  const kind = ({
    'msg-type': 'msg-type', xid: 'xid', 'xid-copy': 'xid', 'hop-count': 'hop-count', 'option-code': 'option-code',
    'option-length': 'option-length', 'bulk-size': 'bulk-size', 'option-delete': 'option', 'option-repeat': 'option', 'option-grow': 'option',
  } as const)[m.op];
  const choices = fields.filter((f) => f.kind === kind);
  if (choices.length === 0) return '';
  const f = choices[m.pick % choices.length];
  const p = at(f.offset);
  switch (m.op) {
    case 'msg-type': {
      const v = MSG_TYPES[m.value % MSG_TYPES.length];
      const old = rec.data[p];
      rec.data[p] = v;
      return `${where}: msg-type at ${f.offset} ${old} → ${v}`;
    }
    case 'xid': {
      // A third of the time an edge value (0, 1, the largest 24-bit xid), else any.
      const v = m.value % 3 === 0 ? [0, 1, 0xffffff][Math.floor((m.value % 9) / 3)] : m.value & 0xffffff;
      rec.data.set([v >> 16, (v >> 8) & 0xff, v & 0xff], p);
      return `${where}: xid at ${f.offset} = 0x${v.toString(16)}`;
    }
    case 'xid-copy': {
      // Another message's xid: transactions and bulk queries collide.
      const donors: number[] = [];
      for (const other of frames) {
        const b = recs[other.index].data.subarray(other.loc.payloadStart, other.loc.payloadEnd);
        for (const g of dhcpv6Fields(b, other.loc.transport)) if (g.kind === 'xid') donors.push((b[g.offset] << 16) | (b[g.offset + 1] << 8) | b[g.offset + 2]);
      }
      const v = donors[m.value % donors.length];
      rec.data.set([v >> 16, (v >> 8) & 0xff, v & 0xff], p);
      return `${where}: xid at ${f.offset} = 0x${v.toString(16)} (copied)`;
    }
    case 'hop-count': {
      const v = [0, 1, 31, 32, 33, 255][m.value % 6];
      rec.data[p] = v;
      return `${where}: hop-count at ${f.offset} = ${v}`;
    }
    case 'option-code': {
      const old = u16(rec.data, p);
      const v = OPTION_CODES[m.value % OPTION_CODES.length];
      put16(rec.data, p, v);
      return `${where}: option code at ${f.offset} ${old} → ${v}`;
    }
    case 'option-length':
    case 'bulk-size': {
      const old = u16(rec.data, p);
      const list = LENGTHS(old);
      const v = list[m.value % list.length] & 0xffff;
      put16(rec.data, p, v);
      return `${where}: ${m.op} at ${f.offset} ${old} → ${v}`;
    }
    case 'option-delete':
      splice(recs, index, loc, p, p + f.size, new Uint8Array(0), f.enclosing);
      return `${where}: option ${u16(payload, f.offset)} at ${f.offset} removed (lengths fixed)`;
    case 'option-repeat': {
      const copy = rec.data.slice(p, p + f.size);
      splice(recs, index, loc, p + f.size, p + f.size, copy, f.enclosing);
      return `${where}: option ${u16(payload, f.offset)} at ${f.offset} repeated (lengths fixed)`;
    }
    case 'option-grow': {
      // Extra octets at the end of the option's body, its own length and every enclosing one fixed.
      const extra = new Uint8Array(1 + (m.value % 8)).fill(m.value >> 3 & 0xff);
      const code = u16(payload, f.offset);
      splice(recs, index, loc, p + f.size, p + f.size, extra, [...f.enclosing, f.offset + 2]);
      return `${where}: option ${code} at ${f.offset} grown by ${extra.length} (lengths fixed)`;
    }
    default:
      return '';
  }
}

/** File-level mutations, applied to the written bytes after the record-level ones. */
export function applyFileMutation(bytes: Uint8Array, m: Mutation): { bytes: Uint8Array; what: string } {
  if (bytes.length === 0) return { bytes, what: '' };
  if (m.op === 'file-truncate') {
    // Mostly in the second half, so the head of the capture is still read.
    const half = bytes.length >> 1;
    const at = half + (m.pick % (bytes.length - half));
    return { bytes: bytes.slice(0, at), what: `file cut to ${at} of ${bytes.length} octets` };
  }
  if (m.op === 'file-byte') {
    const out = bytes.slice();
    const at = 24 + (m.pick % Math.max(1, bytes.length - 24));
    if (at >= out.length) return { bytes, what: '' };
    out[at] = m.value & 0xff;
    return { bytes: out, what: `file octet ${at} = ${m.value & 0xff}` };
  }
  return { bytes, what: '' };
}

/** Mutates a capture: the record-level mutations in order, then the file-level ones. */
export function mutateCapture(original: Uint8Array, mutations: Mutation[]): { bytes: Uint8Array; steps: string[] } {
  const r = readRecords(original);
  const steps: string[] = [];
  for (const m of mutations) {
    const what = applyMutation(r, m);
    if (what) steps.push(what);
  }
  let bytes = writeRecords(r);
  for (const m of mutations) {
    const { bytes: b, what } = applyFileMutation(bytes, m);
    bytes = b;
    if (what) steps.push(what);
  }
  return { bytes, steps };
}
