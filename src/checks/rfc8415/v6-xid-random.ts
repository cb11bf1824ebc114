// V6-XID-RANDOM: a client picks a hard-to-guess transaction-id for each new exchange (RFC 8415 §16.1,
// a SHOULD). Follows, per client interface and in capture order, the xids of the exchanges the client
// begins (first transmission with Elapsed Time 0), and reports once, at info level, a run of
// `min-exchanges` of them whose xids are all equal or step by one small constant (modulo 2^24).
import type { Events } from '../../correlate/events.js';
import { grown, KeySlots } from '../../correlate/seen.js';
import type { RuleModule } from '../../engine/types.js';
import { interfaceKey, partyOf } from '../client-common.js';

const NONE = -1;
/** Transaction-ids are 24 bits (RFC 8415 §8): steps are taken modulo 2^24. */
const XID_SPACE = 0x1000000;
/** REPLY: a server's answer that ends the exchange it answers (RFC 8415 §18.2.10). */
const REPLY = 7;

/** b − a modulo 2^24, as a signed step in [−2^23, 2^23): 0xffffff → 0x000000 is +1. */
function stepOf(a: number, b: number): number {
  const d = (b - a) & (XID_SPACE - 1);
  return d >= XID_SPACE / 2 ? d - XID_SPACE : d;
}

const hex = (xid: number): string => `0x${xid.toString(16).padStart(6, '0')}`;

/**
 * Each client interface's latest new exchange (xid, message type, whether a Reply answered it, frame,
 * time) in typed arrays, a slot per interface found by its key's fingerprint; and, for the few whose
 * latest xids step by a small amount, the run they form (its step, length and frames). Nothing per
 * client lives on the JavaScript heap.
 */
class Clients {
  /** A slot per client interface (its key's fingerprint, interfaceKey). */
  readonly slots = new KeySlots((n, from) => {
    this.xid = grown(this.xid, n);
    this.msgType = grown(this.msgType, n);
    this.answered = grown(this.answered, n);
    this.frame = grown(this.frame, n);
    this.time = grown(this.time, n);
    this.time.fill(NaN, from);
    this.run = grown(this.run, n);
  });
  xid = new Int32Array(0);
  msgType = new Uint8Array(0);
  /** A Reply answered the latest exchange (set when its transaction ends). */
  answered = new Uint8Array(0);
  frame = new Float64Array(0);
  time = new Float64Array(0);
  /** The run the latest exchange ends, or NONE. */
  run = new Int32Array(0);

  // Per run: its step, how many exchanges, whether reported, and the first `frameCap` frames.
  runStep = new Int32Array(0);
  runLength = new Int32Array(0);
  runReported = new Uint8Array(0);
  runFrames = new Float64Array(0);
  private freeRuns: number[] = [];

  constructor(private readonly frameCap: number) {}

  slotOf(key: Int32Array): number | undefined {
    return this.slots.find(key);
  }

  add(key: Int32Array): number {
    const s = this.slots.add(key);
    this.run[s] = NONE;
    return s;
  }

  release(s: number): void {
    this.endRun(s);
    this.time[s] = NaN; // marks the slot free for the sweeps
    this.slots.release(s);
  }

  /** Forgets every client whose latest new exchange is older than `before` (or as old, `inclusive`); returns how many. */
  expire(before: number, inclusive: boolean): number {
    let n = 0;
    const time = this.time;
    for (let s = 0; s < time.length; s++) {
      if (time[s] < before || (inclusive && time[s] === before)) {
        this.release(s);
        n++;
      }
    }
    return n;
  }

  /** Forgets the least recently active half (or more, on equal times). */
  halve(): void {
    const times = new Float64Array(this.slots.used);
    let k = 0;
    for (let s = 0; s < this.time.length; s++) if (!Number.isNaN(this.time[s])) times[k++] = this.time[s];
    times.sort();
    if (this.expire(times[k >> 1], false) === 0) this.expire(times[k >> 1], true);
  }

  /** Starts a run at slot `s`: its latest exchange (still in the slot) and the step to the next. */
  startRun(s: number, step: number): number {
    if (this.freeRuns.length === 0) this.growRuns();
    const r = this.freeRuns.pop()!;
    this.runStep[r] = step;
    this.runLength[r] = 1;
    this.runReported[r] = 0;
    this.runFrames[r * this.frameCap] = this.frame[s];
    this.run[s] = r;
    return r;
  }

  /** Adds an exchange to run `r`. */
  extend(r: number, frame: number): void {
    const n = this.runLength[r]++;
    if (n < this.frameCap) this.runFrames[r * this.frameCap + n] = frame;
  }

  framesOf(r: number): number[] {
    const n = Math.min(this.runLength[r], this.frameCap);
    return Array.from(this.runFrames.subarray(r * this.frameCap, r * this.frameCap + n));
  }

  endRun(s: number): void {
    if (this.run[s] === NONE) return;
    this.freeRuns.push(this.run[s]);
    this.run[s] = NONE;
  }

  /** Forgets every client (end of an input); the arrays are kept for the next. */
  clear(): void {
    this.slots.clear();
    this.time.fill(NaN);
    this.freeRuns = [];
    for (let r = this.runStep.length - 1; r >= 0; r--) this.freeRuns.push(r);
  }

