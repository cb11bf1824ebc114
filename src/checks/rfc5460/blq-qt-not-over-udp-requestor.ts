// BLQ-QT-NOT-OVER-UDP-REQUESTOR: the bulk-only query types (relay-id, link-address, remote-id) are
// never sent in a UDP LEASEQUERY, relayed or not (RFC 5460 §3). The requestor is the innermost peer.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';
import { BULK_ONLY_TYPES, lqQueryOf } from '../lq-common.js';

export const blqQtNotOverUdpRequestor: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        const t = tx.requests[0];
        const q = lqQueryOf(t.message);
        if (!q || q.type === undefined || !BULK_ONLY_TYPES.has(q.type)) return;
        ctx.report({
          messageId: tx.relayed ? 'relayed' : 'sent', frames: t.frames, time: t.time, xid: tx.xid,
          client: partyOf(tx.client), data: { type: q.type },
        });
      },
    };
  },
};
