// The network stage: Frame → link → IPv4/IPv6 (+ fragments) → UDP datagrams and reassembled TCP
// streams. Every frame handed in is classified exactly once (dhcpv6 / other / malformed / dropped),
// at once or later (held fragments, TCP connections awaiting detection), and duplicates are folded.

import type { Frame } from '../capture/types.js';
import { frameTime } from '../capture/types.js';
import { formatIpv4, formatIpv6 } from './address.js';
import { DuplicateWindow } from './dedup.js';
import { FragmentReassembler } from './fragments.js';
import { newIpInfo, type IpInfo } from './ip-info.js';
import { decodeIpv4 } from './ipv4.js';
import { decodeIpv6, walkIpv6Extensions } from './ipv6.js';
import { octetKey } from './key.js';
import { LINK_DECODERS, newLinkResult, type LinkDecoder } from './link/index.js';
import { limitOf, type NetOptions } from './options.js';
import { decodeTcp, newTcpHeader } from './tcp.js';
import { TcpReassembler, type SegmentInput } from './tcp-reassembly.js';
import type { FrameClass, NetAnomaly, TcpStreamSink, UdpDatagram } from './types.js';
import { decodeUdp, newUdpHeader } from './udp.js';

export { NET_DEFAULTS, type NetOptions, type NetLimitKey } from './options.js';

/**
 * A UdpDatagram whose payload view is made only when read: the DHCPv6 stage decodes from the buffer
 * and offsets, so most datagrams never need one (a typed-array view is a costly object per packet).
 */
class Datagram implements UdpDatagram {
  #payload: Uint8Array | undefined = undefined;
  constructor(
    readonly frame: number, readonly frames: number[], readonly time: number, readonly ipVersion: 4 | 6,
    readonly src: string, readonly dst: string, readonly srcPort: number, readonly dstPort: number,
    readonly hopLimit: number, readonly buffer: Uint8Array, readonly payloadStart: number,
    readonly payloadEnd: number, readonly truncated: boolean,
  ) {}

  get payload(): Uint8Array {
    return this.#payload ??= this.buffer.subarray(this.payloadStart, this.payloadEnd);
  }
}

/** Where the network stage's results go. */
export interface NetOutput {
  /** A UDP datagram; the next stage says how its frame(s) count. */
  udp(d: UdpDatagram): FrameClass;
  /** Reassembled TCP streams of followed connections. */
  tcp: TcpStreamSink;
  anomaly(a: NetAnomaly): void;
  /** Exactly one call per frame handed to handleFrame. */
  classify(frame: number, cls: FrameClass): void;
  /** `frame` is a copy of `of` seen from another capture point; it is classified like `of` and goes no further. */
  duplicate?(frame: number, of: number): void;
}

const IPPROTO_TCP = 6;
const IPPROTO_UDP = 17;

/** Frame classes by code in the remembered-class ring (0 = not settled yet). */
const CLASS_OF_CODE: readonly (FrameClass | null)[] = [null, 'dhcpv6', 'other', 'malformed', 'dropped'];
const CODE_OF_CLASS: Readonly<Record<FrameClass, number>> = { dhcpv6: 1, other: 2, malformed: 3, dropped: 4 };

export class NetDecoder {
  private readonly link = newLinkResult();
  private readonly ip: IpInfo = newIpInfo();
  private readonly udpHdr = newUdpHeader();
  private readonly seg: SegmentInput;
  private readonly frags: FragmentReassembler;
  private readonly tcp: TcpReassembler;
  private readonly dedup: DuplicateWindow;
  private readonly unknownLinkTypes = new Set<number>();
  /**
   * Class of the last 2 × `dedup.max-entries` remembered frames, which duplicates may copy: a ring of
   * frame numbers (ascending from `recentHead`) and class codes, so remembering a frame allocates nothing.
   */
  private readonly recentFrames: Float64Array;
  private readonly recentCls: Uint8Array;
  private recentHead = 0;
  private recentCount = 0;
  /** Duplicates waiting for their original's class. */
  private readonly waiting = new Map<number, number[]>();
  private readonly recentCap: number;
  /** The link type of the previous frame and its decoder (captures rarely mix link types). */
  private linkType = -1;
  private linkDecoder: LinkDecoder | null = null;
  private lastFrame = 0;
  private lastTime = 0;
  private lastSweep = Number.NaN;
  private finished = false;

