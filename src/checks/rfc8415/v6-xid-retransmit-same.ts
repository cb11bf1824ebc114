// V6-XID-RETRANSMIT-SAME: a retransmission keeps the transaction-id (RFC 8415 §15, §16.1). Flags a
// client message with a new xid that continues an unanswered exchange: same type and IA/ORO content,
// Elapsed Time carrying on from the previous exchange's rather than restarting at 0.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import type { Transmission } from '../../correlate/client-events.js';
import { framesOf, partyOf } from '../client-common.js';
import { sameBytes } from '../../dhcpv6/options/primitives.js';
import { OptionCursor } from '../../dhcpv6/helpers.js';

const MAX_CLIENTS = 10000;

/** IA_NA, IA_TA, IA_PD and ORO: what a retransmission repeats. */
function isContent(code: number): boolean {
  return code === 3 || code === 4 || code === 25 || code === 6;
}

const cur = new OptionCursor();

/**
 * The IA and ORO options of a message (code, option-len, body length, body), copied into one small array: the rule
 * remembers up to MAX_CLIENTS of them, and a view into the capture would pin the reader's chunk.
 */
function contentOf(m: Dhcpv6Message): Uint8Array {
  let n = 0;
  cur.open(m);
  while (cur.next()) if (isContent(cur.code)) n += 6 + cur.end - cur.start;
  const out = new Uint8Array(n);
  let k = 0;
  cur.open(m);
  while (cur.next()) {
    const code = cur.code;
    if (!isContent(code)) continue;
    const b = cur.bytes;
    const s = cur.start;
    const d = cur.end - s;
    out[k] = code >> 8; out[k + 1] = code & 0xff; out[k + 2] = cur.length >> 8; out[k + 3] = cur.length & 0xff;
    out[k + 4] = d >> 8; out[k + 5] = d & 0xff;
    for (let i = 0; i < d; i++) out[k + 6 + i] = b[s + i];
    k += 6 + d;
  }
  return out;
}

/** The content of an exchange no later one can be compared with (see `Last.content`). */
const NO_CONTENT = new Uint8Array(0);

/** What the rule keeps of a client's latest exchange: numbers and copied bytes only. */
interface Last {
  xid: number;
  firstResponse: number;
  /** The exchange's last transmission: time, Elapsed Time, frames, and its IA/ORO content. */
  time: number;
  elapsed: number | undefined;
  frames: number[];
  /**
   * Only copied when a later exchange could be compared with it: one starting after `time` and before
   * `firstResponse`, with `elapsed` known. Otherwise NO_CONTENT (never compared).
   */
  content: Uint8Array;
}

export const v6XidRetransmitSame: RuleModule<Events> = {
  create(ctx) {
    const slack = typeof ctx.options.slack === 'number' ? ctx.options.slack : 0.1;
    const previous = new Map<string, Last>();
    // A live iterator over `previous` yields its oldest entry: everything before its position was
    // evicted or moved to the end by a delete + set. Asking a fresh iterator each time would walk over
    // the deleted slots V8 leaves at the front of the table until it rehashes (thousands per call).
    let oldest = previous.keys();
    const evictOldest = (): void => {
      let k = oldest.next();
      if (k.done) { oldest = previous.keys(); k = oldest.next(); }
      if (!k.done) previous.delete(k.value);
    };
    return {
      'udp:transaction-end': (tx) => {
        const key = `${tx.client.duid ?? tx.client.address}|${tx.msgType}`;
        const prev = previous.get(key);
        const first = tx.requests[0];
        const last = tx.requests[tx.requests.length - 1];
        const firstResponse = tx.responses.length ? tx.responses[0].time : Infinity;
        const comparable = last.elapsed !== undefined && firstResponse > last.time;
        previous.delete(key);
        previous.set(key, {
          xid: tx.xid, firstResponse, time: last.time, elapsed: last.elapsed, frames: last.frames,
          content: comparable ? contentOf(last.message) : NO_CONTENT,
        });
        if (previous.size > MAX_CLIENTS) evictOldest();
        if (!prev || prev.xid === tx.xid || prev.time >= first.time || prev.firstResponse <= first.time) return;
        if (first.elapsed === undefined || first.elapsed === 0 || first.elapsed === 0xffff || prev.elapsed === undefined) return;
        if (!sameBytes(prev.content, contentOf(first.message))) return;
        // Elapsed Time continuity (RFC 8415 §21.9): a restarted exchange would begin again near 0.
        const expected = prev.elapsed / 100 + (first.time - prev.time);
        if (Math.abs(first.elapsed / 100 - expected) > slack + 0.05 * expected) return;
        ctx.report({
          messageId: 'new-xid', frames: framesOf({ frames: prev.frames } as Transmission, first), time: first.time, xid: tx.xid,
          client: partyOf(tx.client), data: { old: prev.xid, new: tx.xid, elapsed: first.elapsed },
        });
      },
    };
  },
};
