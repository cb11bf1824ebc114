// Packet builders for tests and fixture generators: Ethernet (VLAN, QinQ), Linux SLL / SLL2, BSD
// NULL / LOOP, IPv6 (extension headers, fragments), IPv4 (fragments), UDP and TCP with correct checksums.

import { parseIpv4, parseIpv6 } from '../../src/net/address.js';
import { concatBytes } from '../../src/capture/writer.js';

export function concat(...parts: Uint8Array[]): Uint8Array {
  return concatBytes(parts);
}

function u16(v: number): number[] { return [(v >> 8) & 0xff, v & 0xff]; }
function u32(v: number): number[] { return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff]; }

export function mac(text: string): Uint8Array {
  return Uint8Array.from(text.split(':').map((h) => parseInt(h, 16)));
}

/** Address text → octets (IPv6 when it has a colon). Throws on a typo: this is test code. */
export function addr(text: string): Uint8Array {
  const b = text.includes(':') ? parseIpv6(text) : parseIpv4(text);
  if (!b) throw new Error(`bad address ${text}`);
  return b;
}

function versionOf(payload: Uint8Array): number {
  return payload.length > 0 ? payload[0] >> 4 : 0;
}

function ethertypeFor(payload: Uint8Array, type?: number): number {
  if (type !== undefined) return type;
  return versionOf(payload) === 4 ? 0x0800 : 0x86dd;
}

export interface EthernetSpec {
  payload: Uint8Array;
  src?: string;
  dst?: string;
  /** VLAN ids, outermost first; every tag is 802.1Q (0x8100) unless `qinq` sets the outer TPID. */
  vlans?: number[];
  /** Outer tag TPID for QinQ: true = 0x88a8, or a number (0x9100). */
  qinq?: boolean | number;
  /** Ethertype of the payload (default from the IP version nibble). */
  type?: number;
}

/** LINKTYPE_ETHERNET frame. */
export function ethernet(spec: EthernetSpec): Uint8Array {
  const head: number[] = [...mac(spec.dst ?? '02:00:00:00:00:02'), ...mac(spec.src ?? '02:00:00:00:00:01')];
  const vlans = spec.vlans ?? [];
  vlans.forEach((id, i) => {
    let tpid = 0x8100;
    if (i === 0 && vlans.length > 1 && spec.qinq) tpid = spec.qinq === true ? 0x88a8 : spec.qinq;
    head.push(...u16(tpid), ...u16(id & 0x0fff));
  });
  head.push(...u16(ethertypeFor(spec.payload, spec.type)));
  return concat(Uint8Array.from(head), spec.payload);
}

export interface SllSpec {
  payload: Uint8Array;
  /** 0 to us, 4 sent by us (default 0). */
  packetType?: number;
  /** ARPHRD type (default 1, Ethernet). */
  arphrd?: number;
  address?: string;
  protocol?: number;
}

/** LINKTYPE_LINUX_SLL (113) frame. */
export function sll(spec: SllSpec): Uint8Array {
  const a = mac(spec.address ?? '02:00:00:00:00:01');
  const addrField = new Uint8Array(8);
  addrField.set(a.subarray(0, 8));
  const head = Uint8Array.from([
    ...u16(spec.packetType ?? 0), ...u16(spec.arphrd ?? 1), ...u16(a.length), ...addrField,
    ...u16(ethertypeFor(spec.payload, spec.protocol)),
  ]);
  return concat(head, spec.payload);
}

export interface Sll2Spec extends SllSpec {
  ifindex?: number;
}

/** LINKTYPE_LINUX_SLL2 (276) frame. */
export function sll2(spec: Sll2Spec): Uint8Array {
  const a = mac(spec.address ?? '02:00:00:00:00:01');
  const addrField = new Uint8Array(8);
  addrField.set(a.subarray(0, 8));
  const head = Uint8Array.from([
    ...u16(ethertypeFor(spec.payload, spec.protocol)), 0, 0, ...u32(spec.ifindex ?? 2),
    ...u16(spec.arphrd ?? 1), spec.packetType ?? 0, a.length, ...addrField,
  ]);
  return concat(head, spec.payload);
}

export interface NullLoopSpec {
  payload: Uint8Array;
  /** Address family (default: 2 for IPv4, 30 (macOS AF_INET6) for IPv6). */
  family?: number;
  /** LINKTYPE_LOOP (network order) instead of LINKTYPE_NULL. */
  loop?: boolean;
  /** Byte order of a NULL header (default little-endian, as most writers). */
  bigEndian?: boolean;
}

/** LINKTYPE_NULL (0) or LINKTYPE_LOOP (108) frame. */
export function nullLoop(spec: NullLoopSpec): Uint8Array {
  const af = spec.family ?? (versionOf(spec.payload) === 4 ? 2 : 30);
  const be = spec.loop || spec.bigEndian;
  const head = be ? Uint8Array.from(u32(af)) : Uint8Array.from(u32(af).reverse());
  return concat(head, spec.payload);
}

