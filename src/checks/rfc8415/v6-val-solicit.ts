// V6-VAL-SOLICIT: a server discards a Solicit that lacks a Client-ID or carries a Server-ID, so it
// answers such a Solicit with neither an Advertise nor a Reply (RFC 8415 §16.2). RFC 8415 §16 lets a
// server answer a message it finds invalid with UnspecFail alone: such an answer is a warning.
// The client's own defect (sending that Solicit) is V6-SOLICIT-CONTENTS's.
import type { ServerResponse } from '../../correlate/client-events.js';
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { answerPerServer, framesOf, partyOf, solicitDefect, statusOnlyAsSeen } from '../client-common.js';

export const v6ValSolicit: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        const defect = solicitDefect(tx);
        if (defect === undefined || tx.responses.length === 0) return;
        const req = tx.requests[0];
        // Cut by the snaplen or malformed (trap TRUNC): a Client-ID it lacks may have been lost to that.
        const damaged = req.damage !== undefined || req.message.anomalies.length > 0;
        // An answer the snaplen cut decides its grade only when its captured part rules out an
        // UnspecFail-only answer (trap TRUNC). Answers to a Solicit without a Client-ID are paired by
        // address: a Client-ID lost to the cut would show it answers another Solicit (LOSS), so a cut one never decides.
        const decides = (r: ServerResponse) => r.damage !== 'truncated' || (defect === 'server-id' && statusOnlyAsSeen(r, 1) !== 'unknown');
        const client = partyOf(tx.client);
        let unsure = false; // one inconclusive finding per transaction
        for (const r of answerPerServer(tx.responses, decides)) {
          const d = { frames: framesOf(req, r), time: r.time, xid: tx.xid, client, server: partyOf(r.server), data: { type: r.message.msgType === 2 ? 'Advertise' : 'Reply' } };
          if (defect === 'no-client-id' && (damaged || r.clientId === 'unexpected')) {
            // A damaged Solicit may have lost its Client-ID to the damage (trap TRUNC). A response naming a
            // client DUID was paired with this Solicit by address: a server cannot have learnt that DUID
            // from it, so it most likely answers another Solicit of the client the capture missed (LOSS).
            if (!unsure) ctx.report({ ...d, messageId: damaged ? 'damaged' : 'other-solicit', verdict: 'inconclusive' });
            return;
          }
          if (!decides(r)) {
            if (!unsure) ctx.report({ ...d, messageId: 'answer-cut', verdict: 'inconclusive' });
            unsure = true;
            continue;
          }
          const unspec = statusOnlyAsSeen(r, 1) === 'yes'; // RFC 8415 §16: UnspecFail alone is allowed for an invalid message
          ctx.report({ ...d, messageId: unspec ? `${defect}-unspecfail` : defect }); // RFC 8415 §16.2
        }
      },
    };
  },
};
