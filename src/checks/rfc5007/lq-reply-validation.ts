// LQ-REPLY-VALIDATION: a LEASEQUERY-REPLY names its server, echoes the requestor's Client-ID and
// carries the query's xid; and no relay passes a LEASEQUERY-REPLY upstream in a Relay-forward
// (RFC 5007 §4.2.2). The requestor's own discarding is not observable.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { judgeOrphan } from '../client-orphans.js';
import { unwrap } from '../../correlate/udp-message.js';

export const lqReplyValidation: RuleModule<Events> = {
  create(ctx) {
    const reported = new Set<string>();
    return {
      'lq:transaction-end': (tx) => {
        for (const r of tx.responses) {
          let messageId: string | undefined;
          if (!r.hasServerId) messageId = 'no-server-id'; // RFC 5007 §4.2.2
          else if (r.clientId === 'mismatch') messageId = 'client-id-mismatch';
          else if (r.clientId === 'missing') messageId = 'client-id-missing';
          if (!messageId) continue;
          ctx.report({ messageId, frames: framesOf(tx.requests[0], r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server) });
        }
      },
      'udp:orphan-response': (o) => { if (o.response.message.msgType === 15) judgeOrphan(ctx, o); },
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
      // The hops of one reply are within one input: the next capture starts afresh.
      'capture:end': () => reported.clear(),
    };
  },
};
