// V6-VAL-REQUEST-SERVERID: a Request names the chosen server in a Server-ID (RFC 8415 §18.2.2), and a
// server answers no Request, Renew, Release or Decline that lacks one, nor a Renew, Release or Decline
// naming another server (§16.4, §16.6, §16.8, §16.9). A Request naming another server that is answered
// anyway is RED-NONSELECTED-DISCARD.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { optionBodyLength, scratchOption, transientOption } from '../../dhcpv6/helpers.js';
import { framesOf, partyOf, serverIdOf } from '../client-common.js';

/** The Request's Server-ID, looked at once (transientOption). */
const sidScratch = scratchOption();

const NAMES: Record<number, string> = { 3: 'Request', 5: 'Renew', 8: 'Release', 9: 'Decline' };

export const v6ValRequestServerid: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        const name = NAMES[tx.msgType];
        if (!name) return;
        const req = tx.requests[0];
        const named = serverIdOf(req);
        const client = partyOf(tx.client);
        const sid = transientOption(req.message, 2, sidScratch);
        const sidCut = sid !== undefined && (!!sid.anomalies?.length || optionBodyLength(sid) !== sid.length);
        if ((named === undefined || sidCut) && (req.damage !== undefined || req.message.anomalies.length > 0)) {
          // Cut by the snaplen or malformed (trap TRUNC): the Server-ID may have been lost to that, or be
          // cut itself. Judged only when there is something to report: a Request, or an answer to another type.
          if (tx.msgType === 3 || tx.responses.some((r) => r.message.msgType === 7)) {
            ctx.report({ messageId: 'damaged', verdict: 'inconclusive', frames: req.frames, time: req.time, xid: tx.xid, client, data: { type: name } });
          }
          return;
        }
        if (named === undefined && tx.msgType === 3) {
          ctx.report({ messageId: 'client-missing', frames: req.frames, time: req.time, xid: tx.xid, client }); // RFC 8415 §18.2.2
        }
        for (const r of tx.responses) {
          if (r.message.msgType !== 7) continue;
          let messageId: string | undefined;
          if (named === undefined) messageId = 'server-answered-missing';
          else if (tx.msgType !== 3 && r.server.duid !== undefined && r.server.duid !== named) messageId = 'server-answered-foreign';
          if (!messageId) continue;
          ctx.report({
            messageId, frames: framesOf(req, r), time: r.time, xid: tx.xid, client, server: partyOf(r.server),
            data: { type: name, named: named ?? '' },
          });
        }
      },
    };
  },
};
