// UDP DHCPv6 scenario builder for tests and fixtures: clients, servers and relays exchanging messages
// on chosen timing. Builds MessageRecords (for correlator and rule tests) with the project's own
// encoder and decoder; frames are numbered in the order the messages are added.

import { createCodec } from '../../src/dhcpv6/codec.js';
import type { MessageJson, OptionInput } from '../../src/dhcpv6/encode.js';
import type { Dhcpv6Message, MessageRecord } from '../../src/dhcpv6/types.js';

export const codec = createCodec();

/** A DUID-LL (type 3, Ethernet) from a small number: 00030001 02000000xxxx. */
export function duidLL(n: number): string {
  return `0003000102000000${n.toString(16).padStart(4, '0')}`;
}

export const opt = {
  clientId: (duid: string): OptionInput => ({ code: 1, hex: duid }),
  serverId: (duid: string): OptionInput => ({ code: 2, hex: duid }),
  pref: (v: number): OptionInput => ({ code: 7, hex: v.toString(16).padStart(2, '0') }),
  /** A Preference option with a raw (possibly wrong) body. */
  prefHex: (hex: string): OptionInput => ({ code: 7, hex }),
  elapsed: (cs: number): OptionInput => ({ code: 8, hex: cs.toString(16).padStart(4, '0') }),
  oro: (...codes: number[]): OptionInput => ({ code: 6, hex: codes.map((c) => c.toString(16).padStart(4, '0')).join('') }),
  rapidCommit: (): OptionInput => ({ code: 14, hex: '' }),
  status: (code: number, text = ''): OptionInput => ({ code: 13, value: { statusCode: code, statusMessage: text } }),
  iaNa: (iaid: number, ...options: OptionInput[]): OptionInput => ({ code: 3, value: { iaid, t1: 0, t2: 0 }, options }),
  iaPd: (iaid: number, ...options: OptionInput[]): OptionInput => ({ code: 25, value: { iaid, t1: 0, t2: 0 }, options }),
  iaAddr: (address: string, valid = 3600): OptionInput => ({ code: 5, value: { address, preferredLifetime: valid, validLifetime: valid } }),
  iaPrefix: (prefix: string, len: number): OptionInput => ({ code: 26, value: { preferredLifetime: 3600, validLifetime: 3600, prefixLength: len, prefix } }),
  ifid: (hex: string): OptionInput => ({ code: 18, hex }),
  lqQuery: (queryType: number, linkAddress: string, ...options: OptionInput[]): OptionInput => ({ code: 44, value: { queryType, linkAddress }, options }),
  clientData: (...options: OptionInput[]): OptionInput => ({ code: 45, options }),
  cltTime: (s: number): OptionInput => ({ code: 46, value: { cltTime: s } }),
  relayData: (peerAddress: string, message: MessageJson): OptionInput => ({ code: 47, value: { peerAddress }, message }),
  clientLink: (...addresses: string[]): OptionInput => ({ code: 48, value: { addresses } }),
  relayId: (duid: string): OptionInput => ({ code: 53, hex: duid }),
  remoteId: (enterprise: number, hex: string): OptionInput => ({ code: 37, value: { enterpriseNumber: enterprise, remoteId: hex } }),
  raw: (code: number, hex: string, length?: number): OptionInput => (length === undefined ? { code, hex } : { code, hex, length }),
};

/** A client/server message in JSON form. */
export function m(msgType: number, xid: number, ...options: OptionInput[]): MessageJson {
  return { msgType, xid, options };
}

/** Wraps a message in a Relay-forward (12) or Relay-reply (13). */
export function relay(msgType: 12 | 13, hopCount: number, linkAddress: string, peerAddress: string, inner: MessageJson, ...extra: OptionInput[]): MessageJson {
  return { msgType, hopCount, linkAddress, peerAddress, options: [...extra, { code: 9, message: inner }] };
}