  constructor(options: NetOptions, private readonly out: NetOutput) {
    const ports = new Set<number>([547]);
    if (options.bulkPorts) for (const p of options.bulkPorts) ports.add(p);
    this.frags = new FragmentReassembler(
      {
        timeout: limitOf(options, 'ip.frag-timeout'),
        memcap: limitOf(options, 'ip.frag-memcap'),
        maxFragments: limitOf(options, 'ip.frag-max-fragments'),
      },
      {
        anomaly: (name, message, frames, time) => out.anomaly({ name, message, frames, time }),
        classify: (frame, cls) => this.settle(frame, cls),
      },
    );
    this.tcp = new TcpReassembler(
      {
        maxConnections: limitOf(options, 'tcp.max-connections'),
        maxLight: limitOf(options, 'tcp.max-light'),
        memcap: limitOf(options, 'reassembly.memcap'),
        connMemcap: limitOf(options, 'reassembly.conn-memcap'),
        idleTimeout: limitOf(options, 'tcp.idle-timeout'),
        overlapWindow: limitOf(options, 'reassembly.overlap-window'),
      },
      ports,
      options.probe,
      { sink: out.tcp, anomaly: (a) => out.anomaly(a), classify: (frame, cls) => this.settle(frame, cls) },
    );
    const maxEntries = limitOf(options, 'dedup.max-entries');
    this.recentCap = Math.max(1, maxEntries);
    this.recentFrames = new Float64Array(2 * this.recentCap);
    this.recentCls = new Uint8Array(2 * this.recentCap);
    this.dedup = new DuplicateWindow(limitOf(options, 'dedup.window'), maxEntries);
    this.dedup.onLimit = (frame, time) => out.anomaly({
      name: 'limit.dedup_entries', frames: [frame], time,
      message: `more than ${maxEntries} packets within the duplicate window (dedup.max-entries): some duplicates may be counted twice (reported once per input)`,
    });
    this.seg = {
      frame: 0, time: 0, otherFrames: null, addr: new Uint8Array(0), srcOffset: 0, dstOffset: 0, addrLength: 16,
      buf: new Uint8Array(0), tcp: newTcpHeader(), missing: 0,
    };
  }

