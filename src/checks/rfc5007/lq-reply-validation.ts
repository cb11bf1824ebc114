// LQ-REPLY-VALIDATION: a LEASEQUERY-REPLY names its server, echoes the requestor's Client-ID and
// carries the query's xid; and no relay passes a LEASEQUERY-REPLY upstream in a Relay-forward
// (RFC 5007 §4.2.2). The requestor's own discarding is not observable.
// A reply matching no open query is judged with what the capture shows of that requestor's queries:
// one it answers late (its transaction already closed) is no xid defect, and a requestor may have
// several queries outstanding (nothing in RFC 5007 §4.3 forbids it), so "another xid" is proven only
// when an open query was left without an answer from that server.
import type { Events } from '../../correlate/events.js';
import type { OrphanResponse, ServerResponse, UdpTransaction } from '../../correlate/client-events.js';
import type { Party, RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { freshCandidates, reportOrphan } from '../client-orphans.js';
import { unwrap } from '../../correlate/udp-message.js';
import { lqDiscardReason } from '../lq-common.js';

/** How long (s) a closed query still explains a reply with its xid, and how many are kept. */
const LATE_WINDOW = 120;
const MAX_CLOSED = 10000;
const MAX_PENDING = 1000;

interface Closed { xid: number; client: Party; frames: number[]; time: number }

/** An orphan reply waiting for the open queries of its requestor to end. */
interface Pending {
  o: OrphanResponse;
  /** The requestor's queries open (first transmission captured) when the reply came, oldest first. */
  open: OrphanResponse['candidates'];
  /** Those (xid|first frame) not yet ended. */
  waiting: Set<string>;
  /** The latest candidate that ended without an answer from this reply's server. */
  unanswered?: { xid: number; frame: number; time: number };
}

/** Sets `k` to `c`, moving a key seen again to the end, so the map stays in time order for pruning. */
function putLatest(map: Map<string, Closed>, k: string, c: Closed): void {
  map.delete(k);
  map.set(k, c);
}

function sameServer(a: Party, b: Party): boolean {
  if (a.duid !== undefined && b.duid !== undefined) return a.duid === b.duid;
  return a.address !== undefined && a.address === b.address;
}

export const lqReplyValidation: RuleModule<Events> = {
  create(ctx) {
    const reported = new Set<string>();
    // Recently closed queries by `xid|d|DUID` and `xid|a|address` (insertion order = close order).
    const closed = new Map<string, Closed>();
    let pending: Pending[] = [];

    const judgeIds = (r: ServerResponse, clientId: ServerResponse['clientId'], d: { frames: number[]; xid: number; client?: Party }): void => {
      let messageId: string | undefined;
      if (!r.hasServerId) messageId = 'no-server-id'; // RFC 5007 §4.2.2
      else if (clientId === 'mismatch') messageId = 'client-id-mismatch';
      else if (clientId === 'missing') messageId = 'client-id-missing';
      if (!messageId) return;
      ctx.report({ messageId, frames: d.frames, time: r.time, xid: d.xid, client: d.client, server: partyOf(r.server) });
    };

    /** Drops the closed queries too old to explain a reply at `now` (oldest first). */
    const prune = (now: number): void => {
      for (const [k, c] of closed) {
        if (now - c.time <= LATE_WINDOW) break;
        closed.delete(k);
      }
    };

    const remember = (tx: UdpTransaction): void => {
      // Pruned here too, not only when an orphan reply comes: otherwise a run with few orphans keeps
      // MAX_CLOSED entries whatever their age (measured: about 3 MB more peak RSS in the benchmark).
      prune(tx.endTime);
      const c: Closed = { xid: tx.xid, client: tx.client, frames: tx.requests[0].frames, time: tx.requests[tx.requests.length - 1].time };
      if (tx.client.duid !== undefined) putLatest(closed, `${tx.xid}|d|${tx.client.duid}`, c);
      if (tx.client.address !== undefined) putLatest(closed, `${tx.xid}|a|${tx.client.address}`, c);
      while (closed.size > MAX_CLOSED) closed.delete(closed.keys().next().value as string);
    };

    /** A captured, already closed query of this requestor with the reply's xid. */
    const closedQuery = (o: OrphanResponse): Closed | undefined => {
      prune(o.response.time);
      return (o.clientDuid !== undefined ? closed.get(`${o.xid}|d|${o.clientDuid}`) : undefined) ?? closed.get(`${o.xid}|a|${o.clientAddress}`);
    };

    // Without an unanswered open query, every one got its own answer from this server: the reply
    // answers one the capture missed (inconclusive).
    const decide = (p: Pending): void => reportOrphan(ctx, p.o, p.unanswered);

    /** Decides a reply whose open queries have not all ended: as it stands, the latest still open counting as unanswered. */
    const settle = (p: Pending): void => {
      for (let i = p.open.length - 1; i >= 0 && !p.unanswered; i--) {
        const x = p.open[i];
        if (p.waiting.has(`${x.xid}|${x.frame}`)) p.unanswered = { xid: x.xid, frame: x.frame, time: x.time };
      }
      decide(p);
    };

    return {
      'lq:transaction-end': (tx) => {
        for (const r of tx.responses) {
          if (lqDiscardReason(tx.requests[0].message, r.server.duid) !== undefined) continue; // LQ-SRV-DISCARD-INVALID: it should not exist
          judgeIds(r, r.clientId, { frames: framesOf(tx.requests[0], r), xid: tx.xid, client: partyOf(tx.client) });
        }
        remember(tx);
        if (pending.length === 0) return;
        const key = `${tx.xid}|${tx.requests[0].frame}`;
        const still: Pending[] = [];
        for (const p of pending) {
          if (p.waiting.delete(key) && !tx.responses.some((x) => sameServer(x.server, p.o.response.server))) {
            const t = tx.requests[0];
            if (!p.unanswered || t.time >= p.unanswered.time) p.unanswered = { xid: tx.xid, frame: t.frame, time: t.time };
          }
          if (p.waiting.size === 0) decide(p);
          else still.push(p);
        }
        pending = still;
      },
      'udp:orphan-response': (o) => {
        // A reply to a captured message of an unassigned type is V6-VAL-UNKNOWN-MSGTYPE's (one defect, one finding).
        if (o.response.message.msgType !== 15 || o.unknownType !== undefined) return;
        const r = o.response;
        const c = closedQuery(o);
        if (c) {
          // RFC 5007 §4.2.2: the xid is that of a captured query; a late answer (another server's, or
          // after the transaction closed) is judged for its ids only.
          const clientId = o.clientDuid === undefined ? (c.client.duid !== undefined ? 'missing' : 'none')
            : c.client.duid === undefined ? 'unexpected' : c.client.duid === o.clientDuid ? 'match' : 'mismatch';
          judgeIds(r, clientId, { frames: framesOf({ frames: c.frames }, r), xid: o.xid, client: partyOf(c.client) });
          return;
        }
        const open = freshCandidates(o);
        const p: Pending = { o, open, waiting: new Set(open.map((x) => `${x.xid}|${x.frame}`)) };
        if (p.waiting.size === 0) { decide(p); return; }
        if (pending.length >= MAX_PENDING) settle(pending.shift()!);
        pending.push(p);
      },
      'message:udp': (r) => {
        if (r.message.msgType !== 12) return;
        const { inner, relays } = unwrap(r.message);
        if (!inner || inner.msgType !== 15 || relays.some((h) => h.msgType !== 12)) return;
        const key = `${inner.xid}|${relays[relays.length - 1].peerAddress}`;
        if (reported.has(key)) return; // the same relayed reply seen again one hop further
        reported.add(key);
        if (reported.size > 10000) reported.clear();
        ctx.report({ messageId: 'relayed-reply', frames: r.frames, time: r.time, xid: inner.xid, client: { address: relays[relays.length - 1].peerAddress } });
      },
      // The hops of one reply are within one input: the next capture starts afresh. Queries still
      // awaited (none normally: the correlator closes every transaction first) are judged as they stand.
      'capture:end': () => {
        for (const p of pending) settle(p);
        pending = [];
        reported.clear();
        closed.clear();
      },
    };
  },
};
