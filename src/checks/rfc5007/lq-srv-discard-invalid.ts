// LQ-SRV-DISCARD-INVALID: a server drops a LEASEQUERY that lacks the requestor's Client-ID, lacks
// OPTION_LQ_QUERY, or names another server in its Server-ID, so no LEASEQUERY-REPLY answers it
// (RFC 5007 §4.2.1). RFC 8415 §16's UnspecFail answer to an invalid message is a warning.
// Over TCP (RFC 5460) the query arrives on a connection the requestor waits on: §7.2 has a server that
// meets an error before replying send a REPLY with an error status, so an error REPLY (or silence, or
// closing) is accepted there, and only a REPLY without a failing status, serving the query, is reported.
import type { ServerResponse } from '../../correlate/client-events.js';
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { answerPerServer, framesOf, partyOf, statusOnlyAsSeen } from '../client-common.js';
import { at, isActive } from '../bulk-util.js';
import { bulkServedInvalid, foreignServerSeen, lqDiscardReason } from '../lq-common.js';

export const lqSrvDiscardInvalid: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        const req = tx.requests[0];
        // Cut by the snaplen or malformed (trap TRUNC): an option it lacks may have been lost to that.
        const damaged = req.damage !== undefined || req.message.anomalies.length > 0;
        /** What a reply shows: the message to report, inconclusive when the capture cannot decide; undefined for a valid query. */
        const judge = (r: ServerResponse): { id: string; unsure: boolean } | undefined => {
          let why = lqDiscardReason(req.message, r.server.duid);
          if (why === undefined) return undefined;
          // Paired by address: a reply naming a requestor DUID cannot come from this query (trap LOSS: it
          // may answer another query of that requestor the capture missed); a damaged query may have lost
          // its Client-ID or LQ_QUERY to the damage (TRUNC), but a Server-ID it shows naming another
          // server proves it invalid all the same.
          if (why !== 'foreign-server-id' && damaged) {
            if (!foreignServerSeen(req.message, r.message)) return { id: 'damaged', unsure: true };
            why = 'foreign-server-id';
          }
          if (why === 'no-client-id' && r.clientId === 'unexpected') return { id: 'other-query', unsure: true };
          // A Server-ID the snaplen cut, in the query or the reply, may name this very server (TRUNC).
          if (why === 'foreign-server-id' && !foreignServerSeen(req.message, r.message)) return { id: 'server-id-cut', unsure: true };
          // A reply the snaplen cut is graded only when its captured part rules out an UnspecFail-only
          // answer (TRUNC); to a query without a Client-ID never: a Client-ID lost to the cut would pair it
          // with another query (LOSS).
          const only = statusOnlyAsSeen(r, 1);
          if (only === 'unknown' || (why === 'no-client-id' && r.damage === 'truncated')) return { id: 'answer-cut', unsure: true };
          return { id: only === 'yes' ? `${why}-unspecfail` : why, unsure: false }; // RFC 8415 §16: UnspecFail alone, a warning
        };
        const decides = (r: ServerResponse) => r.damage !== 'truncated' || judge(r)?.unsure !== true;
        let unsure = false; // one inconclusive finding per transaction
        for (const r of answerPerServer(tx.responses.filter((x) => x.message.msgType === 15), decides)) {
          const j = judge(r);
          if (j === undefined) continue;
          const d = { frames: framesOf(req, r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server) };
          if (!j.unsure) ctx.report({ ...d, messageId: j.id }); // RFC 5007 §4.2.1
          else if (!unsure) ctx.report({ ...d, messageId: j.id, verdict: 'inconclusive' });
          unsure ||= j.unsure;
        }
      },
      'bulk:reply': (e) => {
        const q = e.query;
        if (e.placement !== 'valid' || q.phantom || !q.query) return;
        const why = bulkServedInvalid(q.query.message, e.record.message, isActive(q));
        if (why === undefined) return;
        ctx.report({ messageId: `tcp-${why}`, ...at(e.conn, [q.query.frame, e.frame], e.time, q.xid) }); // RFC 5007 §4.2.1
      },
    };
  },
};
