// LQ-SRV-MALFORMED-QUERY: a supported query type missing its required query-option is answered with
// MalformedQuery (RFC 5007 §4.1.2.1, §4.4.1). UDP. Other answers §4.4.1 allows are accepted too:
// NotAllowed (a refused requestor), UnknownQueryType (the server need not support every query type,
// and which it supports cannot be seen), and NotConfigured when the query names a link-address (the
// server may look for the link first and not find it).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { lqDiscardReason, lqQueryOf, topStatus } from '../lq-common.js';

const REQUIRED: Record<number, number> = { 1: 5, 2: 1 };

export const lqSrvMalformedQuery: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        const q = lqQueryOf(tx.requests[0].message);
        if (!q || !q.wellFormed || q.type === undefined || REQUIRED[q.type] === undefined) return;
        if (q.queryOptions.some((o) => o.code === REQUIRED[q.type!])) return;
        for (const r of tx.responses) {
          if (lqDiscardReason(tx.requests[0].message, r.server.duid) !== undefined) continue; // LQ-SRV-DISCARD-INVALID's
          const st = topStatus(r.message);
          if (st === 8 || st === 10 || st === 7) continue; // RFC 5007 §4.4.1 SHOULD MalformedQuery
          if (st === 9 && !q.linkUnspecified) continue; // §4.4.1: an unknown link SHOULD get NotConfigured
          ctx.report({
            messageId: st === undefined ? 'no-status' : 'other-status', frames: framesOf(tx.requests[0], r), time: r.time,
            xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server), data: { status: st ?? 0, type: q.type },
          });
        }
      },
    };
  },
};
