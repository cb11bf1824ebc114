// V6-RTX-RATE-LIMIT: a client limits the rate of the DHCP messages it transmits or retransmits, per
// interface (RFC 8415 §14.1; "20 packets in 20 seconds" is the RFC's example default). Counted in capture
// order on the correlator's udp:request and udp:unknown-request events (one per transmission, copies
// already merged): more than `max-messages` from one client interface within `window` seconds is one
// finding per burst. Messages of unassigned types count too: §14.1 limits every DHCP message a client
// transmits, and a client looping on a type no server knows floods the link as much as any other.
import type { Transmission } from '../../correlate/client-events.js';
import type { Party } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { grown, KeySlots } from '../../correlate/seen.js';
import type { RuleModule } from '../../engine/types.js';
import { interfaceKey, partyOf } from '../client-common.js';

const NONE = -1;

/** Elapsed Time as kept in a signature when absent (values are 0..0xffff). */
const NO_ELAPSED = 0x1ffff;

/**
 * A transmission's type and Elapsed Time in one number: a copy has both (and the xid) of the
 * transmission it copies, a retransmission a later Elapsed Time (RFC 8415 §15, §21.9).
 */
function signature(t: Transmission): number {
  return t.message.msgType * 0x20000 + (t.elapsed ?? NO_ELAPSED);
}

/** Transmissions by ring index: time, first frame, interface slot, previous of the slot, xid, signature. */
interface Ring {
  time: Float64Array;
  frame: Float64Array;
  slot: Int32Array;
  /** Sequence number of the same interface's previous transmission (NONE: none). */
  prev: Float64Array;
  xid: Int32Array;
  sig: Int32Array;
}

function ring(n: number): Ring {
  return {
    time: new Float64Array(n), frame: new Float64Array(n), slot: new Int32Array(n), prev: new Float64Array(n),
    xid: new Int32Array(n), sig: new Int32Array(n),
  };
}

/**
 * The transmissions of the last `window` seconds, oldest first, in a ring of typed arrays indexed by
 * sequence number (seq & mask), each linked to the previous one of its client interface; and the
 * interfaces that have some, each with its count. Nothing per transmission lives on the JavaScript heap.
 */
class Window {
  head = 0;
  tail = 0;
  private mask = 1023;
  private r = ring(1024);

