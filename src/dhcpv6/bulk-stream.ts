// RFC 5460 §5.1 framing over reassembled TCP streams: a 2-octet message-size, then a DHCPv6 message
// (msg-type, 24-bit transaction-id, options). Per connection and direction; resynchronizes after a
// gap, a bad frame or a mid-stream start by scanning for a plausible frame; never throws. Stops
// decoding where RFC 7653 §8.2 STARTTLS turns the connection into TLS records (see `startTls`).
// Messages are decoded in place in each direction's buffer, which is never rewritten once a message
// views it (a full buffer is replaced, not compacted).

import type { TcpConnection, TcpCloseReason, TcpDirection, TcpStreamSink } from '../net/types.js';
import type { BulkStreamListener, Dhcpv6Anomaly, Dhcpv6Message, MessageRecord } from './types.js';
import type { Dhcpv6Codec } from './codec.js';
import { u16 } from './options/primitives.js';
import { optionOf } from './helpers.js';

/** Named limits of the stream decoder (dotted config keys) and their defaults. */
export const BULK_DEFAULTS = {
  /** `bulk.max-message-size`: largest acceptable message-size; larger frames are a desync. */
  'bulk.max-message-size': 65535,
  /** `bulk.resync-scan-limit`: octets scanned for a plausible frame before the rest of the direction is given up. */
  'bulk.resync-scan-limit': 1 << 20,
  /**
   * `bulk.max-frames-per-message`: frames listed in a record's `frames`. A message spread over more
   * segments keeps the first half and the last half of this many (the last is always `frame`).
   */
  'bulk.max-frames-per-message': 64,
} as const;

/** Message types plausible at the start of a frame while resynchronizing (RFC 5460 §5.2, RFC 7653). */
const BULK_TYPES = [14, 15, 16, 17, 22, 23, 7];

/** RFC 7653 §6.2.2: STARTTLS; §8.2, §9.1: the server answers it with a REPLY (type 7, see `acceptsStartTls`). */
const STARTTLS = 23;
/** STARTTLS progress of a connection (ConnState.tls): none seen, asked (answer awaited), answered without a switch. */
const TLS_NONE = 0;
const TLS_ASKED = 1;
const TLS_ANSWERED = 2;
/** RFC 8446 §5.1: a TLSCiphertext record holds at most 2^14 + 256 octets (TLS 1.2, RFC 5246 §6.2.3: 2^14 + 2048). */
const TLS_MAX_RECORD = 16384 + 2048;

/**
 * A TLS record header at b[p]: content type 20..24 (change_cipher_spec, alert, handshake,
 * application_data, heartbeat), record version 3.0..3.4, length 1..TLS_MAX_RECORD (RFC 8446 §5.1,
 * RFC 5246 §6.2.1). 'wait' while fewer than 5 octets are there and those agree.
 */
function tlsHeader(b: Uint8Array, p: number, end: number): 'yes' | 'no' | 'wait' {
  if (p < end && (b[p] < 20 || b[p] > 24)) return 'no';
  if (p + 1 < end && b[p + 1] !== 3) return 'no';
  if (p + 2 < end && b[p + 2] > 4) return 'no';
  if (p + 5 > end) return 'wait';
  const n = u16(b, p + 3);
  return n === 0 || n > TLS_MAX_RECORD ? 'no' : 'yes';
}

/**
 * The server's answer to STARTTLS accepts it: a REPLY (RFC 7653 §8.2 and §9.1 name RFC 3315's REPLY,
 * type 7; a LEASEQUERY-REPLY, 15, is taken the same way) without a status code, or with Success (RFC
 * 5007 §4.3.3 treats the two alike). Status TLSConnectionRefused (15), or any other, refuses it.
 */
function acceptsStartTls(m: Dhcpv6Message): boolean {
  if (m.msgType !== 7 && m.msgType !== 15) return false;
  const status = optionOf(m, 13);
  return status === undefined || (status.data.length >= 2 && status.data[0] === 0 && status.data[1] === 0);
}

/** True when `b[o..end)` is exactly a sequence of whole options (top level only). */
function optionsExact(b: Uint8Array, o: number, end: number): boolean {
  while (o < end) {
    if (o + 4 > end) return false;
    o += 4 + u16(b, o + 2);
  }
  return o === end;
}

/**
 * Probe for TCP connections on other ports (requirements §4 Q21): the first bytes frame a
 * LEASEQUERY (14), ACTIVELEASEQUERY (22) or STARTTLS (23) whose options parse exactly.
 */