export interface ExtensionHeader {
  /** 0 hop-by-hop, 43 routing, 60 destination options. */
  type: 0 | 43 | 60;
  /** Body after the 2 first octets (padded with PadN to a multiple of 8 with them). */
  body?: Uint8Array;
}

function extension(h: ExtensionHeader, next: number): Uint8Array {
  let body = h.body ?? (h.type === 43 ? Uint8Array.from([0, 0, 0, 0, 0, 0]) : new Uint8Array(0));
  const total = Math.ceil((body.length + 2) / 8) * 8;
  if (total - 2 > body.length) {
    const pad = total - 2 - body.length;
    // PadN / Pad1 options (RFC 8200 §4.2) for options headers, zeros for routing.
    const p = new Uint8Array(pad);
    if (h.type !== 43) {
      if (pad === 1) p[0] = 0;
      else { p[0] = 1; p[1] = pad - 2; }
    }
    body = concat(body, p);
  }
  return concat(Uint8Array.from([next, total / 8 - 1]), body);
}

export interface Ipv6Spec {
  src: string;
  dst: string;
  hopLimit?: number;
  /** Protocol of `payload` (17 UDP, 6 TCP, 58 ICMPv6, 59 none). */
  nextHeader: number;
  payload: Uint8Array;
  extensionHeaders?: ExtensionHeader[];
  trafficClass?: number;
  flowLabel?: number;
  /** Override the payload length field (to build broken packets). */
  payloadLength?: number;
}

/** Chains the extension headers in front of the payload; returns [first next header, bytes]. */
function chain(hs: ExtensionHeader[], nextHeader: number, payload: Uint8Array): [number, Uint8Array] {
  let next = nextHeader;
  let body = payload;
  for (let i = hs.length - 1; i >= 0; i--) {
    body = concat(extension(hs[i], next), body);
    next = hs[i].type;
  }
  return [next, body];
}

function ipv6Header(src: string, dst: string, next: number, length: number, hopLimit: number, tc = 0, flow = 0): Uint8Array {
  return Uint8Array.from([
    0x60 | (tc >> 4), ((tc & 0xf) << 4) | ((flow >> 16) & 0xf), (flow >> 8) & 0xff, flow & 0xff,
    ...u16(length), next, hopLimit, ...addr(src), ...addr(dst),
  ]);
}

/** An IPv6 packet (RFC 8200 §3). */
export function ipv6(spec: Ipv6Spec): Uint8Array {
  const [next, body] = chain(spec.extensionHeaders ?? [], spec.nextHeader, spec.payload);
  return concat(ipv6Header(spec.src, spec.dst, next, spec.payloadLength ?? body.length, spec.hopLimit ?? 64, spec.trafficClass, spec.flowLabel), body);
}

export interface Ipv4Spec {
  src: string;
  dst: string;
  ttl?: number;
  protocol: number;
  payload: Uint8Array;
  id?: number;
  dontFragment?: boolean;
  moreFragments?: boolean;
  /** Fragment offset in octets (a multiple of 8). */
  fragmentOffset?: number;
  /** IP options (padded to a multiple of 4 with zeros). */
  options?: Uint8Array;
  totalLength?: number;
}

