// V6-VAL-INFOREQ-NO-IA: a server discards an Information-request that carries an IA option or names
// another server in its Server-ID, so it never answers one (RFC 8415 §16.12).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, serverIdOf } from '../client-common.js';

export const v6ValInforeqNoIa: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 11) return;
        const req = tx.requests[0];
        const ia = req.message.options.find((o) => o.code === 3 || o.code === 4 || o.code === 25);
        const named = serverIdOf(req);
        for (const r of tx.responses) {
          if (r.message.msgType !== 7) continue;
          let messageId: string | undefined;
          if (ia) messageId = 'ia'; // RFC 8415 §16.12
          else if (named !== undefined && r.server.duid !== undefined && named !== r.server.duid) messageId = 'foreign-server-id';
          if (!messageId) continue;
          ctx.report({
            messageId, frames: framesOf(req, r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server),
            data: { code: ia?.code ?? 0 },
          });
        }
      },
    };
  },
};
