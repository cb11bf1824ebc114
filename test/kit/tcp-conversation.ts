// Builds whole TCP connections between a client and a server as a list of segments, then transforms
// the list (reorder, retransmit, conflicting overlap, loss, duplicate frames, mid-connection start,
// early end) and renders capture records (Ethernet by default) ready for a pcap writer.

import { concat, ethernet, ipPacket, mssOption, tcpSegment } from './packets.js';

export type Side = 'client' | 'server';

export interface TcpEndpoint {
  address: string;
  port: number;
  /** Initial sequence number (default 1000 for the client, 5000 for the server). */
  isn?: number;
  mac?: string;
}

export interface ConversationOptions {
  client: TcpEndpoint;
  server: TcpEndpoint;
  /** Default maximum segment size for send() (default 1460). */
  mss?: number;
  /** Capture time of the first packet, seconds (default 1700000000). */
  start?: number;
  /** Time between consecutive packets, seconds (default 0.001). */
  step?: number;
  /** Wraps an IP packet in a link layer (default Ethernet with the endpoints' MACs). */
  link?: (ip: Uint8Array, from: Side) => Uint8Array;
}

/** One packet of the conversation. */
export interface ConvSegment {
  from: Side;
  seq: number;
  ack: number;
  syn?: boolean;
  ackFlag: boolean;
  fin?: boolean;
  rst?: boolean;
  psh?: boolean;
  payload: Uint8Array;
  options?: Uint8Array;
  /** Absolute capture time, if chosen. */
  at?: number;
  /** Extra delay before this packet (default none; retransmissions wait 0.2 s). */
  delay?: number;
  /** A copy of the previous frame from a second capture point (0.5 ms after it). */
  duplicate?: boolean;
}

export interface CaptureRecord {
  tsSec: number; tsNsec: number; data: Uint8Array;
  /** Length on the wire when the capture kept less (snaplen); default data.length. */
  origLength?: number;
}

export interface SendOptions {
  /** Exact segment sizes (their sum must equal the byte count). */
  segments?: number[];
  mss?: number;
  /** Capture time of the first segment. */
  at?: number;
  /** The receiver acknowledges after the data (default true). */
  ack?: boolean;
  psh?: boolean;
}

interface SideState { isn: number; next: number; stream: number[] }

export class TcpConversation {
  readonly segments: ConvSegment[] = [];
  private readonly state: Record<Side, SideState>;

  constructor(readonly options: ConversationOptions) {
    const c = options.client.isn ?? 1000;
    const s = options.server.isn ?? 5000;
    this.state = {
      client: { isn: c >>> 0, next: c >>> 0, stream: [] },
      server: { isn: s >>> 0, next: s >>> 0, stream: [] },
    };
  }

  private other(side: Side): Side { return side === 'client' ? 'server' : 'client'; }

  /** SYN (with MSS), SYN-ACK, ACK. */
  handshake(at?: number): this {
    const c = this.state.client;
    const s = this.state.server;
    const mss = this.options.mss ?? 1460;
    this.segments.push({ from: 'client', seq: c.isn, ack: 0, syn: true, ackFlag: false, payload: new Uint8Array(0), options: mssOption(mss), at });
    c.next = (c.isn + 1) >>> 0;
    this.segments.push({ from: 'server', seq: s.isn, ack: c.next, syn: true, ackFlag: true, payload: new Uint8Array(0), options: mssOption(mss) });
    s.next = (s.isn + 1) >>> 0;
    this.segments.push({ from: 'client', seq: c.next, ack: s.next, ackFlag: true, payload: new Uint8Array(0) });
    return this;
  }

  /** Data from one side, split by `segments` or the MSS; then (by default) an ACK from the other side. */
  send(from: Side, bytes: Uint8Array, opts: SendOptions = {}): this {
    const me = this.state[from];
    const peer = this.state[this.other(from)];
    const sizes = opts.segments ?? splitBy(bytes.length, opts.mss ?? this.options.mss ?? 1460);
    if (sizes.reduce((a, b) => a + b, 0) !== bytes.length) throw new Error('segment sizes do not add up');
    let off = 0;
    sizes.forEach((n, i) => {
      this.segments.push({
        from, seq: me.next, ack: peer.next, ackFlag: true, psh: opts.psh ?? i === sizes.length - 1,
        payload: bytes.slice(off, off + n), at: i === 0 ? opts.at : undefined,
      });
      for (let k = off; k < off + n; k++) me.stream.push(bytes[k]);
      me.next = (me.next + n) >>> 0;
      off += n;
    });
    if (opts.ack ?? true) this.ack(this.other(from));
    return this;
  }

  /** A pure ACK from `from` acknowledging everything the other side sent. */
  ack(from: Side, at?: number): this {
    const me = this.state[from];
    const peer = this.state[this.other(from)];
    this.segments.push({ from, seq: me.next, ack: peer.next, ackFlag: true, payload: new Uint8Array(0), at });
    return this;
  }

  /** FIN (with ACK) from `from`; the other side acknowledges it unless `ack` is false. */
  fin(from: Side, opts: { ack?: boolean; at?: number } = {}): this {
    const me = this.state[from];
    const peer = this.state[this.other(from)];
    this.segments.push({ from, seq: me.next, ack: peer.next, ackFlag: true, fin: true, payload: new Uint8Array(0), at: opts.at });
    me.next = (me.next + 1) >>> 0;
    if (opts.ack ?? true) this.ack(this.other(from));
    return this;
  }

