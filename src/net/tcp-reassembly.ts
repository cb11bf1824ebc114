// TCP stream reassembly per connection and direction (RFC 9293 §3.4 sequence space, mod 2^32):
// out-of-order buffering, retransmissions, overlaps ("first" policy: the first copy of an octet wins,
// as most IDSs do by default), gaps, SYN/FIN/RST tracking, mid-stream starts, limits, and detection
// of which connections carry bulk leasequery (bulk ports, or a probe of the first payload).

import { formatIpv4, formatIpv6 } from './address.js';
import type { FrameClass, NetAnomaly, TcpCloseReason, TcpConnection, TcpDirection, TcpStreamSink } from './types.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpHeader } from './tcp.js';

/** Limits of the reassembler (config keys in NET_DEFAULTS). */
export interface TcpLimits {
  /** `tcp.max-connections`: connections followed (reassembled) at once. */
  maxConnections: number;
  /** `tcp.max-light`: connections tracked without reassembly (awaiting detection, rejected, recently closed). */
  maxLight: number;
  /** `reassembly.memcap`: out-of-order octets buffered over all connections. */
  memcap: number;
  /** `reassembly.conn-memcap`: out-of-order octets buffered per connection direction. */
  connMemcap: number;
  /** `tcp.idle-timeout`: seconds of capture time without a packet before a connection is closed. */
  idleTimeout: number;
  /** `reassembly.overlap-window`: delivered octets kept per direction to compare retransmissions with. */
  overlapWindow: number;
}

export interface TcpEvents {
  sink: TcpStreamSink;
  anomaly(a: NetAnomaly): void;
  classify(frame: number, cls: FrameClass): void;
}

/** One TCP segment as the decoder hands it over (reused object: copy what you keep). */
export interface SegmentInput {
  frame: number;
  time: number;
  /** Further frames that carried this segment (IP fragments), or null. */
  otherFrames: number[] | null;
  /** Buffer holding the addresses and their offsets / length (4 or 16). */
  addr: Uint8Array;
  srcOffset: number;
  dstOffset: number;
  addrLength: number;
  /** Buffer holding the TCP header and payload (tcp offsets index it). */
  buf: Uint8Array;
  tcp: TcpHeader;
  /**
   * Payload octets the IP header declares but the capture cut off (snaplen): they were sent, so a FIN
   * in this segment comes after them, not after the captured ones.
   */
  missing: number;
}

const LIGHT = 0;
const FOLLOWED = 1;
const CLOSED = 2;
const DROPPED = 3;
const REJECTED = 4;
type State = 0 | 1 | 2 | 3 | 4;

/** Packets a connection may show without payload before detection gives up on it. */
const LIGHT_MAX_PENDING = 32;
/** Bookkeeping per buffered segment, counted against the memcaps besides its octets. */
const SEGMENT_OVERHEAD = 64;

/** Buffered out-of-order octets and the frame that carried them (a gap's evidence names it). */
interface Seg { seq: number; data: Uint8Array; frame: number }

interface Dir {
  started: boolean;
  /** Sequence number of the first octet after this direction's SYN, or where it was first seen (valid once started). */
  startSeq: number;
  /** Next sequence number expected in order. */
  nextSeq: number;
  finSeen: boolean;
  finSeq: number;
  /** The frame that carried the FIN. */
  finFrame: number;
  finDone: boolean;
  ooo: Seg[];
  oooBytes: number;
  /** Ring of the last delivered octets, for comparing retransmissions. */
  tail: Uint8Array | null;
  tailFilled: number;
  written: number;
  memcapReported: boolean;
  /** The frame that carried the latest octets delivered in order (0: none yet): a gap starts after it. */
  lastSegFrame: number;
}

interface Conn {
  key: string;
  state: State;
  /** The endpoint that sorts first in the key is the client. */
  firstIsClient: boolean;
  clientAddr: string;
  clientPort: number;
  serverAddr: string;
  serverPort: number;
  ipv6: boolean;
  synSeen: boolean;
  midStream: boolean;
  firstFrame: number;
  firstTime: number;
  lastFrame: number;
  lastTime: number;
  /** As TcpConnection's fields of the same names (kept here too while the connection is not yet followed). */
  synAckFrame: number;
  lastSynFrame: number;
  lastSynTime: number;
  dirs: [Dir, Dir];
  conn: TcpConnection | null;
  pending: number[] | null;
}

