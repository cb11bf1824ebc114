// IPv6 (RFC 8200 §4.5) and IPv4 (RFC 791 §3.2) fragment reassembly, keyed by source, destination and
// identification (plus protocol for IPv4), with a timeout, a memory cap and a fragment-count cap.
// Overlapping fragments with different octets discard the datagram (RFC 5722 §4 for IPv6).

import type { FrameClass } from './types.js';

/** Limits of the reassembler (see NET_DEFAULTS for the config keys). */
export interface FragmentLimits {
  /** `ip.frag-timeout`: seconds of capture time a datagram may wait for its fragments. */
  timeout: number;
  /** `ip.frag-memcap`: octets held over all datagrams in reassembly. */
  memcap: number;
  /** `ip.frag-max-fragments`: fragments one datagram may have. */
  maxFragments: number;
}

/** A datagram made whole again. */
export interface Reassembled {
  /** IPv6: the fragmentable part (extension headers, then the upper layer); IPv4: the payload. */
  data: Uint8Array;
  /** IPv6: next header of the offset-0 fragment; IPv4: the protocol field. */
  protocol: number;
  /** Hop limit / TTL of the offset-0 fragment. */
  hopLimit: number;
  /** Every frame that carried a fragment, ascending. */
  frames: number[];
}

export interface FragmentEvents {
  anomaly(name: string, message: string, frames: number[], time: number): void;
  classify(frame: number, cls: FrameClass): void;
}

interface Piece { off: number; data: Uint8Array }

interface Entry {
  version: 4 | 6;
  frames: number[];
  pieces: Piece[];
  /** Total length once the last fragment is seen, else -1. */
  total: number;
  held: number;
  firstTime: number;
  hopLimit: number;
  protocol: number;
  /** Set once the datagram was given up: later fragments are classified this way at once. */
  discarded: FrameClass | null;
}

/** Per-datagram bookkeeping counted against the memcap besides the octets themselves. */
const ENTRY_OVERHEAD = 128;
const PIECE_OVERHEAD = 32;

export class FragmentReassembler {
  private readonly table = new Map<string, Entry>();
  private held = 0;

  constructor(private readonly limits: FragmentLimits, private readonly events: FragmentEvents) {}

  /** Octets currently held (for tests). */
  get heldBytes(): number { return this.held; }
  /** Datagrams in reassembly or remembered as discarded. */
  get size(): number { return this.table.size; }

