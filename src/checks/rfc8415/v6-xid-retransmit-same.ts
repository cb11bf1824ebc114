// V6-XID-RETRANSMIT-SAME: a retransmission keeps the transaction-id (RFC 8415 §15, §16.1). Flags a
// client message with a new xid that continues an unanswered exchange: same type and IA/ORO content,
// Elapsed Time carrying on from the previous exchange's rather than restarting at 0.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import type { Transmission } from '../../correlate/client-events.js';
import { framesOf, partyOf } from '../client-common.js';
import { sameOctetsAt } from '../../dhcpv6/options/primitives.js';
import { OptionCursor } from '../../dhcpv6/helpers.js';

/**
 * Exchanges remembered (a client's latest of each message type); beyond it, the least recently active
 * clients are forgotten first.
 */
const MAX_EXCHANGES = 10000;

/** IA_NA, IA_TA, IA_PD and ORO: what a retransmission repeats. */
function isContent(code: number): boolean {
  return code === 3 || code === 4 || code === 25 || code === 6;
}

const cur = new OptionCursor();

/**
 * Writes the IA and ORO options of a message (code, option-len, body length, body, in wire order) into
 * `out` from its start when they fit, and returns their length either way.
 */
function contentInto(m: Dhcpv6Message, out: Uint8Array): number {
  let k = 0;
  cur.open(m);
  while (cur.next()) {
    const code = cur.code;
    if (!isContent(code)) continue;
    const b = cur.bytes;
    const s = cur.start;
    const d = cur.end - s;
    if (k + 6 + d <= out.length) {
      out[k] = code >> 8; out[k + 1] = code & 0xff; out[k + 2] = cur.length >> 8; out[k + 3] = cur.length & 0xff;
      out[k + 4] = d >> 8; out[k + 5] = d & 0xff;
      for (let i = 0; i < d; i++) out[k + 6 + i] = b[s + i];
    }
    k += 6 + d;
  }
  return k;
}

/** Where a message's content is written (grown when needed): compared from here, or copied into an entry. */
let scratch = new Uint8Array(256);

/** The content of `m` in scratch[0..n); returns n. */
function scratchContent(m: Dhcpv6Message): number {
  let n = contentInto(m, scratch);
  if (n > scratch.length) {
    scratch = new Uint8Array(n * 2);
    n = contentInto(m, scratch);
  }
  return n;
}

/**
 * What the rule keeps of a client's latest exchange of one message type: numbers and copied octets,
 * updated in place for each new exchange (a view into the capture would pin the reader's chunk, and a
 * new object per exchange would outlive the young generation).
 */
interface Last {
  msgType: number;
  xid: number;
  firstResponse: number;
  /** The exchange's last transmission: time, Elapsed Time (-1 when absent), frames, and its IA/ORO content. */
  time: number;
  elapsed: number;
  frames: number[];
  /**
   * content[0..contentLength): only copied when a later exchange could be compared with it: one
   * starting after `time` and before `firstResponse`, with `elapsed` known. Otherwise contentLength
   * is -1 (never compared).
   */
  content: Uint8Array;
  contentLength: number;
}

export const v6XidRetransmitSame: RuleModule<Events> = {
  create(ctx) {
    const slack = typeof ctx.options.slack === 'number' ? ctx.options.slack : 0.1;
    /** By client (its DUID text, else its address), least recently active first. */
    const previous = new Map<string, Last[]>();
    // A live iterator over `previous` yields its oldest entry: everything before its position was
    // evicted or moved to the end by a delete + set. Asking a fresh iterator each time would walk over
    // the deleted slots V8 leaves at the front of the table until it rehashes (thousands per call).
    let oldest = previous.keys();
    /** Entries over all clients (bounded by MAX_EXCHANGES). */
    let exchanges = 0;
    const evictOldest = (): void => {
      let k = oldest.next();
      if (k.done) { oldest = previous.keys(); k = oldest.next(); }
      if (k.done) return;
      exchanges -= previous.get(k.value)!.length;
      previous.delete(k.value);
    };
    return {
      'udp:transaction-end': (tx) => {
        const key = tx.client.duid ?? tx.client.address ?? '';
        let lasts = previous.get(key);
        if (lasts === undefined) {
          lasts = [];
          previous.set(key, lasts);
        } else {
          previous.delete(key); // most recently active last
          previous.set(key, lasts);
        }
        let prev: Last | undefined;
        for (let i = 0; i < lasts.length; i++) if (lasts[i].msgType === tx.msgType) { prev = lasts[i]; break; }
        const first = tx.requests[0];
        const last = tx.requests[tx.requests.length - 1];
        const firstResponse = tx.responses.length ? tx.responses[0].time : Infinity;
        // Judged before the entry is overwritten with this exchange: its xid and frames are the finding's.
        const finding = prev !== undefined && continues(prev, tx.xid, first);
        const oldXid = prev?.xid ?? 0;
        const oldFrames = prev?.frames ?? [];
        // Remember this exchange in place (the entry and its content buffer are reused).
        const comparable = last.elapsed !== undefined && firstResponse > last.time;
        if (prev === undefined) {
          prev = { msgType: tx.msgType, xid: 0, firstResponse: 0, time: 0, elapsed: -1, frames: [], content: NO_CONTENT, contentLength: -1 };
          lasts.push(prev);
          exchanges++;
          while (exchanges > MAX_EXCHANGES && previous.size > 1) evictOldest();
        }
        prev.xid = tx.xid;
        prev.firstResponse = firstResponse;
        prev.time = last.time;
        prev.elapsed = last.elapsed ?? -1;
        prev.frames = last.frames;
        prev.contentLength = -1;
        if (comparable) {
          const n = scratchContent(last.message);
          if (n > prev.content.length) prev.content = new Uint8Array(n);
          prev.content.set(scratch.subarray(0, n));
          prev.contentLength = n;
        }
        if (!finding) return;
        ctx.report({
          messageId: 'new-xid', frames: framesOf({ frames: oldFrames } as Transmission, first), time: first.time, xid: tx.xid,
          client: partyOf(tx.client), data: { old: oldXid, new: tx.xid, elapsed: first.elapsed! },
        });
      },
    };

    /** Whether exchange `xid` starting with `first` continues `prev` under a new xid (read before `prev` is updated). */
    function continues(prev: Last, xid: number, first: Transmission): boolean {
      if (prev.xid === xid || prev.time >= first.time || prev.firstResponse <= first.time) return false;
      if (first.elapsed === undefined || first.elapsed === 0 || first.elapsed === 0xffff || prev.elapsed < 0) return false;
      if (prev.contentLength < 0) return false;
      const n = scratchContent(first.message);
      if (n !== prev.contentLength || !sameOctetsAt(prev.content, 0, scratch, 0, n)) return false;
      // Elapsed Time continuity (RFC 8415 §21.9): a restarted exchange would begin again near 0.
      const expected = prev.elapsed / 100 + (first.time - prev.time);
      return Math.abs(first.elapsed / 100 - expected) <= slack + 0.05 * expected;
    }
  },
};

/** An empty content buffer (grown on first use). */
const NO_CONTENT = new Uint8Array(0);