  /** RST (with ACK) from `from`. */
  rst(from: Side, at?: number): this {
    const me = this.state[from];
    const peer = this.state[this.other(from)];
    this.segments.push({ from, seq: me.next, ack: peer.next, ackFlag: true, rst: true, payload: new Uint8Array(0), at });
    return this;
  }

  /** Swaps packets i and j (network reordering; capture times stay in list order). */
  reorder(i: number, j: number): this {
    const a = this.segments[i];
    this.segments[i] = this.segments[j];
    this.segments[j] = a;
    return this;
  }

  /**
   * Inserts a retransmission of packet i's octets at position `at` (default: the end), 0.2 s after the
   * packet before it. `shift` moves the resent range forward by that many octets in the stream
   * (the octets come from the stream, so the resend overlaps the next segment with identical octets).
   */
  retransmit(i: number, opts: { at?: number; shift?: number; delay?: number } = {}): this {
    const s = this.segments[i];
    const shift = opts.shift ?? 0;
    const st = this.state[s.from];
    const start = ((s.seq - st.isn - 1) >>> 0) + shift;
    const payload = Uint8Array.from(st.stream.slice(start, start + s.payload.length));
    const copy: ConvSegment = { ...s, seq: (s.seq + shift) >>> 0, payload, at: undefined, delay: opts.delay ?? 0.2, duplicate: false };
    this.segments.splice(opts.at ?? this.segments.length, 0, copy);
    return this;
  }

  /**
   * Inserts a segment overlapping packet i's octets with different contents (each octet inverted):
   * `offset` octets into it, `length` octets long (default: all of it), at position `at` (default: the end).
   */
  overlapConflict(i: number, opts: { offset?: number; length?: number; at?: number; delay?: number } = {}): this {
    const s = this.segments[i];
    const offset = opts.offset ?? 0;
    const length = opts.length ?? s.payload.length - offset;
    const payload = s.payload.slice(offset, offset + length).map((b) => b ^ 0xff);
    const copy: ConvSegment = { ...s, seq: (s.seq + offset) >>> 0, payload, at: undefined, delay: opts.delay ?? 0.2, duplicate: false, fin: false };
    this.segments.splice(opts.at ?? this.segments.length, 0, copy);
    return this;
  }

  /** Removes packet i (lost before the capture point). */
  drop(i: number): this {
    this.segments.splice(i, 1);
    return this;
  }

  /** Inserts the same frame again right after packet i, 0.5 ms later (a second capture point). */
  duplicateFrame(i: number): this {
    this.segments.splice(i + 1, 0, { ...this.segments[i], at: undefined, delay: 0, duplicate: true });
    return this;
  }

  /** Omits the first n packets (the capture started later). */
  startMidConnection(n: number): this {
    this.segments.splice(0, n);
    return this;
  }

  /** Keeps only the first n packets (the capture ended). */
  endAt(n: number): this {
    this.segments.splice(n);
    return this;
  }

  /** The IP packet of one segment. */
  ipOf(s: ConvSegment): Uint8Array {
    const me = s.from === 'client' ? this.options.client : this.options.server;
    const peer = s.from === 'client' ? this.options.server : this.options.client;
    const tcp = tcpSegment({
      src: me.address, dst: peer.address, srcPort: me.port, dstPort: peer.port, seq: s.seq, ackNumber: s.ackFlag ? s.ack : 0,
      syn: s.syn, ack: s.ackFlag, fin: s.fin, rst: s.rst, psh: s.psh, payload: s.payload, options: s.options,
    });
    return ipPacket(me.address, peer.address, 6, tcp);
  }

  /** Capture records in list order; times increase by `step` (+ delays), duplicates 0.5 ms after their original. */
  packets(): CaptureRecord[] {
    // Whole microseconds, so times do not drift with floating-point sums.
    const us = (x: number): number => Math.round(x * 1e6);
    const step = us(this.options.step ?? 0.001);
    let t = us(this.options.start ?? 1700000000);
    const out: CaptureRecord[] = [];
    this.segments.forEach((s, k) => {
      if (k > 0) t = s.duplicate ? t + 500 : t + step + us(s.delay ?? 0);
      if (s.at !== undefined) t = us(s.at);
      const ip = this.ipOf(s);
      const data = this.options.link ? this.options.link(ip, s.from) : ethernet({
        payload: ip,
        src: (s.from === 'client' ? this.options.client.mac : this.options.server.mac) ?? (s.from === 'client' ? '02:00:00:00:00:01' : '02:00:00:00:00:02'),
        dst: (s.from === 'client' ? this.options.server.mac : this.options.client.mac) ?? (s.from === 'client' ? '02:00:00:00:00:02' : '02:00:00:00:00:01'),
      });
      out.push({ tsSec: Math.floor(t / 1e6), tsNsec: (t % 1e6) * 1000, data });
    });
    return out;
  }

  /** Everything `side` sent, in order (what a perfect reassembly yields). */
  streamOf(side: Side): Uint8Array {
    return Uint8Array.from(this.state[side].stream);
  }
}

function splitBy(n: number, mss: number): number[] {
  const out: number[] = [];
  for (let left = n; left > 0; left -= mss) out.push(Math.min(mss, left));
  return out;
}

/** A record at time t (seconds, float) with µs-rounded nanoseconds, so pcap µs and ns agree. */
export function toRecord(t: number, data: Uint8Array): CaptureRecord {
  const tsSec = Math.floor(t);
  const tsNsec = Math.round((t - tsSec) * 1e6) * 1000;
  return tsNsec >= 1e9 ? { tsSec: tsSec + 1, tsNsec: 0, data } : { tsSec, tsNsec, data };
}

export { concat };