export function decoded(json: MessageJson): Dhcpv6Message {
  return codec.decodeMessage(codec.encodeMessage(json));
}

/** One datagram to put on the wire. */
export interface Datagram {
  time: number;
  src: string;
  dst: string;
  srcPort?: number;
  dstPort?: number;
  message: MessageJson;
  /** Also seen by a second capture point this many seconds later (a duplicate frame), e.g. 0.00002. */
  duplicateAfter?: number;
  transport?: 'udp' | 'tcp';
  /** IPv6 hop limit when rendered as a frame (default 1 to ff02::/16, else 64). */
  hopLimit?: number;
  /** Captured only up to this many octets of the DHCPv6 message (a snaplen cut the frame). */
  snap?: number;
}

/** A list of datagrams in frame order, turned into MessageRecords (frame = 1-based position). */
export class UdpScenario {
  readonly datagrams: Datagram[] = [];
  /** Base time (seconds since the epoch) added to every datagram's time. */
  constructor(readonly base = 1732262400) {}

  add(d: Datagram): this {
    this.datagrams.push(d);
    return this;
  }

  /** Shorthand: client → servers (multicast by default). */
  send(time: number, src: string, dst: string, message: MessageJson, extra: Partial<Datagram> = {}): this {
    const clientSide = dst.startsWith('ff') || (extra.dstPort ?? 547) === 547;
    return this.add({ time, src, dst, message, srcPort: clientSide ? 546 : 547, dstPort: 547, ...extra });
  }

  /** Shorthand: server (or relay) → client port 546. */
  answer(time: number, src: string, dst: string, message: MessageJson, extra: Partial<Datagram> = {}): this {
    return this.add({ time, src, dst, message, srcPort: 547, dstPort: 546, ...extra });
  }

  /** The MessageRecords the pipeline would produce (no duplicate frames: the network stage drops those). */
  records(input = 0): MessageRecord[] {
    const out: MessageRecord[] = [];
    let frame = 0;
    for (const d of this.datagrams) {
      frame++;
      const message = d.snap === undefined ? decoded(d.message) : codec.decodeMessage(codec.encodeMessage(d.message).subarray(0, d.snap));
      out.push({
        input, frame, frames: [frame], time: this.base + d.time, transport: d.transport ?? 'udp',
        src: d.src, dst: d.dst, srcPort: d.srcPort ?? 547, dstPort: d.dstPort ?? 547, hopLimit: d.hopLimit ?? 64, message,
        ...(d.snap === undefined ? {} : { truncated: true }),
      });
      if (d.duplicateAfter !== undefined) frame++;
    }
    return out;
  }
}

import { ClientCorrelator } from '../../src/correlate/client.js';
import type { EventTuple } from './rule-harness.js';

/**
 * The events the engine would receive for a scenario: each record's core `message` event followed by
 * what the real ClientCorrelator emits, then `capture:end`. Extra events (e.g. TCP messages) can be
 * spliced in by frame through `extra`.
 */
export function scenarioEvents(sc: UdpScenario, limits: Record<string, number> = {}, extra: EventTuple[] = []): EventTuple[] {
  const events: EventTuple[] = [...extra];
  const corr = new ClientCorrelator((name, ev) => { events.push([name, ev] as EventTuple); }, limits);
  const recs = sc.records();
  for (const r of recs) {
    events.push(['message', r]);
    corr.message(r);
  }
  const last = recs[recs.length - 1];
  corr.finish(last.frame, last.time);
  events.push(['capture:end', { input: 0, lastFrame: last.frame, time: last.time }]);
  return events;
}

// ---- Shorthands for server-selection scenarios (one client, servers A/B/C) ----

export const CLIENT = duidLL(1);
export const SRV_A = duidLL(0x101);
export const SRV_B = duidLL(0x102);
export const SRV_C = duidLL(0x103);
export const CLIENT_ADDR = 'fe80::1';
export const SRV_ADDR: Record<string, string> = { [SRV_A]: 'fe80::a', [SRV_B]: 'fe80::b', [SRV_C]: 'fe80::c' };

