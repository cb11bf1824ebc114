// V6-VAL-SOLICIT: a server discards a Solicit that lacks a Client-ID or carries a Server-ID, so it
// answers such a Solicit with neither an Advertise nor a Reply (RFC 8415 §16.2). RFC 8415 §16 lets a
// server answer a message it finds invalid with UnspecFail alone: such an answer is a warning.
// The client's own defect (sending that Solicit) is V6-SOLICIT-CONTENTS's.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, serverKey, solicitDefect, statusOnly } from '../client-common.js';

export const v6ValSolicit: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        const defect = solicitDefect(tx);
        if (defect === undefined || tx.responses.length === 0) return;
        const req = tx.requests[0];
        // Cut by the snaplen or malformed (trap TRUNC): a Client-ID it lacks may have been lost to that.
        const damaged = req.damage !== undefined || req.message.anomalies.length > 0;
        const client = partyOf(tx.client);
        let servers: string[] | undefined; // each server's first answer only (its retransmitted answers are the same defect)
        for (const r of tx.responses) {
          const key = serverKey(r);
          if (servers?.includes(key)) continue;
          (servers ??= []).push(key);
          const d = { frames: framesOf(req, r), time: r.time, xid: tx.xid, client, server: partyOf(r.server), data: { type: r.message.msgType === 2 ? 'Advertise' : 'Reply' } };
          if (defect === 'no-client-id' && (damaged || r.clientId === 'unexpected')) {
            // A damaged Solicit may have lost its Client-ID to the damage (trap TRUNC). A response naming a
            // client DUID was paired with this Solicit by address: a server cannot have learnt that DUID
            // from it, so it most likely answers another Solicit of the client the capture missed (LOSS).
            ctx.report({ ...d, messageId: damaged ? 'damaged' : 'other-solicit', verdict: 'inconclusive' });
            return;
          }
          const unspec = statusOnly(r, 1); // RFC 8415 §16: UnspecFail alone is allowed for an invalid message
          ctx.report({ ...d, messageId: unspec ? `${defect}-unspecfail` : defect }); // RFC 8415 §16.2
        }
      },
    };
  },
};