export function looksLikeBulkLeasequery(bytes: Uint8Array): boolean {
  if (bytes.length < 6) return false;
  const size = u16(bytes, 0);
  if (size < 4 || 2 + size > bytes.length) return false;
  const t = bytes[2];
  if (t !== 14 && t !== 22 && t !== 23) return false;
  return optionsExact(bytes, 6, 2 + size);
}

/** A direction's buffer grows (doubling) up to this many octets while it carries messages. */
const GROW_LIMIT = 16384;

interface DirState {
  /** Buffered octets not yet framed: buf[start..end). */
  buf: Uint8Array;
  /** A decoded message views `buf`: its octets before `end` must never be rewritten. */
  shared: boolean;
  start: number;
  end: number;
  /** Stream offset of buf[start]. */
  base: number;
  /** Frames that delivered buffered octets: parallel arrays, `chunkEnd` = stream offset after the chunk. */
  chunkFrame: number[];
  chunkEnd: number[];
  /** First live entry of chunkFrame/chunkEnd (entries before it are consumed). */
  chunkHead: number;
  /**
   * 'sync': buf[start] is a frame start; 'hunt': looking for one; 'lost': scan limit hit, bytes dropped;
   * 'tls': the direction carries TLS records (after an accepted STARTTLS, or recognised), bytes dropped.
   */
  mode: 'sync' | 'hunt' | 'lost' | 'tls';
  /** Octets skipped since the hunt began. */
  skipped: number;
}

interface ConnState {
  conn: TcpConnection;
  dirs: [DirState, DirState];
  /** RFC 7653 §8.2 STARTTLS progress: TLS_NONE, TLS_ASKED or TLS_ANSWERED (a switch to TLS sets the dirs' mode instead). */
  tls: number;
}

function newDir(mode: DirState['mode']): DirState {
  return { buf: new Uint8Array(256), shared: false, start: 0, end: 0, base: 0, chunkFrame: [], chunkEnd: [], chunkHead: 0, mode, skipped: 0 };
}

/**
 * Turns reassembled streams into framed DHCPv6 messages (MessageRecord, transport 'tcp'). A record
 * is emitted at the frame that delivered the message's last octet; several messages completing in
 * one frame are emitted in stream order. Memory per direction is bounded by the largest message.
 */
export class BulkStreamDecoder implements TcpStreamSink {
  private readonly conns = new Map<number, ConnState>();
  private readonly maxSize: number;
  private readonly scanLimit: number;
  private readonly maxFrames: number;
  /** Message types plausible at a frame start, as a 256-entry table. */
  private readonly types = new Uint8Array(256);

  constructor(
    private readonly codec: Dhcpv6Codec,
    private readonly listener: BulkStreamListener,
    private readonly input: number,
    limits: Partial<Record<string, number>> = {},
  ) {
    this.maxSize = Math.min(65535, limits['bulk.max-message-size'] ?? BULK_DEFAULTS['bulk.max-message-size']);
    this.scanLimit = limits['bulk.resync-scan-limit'] ?? BULK_DEFAULTS['bulk.resync-scan-limit'];
    this.maxFrames = Math.max(2, limits['bulk.max-frames-per-message'] ?? BULK_DEFAULTS['bulk.max-frames-per-message']);
    for (const t of BULK_TYPES) this.types[t] = 1;
    this.types[codec.codes['LEASEQUERY-DONE']] = 1;
    this.types[codec.codes['LEASEQUERY-DATA']] = 1;
  }

  open(conn: TcpConnection, frame: number, time: number): void {
    // A connection seen from mid-stream may start inside a message: hunt for a frame first.
    const mode = conn.midStream ? 'hunt' : 'sync';
    this.conns.set(conn.id, { conn, dirs: [newDir(mode), newDir(mode)], tls: TLS_NONE });
    this.listener.open(conn, frame, time);
  }

  data(conn: TcpConnection, dir: TcpDirection, bytes: Uint8Array, frame: number, time: number): void {
    const st = this.state(conn);
    const d = st.dirs[dir];
    if (d.mode === 'lost' || d.mode === 'tls') return;
    this.append(d, bytes, frame);
    this.drain(st, dir, frame, time);
  }

  gap(conn: TcpConnection, dir: TcpDirection, size: number, frame: number, time: number): void {
    const d = this.state(conn).dirs[dir];
    // The buffered part-message can never complete: drop it and hunt for the next frame.
    d.base += d.end - d.start + size;
    if (d.shared) d.start = d.end; else d.start = d.end = 0;
    d.chunkFrame.length = d.chunkEnd.length = 0;
    d.chunkHead = 0;
    if (d.mode !== 'lost' && d.mode !== 'tls') { d.mode = 'hunt'; d.skipped = 0; }
    this.listener.gap(conn, dir, size, frame, time);
  }

