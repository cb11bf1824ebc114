// V6-VAL-RESPONSE-IDS: every Advertise and Reply carries the server's Server-ID and echoes the
// client's Client-ID exactly, and never invents one the client did not send (RFC 8415 §16.3, §16.10, §18.3).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, solicitDefect } from '../client-common.js';

export const v6ValResponseIds: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        if (solicitDefect(tx) !== undefined) return; // V6-VAL-SOLICIT: the Solicit should not have been answered at all
        for (const r of tx.responses) {
          let messageId: string | undefined;
          if (!r.hasServerId) messageId = 'no-server-id'; // RFC 8415 §18.3.9, §18.3.10
          else if (r.clientId === 'mismatch') messageId = 'client-id-mismatch';
          else if (r.clientId === 'missing') messageId = 'client-id-missing';
          else if (r.clientId === 'unexpected') messageId = 'client-id-unexpected'; // §18.3.6: only echo one that was sent
          if (!messageId) continue;
          ctx.report({
            messageId, frames: framesOf(tx.requests[0], r), time: r.time, xid: tx.xid,
            client: partyOf(tx.client), server: partyOf(r.server),
            data: { type: r.message.msgType === 2 ? 'Advertise' : 'Reply' },
          });
        }
      },
    };
  },
};