  // Per interface slot (its key's fingerprint, interfaceKey).
  private readonly slots = new KeySlots((n) => {
    this.count = grown(this.count, n);
    this.last = grown(this.last, n);
    this.burst = grown(this.burst, n);
  });
  count = new Int32Array(0);
  /** Sequence number of its latest transmission. */
  last = new Float64Array(0);
  /** In a burst already reported: no new finding until its count falls back to max-messages. */
  burst = new Uint8Array(0);

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.tail - this.head;
  }

  /** The slot of an interface (its key's fingerprint), added when new. */
  slotOf(key: Int32Array): number {
    const known = this.slots.find(key);
    if (known !== undefined) return known;
    const s = this.slots.add(key);
    this.count[s] = 0;
    this.last[s] = NONE;
    this.burst[s] = 0;
    return s;
  }

  /** Whether the interface's transmissions in the window include one with this xid and signature. */
  holds(s: number, xid: number, sig: number, steps: number): boolean {
    for (let q = this.last[s]; q >= this.head && steps > 0; steps--) {
      const i = q & this.mask;
      if (this.r.xid[i] === xid && this.r.sig[i] === sig) return true;
      q = this.r.prev[i];
    }
    return false;
  }

  push(s: number, time: number, frame: number, xid: number, sig: number): void {
    if (this.tail - this.head > this.mask) this.grow();
    const q = this.tail++;
    const i = q & this.mask;
    this.r.time[i] = time;
    this.r.frame[i] = frame;
    this.r.slot[i] = s;
    this.r.prev[i] = this.count[s] !== 0 ? this.last[s] : NONE;
    this.r.xid[i] = xid;
    this.r.sig[i] = sig;
    this.last[s] = q;
    this.count[s]++;
  }

  /** Drops the oldest transmission; its interface goes when it has no other left. */
  shift(): void {
    const i = this.head++ & this.mask;
    const s = this.r.slot[i];
    if (--this.count[s] !== 0) return;
    this.slots.release(s);
  }

  oldestTime(): number {
    return this.r.time[this.head & this.mask];
  }

  /** Frames and times of the interface's transmissions in the window, newest first, at most `n`. */
  recent(s: number, n: number): { frames: number[]; first: number; firstTime: number; lastTime: number } {
    const frames: number[] = [];
    let firstTime = 0;
    const lastTime = this.r.time[this.last[s] & this.mask];
    for (let q = this.last[s]; q >= this.head && frames.length < n; ) {
      const i = q & this.mask;
      frames.push(this.r.frame[i]);
      firstTime = this.r.time[i];
      q = this.r.prev[i];
    }
    frames.reverse();
    return { frames, first: frames[0], firstTime, lastTime };
  }

  clear(): void {
    while (this.size !== 0) this.shift();
    this.head = 0;
    this.tail = 0;
  }

  /** Doubles the ring (up to the first power of two at or above the cap), keeping sequence numbers. */
  private grow(): void {
    const n = (this.mask + 1) * 2;
    const old = this.r;
    const r = ring(n);
    for (let q = this.head; q < this.tail; q++) {
      const i = q & this.mask;
      const j = q & (n - 1);
      r.time[j] = old.time[i];
      r.frame[j] = old.frame[i];
      r.slot[j] = old.slot[i];
      r.prev[j] = old.prev[i];
      r.xid[j] = old.xid[i];
      r.sig[j] = old.sig[i];
    }
    this.r = r;
    this.mask = n - 1;
  }

  /** Whether the ring is at the cap. */
  full(): boolean {
    return this.size >= this.cap;
  }
}

export const v6RtxRateLimit: RuleModule<Events> = {
  create(ctx) {
    const window = ctx.options.window as number;
    const max = ctx.options['max-messages'] as number;
    const cap = ctx.options['max-tracked'] as number;
    const w = new Window(cap);
    const key = new Int32Array(2);
    let now = -Infinity;
    let limitReported = false;
    /** One transmission `t` of the client `tx` (a transaction, or a message of an unassigned type) under `xid`. */
    const count = (tx: { readonly client: Party }, t: Transmission, xid: number): void => {
      if (t.time > now) now = t.time;
      while (w.size !== 0 && now - w.oldestTime() >= window) w.shift();
      if (w.full()) {
        w.shift();
        if (!limitReported) {
          limitReported = true;
          ctx.report({ messageId: 'limit', verdict: 'inconclusive', data: { max: cap, window }, frames: [t.frame], time: t.time, client: partyOf(tx.client) });
        }
      }
      interfaceKey(tx, t, key);
      const s = w.slotOf(key);
      const sig = signature(t);
      // A copy the correlator kept apart (another capture point, clocks skewed beyond its copy window).
      if (t.elapsed !== undefined && w.holds(s, xid, sig, max + 1)) return;
      w.push(s, t.time, t.frame, xid, sig);
      if (w.count[s] <= max) {
        w.burst[s] = 0;
        return;
      }
      if (w.burst[s] !== 0) return;
      w.burst[s] = 1;
      const r = w.recent(s, max + 1);
      ctx.report({
        messageId: 'burst', frames: r.frames, time: t.time, client: partyOf(tx.client),
        data: { count: r.frames.length, span: Math.round((r.lastTime - r.firstTime) * 10) / 10, max, window, first: r.first },
      }); // RFC 8415 §14.1
    };
    return {
      'udp:request': ({ tx, request: t }) => count(tx, t, tx.xid),
      'udp:unknown-request': ({ x, request: t }) => count(x, t, x.xid),
      'capture:end': () => {
        w.clear();
        now = -Infinity;
        limitReported = false;
      },
    };
  },
};
