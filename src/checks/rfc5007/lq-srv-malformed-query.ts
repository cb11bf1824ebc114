// LQ-SRV-MALFORMED-QUERY: a supported query type missing its required query-option is answered with
// MalformedQuery (RFC 5007 §4.1.2.1, §4.4.1). UDP; NotAllowed (a refused requestor) is accepted too.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { lqQueryOf, topStatus } from '../lq-common.js';

const REQUIRED: Record<number, number> = { 1: 5, 2: 1 };

export const lqSrvMalformedQuery: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        const q = lqQueryOf(tx.requests[0].message);
        if (!q || !q.wellFormed || q.type === undefined || REQUIRED[q.type] === undefined) return;
        if (q.queryOptions.some((o) => o.code === REQUIRED[q.type!])) return;
        for (const r of tx.responses) {
          const st = topStatus(r.message);
          if (st === 8 || st === 10) continue; // RFC 5007 §4.4.1 SHOULD MalformedQuery
          ctx.report({
            messageId: st === undefined ? 'no-status' : 'other-status', frames: framesOf(tx.requests[0], r), time: r.time,
            xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server), data: { status: st ?? 0, type: q.type },
          });
        }
      },
    };
  },
};