  /** Decodes one frame. Never throws on bad bytes. */
  handleFrame(frame: Frame): void {
    if (this.finished) throw new Error('NetDecoder.handleFrame called after finish()');
    const idx = frame.index;
    const time = frameTime(frame);
    this.lastFrame = idx;
    this.lastTime = time;
    if (!(Math.abs(time - this.lastSweep) < 1)) {
      this.lastSweep = time;
      this.frags.sweep(time);
      this.tcp.sweep(time, idx);
    }
    if (frame.linkType !== this.linkType) {
      this.linkType = frame.linkType;
      this.linkDecoder = LINK_DECODERS.get(frame.linkType) ?? null;
    }
    const decode = this.linkDecoder;
    if (decode === null) {
      if (!this.unknownLinkTypes.has(frame.linkType)) {
        this.unknownLinkTypes.add(frame.linkType);
        this.out.anomaly({
          name: 'link.unknown_type', frames: [idx], time,
          message: `link type ${frame.linkType} is not decoded; its frames count as other traffic (reported once per link type)`,
        });
      }
      this.settle(idx, 'other');
      return;
    }
    const data = frame.data;
    const link = this.link;
    decode(data, link);
    if (link.anomaly) {
      this.out.anomaly({ name: link.anomaly, frames: [idx], time, message: `the ${frame.linkType === 1 ? 'Ethernet' : 'link'} header is broken or cut short` });
      this.settle(idx, 'malformed');
      return;
    }
    if (link.version === 0) { this.settle(idx, 'other'); return; }

    // Duplicates from a second capture point: same IP packet (hop limit aside) within dedup.window.
    if (data.length - link.offset >= 20) {
      const of = this.dedup.check(data, link.offset, data.length, link.version, idx, time);
      if (of !== 0) {
        this.out.duplicate?.(idx, of);
        const slot = this.recentSlot(of);
        const cls = slot >= 0 ? CLASS_OF_CODE[this.recentCls[slot]] : null;
        if (cls) this.out.classify(idx, cls);
        else {
          const list = this.waiting.get(of);
          if (list) list.push(idx); else this.waiting.set(of, [idx]);
        }
        return;
      }
      this.remember(idx);
    }

    const ip = this.ip;
    if (link.version === 6) decodeIpv6(data, link.offset, ip); else decodeIpv4(data, link.offset, ip);
    if (ip.anomaly) {
      this.out.anomaly({ name: ip.anomaly, frames: [idx], time, message: ip.detail });
      this.settle(idx, 'malformed');
      return;
    }
    if (!ip.fragment) {
      this.transport(data, data, ip.payloadStart, ip.payloadEnd, ip.protocol, ip.hopLimit, ip.truncated, idx, null, time);
      return;
    }
    // A fragment: hold it until the datagram is whole.
    const v6 = ip.version === 6;
    if (ip.truncated && ip.fragOffset === 0 && ip.protocol === IPPROTO_UDP) {
      // Cut by the snaplen, so never reassembled: like tshark, decode the first fragment as a truncated datagram.
      this.transport(data, data, ip.payloadStart, ip.payloadEnd, ip.protocol, ip.hopLimit, true, idx, null, time);
      return;
    }
    if (ip.truncated) {
      this.out.anomaly({ name: 'ip.frag.truncated', frames: [idx], time, message: 'a fragment was cut short by the snaplen, so its datagram cannot be reassembled' });
      this.settle(idx, 'malformed');
      return;
    }
    const prefix = v6 ? `6:${ip.fragId}:` : `4:${ip.fragId}:${ip.protocol}:`;
    const key = octetKey(prefix, data, ip.srcOffset, v6 ? 32 : 8);
    const whole = this.frags.add(key, ip.version, idx, time, ip.fragOffset, ip.moreFragments,
      data.subarray(ip.payloadStart, ip.payloadEnd), ip.protocol, ip.hopLimit);
    if (!whole) return;
    const frames = whole.frames;
    const others = frames.filter((f) => f !== idx);
    let start = 0;
    let protocol = whole.protocol;
    if (v6) {
      walkIpv6Extensions(whole.data, 0, whole.data.length, whole.protocol, ip);
      if (ip.anomaly || ip.fragment) {
        const name = ip.anomaly ?? 'ipv6.frag.nested';
        this.out.anomaly({ name, frames, time, message: ip.anomaly ? ip.detail : 'a reassembled datagram holds another fragment header' });
        for (const f of frames) this.settle(f, 'malformed');
        return;
      }
      start = ip.payloadStart;
      protocol = ip.protocol;
    }
    this.transport(data, whole.data, start, whole.data.length, protocol, whole.hopLimit, false, idx, others, time);
  }

  /** End of input: closes connections ('capture-end') and settles every frame still held. */
  finish(time?: number): void {
    if (this.finished) return;
    this.finished = true;
    const t = time ?? this.lastTime;
    this.frags.finish(t);
    this.tcp.finish(this.lastFrame, t);
    // Duplicates whose original never got a class (cannot happen when the stages above settle all).
    for (const [, list] of this.waiting) for (const f of list) this.out.classify(f, 'other');
    this.waiting.clear();
    this.recentCount = 0;
  }

