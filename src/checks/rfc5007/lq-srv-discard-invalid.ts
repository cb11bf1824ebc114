// LQ-SRV-DISCARD-INVALID: a server drops a LEASEQUERY that lacks the requestor's Client-ID, lacks
// OPTION_LQ_QUERY, or names another server in its Server-ID, so no LEASEQUERY-REPLY answers it
// (RFC 5007 §4.2.1). RFC 8415 §16's UnspecFail answer to an invalid message is a warning.
// Over TCP (RFC 5460) the query arrives on a connection the requestor waits on: §7.2 has a server that
// meets an error before replying send a REPLY with an error status, so an error REPLY (or silence, or
// closing) is accepted there, and only a REPLY without a failing status, serving the query, is reported.
import type { Events } from '../../correlate/events.js';
import { bodyHex, hasOption, peekOption, topStatusCode } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, serverKey, statusOnly } from '../client-common.js';
import { at } from '../bulk-util.js';
import { lqDiscardReason } from '../lq-common.js';

export const lqSrvDiscardInvalid: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        const req = tx.requests[0];
        // Cut by the snaplen or malformed (trap TRUNC): an option it lacks may have been lost to that.
        const damaged = req.damage !== undefined || req.message.anomalies.length > 0;
        let servers: string[] | undefined; // each server's first answer only
        let unsure = false;
        for (const r of tx.responses) {
          if (r.message.msgType !== 15) continue;
          const why = lqDiscardReason(req.message, r.server.duid);
          if (why === undefined) continue;
          const key = serverKey(r);
          if (servers?.includes(key)) continue;
          (servers ??= []).push(key);
          const d = { frames: framesOf(req, r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server) };
          const lost = why !== 'foreign-server-id' && damaged;
          if (lost || (why === 'no-client-id' && r.clientId === 'unexpected')) {
            // Paired by address: a reply naming a requestor DUID cannot come from this query (trap LOSS: it
            // may answer another query of that requestor the capture missed); a damaged query may have lost
            // its Client-ID or LQ_QUERY to the damage (TRUNC).
            if (!unsure) ctx.report({ ...d, messageId: lost ? 'damaged' : 'other-query', verdict: 'inconclusive' });
            unsure = true;
            continue;
          }
          ctx.report({ ...d, messageId: statusOnly(r, 1) ? `${why}-unspecfail` : why }); // RFC 5007 §4.2.1
        }
      },
      'bulk:reply': (e) => {
        const q = e.query;
        if (e.placement !== 'valid' || q.phantom || !q.query) return;
        const m = q.query.message;
        if (hasOption(m, 1) && hasOption(m, 44) && !hasOption(m, 2)) return; // a valid query: the usual case, read in place
        const reply = e.record.message;
        const st = topStatusCode(reply.options);
        if (st !== undefined && st !== 0) return; // RFC 5460 §7.2: an error REPLY ends a query the server cannot serve
        const sid = peekOption(reply, 2);
        const why = lqDiscardReason(m, sid === undefined ? undefined : bodyHex(sid));
        if (why === undefined) return;
        ctx.report({ messageId: `tcp-${why}`, ...at(e.conn, [q.query.frame, e.frame], e.time, q.xid) }); // RFC 5007 §4.2.1
      },
    };
  },
};