function newDir(): Dir {
  return {
    started: false, startSeq: 0, nextSeq: 0, finSeen: false, finSeq: 0, finFrame: 0, finDone: false, ooo: [], oooBytes: 0,
    tail: null, tailFilled: 0, written: 0, memcapReported: false, lastSegFrame: 0,
  };
}

/** The direction's octets begin at `seq`. */
function start(d: Dir, seq: number): void {
  d.started = true;
  d.startSeq = seq;
  d.nextSeq = seq;
}

/** Slots of the recently-seen connection cache (a power of two). */
const RECENT_SLOTS = 256;

/** Cache slot of a segment's connection: both directions hash alike (endpoints in key order). */
function recentSlot(s: SegmentInput, srcFirst: boolean): number {
  const t = s.tcp;
  const a = srcFirst ? s.srcOffset : s.dstOffset;
  const b = srcFirst ? s.dstOffset : s.srcOffset;
  const last = s.addrLength - 1;
  const pa = srcFirst ? t.srcPort : t.dstPort;
  const pb = srcFirst ? t.dstPort : t.srcPort;
  return (Math.imul(pa, 31) + Math.imul(pb, 7) + Math.imul(s.addr[a + last], 131) + s.addr[b + last]) & (RECENT_SLOTS - 1);
}

/** Is `key` the key TcpReassembler.makeKey builds for this segment? (Compared in place, nothing built.) */
function keyMatches(key: string, s: SegmentInput, srcFirst: boolean): boolean {
  const n = s.addrLength;
  if (key.length !== 2 + n) return false;
  const t = s.tcp;
  if (key.charCodeAt(0) !== (srcFirst ? t.srcPort : t.dstPort) || key.charCodeAt(1) !== (srcFirst ? t.dstPort : t.srcPort)) return false;
  const addr = s.addr;
  const a = srcFirst ? s.srcOffset : s.dstOffset;
  const b = srcFirst ? s.dstOffset : s.srcOffset;
  let j = 2;
  for (let i = 0; i < n; i += 2) if (key.charCodeAt(j++) !== ((addr[a + i] << 8) | addr[a + i + 1])) return false;
  for (let i = 0; i < n; i += 2) if (key.charCodeAt(j++) !== ((addr[b + i] << 8) | addr[b + i + 1])) return false;
  return true;
}

/** Signed distance a - b in sequence space (RFC 9293 §3.4: comparisons are modulo 2^32). */
function seqDiff(a: number, b: number): number {
  return (a - b) | 0;
}

export class TcpReassembler {
  private readonly active = new Map<string, Conn>();
  /** Light, rejected and closed connections, least recently seen first. */
  private readonly passive = new Map<string, Conn>();
  private buffered = 0;
  private nextId = 1;
  private lightLimitReported = false;
  private connLimitReported = false;
  /** Recently seen connections by a hash of their endpoints (see recentSlot), for the fast path of segment(). */
  private readonly recent: (Conn | null)[] = new Array<Conn | null>(RECENT_SLOTS).fill(null);

  constructor(
    private readonly limits: TcpLimits,
    private readonly bulkPorts: ReadonlySet<number>,
    private readonly probe: ((bytes: Uint8Array) => boolean) | undefined,
    private readonly ev: TcpEvents,
  ) {}

  /** Out-of-order octets buffered over all connections (for tests). */
  get bufferedBytes(): number { return this.buffered; }
  /** Connections being followed now. */
  get openConnections(): number { return this.active.size; }
  /** Connections tracked without reassembly. */
  get lightConnections(): number { return this.passive.size; }