  /** UDP / TCP / anything else, from `buf[start, end)`; addresses in `addr` at the IP info's offsets. */
  private transport(
    addr: Uint8Array, buf: Uint8Array, start: number, end: number, protocol: number, hopLimit: number,
    truncated: boolean, frame: number, others: number[] | null, time: number,
  ): void {
    const ip = this.ip;
    if (protocol === IPPROTO_UDP) {
      const u = this.udpHdr;
      decodeUdp(buf, start, end, truncated, u);
      if (u.anomaly) {
        this.out.anomaly({ name: u.anomaly, frames: this.framesOf(frame, others), time, message: u.detail });
        this.settleAll(frame, others, 'malformed');
        return;
      }
      const v6 = ip.version === 6;
      const d = new Datagram(
        frame, this.framesOf(frame, others), time, ip.version,
        v6 ? formatIpv6(addr, ip.srcOffset) : formatIpv4(addr, ip.srcOffset),
        v6 ? formatIpv6(addr, ip.dstOffset) : formatIpv4(addr, ip.dstOffset),
        u.srcPort, u.dstPort, hopLimit, buf, u.payloadStart, u.payloadEnd, u.truncated,
      );
      this.settleAll(frame, others, this.out.udp(d));
      return;
    }
    if (protocol === IPPROTO_TCP) {
      const s = this.seg;
      decodeTcp(buf, start, end, s.tcp);
      if (s.tcp.anomaly) {
        this.out.anomaly({ name: s.tcp.anomaly, frames: this.framesOf(frame, others), time, message: s.tcp.detail });
        this.settleAll(frame, others, 'malformed');
        return;
      }
      s.frame = frame;
      s.time = time;
      s.otherFrames = others;
      s.addr = addr;
      s.srcOffset = ip.srcOffset;
      s.dstOffset = ip.dstOffset;
      s.addrLength = ip.version === 6 ? 16 : 4;
      s.buf = buf;
      s.missing = truncated ? ip.missing : 0;
      this.tcp.segment(s);
      return;
    }
    this.settleAll(frame, others, 'other');
  }

  private framesOf(frame: number, others: number[] | null): number[] {
    if (!others || others.length === 0) return [frame];
    return [...others, frame].sort((a, b) => a - b);
  }

  private settleAll(frame: number, others: number[] | null, cls: FrameClass): void {
    if (others) for (const f of others) this.settle(f, cls);
    this.settle(frame, cls);
  }

  /** Remembers a frame that later duplicates may copy the class of (bounded like the dedup window). */
  private remember(frame: number): void {
    // The newest 2 × `dedup.max-entries` frames stay (the dedup window holds at most `dedup.max-entries`).
    const size = this.recentFrames.length;
    if (this.recentCount === size) {
      this.recentHead = this.recentHead + 1 === size ? 0 : this.recentHead + 1;
      this.recentCount--;
    }
    let slot = this.recentHead + this.recentCount;
    if (slot >= size) slot -= size;
    this.recentFrames[slot] = frame;
    this.recentCls[slot] = 0;
    this.recentCount++;
  }

  /** Ring slot of a remembered frame, or -1 (frames are remembered in ascending order: binary search). */
  private recentSlot(frame: number): number {
    const size = this.recentFrames.length;
    let lo = 0;
    let hi = this.recentCount - 1;
    if (hi < 0) return -1;
    let newest = this.recentHead + hi;
    if (newest >= size) newest -= size;
    if (this.recentFrames[newest] === frame) return newest; // the usual case: the frame just remembered
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const slot = (this.recentHead + mid) % size;
      const f = this.recentFrames[slot];
      if (f === frame) return slot;
      if (f < frame) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
  }

  /** The single place a frame's class is reported; also settles duplicates waiting for it. */
  private settle(frame: number, cls: FrameClass): void {
    this.out.classify(frame, cls);
    const slot = this.recentSlot(frame);
    if (slot >= 0) this.recentCls[slot] = CODE_OF_CLASS[cls];
    if (this.waiting.size === 0) return;
    const dups = this.waiting.get(frame);
    if (dups) {
      this.waiting.delete(frame);
      for (const f of dups) this.out.classify(f, cls);
    }
  }
}
