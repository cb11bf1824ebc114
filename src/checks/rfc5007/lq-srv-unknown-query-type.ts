// LQ-SRV-UNKNOWN-QUERY-TYPE: a query type the server does not implement gets UnknownQueryType
// (RFC 5007 §4.1.2.1, §4.4.1). UDP; types 3-5 are BLQ-QT-NOT-OVER-UDP-SERVER's; NotAllowed is accepted,
// and so is MalformedQuery when the LQ_QUERY itself is malformed (§4.1.3: the query is not valid).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { lqDiscardReason, lqQueryOf, topStatus } from '../lq-common.js';

export const lqSrvUnknownQueryType: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        const q = lqQueryOf(tx.requests[0].message);
        if (!q || q.type === undefined || (q.type >= 1 && q.type <= 5)) return;
        for (const r of tx.responses) {
          if (lqDiscardReason(tx.requests[0].message, r.server.duid) !== undefined) continue; // LQ-SRV-DISCARD-INVALID's
          const st = topStatus(r.message);
          if (st === 7 || st === 10) continue; // RFC 5007 §4.4.1 SHOULD UnknownQueryType
          if (st === 8 && !q.wellFormed) continue; // LQ-QUERY-STRUCTURE's defect, rightly refused
          const data = r.message.options.some((o) => o.code === 45 || o.code === 48);
          ctx.report({
            messageId: data ? 'answered-with-data' : 'other-status', frames: framesOf(tx.requests[0], r), time: r.time,
            xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server), data: { type: q.type, status: st ?? 0 },
          });
        }
      },
    };
  },
};