  private growRuns(): void {
    const from = this.runStep.length;
    const n = Math.max(16, from * 2);
    this.runStep = grown(this.runStep, n);
    this.runLength = grown(this.runLength, n);
    this.runReported = grown(this.runReported, n);
    this.runFrames = grown(this.runFrames, n * this.frameCap);
    for (let r = n - 1; r >= from; r--) this.freeRuns.push(r);
  }
}

/** What judge() made of a new exchange. */
const COUNTED = 0;
const REPORT = 1;
const ASIDE = 2;

export const v6XidRandom: RuleModule<Events> = {
  create(ctx) {
    const minExchanges = ctx.options['min-exchanges'] as number;
    const maxStep = ctx.options['max-step'] as number;
    const maxGap = ctx.options['max-gap'] as number;
    const cap = ctx.options['max-tracked'] as number;
    const c = new Clients(minExchanges);
    const key = new Int32Array(2);
    let now = -Infinity;
    let lastSweep = -Infinity;
    let limitReported = false;
    return {
      'udp:request': ({ tx, request: t, index }) => {
        // A new exchange: the first transmission of its transaction, with Elapsed Time 0 (RFC 8415
        // §21.9). A transaction first seen with a later Elapsed Time (the capture began mid-exchange, a
        // retransmission after the correlator's idle timeout, or a retransmission under a new xid, which
        // is V6-XID-RETRANSMIT-SAME's) or without one is not a new exchange the capture can vouch for.
        if (index !== 0 || t.elapsed !== 0) return;
        if (t.time > now) now = t.time;
        if (now - lastSweep >= maxGap / 8) {
          lastSweep = now;
          c.expire(now - maxGap, false);
        }
        interfaceKey(tx, t, key);
        const xid = tx.xid;
        let s = c.slotOf(key);
        if (s === undefined) {
          if (c.slots.used >= cap) {
            c.expire(now - maxGap, false);
            // Still mostly within max-gap: the oldest half go (and may have ended a run unseen).
            if (c.slots.used > (cap * 3) / 4) {
              c.halve();
              if (!limitReported) {
                limitReported = true;
                ctx.report({ messageId: 'limit', verdict: 'inconclusive', data: { max: cap, gap: maxGap }, frames: [t.frame], time: t.time, client: partyOf(tx.client) });
              }
            }
          }
          s = c.add(key);
        } else if (t.time - c.time[s] > maxGap) {
          c.endRun(s); // a long silence: the client may have restarted, so its run starts afresh
        } else {
          const verdict = judge(s, xid, tx.msgType, t.frame);
          if (verdict === ASIDE) {
            c.time[s] = t.time; // still active; the latest exchange stays the one it repeats
            return;
          }
          if (verdict === REPORT) {
            const r = c.run[s];
            const step = c.runStep[r];
            const frames = c.framesOf(r);
            ctx.report({
              messageId: step === 0 ? 'constant' : 'sequential', frames, time: t.time, xid, client: partyOf(tx.client),
              data: { count: frames.length, first: hex((xid - step * (frames.length - 1)) & (XID_SPACE - 1)), last: hex(xid), step },
            }); // RFC 8415 §16.1
          }
        }
        // A counted repeat keeps the frame of the exchange it repeats: a run that starts from it later
        // shows the first transmission of that xid (not, say, a skewed capture point's copy).
        if (c.xid[s] !== xid || c.msgType[s] !== tx.msgType || c.run[s] === NONE) c.frame[s] = t.frame;
        c.xid[s] = xid;
        c.msgType[s] = tx.msgType;
        c.answered[s] = 0;
        c.time[s] = t.time;
      },
      'udp:transaction-end': (tx) => {
        // Whether a Reply answered the client's latest exchange (or the latest transaction of its type
        // and xid): only then is a later one of the same type and xid a new exchange (see judge).
        interfaceKey(tx, tx.requests[0], key);
        const s = c.slotOf(key);
        if (s === undefined || c.xid[s] !== tx.xid || c.msgType[s] !== tx.msgType) return;
        let replied = 0;
        for (let i = 0; i < tx.responses.length; i++) if (tx.responses[i].message.msgType === REPLY) replied = 1;
        c.answered[s] = replied;
      },
      'capture:end': () => {
        c.clear();
        now = -Infinity;
        lastSweep = -Infinity;
        limitReported = false;
      },
    };

    /**
     * Puts the new exchange (xid, type) into client `s`'s run (the slot still holds the exchange before
     * it): REPORT when the run has just reached `min-exchanges`, else COUNTED; ASIDE for a repeat (the
     * same type and xid as the latest exchange) unless a Reply ended that exchange and no run of another
     * step is going on, for a transaction the correlator opened again after its idle timeout (a
     * retransmission whose Elapsed Time the client did not update), or a copy from a second capture
     * point whose clock is skewed beyond the copy window, looks just like it.
     */
    function judge(s: number, xid: number, type: number, frame: number): number {
      let r = c.run[s];
      if (xid === c.xid[s] && type === c.msgType[s] && (c.answered[s] === 0 || (r !== NONE && c.runStep[r] !== 0))) return ASIDE;
      const step = stepOf(c.xid[s], xid);
      if (r !== NONE && c.runStep[r] !== step) {
        c.endRun(s);
        r = NONE;
      }
      if (r === NONE) {
        if (Math.abs(step) > maxStep) return COUNTED;
        r = c.startRun(s, step);
      }
      c.extend(r, frame);
      if (c.runLength[r] < minExchanges || c.runReported[r] !== 0) return COUNTED;
      c.runReported[r] = 1;
      return REPORT;
    }
  },
};