  fin(conn: TcpConnection, dir: TcpDirection, frame: number, time: number): void {
    const st = this.conns.get(conn.id);
    const d = st?.dirs[dir];
    // In step and octets left over: the sender closed inside a message. (After a gap the direction is
    // hunting, and what is left is not known to start a frame.)
    if (d !== undefined && d.mode === 'sync' && d.end > d.start) this.cutShort(conn, dir, d, frame, time);
    this.listener.fin(conn, dir, frame, time);
  }

  /** Reports the part-message a FIN cut short and drops it: nothing follows a FIN in this direction. */
  private cutShort(conn: TcpConnection, dir: TcpDirection, d: DirState, frame: number, time: number): void {
    const b = d.buf;
    const p = d.start;
    const have = d.end - p;
    const frames = this.framesOf(d, have);
    if (frames[frames.length - 1] !== frame) frames.push(frame);
    const xid = have >= 6 ? (b[p + 3] << 16) | (b[p + 4] << 8) | b[p + 5] : undefined;
    const what = have < 2
      ? `1 octet of a message-size`
      : `${have} of the ${2 + u16(b, p)} octets framed by message-size ${u16(b, p)}` +
        (have >= 3 ? ` (msg-type ${b[p + 2]}${xid !== undefined ? `, xid ${xid}` : ''})` : '');
    const anomaly: Dhcpv6Anomaly = {
      name: 'dhcpv6.bulk.cut_short',
      message: `the ${dir === 0 ? 'requestor' : 'server'} closed its direction (FIN) after only ${what}`,
    };
    this.consume(d, have);
    d.mode = 'lost';
    this.listener.cut(conn, dir, anomaly, frames, xid, frame, time);
  }

  rst(conn: TcpConnection, dir: TcpDirection, frame: number, time: number): void {
    this.listener.rst(conn, dir, frame, time);
  }

  /** `pending` counts the octets still buffered in each direction (an unfinished message, or unframed octets). */
  close(conn: TcpConnection, reason: TcpCloseReason, frame: number, time: number): void {
    const st = this.conns.get(conn.id);
    const pending: [number, number] = st ? [st.dirs[0].end - st.dirs[0].start, st.dirs[1].end - st.dirs[1].start] : [0, 0];
    this.conns.delete(conn.id);
    this.listener.close(conn, reason, frame, time, pending);
  }

  private state(conn: TcpConnection): ConnState {
    let st = this.conns.get(conn.id);
    if (!st) { // data without open(): treat as a mid-stream start
      st = { conn, dirs: [newDir('hunt'), newDir('hunt')], tls: TLS_NONE };
      this.conns.set(conn.id, st);
    }
    return st;
  }

  private append(d: DirState, bytes: Uint8Array, frame: number): void {
    const have = d.end - d.start;
    if (d.end + bytes.length > d.buf.length) {
      if (!d.shared && have + bytes.length <= d.buf.length && d.start > 0) {
        d.buf.copyWithin(0, d.start, d.end);
      } else {
        // a buffer messages view is left to them; one that carries messages grows (fewer, larger buffers)
        let cap = d.shared ? Math.max(d.buf.length, Math.min(GROW_LIMIT, 2 * d.buf.length)) : d.buf.length;
        while (cap < have + bytes.length) cap *= 2;
        const nb = new Uint8Array(cap);
        nb.set(d.buf.subarray(d.start, d.end));
        d.buf = nb;
        d.shared = false;
      }
      d.end = have;
      d.start = 0;
    }
    d.buf.set(bytes, d.end);
    d.end += bytes.length;
    const streamEnd = d.base + have + bytes.length;
    const n = d.chunkEnd.length;
    if (n > d.chunkHead && d.chunkFrame[n - 1] === frame) d.chunkEnd[n - 1] = streamEnd;
    else { d.chunkFrame.push(frame); d.chunkEnd.push(streamEnd); }
  }

