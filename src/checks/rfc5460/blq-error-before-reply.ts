// BLQ-ERROR-BEFORE-REPLY: a server that meets an error before it has sent any reply to a query says so
// in a LEASEQUERY-REPLY with an error status, which also tells the requestor no data will follow
// (RFC 5460 §7.2). What the wire shows is the opposite: the server closed the connection and the query
// never got a single message. The cause is not in the capture (§7.1 lets a server close on a query it
// does not permit), so the catalog grades it INFO.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import { lqDiscardReason } from '../lq-common.js';
import { LatestAnswered, at, isActive } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const latest = new LatestAnswered();
    return {
      ...latest.listeners(),
      'bulk:query-end'(e) {
        const q = e.query;
        if (e.state !== 'complete-by-close' || q.phantom || !q.query || q.replies + q.data + q.dones > 0) return;
        if (isActive(q)) return; // an ACTIVELEASEQUERY closed on is ALQ-NOT-SUPPORTED's (RFC 7653 §9.1, §9.2)
        const close = e.close;
        // A requestor that closed first is BLQ-SRV-CLOSE-AFTER-PEER-CLOSE's case.
        if (!close || close.by !== 'server') return;
        const conn = e.conn;
        // The server had closed before the query came: it never had the query to answer.
        const serverEnd = conn.fin[1] !== 0 ? conn.fin[1] : conn.rst[1];
        if (serverEnd !== 0 && serverEnd < q.query.frame) return;
        // Part of a server message was on the wire when it closed: an answer was begun, not withheld.
        if (close.pending[1] > 0 || conn.cut[1] !== 0) return;
        if (latest.laterThan(q)) return; // a later query was answered: BLQ-PARALLEL's
        const m = q.query.message;
        const d = { ...at(conn, [q.query.frame, serverEnd !== 0 ? serverEnd : close.frame], close.time, q.xid), data: { xid: q.xid } };
        if (q.query.truncated === true || m.anomalies.length > 0) {
          ctx.report({ ...d, messageId: 'damaged', verdict: 'inconclusive' });
          return;
        }
        // RFC 5007 §4.2.1: a query without the requestor's Client-ID or OPTION_LQ_QUERY is discarded.
        if (lqDiscardReason(m, undefined) !== undefined) return;
        if (hasOption(m, 2)) {
          // Naming another server's DUID, it is discarded too (§4.2.1); which server this is, the
          // connection does not say until it answers something.
          ctx.report({ ...d, messageId: 'names-server', verdict: 'inconclusive' });
          return;
        }
        if (!e.certain) {
          ctx.report({ ...d, messageId: 'lost', verdict: 'inconclusive' });
          return;
        }
        const reset = close.rstBy === 'server';
        ctx.report({ ...d, messageId: reset ? 'abandoned-reset' : 'abandoned' });
      },
    };
  },
};