export const sel = {
  /** Conforming (RFC 8415 §18.2.1): Client-ID, Elapsed Time, an ORO listing SOL_MAX_RT, an IA_NA. */
  solicit: (xid: number, elapsed = 0, ...extra: OptionInput[]): MessageJson =>
    m(1, xid, opt.clientId(CLIENT), opt.elapsed(elapsed), opt.oro(23, 82), opt.iaNa(1), ...extra),
  /** An Advertise from a server: `pref` undefined = no Preference option; `offer` false = NoAddrsAvail in the IA. */
  advertise: (xid: number, server: string, pref?: number, offer = true, ...extra: OptionInput[]): MessageJson =>
    m(2, xid, opt.clientId(CLIENT), opt.serverId(server), ...(pref === undefined ? [] : [opt.pref(pref)]),
      offer ? opt.iaNa(1, opt.iaAddr(`2001:db8::${server.slice(-2)}`)) : opt.iaNa(1, opt.status(2, 'none')), ...extra),
  /** Conforming (RFC 8415 §18.2.2) when `server` is given: Server-ID, Client-ID, Elapsed Time, an ORO listing SOL_MAX_RT. */
  request: (xid: number, server: string | undefined, elapsed = 0): MessageJson =>
    m(3, xid, opt.clientId(CLIENT), ...(server === undefined ? [] : [opt.serverId(server)]), opt.elapsed(elapsed), opt.oro(23, 82), opt.iaNa(1)),
  reply: (xid: number, server: string, ...extra: OptionInput[]): MessageJson =>
    m(7, xid, opt.clientId(CLIENT), opt.serverId(server), opt.iaNa(1, opt.iaAddr(`2001:db8::${server.slice(-2)}`)), ...extra),
};

/** Client → multicast. */
export function fromClient(sc: UdpScenario, t: number, msg: MessageJson): UdpScenario {
  return sc.send(t, CLIENT_ADDR, 'ff02::1:2', msg);
}

/** Server → client. */
export function fromServer(sc: UdpScenario, t: number, server: string, msg: MessageJson): UdpScenario {
  return sc.answer(t, SRV_ADDR[server] ?? 'fe80::99', CLIENT_ADDR, msg);
}

// ---- UDP leasequery shorthands (requestor 2001:db8::50, servers 2001:db8::a / ::b) ----

export const REQUESTOR = duidLL(0x50);
export const REQUESTOR_ADDR = '2001:db8::50';

export const lq = {
  query: (xid: number, lqQuery: OptionInput, ...extra: OptionInput[]): MessageJson => m(14, xid, opt.clientId(REQUESTOR), lqQuery, ...extra),
  reply: (xid: number, server: string, ...extra: OptionInput[]): MessageJson => m(15, xid, opt.clientId(REQUESTOR), opt.serverId(server), ...extra),
  /** A complete CLIENT_DATA for one client. */
  clientData: (client = duidLL(0x77), ...extra: OptionInput[]): OptionInput =>
    opt.clientData(opt.clientId(client), opt.iaAddr('2001:db8::77'), opt.cltTime(60), ...extra),
};

/** One UDP leasequery exchange: the query, then each reply from server address a, b, … */
export function lqExchange(query: MessageJson, ...replies: MessageJson[]): UdpScenario {
  const sc = new UdpScenario();
  sc.add({ time: 0, src: REQUESTOR_ADDR, dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: query });
  replies.forEach((r, i) => sc.add({ time: 0.01 * (i + 1), src: `2001:db8::${(10 + i).toString(16)}`, dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 547, message: r }));
  return sc;
}

// ---- Rendering a scenario as capture frames (Ethernet / IPv6 / UDP) ----