  /** Consumes `n` octets from the front. */
  private consume(d: DirState, n: number): void {
    d.start += n;
    d.base += n;
    const ends = d.chunkEnd;
    let head = d.chunkHead;
    while (head < ends.length && ends[head] <= d.base) head++;
    if (head === ends.length) {
      ends.length = d.chunkFrame.length = 0;
      head = 0;
    } else if (head >= 64) { // a long-lived partial message: drop the consumed entries now and then
      ends.copyWithin(0, head);
      d.chunkFrame.copyWithin(0, head);
      ends.length = d.chunkFrame.length = ends.length - head;
      head = 0;
    }
    d.chunkHead = head;
    if (d.start === d.end && !d.shared) { d.start = d.end = 0; }
  }

  /** Frames carrying stream octets [base, base+n), bounded by bulk.max-frames-per-message. */
  private framesOf(d: DirState, n: number): number[] {
    const stop = d.base + n;
    const ends = d.chunkEnd;
    const head = d.chunkHead;
    let last = head;
    while (last < ends.length - 1 && ends[last] < stop) last++;
    const count = last < ends.length ? last - head + 1 : 0;
    if (count <= this.maxFrames) {
      const out: number[] = [];
      for (let i = 0; i < count; i++) out.push(d.chunkFrame[head + i]);
      return out;
    }
    // the first half and the last (maxFrames - half) of the frames
    const half = this.maxFrames >> 1;
    const out: number[] = [];
    for (let i = 0; i < half; i++) out.push(d.chunkFrame[head + i]);
    const tail = this.maxFrames - half;
    for (let i = 0; i < tail; i++) out.push(d.chunkFrame[last - tail + 1 + i]);
    return out;
  }

  /**
   * A frame at buf[p] is plausible: sane size, a bulk message type, options that end exactly at the
   * frame's end, and the next frame header (when already buffered) sane too. 'wait' = need more octets
   * (the options buffered so far are consistent with the size).
   */
  private plausible(d: DirState, p: number): 'yes' | 'no' | 'wait' {
    const avail = d.end - p;
    if (avail < 3) return 'wait';
    const size = u16(d.buf, p);
    if (size < 4 || size > this.maxSize || this.types[d.buf[p + 2]] === 0) return 'no';
    const frameEnd = p + 2 + size;
    if (d.end < frameEnd) {
      // check the option headers already here: none may run past the frame
      let o = p + 6;
      while (o + 4 <= d.end && o < frameEnd) o += 4 + u16(d.buf, o + 2);
      return o > frameEnd ? 'no' : 'wait';
    }
    if (!optionsExact(d.buf, p + 6, frameEnd)) return 'no';
    if (d.end - frameEnd >= 3) {
      const next = u16(d.buf, frameEnd);
      if (next < 4 || next > this.maxSize || this.types[d.buf[frameEnd + 2]] === 0) return 'no';
    }
    return 'yes';
  }

  /** While a candidate waits for octets: the first later position that is plausible now, if any. */
  private laterCandidate(d: DirState): number | undefined {
    for (let p = d.start + 1; p + 3 <= d.end; p++) {
      const size = u16(d.buf, p);
      // cheap filters first: only complete frames can be accepted here
      if (size < 4 || p + 2 + size > d.end || this.types[d.buf[p + 2]] === 0) continue;
      if (this.plausible(d, p) === 'yes') return p;
    }
    return undefined;
  }