  /** Handles one segment; classifies its frame(s) now or, while detection is pending, later. */
  segment(s: SegmentInput): void {
    const t = s.tcp;
    // Canonical key: the lower (address, port) endpoint first, so both directions share it.
    let cmp = 0;
    for (let i = 0; i < s.addrLength && cmp === 0; i++) cmp = s.addr[s.srcOffset + i] - s.addr[s.dstOffset + i];
    if (cmp === 0) cmp = t.srcPort - t.dstPort;
    const srcFirst = cmp <= 0;
    // Fast path: a followed connection seen recently (it is then the one `active` holds for its key).
    const slot = recentSlot(s, srcFirst);
    const hit = this.recent[slot];
    if (hit !== null && hit.state === FOLLOWED && (t.flags & TCP_SYN) === 0 && keyMatches(hit.key, s, srcFirst)) {
      hit.lastFrame = s.frame;
      hit.lastTime = s.time;
      this.followed(hit, srcFirst === hit.firstIsClient ? 0 : 1, s);
      return;
    }
    const key = this.makeKey(s, srcFirst);
    let c = this.active.get(key);
    if (c && this.newConnection(c, srcFirst, t)) {
      this.close(c, 'reused', s.frame, s.time); // it is now a closed entry the new SYN replaces below
      c = undefined;
    }
    if (!c) {
      c = this.passive.get(key);
      if (c) {
        const newSyn = (t.flags & (TCP_SYN | TCP_ACK)) === TCP_SYN;
        if ((c.state === CLOSED || c.state === DROPPED || c.state === REJECTED) && newSyn) {
          this.passive.delete(key); // a new connection reuses the 4-tuple
          c = undefined;
        } else {
          this.passive.delete(key); // keep least-recently-seen order
          this.passive.set(key, c);
        }
      }
    }
    if (!c) {
      c = this.create(s, key, srcFirst);
      if (!c) return;
    }
    c.lastFrame = s.frame;
    c.lastTime = s.time;
    this.recent[slot] = c;
    const dir: TcpDirection = srcFirst === c.firstIsClient ? 0 : 1;
    switch (c.state) {
      case FOLLOWED: this.followed(c, dir, s); return;
      case LIGHT: this.light(c, dir, s); return;
      case CLOSED: this.settle(s, 'dhcpv6'); return;
      case DROPPED: this.settle(s, 'dropped'); return;
      default: this.settle(s, 'other');
    }
  }