import { addr, ethernet, ipPacket, udp } from './packets.js';
import { toRecord, type CaptureRecord } from './tcp-conversation.js';
import { writePcap, writePcapng } from './pcap-writer.js';
import { defineFixture, type FixtureGenerator } from './fixture.js';

/** MAC of an address on the capture link: 33:33 + low 32 bits for multicast (RFC 2464 §7), 02:00 + low 32 bits otherwise. */
export function macFor(address: string): string {
  const ip = addr(address);
  const prefix = ip[0] === 0xff ? ['33', '33'] : ['02', '00'];
  return [...prefix, ...Array.from(ip.subarray(12, 16), (b) => b.toString(16).padStart(2, '0'))].join(':');
}

/**
 * The scenario as capture records in datagram order: each datagram as Ethernet/IPv6/UDP (real
 * checksums; hop limit 1 to link-scoped multicast, 64 otherwise unless `hopLimit` is set), at base +
 * time (whole microseconds). A datagram with `duplicateAfter` is followed by an identical frame that
 * much later: the copy a second capture point saw. Only UDP datagrams are rendered.
 */
export function scenarioFrames(sc: UdpScenario): CaptureRecord[] {
  const out: CaptureRecord[] = [];
  for (const d of sc.datagrams) {
    if ((d.transport ?? 'udp') !== 'udp') throw new Error('scenarioFrames renders UDP datagrams only');
    const payload = codec.encodeMessage(d.message);
    const hop = d.hopLimit ?? (d.dst.toLowerCase().startsWith('ff02') ? 1 : 64);
    const ip = ipPacket(d.src, d.dst, 17, udp({ src: d.src, dst: d.dst, srcPort: d.srcPort ?? 547, dstPort: d.dstPort ?? 547, payload }), hop);
    const data = ethernet({ payload: ip, src: macFor(d.src), dst: macFor(d.dst) });
    if (d.snap !== undefined) {
      // Ethernet 14 + IPv6 40 + UDP 8 octets of headers, then the first `snap` octets of the message.
      out.push({ ...toRecord(sc.base + d.time, data.subarray(0, 62 + d.snap)), origLength: data.length });
      continue;
    }
    out.push(toRecord(sc.base + d.time, data));
    if (d.duplicateAfter !== undefined) out.push(toRecord(sc.base + d.time + d.duplicateAfter, data));
  }
  return out;
}

/** Merges record lists by capture time (stable: equal times keep list order, first list first). */
export function mergeRecords(...lists: CaptureRecord[][]): CaptureRecord[] {
  return lists.flat().map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.tsSec - b.r.tsSec || a.r.tsNsec - b.r.tsNsec || a.i - b.i).map((x) => x.r);
}

/** Capture records as pcapng (one Ethernet interface) or classic pcap. */
export function captureBytes(records: CaptureRecord[], format: 'pcapng' | 'pcap' = 'pcapng'): Uint8Array {
  if (format === 'pcap') return writePcap({ linkType: 1, records });
  return writePcapng({
    interfaces: [{ linkType: 1, snaplen: 65535, name: 'eth0' }],
    packets: records.map((p) => ({ interfaceId: 0, tsSec: p.tsSec, tsNsec: p.tsNsec, data: p.data, ...(p.origLength === undefined ? {} : { origLength: p.origLength }) })),
  });
}

/** The scenario rendered as a pcapng capture (see scenarioFrames). */
export function scenarioPcapng(sc: UdpScenario): Uint8Array {
  return captureBytes(scenarioFrames(sc));
}

/** A fixture generator that builds a UdpScenario and renders it as an Ethernet pcapng. */
export function scenarioFixture(file: string, description: string, build: (sc: UdpScenario) => void): FixtureGenerator {
  return defineFixture({
    file, description,
    generate() {
      const sc = new UdpScenario();
      build(sc);
      return scenarioPcapng(sc);
    },
  });
}
