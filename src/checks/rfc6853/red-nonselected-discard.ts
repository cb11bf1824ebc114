// RED-NONSELECTED-DISCARD: every server may see each Request, but only the one its Server-ID names
// answers (RFC 6853 §7; RFC 8415 §16.4). Also notes a Request its named, advertising server never answered.
import type { Events } from '../../correlate/events.js';
import type { ServerResponse } from '../../correlate/client-events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, serverIdOf } from '../client-common.js';

/** Whether the named server (DUID) answered from this address. */
function answeredFrom(responses: readonly ServerResponse[], named: string, address: string | undefined): boolean {
  for (const r of responses) if (r.server.duid === named && r.server.address === address) return true;
  return false;
}

export const redNonselectedDiscard: RuleModule<Events> = {
  create(ctx) {
    const wait = typeof ctx.profile.timers.REQ_MAX_RT === 'number' ? ctx.profile.timers.REQ_MAX_RT : 30;
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 3) return;
        const req = tx.requests[0];
        const named = serverIdOf(req);
        if (named === undefined) return; // V6-VAL-REQUEST-SERVERID
        for (const r of tx.responses) {
          if (r.message.msgType !== 7 || r.server.duid === undefined || r.server.duid === named) continue;
          const base = { frames: framesOf(req, r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server), data: { named } };
          // A host answering under two DUIDs (trap: several DUIDs per server) is not a second server.
          if (answeredFrom(tx.responses, named, r.server.address)) ctx.report({ ...base, messageId: 'same-host', verdict: 'inconclusive' });
          else ctx.report({ ...base, messageId: 'answered' }); // RFC 8415 §16.4 MUST discard
        }
      },
      'session:end': (s) => {
        const tx = s.request;
        if (!tx) return;
        const req = tx.requests[0];
        const named = serverIdOf(req);
        if (named === undefined) return;
        for (const r of tx.responses) if (r.server.duid === named) return;
        let adv: ServerResponse | undefined;
        for (const a of s.solicit.responses) if (a.server.duid === named && a.message.msgType === 2) { adv = a; break; }
        if (!adv) return;
        const last = tx.requests[tx.requests.length - 1];
        if (tx.endTime - last.time < wait) return;
        ctx.report({
          messageId: 'unanswered', frames: framesOf(adv, ...tx.requests), time: last.time, xid: tx.xid,
          client: partyOf(tx.client), server: partyOf(adv.server), data: { named },
        });
      },
    };
  },
};