  private drain(st: ConnState, dir: TcpDirection, frame: number, time: number): void {
    const d = st.dirs[dir];
    const conn = st.conn;
    for (;;) {
      if (d.mode === 'tls') { // switched by a message just framed: the rest is TLS records
        this.consume(d, d.end - d.start);
        return;
      }
      if (d.mode === 'hunt') {
        let found = false;
        while (d.start < d.end) {
          const r = this.plausible(d, d.start);
          if (r === 'yes') { found = true; break; }
          // TLS records where a frame was sought: a connection whose STARTTLS (or its answer) the
          // capture missed, RFC 7653 §8.2. Two headers in a row, so noise rarely passes for them.
          const t = this.tlsRecords(d, d.start);
          if (t === 'yes') {
            this.toTls(st, dir, 'records', frame, time);
            return;
          }
          let step = 1;
          if (r === 'wait' || t === 'wait') {
            // an incomplete candidate must not block a complete frame further on
            const later = this.laterCandidate(d);
            if (later === undefined) return;
            step = later - d.start;
          }
          this.consume(d, step);
          d.skipped += step;
          if (d.skipped > this.scanLimit) {
            const a: Dhcpv6Anomaly = {
              name: 'dhcpv6.bulk.undecodable',
              message: `no plausible RFC 5460 frame in ${d.skipped} octets (bulk.resync-scan-limit ${this.scanLimit}); the rest of this direction is not decoded`,
            };
            d.mode = 'lost';
            this.consume(d, d.end - d.start);
            this.listener.desync(conn, dir, a, frame, time);
            return;
          }
        }
        if (!found) return;
        d.mode = 'sync';
        this.listener.resync(conn, dir, d.skipped, frame, time);
        d.skipped = 0;
      }
      // sync: buf[start] begins a frame (RFC 5460 §5.1)
      if (d.end - d.start < 2) return;
      if (st.tls !== TLS_NONE && dir === 0) {
        // After STARTTLS the requestor's next octets are a TLS handshake once the server accepted
        // (RFC 7653 §8.2); they may come before the capture shows the answer (a loss, or a requestor
        // that did not wait), or despite a refusal. No bulk frame starts like a TLS record (msg-type
        // 0..4 at its third octet).
        const t = tlsHeader(d.buf, d.start, d.end);
        if (t === 'wait') return;
        if (t === 'yes') {
          this.toTls(st, 0, 'records', frame, time);
          return;
        }
      }
      const size = u16(d.buf, d.start);
      if (size < 4 || size > this.maxSize) {
        this.listener.desync(conn, dir, {
          name: 'dhcpv6.bulk.bad_frame',
          message: size < 4
            ? `message-size ${size} cannot hold a msg-type and transaction-id (RFC 5460 §5.1)`
            : `message-size ${size} exceeds bulk.max-message-size ${this.maxSize}`,
        }, frame, time);
        d.mode = 'hunt';
        d.skipped = 0;
        continue;
      }
      if (d.end - d.start < 2 + size) return;
      // RFC 5460 §5.1: the message is the `size` octets after message-size, decoded where they lie
      const type = d.buf[d.start + 2];
      const message = this.codec.decodeMessageAt(d.buf, d.start + 2, d.start + 2 + size);
      d.shared = true;
      const frames = this.framesOf(d, 2 + size);
      this.consume(d, 2 + size);
      this.emit(conn, dir, message, frames, frame, time);
      if (type === STARTTLS || st.tls === TLS_ASKED) this.startTls(st, dir, message, frame, time);
    }
  }

  /**
   * RFC 7653 §8.2: a STARTTLS from the requestor asks for TLS; the server's next message answers it.
   * An accepting answer turns both directions into TLS records from the next octet on.
   */
  private startTls(st: ConnState, dir: TcpDirection, message: Dhcpv6Message, frame: number, time: number): void {
    if (dir === 0) {
      if (message.msgType === STARTTLS) st.tls = TLS_ASKED;
      return;
    }
    if (st.tls !== TLS_ASKED) return;
    st.tls = TLS_ANSWERED;
    if (!acceptsStartTls(message)) return;
    this.toTls(st, 1, 'starttls', frame, time);
    this.toTls(st, 0, 'starttls', frame, time);
  }

  /** From here on the direction carries TLS: its octets are dropped undecoded (and any part-message buffered). */
  private toTls(st: ConnState, dir: TcpDirection, how: 'starttls' | 'records', frame: number, time: number): void {
    const d = st.dirs[dir];
    if (d.mode === 'tls') return;
    d.mode = 'tls';
    this.consume(d, d.end - d.start);
    this.listener.tls?.(st.conn, dir, how, frame, time);
  }

  /**
   * Two TLS record headers in a row at buf[p] (the second right after the first record's octets):
   * 'wait' while they may still be, 'no' once they are not.
   */
  private tlsRecords(d: DirState, p: number): 'yes' | 'no' | 'wait' {
    const first = tlsHeader(d.buf, p, d.end);
    if (first !== 'yes') return first;
    return tlsHeader(d.buf, p + 5 + u16(d.buf, p + 3), d.end);
  }

  private emit(conn: TcpConnection, dir: TcpDirection, message: Dhcpv6Message, frames: number[], frame: number, time: number): void {
    const from = dir === 0 ? conn.client : conn.server;
    const to = dir === 0 ? conn.server : conn.client;
    const record: MessageRecord = {
      input: this.input,
      frame,
      frames: frames.length ? frames : [frame],
      time,
      transport: 'tcp',
      src: from.address,
      dst: to.address,
      srcPort: from.port,
      dstPort: to.port,
      // TcpStreamSink.data does not carry the IP hop limit; 0 means "not known" on TCP.
      hopLimit: 0,
      message,
      truncated: false, // the UDP record's shape (pipeline.ts); a cut TCP message carries anomalies instead
      connection: conn,
      direction: dir,
    };
    this.listener.message(record);
  }
}