  /**
   * Adds one fragment (`bytes` is copied). Returns the whole datagram when this fragment completes it;
   * null when the frame is held, or was classified here (malformed / dropped).
   */
  add(
    key: string, version: 4 | 6, frame: number, time: number, fragOffset: number, more: boolean,
    bytes: Uint8Array, protocol: number, hopLimit: number,
  ): Reassembled | null {
    const p = version === 6 ? 'ipv6' : 'ipv4';
    const len = bytes.length;
    // RFC 8200 §4.5: every fragment but the last carries a multiple of 8 octets.
    if (more && len % 8 !== 0) {
      this.events.anomaly(`${p}.frag.bad_length`, `a non-last fragment carries ${len} octets, not a multiple of 8`, [frame], time);
      this.events.classify(frame, 'malformed');
      return null;
    }
    if (fragOffset + len > 65535) {
      this.events.anomaly(`${p}.frag.too_big`, `fragment ends at octet ${fragOffset + len}, past the 65535 limit`, [frame], time);
      this.events.classify(frame, 'malformed');
      return null;
    }
    let e = this.table.get(key);
    if (e && e.discarded) {
      this.events.classify(frame, e.discarded);
      return null;
    }
    if (!e) {
      e = { version, frames: [], pieces: [], total: -1, held: ENTRY_OVERHEAD, firstTime: time, hopLimit, protocol, discarded: null };
      this.table.set(key, e);
      this.held += ENTRY_OVERHEAD;
    }
    e.frames.push(frame);
    if (fragOffset === 0) { e.hopLimit = hopLimit; e.protocol = protocol; }
    if (e.frames.length > this.limits.maxFragments) {
      this.events.anomaly('limit.frag_max_fragments', `a datagram has more than ${this.limits.maxFragments} fragments (ip.frag-max-fragments)`, e.frames.slice(), time);
      this.discard(e, 'dropped');
      return null;
    }
    const end = fragOffset + len;
    if (!more) {
      if ((e.total >= 0 && e.total !== end) || this.maxEnd(e) > end) {
        this.events.anomaly(`${p}.frag.inconsistent`, `fragments disagree on the datagram length`, e.frames.slice(), time);
        this.discard(e, 'malformed');
        return null;
      }
      e.total = end;
    } else if (e.total >= 0 && end > e.total) {
      this.events.anomaly(`${p}.frag.inconsistent`, `a fragment ends at ${end}, past the last fragment's end ${e.total}`, e.frames.slice(), time);
      this.discard(e, 'malformed');
      return null;
    }
    // Overlap: identical octets (a resend) are fine; different octets discard the datagram.
    const pieces = e.pieces;
    let cur = fragOffset;
    const fresh: Piece[] = [];
    for (let i = 0; i < pieces.length && cur < end; i++) {
      const q = pieces[i];
      const qEnd = q.off + q.data.length;
      if (qEnd <= cur) continue;
      if (q.off >= end) break;
      if (q.off > cur) fresh.push({ off: cur, data: bytes.subarray(cur - fragOffset, q.off - fragOffset) });
      const from = Math.max(cur, q.off);
      const to = Math.min(end, qEnd);
      for (let k = from; k < to; k++) {
        if (bytes[k - fragOffset] !== q.data[k - q.off]) {
          // RFC 5722 §4: overlapping fragments make the whole datagram (and later fragments) discarded.
          this.events.anomaly(`${p}.frag.overlap`, `fragments overlap at octet ${k} with different contents`, e.frames.slice(), time);
          this.discard(e, 'malformed');
          return null;
        }
      }
      cur = Math.max(cur, qEnd);
    }
    if (cur < end) fresh.push({ off: cur, data: bytes.subarray(cur - fragOffset) });
    let add = 0;
    for (const f of fresh) add += f.data.length + PIECE_OVERHEAD;
    if (this.held + add > this.limits.memcap) {
      this.events.anomaly('limit.frag_memcap', `fragment reassembly would hold more than ${this.limits.memcap} octets (ip.frag-memcap)`, e.frames.slice(), time);
      this.discard(e, 'dropped');
      return null;
    }
    for (const f of fresh) {
      const piece = { off: f.off, data: f.data.slice() };
      let at = pieces.length;
      while (at > 0 && pieces[at - 1].off > piece.off) at--;
      pieces.splice(at, 0, piece);
    }
    e.held += add;
    this.held += add;
    if (e.total < 0) return null;
    // Complete when the pieces cover [0, total) without a hole.
    let covered = 0;
    for (const q of pieces) {
      if (q.off > covered) return null;
      covered = Math.max(covered, q.off + q.data.length);
    }
    if (covered < e.total) return null;
    const data = new Uint8Array(e.total);
    for (const q of pieces) data.set(q.data, q.off);
    this.table.delete(key);
    this.held -= e.held;
    const frames = e.frames.slice().sort((a, b) => a - b);
    return { data, protocol: e.protocol, hopLimit: e.hopLimit, frames };
  }

  /** Gives up datagrams older than the timeout (`ip.frag.timeout`; their frames are dropped). */
  sweep(now: number): void {
    for (const [key, e] of this.table) {
      if (now - e.firstTime <= this.limits.timeout) continue;
      if (!e.discarded) {
        this.events.anomaly('ip.frag.timeout', `fragments of a datagram did not complete within ${this.limits.timeout} s (ip.frag-timeout)`, e.frames.slice(), now);
        for (const f of e.frames) this.events.classify(f, 'dropped');
      }
      this.held -= e.held;
      this.table.delete(key);
    }
  }

  /** End of input: datagrams still incomplete are reported and their frames dropped. */
  finish(time: number): void {
    for (const e of this.table.values()) {
      if (e.discarded) continue;
      this.events.anomaly('ip.frag.incomplete', 'the capture ended before all fragments of a datagram were seen', e.frames.slice(), time);
      for (const f of e.frames) this.events.classify(f, 'dropped');
    }
    this.table.clear();
    this.held = 0;
  }

  private maxEnd(e: Entry): number {
    let m = 0;
    for (const q of e.pieces) m = Math.max(m, q.off + q.data.length);
    return m;
  }

  /** Classifies every held frame, frees the octets and keeps a tombstone until the timeout. */
  private discard(e: Entry, cls: FrameClass): void {
    for (const f of e.frames) this.events.classify(f, cls);
    this.held -= e.held - ENTRY_OVERHEAD;
    e.held = ENTRY_OVERHEAD;
    e.pieces = [];
    e.frames = [];
    e.discarded = cls;
  }
}
