// LQ-CLIENT-LINK-MULTI: a UDP LEASEQUERY-REPLY lists a client's several links in OPTION_LQ_CLIENT_LINK
// and then carries no OPTION_CLIENT_DATA; the option is a list of 16-octet addresses, meant for
// client-id queries with an unspecified link (RFC 5007 §4.4.1, §4.1.2.5). Bulk is BLQ-NO-CLIENT-LINK's.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { lqQueryOf } from '../lq-common.js';

export const lqClientLinkMulti: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        const q = lqQueryOf(tx.requests[0].message);
        for (const r of tx.responses) {
          const link = r.message.options.find((o) => o.code === 48);
          if (!link) continue;
          let messageId: string;
          if (r.message.options.some((o) => o.code === 45)) messageId = 'both'; // RFC 5007 §4.4.1 MUST NOT
          else if (link.length % 16 !== 0) messageId = 'bad-length';
          else if (q && (q.type !== 2 || !q.linkUnspecified)) messageId = 'unexpected';
          else continue;
          ctx.report({
            messageId, frames: framesOf(tx.requests[0], r), time: r.time, xid: tx.xid, client: partyOf(tx.client),
            server: partyOf(r.server), data: { length: link.length, type: q?.type ?? 0 },
          });
        }
      },
    };
  },
};