export function checksum(bytes: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i + 1 < bytes.length; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (bytes.length % 2) sum += bytes[bytes.length - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An IPv4 packet (RFC 791) with a correct header checksum. */
export function ipv4(spec: Ipv4Spec): Uint8Array {
  let opts = spec.options ?? new Uint8Array(0);
  if (opts.length % 4) opts = concat(opts, new Uint8Array(4 - (opts.length % 4)));
  const ihl = 20 + opts.length;
  const flags = (spec.dontFragment ? 0x4000 : 0) | (spec.moreFragments ? 0x2000 : 0) | ((spec.fragmentOffset ?? 0) / 8);
  const head = concat(Uint8Array.from([
    0x40 | (ihl / 4), 0, ...u16(spec.totalLength ?? ihl + spec.payload.length), ...u16(spec.id ?? 1), ...u16(flags),
    spec.ttl ?? 64, spec.protocol, 0, 0, ...addr(spec.src), ...addr(spec.dst),
  ]), opts);
  const c = checksum(head);
  head[10] = c >> 8; head[11] = c & 0xff;
  return concat(head, spec.payload);
}

function pseudoSum(src: string, dst: string, protocol: number, length: number): number {
  const s = addr(src);
  const d = addr(dst);
  const ph = concat(s, d, Uint8Array.from(s.length === 16 ? [...u32(length), 0, 0, 0, protocol] : [0, protocol, ...u16(length)]));
  let sum = 0;
  for (let i = 0; i < ph.length; i += 2) sum += (ph[i] << 8) | ph[i + 1];
  return sum;
}

export interface UdpSpec {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  /** Override the length field. */
  length?: number;
}

/** A UDP datagram (header + payload) with the checksum over the pseudo-header (RFC 768, RFC 8200 §8.1). */
export function udp(spec: UdpSpec): Uint8Array {
  const len = 8 + spec.payload.length;
  const d = concat(Uint8Array.from([...u16(spec.srcPort), ...u16(spec.dstPort), ...u16(spec.length ?? len), 0, 0]), spec.payload);
  let c = checksum(d, pseudoSum(spec.src, spec.dst, 17, len));
  if (c === 0) c = 0xffff;
  d[6] = c >> 8; d[7] = c & 0xff;
  return d;
}

export interface TcpFlags { syn?: boolean; ack?: boolean; fin?: boolean; rst?: boolean; psh?: boolean }

export interface TcpSpec extends TcpFlags {
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ackNumber?: number;
  window?: number;
  payload?: Uint8Array;
  /** TCP options (padded with NOPs... zeros to a multiple of 4), e.g. MSS. */
  options?: Uint8Array;
}

/** A TCP segment (header + payload) with a correct checksum (RFC 9293 §3.1). */
export function tcpSegment(spec: TcpSpec): Uint8Array {
  let opts = spec.options ?? new Uint8Array(0);
  if (opts.length % 4) opts = concat(opts, new Uint8Array(4 - (opts.length % 4)));
  const payload = spec.payload ?? new Uint8Array(0);
  const flags = (spec.fin ? 1 : 0) | (spec.syn ? 2 : 0) | (spec.rst ? 4 : 0) | (spec.psh ? 8 : 0) | (spec.ack ? 16 : 0);
  const hl = 20 + opts.length;
  const d = concat(Uint8Array.from([
    ...u16(spec.srcPort), ...u16(spec.dstPort), ...u32(spec.seq >>> 0), ...u32((spec.ackNumber ?? 0) >>> 0),
    (hl / 4) << 4, flags, ...u16(spec.window ?? 65535), 0, 0, 0, 0,
  ]), opts, payload);
  const c = checksum(d, pseudoSum(spec.src, spec.dst, 6, d.length));
  d[16] = c >> 8; d[17] = c & 0xff;
  return d;
}

/** The MSS option (kind 2), for SYNs. */
export function mssOption(mss: number): Uint8Array {
  return Uint8Array.from([2, 4, ...u16(mss)]);
}

/** An IP packet carrying `transport` (IPv6 or IPv4 by the address form). */
export function ipPacket(src: string, dst: string, protocol: number, transport: Uint8Array, hopLimit = 64, id = 1): Uint8Array {
  return src.includes(':')
    ? ipv6({ src, dst, nextHeader: protocol, payload: transport, hopLimit })
    : ipv4({ src, dst, protocol, payload: transport, ttl: hopLimit, id });
}

/**
 * Splits an IPv6 packet's contents into fragments no larger than `mtu` (RFC 8200 §4.5): hop-by-hop and
 * routing headers stay in the unfragmentable part, the rest (destination options, the upper layer) is split.
 */
export function ipv6Fragments(spec: Ipv6Spec & { id?: number }, mtu: number): Uint8Array[] {
  const hs = spec.extensionHeaders ?? [];
  let split = 0;
  while (split < hs.length && (hs[split].type === 0 || hs[split].type === 43)) split++;
  const [fragNext, fragmentable] = chain(hs.slice(split), spec.nextHeader, spec.payload);
  const room = Math.floor((mtu - 40 - 8 - unfragLength(hs.slice(0, split))) / 8) * 8;
  if (room <= 0) throw new Error('mtu too small');
  const out: Uint8Array[] = [];
  for (let off = 0; off < fragmentable.length; off += room) {
    const piece = fragmentable.subarray(off, Math.min(fragmentable.length, off + room));
    const more = off + room < fragmentable.length;
    const fh = Uint8Array.from([fragNext, 0, ...u16(off | (more ? 1 : 0)), ...u32(spec.id ?? 0x12345678)]);
    const [next, body] = chain(hs.slice(0, split), 44, concat(fh, piece));
    out.push(concat(ipv6Header(spec.src, spec.dst, next, body.length, spec.hopLimit ?? 64, spec.trafficClass, spec.flowLabel), body));
  }
  return out;
}

function unfragLength(hs: ExtensionHeader[]): number {
  let n = 0;
  for (const h of hs) n += extension(h, 0).length;
  return n;
}

/** Splits an IPv4 packet's payload into fragments of at most `mtu` octets (RFC 791 §3.2). */
export function ipv4Fragments(spec: Ipv4Spec, mtu: number): Uint8Array[] {
  const room = Math.floor((mtu - 20) / 8) * 8;
  const out: Uint8Array[] = [];
  for (let off = 0; off < spec.payload.length; off += room) {
    const piece = spec.payload.subarray(off, Math.min(spec.payload.length, off + room));
    out.push(ipv4({ ...spec, options: undefined, payload: piece, fragmentOffset: off, moreFragments: off + room < spec.payload.length }));
  }
  return out;
}

/** A complete Ethernet/IP/UDP frame. */
export function udpFrame(src: string, dst: string, srcPort: number, dstPort: number, payload: Uint8Array, hopLimit = 64): Uint8Array {
  return ethernet({ payload: ipPacket(src, dst, 17, udp({ src, dst, srcPort, dstPort, payload }), hopLimit) });
}