  /**
   * A SYN without ACK on a connection being followed starts a new connection on the same 4-tuple
   * (RFC 9293 §3.4: a new incarnation picks a new initial sequence number), unless it is this side's
   * own SYN again (its octets start right after it, as the SYN or the SYN-ACK's acknowledgment said).
   * The old connection's end was then not captured.
   */
  private newConnection(c: Conn, srcFirst: boolean, t: TcpHeader): boolean {
    if ((t.flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return false;
    const d = c.dirs[srcFirst === c.firstIsClient ? 0 : 1];
    return !d.started || d.startSeq !== ((t.seq + 1) >>> 0);
  }

  /**
   * Closes idle connections (`tcp.idle-timeout`) and forgets idle light entries. `frame` is the frame
   * whose time `now` is: octets a closing connection still buffers are delivered there, so their
   * messages keep frame order (the connection's own last frame may be older than frames already handled).
   */
  sweep(now: number, frame: number): void {
    const limit = this.limits.idleTimeout;
    for (const c of this.active.values()) {
      if (now - c.lastTime > limit) this.close(c, 'timeout', c.lastFrame, now, Math.max(frame, c.lastFrame));
    }
    for (const [key, c] of this.passive) {
      if (now - c.lastTime <= limit) break; // least recently seen first
      this.passive.delete(key);
      if (c.state === LIGHT) this.settlePending(c, 'other');
    }
  }

  /** End of input: every followed connection is closed with 'capture-end'; pending frames become 'other'. */
  finish(frame: number, time: number): void {
    for (const c of [...this.active.values()]) this.close(c, 'capture-end', frame, time);
    for (const c of this.passive.values()) if (c.state === LIGHT) this.settlePending(c, 'other');
    this.passive.clear();
  }

  private makeKey(s: SegmentInput, srcFirst: boolean): string {
    const t = s.tcp;
    const a = srcFirst ? s.srcOffset : s.dstOffset;
    const b = srcFirst ? s.dstOffset : s.srcOffset;
    let k = String.fromCharCode(srcFirst ? t.srcPort : t.dstPort, srcFirst ? t.dstPort : t.srcPort);
    for (let i = 0; i < s.addrLength; i += 2) k += String.fromCharCode((s.addr[a + i] << 8) | s.addr[a + i + 1]);
    for (let i = 0; i < s.addrLength; i += 2) k += String.fromCharCode((s.addr[b + i] << 8) | s.addr[b + i + 1]);
    return k;
  }

  private create(s: SegmentInput, key: string, srcFirst: boolean): Conn | undefined {
    const t = s.tcp;
    const fmt = s.addrLength === 16 ? formatIpv6 : formatIpv4;
    const src = fmt(s.addr, s.srcOffset);
    const dst = fmt(s.addr, s.dstOffset);
    const syn = (t.flags & TCP_SYN) !== 0;
    let srcIsClient: boolean;
    if (syn) srcIsClient = (t.flags & TCP_ACK) === 0; // SYN from the client, SYN-ACK from the server
    else srcIsClient = !this.isServerPort(t.srcPort, t.dstPort);
    const followNow = this.bulkPorts.has(t.srcPort) || this.bulkPorts.has(t.dstPort);
    const c: Conn = {
      key, state: followNow ? FOLLOWED : LIGHT, firstIsClient: srcIsClient === srcFirst,
      clientAddr: srcIsClient ? src : dst, clientPort: srcIsClient ? t.srcPort : t.dstPort,
      serverAddr: srcIsClient ? dst : src, serverPort: srcIsClient ? t.dstPort : t.srcPort,
      ipv6: s.addrLength === 16, synSeen: syn, midStream: !syn, firstFrame: s.frame, firstTime: s.time,
      lastFrame: s.frame, lastTime: s.time, synAckFrame: 0, lastSynFrame: 0, lastSynTime: 0,
      dirs: [newDir(), newDir()], conn: null, pending: null,
    };
    // Known before the connection is opened to the sink (its SYN is handled after that).
    if (syn) this.noteSyn(c, srcIsClient ? 0 : 1, (t.flags & TCP_ACK) !== 0, s.frame, s.time);
    if (followNow) {
      if (!this.admit(c, s)) return undefined;
      this.active.set(key, c);
      this.open(c, 'port', s.frame, s.time);
    } else {
      c.pending = [];
      this.addPassive(c, s.frame, s.time);
    }
    return c;
  }

  /** Without a SYN: the side on 547, else on a bulk port, else on the lower port is the server. */
  private isServerPort(srcPort: number, dstPort: number): boolean {
    const s547 = srcPort === 547;
    const d547 = dstPort === 547;
    if (s547 !== d547) return s547;
    const sb = this.bulkPorts.has(srcPort);
    const db = this.bulkPorts.has(dstPort);
    if (sb !== db) return sb;
    return srcPort < dstPort;
  }

  /** `tcp.max-connections`: refuses a connection beyond the cap (its frames are dropped). */
  private admit(c: Conn, s: SegmentInput): boolean {
    if (this.active.size < this.limits.maxConnections) return true;
    if (!this.connLimitReported) {
      this.connLimitReported = true;
      this.ev.anomaly({
        name: 'limit.tcp_connections', frames: [s.frame], time: s.time, connection: this.labelOf(c),
        message: `more than ${this.limits.maxConnections} TCP connections at once (tcp.max-connections): further connections are not followed, their frames are dropped (reported once per input)`,
      });
    }
    c.state = DROPPED;
    this.addPassive(c, s.frame, s.time);
    this.settle(s, 'dropped');
    return false;
  }

  private addPassive(c: Conn, frame: number, time: number): void {
    this.passive.set(c.key, c);
    if (this.passive.size <= this.limits.maxLight) return;
    const [oldKey, old] = this.passive.entries().next().value as [string, Conn];
    this.passive.delete(oldKey);
    if (old.state === LIGHT) {
      this.settlePending(old, 'other');
      // With `tcp.max-light` 0 the connection just added is the one forgotten: it is not tracked, so
      // it is not a bulk candidate either, and its frames are other traffic from now on.
      if (old === c) old.state = REJECTED;
    }
    if (!this.lightLimitReported) {
      this.lightLimitReported = true;
      this.ev.anomaly({
        name: 'limit.tcp_light_connections', frames: [frame], time,
        message: `more than ${this.limits.maxLight} TCP connections tracked without reassembly (tcp.max-light): the least recently seen are forgotten (reported once per input)`,
      });
    }
  }

  private labelOf(c: Conn): string {
    const a = c.ipv6 ? `[${c.clientAddr}]` : c.clientAddr;
    const b = c.ipv6 ? `[${c.serverAddr}]` : c.serverAddr;
    return `${a}:${c.clientPort} > ${b}:${c.serverPort}`;
  }

  private open(c: Conn, detectedBy: 'port' | 'heuristic', frame: number, time: number): void {
    c.conn = {
      id: this.nextId++, label: this.labelOf(c),
      client: { address: c.clientAddr, port: c.clientPort }, server: { address: c.serverAddr, port: c.serverPort },
      synSeen: c.synSeen, midStream: c.midStream, detectedBy, firstFrame: c.firstFrame, firstTime: c.firstTime,
      synAckFrame: c.synAckFrame, lastSynFrame: c.lastSynFrame, lastSynTime: c.lastSynTime,
    };
    this.ev.sink.open(c.conn, frame, time);
  }

  private settle(s: SegmentInput, cls: FrameClass): void {
    this.ev.classify(s.frame, cls);
    if (s.otherFrames) for (const f of s.otherFrames) this.ev.classify(f, cls);
  }

  private settlePending(c: Conn, cls: FrameClass): void {
    if (c.pending) for (const f of c.pending) this.ev.classify(f, cls);
    c.pending = null;
  }

  /** Sequence bookkeeping shared by light and followed connections (SYN and SYN-ACK). */
  private trackSyn(c: Conn, dir: TcpDirection, t: TcpHeader, frame: number, time: number): void {
    if ((t.flags & TCP_SYN) === 0) return;
    this.noteSyn(c, dir, (t.flags & TCP_ACK) !== 0, frame, time);
    const d = c.dirs[dir];
    if (!d.started) start(d, (t.seq + 1) >>> 0);
    const o = c.dirs[1 - dir];
    if ((t.flags & TCP_ACK) !== 0 && !o.started) start(o, t.ack);
  }

  /** The client's SYN (each retransmission moves the latest) and the server's first SYN-ACK, for the rules. */
  private noteSyn(c: Conn, dir: TcpDirection, ack: boolean, frame: number, time: number): void {
    if (dir === 0 && !ack) {
      c.lastSynFrame = frame;
      c.lastSynTime = time;
    } else if (dir === 1 && ack && c.synAckFrame === 0) {
      c.synAckFrame = frame;
    } else {
      return;
    }
    const conn = c.conn;
    if (conn !== null) {
      conn.synAckFrame = c.synAckFrame;
      conn.lastSynFrame = c.lastSynFrame;
      conn.lastSynTime = c.lastSynTime;
    }
  }

  /** Detection pending: hold the frames until the first payload is probed. */
  private light(c: Conn, dir: TcpDirection, s: SegmentInput): void {
    const t = s.tcp;
    this.trackSyn(c, dir, t, s.frame, s.time);
    const len = t.payloadEnd - t.payloadStart;
    if (len > 0 && (t.flags & TCP_RST) === 0) {
      const bytes = s.buf.subarray(t.payloadStart, t.payloadEnd);
      if (this.probe && this.probe(bytes)) {
        this.passive.delete(c.key);
        c.state = FOLLOWED;
        if (!this.admit(c, s)) { this.settlePending(c, 'dropped'); return; }
        this.active.set(c.key, c);
        this.open(c, 'heuristic', s.frame, s.time);
        this.settlePending(c, 'dhcpv6');
        this.followed(c, dir, s);
        return;
      }
      c.state = REJECTED;
      this.settlePending(c, 'other');
      this.settle(s, 'other');
      return;
    }
    c.pending!.push(s.frame);
    if (s.otherFrames) c.pending!.push(...s.otherFrames);
    if ((t.flags & (TCP_FIN | TCP_RST)) !== 0 || c.pending!.length > LIGHT_MAX_PENDING) {
      c.state = REJECTED; // ended (or went on too long) without payload: not a bulk connection
      this.settlePending(c, 'other');
    }
  }

  private followed(c: Conn, dir: TcpDirection, s: SegmentInput): void {
    const t = s.tcp;
    const conn = c.conn!;
    const frame = s.frame;
    const time = s.time;
    if ((t.flags & TCP_RST) !== 0) {
      // Its acknowledgment and its own sequence number (the sender's next octet, RFC 9293 §3.5.2)
      // show octets of either side that were sent but not captured: gaps, not a silent end.
      if ((t.flags & TCP_ACK) !== 0) this.acked(c, dir, t.ack, frame, time);
      this.ackGap(c, dir, t.seq, frame, time);
      this.flush(c, 0, frame, time);
      this.flush(c, 1, frame, time);
      this.ev.sink.rst(conn, dir, frame, time);
      this.close(c, 'rst', frame, time);
      this.settle(s, 'dhcpv6');
      return;
    }
    this.trackSyn(c, dir, t, s.frame, s.time);
    const d = c.dirs[dir];
    let seq = (t.flags & TCP_SYN) !== 0 ? (t.seq + 1) >>> 0 : t.seq;
    if (!d.started) start(d, seq); // mid-stream: start where we came in
    const len = t.payloadEnd - t.payloadStart;
    if ((t.flags & TCP_FIN) !== 0 && !d.finSeen) {
      d.finSeen = true;
      d.finSeq = (seq + len + s.missing) >>> 0;
      d.finFrame = frame;
    }
    // The acknowledgment first: it covers the other side's octets, which were sent before this
    // segment's. So a loss it reveals is known before this segment's messages are judged (a REPLY
    // whose LEASEQUERY was not captured is then unseen, not an answer to an xid nobody used).
    if ((t.flags & TCP_ACK) !== 0) this.acked(c, dir, t.ack, frame, time);
    if (len > 0 && !d.finDone) {
      if (!this.data(c, dir, seq, s.buf.subarray(t.payloadStart, t.payloadEnd), frame, time)) {
        this.settle(s, 'dropped');
        return;
      }
    }
    this.finCheck(c, dir, frame, time);
    this.settle(s, 'dhcpv6');
    if (c.state === FOLLOWED && c.dirs[0].finDone && c.dirs[1].finDone) this.close(c, 'fin', frame, time);
  }

  /** Places payload octets; false when a limit closed the connection. */
  private data(c: Conn, dir: TcpDirection, seq0: number, bytes0: Uint8Array, frame: number, time: number): boolean {
    const d = c.dirs[dir];
    let seq = seq0;
    let bytes = bytes0;
    if (d.finSeen) {
      const room = seqDiff(d.finSeq, seq);
      if (room <= 0) return true;
      if (room < bytes.length) bytes = bytes.subarray(0, room); // nothing counts past the FIN
    }
    const off = seqDiff(seq, d.nextSeq);
    // RFC 9293 §3.8.4: a keep-alive may carry one garbage octet just before the next sequence number;
    // it repeats no data, so it is not compared with the octet sent there.
    if (off === -1 && bytes.length === 1) return true;
    if (off < 0) {
      // Retransmitted octets: compare what we still remember with the first copy.
      const oldLen = Math.min(-off, bytes.length);
      this.compareTail(c, dir, off, bytes, oldLen, frame, time);
      if (bytes.length <= -off) return true;
      bytes = bytes.subarray(-off);
      seq = d.nextSeq;
    }
    if (seqDiff(seq, d.nextSeq) === 0 && d.ooo.length === 0) {
      this.deliver(c, dir, bytes, frame, time);
      return true;
    }
    if (!this.insert(c, dir, seq, bytes, frame, time)) return false;
    this.drain(c, dir, frame, time);
    // reassembly.conn-memcap: the buffer is full while a hole persists, so the hole is given up.
    while (d.oooBytes > this.limits.connMemcap && d.ooo.length > 0) {
      if (!d.memcapReported) {
        d.memcapReported = true;
        this.ev.anomaly({
          name: 'limit.reassembly_conn_memcap', frames: [frame], time, connection: c.conn!.label,
          message: `more than ${this.limits.connMemcap} out-of-order octets in one direction (reassembly.conn-memcap): the missing octets are skipped as a gap`,
        });
      }
      this.skipToBuffered(c, dir, frame, time);
    }
    return true;
  }

  /** Buffers out-of-order octets; where they overlap octets already buffered, the first copy wins. */
  private insert(c: Conn, dir: TcpDirection, seq: number, bytes: Uint8Array, frame: number, time: number): boolean {
    const d = c.dirs[dir];
    const base = d.nextSeq;
    const start = seqDiff(seq, base);
    const end = start + bytes.length;
    const ooo = d.ooo;
    let cur = start;
    let conflict = -1;
    const fresh: Seg[] = [];
    for (let i = 0; i < ooo.length && cur < end; i++) {
      const q = ooo[i];
      const qs = seqDiff(q.seq, base);
      const qe = qs + q.data.length;
      if (qe <= cur) continue;
      if (qs >= end) break;
      if (qs > cur) fresh.push({ seq: (base + cur) >>> 0, data: bytes.subarray(cur - start, qs - start), frame });
      const from = Math.max(cur, qs);
      const to = Math.min(end, qe);
      for (let k = from; k < to && conflict < 0; k++) if (bytes[k - start] !== q.data[k - qs]) conflict = k;
      cur = Math.max(cur, qe);
    }
    if (cur < end) fresh.push({ seq: (base + cur) >>> 0, data: bytes.subarray(cur - start), frame });
    if (conflict >= 0) this.conflict(c, dir, frame, time);
    let add = 0;
    for (const f of fresh) add += f.data.length + SEGMENT_OVERHEAD;
    if (add === 0) return true;
    if (this.buffered + add > this.limits.memcap) {
      this.ev.anomaly({
        name: 'limit.reassembly_memcap', frames: [frame], time, connection: c.conn!.label,
        message: `more than ${this.limits.memcap} out-of-order octets buffered over all connections (reassembly.memcap): the connection is no longer followed`,
      });
      this.close(c, 'limit', frame, time);
      return false;
    }
    // Insert the fresh pieces in order (they sort among the existing ones by their offset).
    for (const f of fresh) {
      const copy: Seg = { seq: f.seq, data: f.data.slice(), frame };
      let j = 0;
      const fo = seqDiff(f.seq, base);
      while (j < ooo.length && seqDiff(ooo[j].seq, base) < fo) j++;
      ooo.splice(j, 0, copy);
    }
    d.oooBytes += add;
    this.buffered += add;
    return true;
  }

  private conflict(c: Conn, dir: TcpDirection, frame: number, time: number): void {
    this.ev.anomaly({
      name: 'tcp.overlap_conflict', frames: [frame], time, connection: c.conn!.label,
      message: `a ${dir === 0 ? 'client' : 'server'} segment overlaps octets already seen with different contents; the first copy is kept`,
    });
  }

  /** Compares the first `oldLen` octets of a retransmission (starting `off` < 0 before nextSeq) with the ring. */
  private compareTail(c: Conn, dir: TcpDirection, off: number, bytes: Uint8Array, oldLen: number, frame: number, time: number): void {
    const d = c.dirs[dir];
    if (!d.tail || d.tailFilled === 0) return;
    const cap = d.tail.length;
    const first = Math.max(off, -d.tailFilled); // relative offset of the first octet we still hold
    for (let r = first; r < off + oldLen; r++) {
      const idx = (d.written + r) % cap;
      if (d.tail[idx] !== bytes[r - off]) { this.conflict(c, dir, frame, time); return; }
    }
  }

  /** Hands on octets now in order at `frame`; `segFrame` is the frame that carried them (earlier when buffered). */
  private deliver(c: Conn, dir: TcpDirection, bytes: Uint8Array, frame: number, time: number, segFrame = frame): void {
    const d = c.dirs[dir];
    d.lastSegFrame = segFrame;
    this.ev.sink.data(c.conn!, dir, bytes, frame, time);
    d.nextSeq = (d.nextSeq + bytes.length) >>> 0;
    const cap = this.limits.overlapWindow;
    if (cap <= 0) return;
    if (!d.tail) d.tail = new Uint8Array(cap);
    const tail = d.tail;
    const n = bytes.length;
    const from = n > cap ? n - cap : 0;
    let p = (d.written + from) % cap;
    if (n - from < 64) {
      for (let i = from; i < n; i++) {
        tail[p] = bytes[i];
        if (++p === cap) p = 0;
      }
    } else {
      // At most two block copies: up to the end of the ring, then from its start.
      const first = Math.min(cap - p, n - from);
      tail.set(from === 0 && first === n ? bytes : bytes.subarray(from, from + first), p);
      if (from + first < n) tail.set(bytes.subarray(from + first), 0);
    }
    d.written += n;
    d.tailFilled = Math.min(cap, d.tailFilled + n);
  }

  /** Delivers buffered segments that are now in order. */
  private drain(c: Conn, dir: TcpDirection, frame: number, time: number): void {
    const d = c.dirs[dir];
    while (d.ooo.length > 0) {
      const q = d.ooo[0];
      const rel = seqDiff(q.seq, d.nextSeq);
      if (rel > 0) break;
      d.ooo.shift();
      const cost = q.data.length + SEGMENT_OVERHEAD;
      d.oooBytes -= cost;
      this.buffered -= cost;
      if (rel + q.data.length > 0) this.deliver(c, dir, q.data.subarray(-rel), frame, time, q.frame);
    }
  }

  /**
   * Reports `size` lost octets, found at `frame`. The evidence names the frame whose octets came last
   * before the hole and the one whose octets came first after it (`after`, 0 when none was captured:
   * only an ACK or the end of the connection shows the octets were sent), then `frame` itself.
   */
  private gap(c: Conn, dir: TcpDirection, size: number, frame: number, time: number, after: number): void {
    const d = c.dirs[dir];
    d.tailFilled = 0; // octets before a hole are no longer contiguous with what follows
    this.ev.sink.gap(c.conn!, dir, size, frame, time);
    const before = d.lastSegFrame;
    const where = before > 0 && after > 0 ? ` between frames ${before} and ${after}`
      : before > 0 ? ` after frame ${before}` : after > 0 ? ` before frame ${after}` : '';
    const known = frame !== after ? ` (known at frame ${frame})` : '';
    this.ev.anomaly({
      name: 'tcp.gap', frames: gapFrames(before, after, frame), time, connection: c.conn!.label,
      message: `${size} octets from the ${dir === 0 ? 'client' : 'server'} were not captured${where}${known}`,
    });
  }

  /** Declares the octets up to `seq` lost and continues after them; `after` carried the octets at `seq` (0: none captured). */
  private skipTo(c: Conn, dir: TcpDirection, seq: number, frame: number, time: number, after: number): void {
    const d = c.dirs[dir];
    const hole = seqDiff(seq, d.nextSeq);
    if (hole > 0) {
      this.gap(c, dir, hole, frame, time, after);
      d.nextSeq = seq;
    }
    this.drain(c, dir, frame, time);
  }

  /** Declares the octets before the first buffered segment lost; that segment's frame is the gap's `after`. */
  private skipToBuffered(c: Conn, dir: TcpDirection, frame: number, time: number): void {
    const q = c.dirs[dir].ooo[0];
    this.skipTo(c, dir, q.seq, frame, time, q.frame);
  }

  /**
   * An acknowledgment sent by `dir` for the other side's octets up to `ack`. On a connection whose
   * start was captured, the other side's octets begin right after its SYN; when that SYN (or SYN-ACK)
   * was not captured and nothing of the other side came yet, the first acknowledgment marks where they
   * begin (RFC 9293 §3.4: it acknowledges the SYN), so later octets of that side are placed against it
   * and a lost first segment is a gap, instead of the next captured segment passing for the start.
   */
  private acked(c: Conn, dir: TcpDirection, ack: number, frame: number, time: number): void {
    const o = c.dirs[1 - dir];
    if (!o.started && c.synSeen) start(o, ack);
    this.ackGap(c, (1 - dir) as TcpDirection, ack, frame, time);
  }

  /** The other side acknowledged octets of `dir` never seen: they were sent, so they are a gap. */
  private ackGap(c: Conn, dir: TcpDirection, ack: number, frame: number, time: number): void {
    const d = c.dirs[dir];
    if (!d.started || d.finDone) return;
    let limit = ack;
    if (d.finSeen && seqDiff(limit, d.finSeq) > 0) limit = d.finSeq; // the FIN's own sequence number is not data
    // Guard against nonsense ACKs (far outside any window): ignore them.
    const ahead = seqDiff(limit, d.nextSeq);
    if (ahead <= 0 || ahead > 0x40000000) return;
    while (seqDiff(limit, d.nextSeq) > 0) {
      if (d.ooo.length > 0 && seqDiff(d.ooo[0].seq, limit) < 0) this.skipToBuffered(c, dir, frame, time);
      else this.skipTo(c, dir, limit, frame, time, 0);
    }
    this.finCheck(c, dir, frame, time);
  }

  private finCheck(c: Conn, dir: TcpDirection, frame: number, time: number): void {
    const d = c.dirs[dir];
    if (d.finSeen && !d.finDone && seqDiff(d.finSeq, d.nextSeq) === 0) {
      d.finDone = true;
      d.nextSeq = (d.nextSeq + 1) >>> 0;
      this.ev.sink.fin(c.conn!, dir, frame, time);
    }
  }

  /** Delivers everything buffered, reporting the holes between as gaps, then the FIN if one was seen. */
  private flush(c: Conn, dir: TcpDirection, frame: number, time: number): void {
    const d = c.dirs[dir];
    while (d.ooo.length > 0) this.skipToBuffered(c, dir, frame, time);
    if (d.finSeen && !d.finDone) {
      this.skipTo(c, dir, d.finSeq, frame, time, d.finFrame);
      this.finCheck(c, dir, frame, time);
    }
  }

  /** Ends a followed connection at `frame`; what it still buffers is delivered at `deliverAt`. */
  private close(c: Conn, reason: TcpCloseReason, frame: number, time: number, deliverAt = frame): void {
    if (c.state !== FOLLOWED) return;
    this.flush(c, 0, deliverAt, time);
    this.flush(c, 1, deliverAt, time);
    this.active.delete(c.key);
    c.state = reason === 'limit' ? DROPPED : CLOSED;
    for (const d of c.dirs) { d.tail = null; d.ooo = []; }
    this.ev.sink.close(c.conn!, reason, frame, time);
    // Remembered so trailing packets (the last ACK) count with it; after an idle timeout the
    // 4-tuple is forgotten instead, so a later packet starts a new (mid-stream) connection.
    if (reason !== 'timeout') this.addPassive(c, frame, time);
  }
}

/** A gap's evidence frames, ascending and without repeats (0 = none). */
function gapFrames(before: number, after: number, frame: number): number[] {
  const out: number[] = [];
  for (const f of [before, after, frame].sort((a, b) => a - b)) if (f > 0 && f !== out[out.length - 1]) out.push(f);
  return out;
}
