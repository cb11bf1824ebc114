// BLQ-SRV-CLOSE-ON-ABORT: a server that aborts a query it has taken on closes its end of the connection
// (RFC 5460 §7.4), soon and before it serves anything else. The abort the wire shows here is a
// LEASEQUERY-REPLY with QueryTerminated (§5.5, §7.4); a DONE with an error status is the other one (§5.2.2,
// §7.2), and BLQ-ERROR-AFTER-REPLY judges the close after it. The first of the two on a connection
// decides which rule judges its close (one defect, one finding). State: one wait per connection.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import { topStatusCode } from '../../dhcpv6/helpers.js';
import { type CloseWait, bulkCodes, bulkName, closeWaits, isActive, unseenEnd } from '../bulk-util.js';

/** A FIN/RST frame (0 = none) that came before `frame`. */
function before(f: number, frame: number): boolean {
  return f !== 0 && f < frame;
}

interface Pending extends CloseWait {
  /** Set when the capture may miss what decides it: 'mid' (start unseen) or 'lost' (bytes or queries unseen). */
  unsure: '' | 'mid' | 'lost';
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const tolerance = ctx.options.tolerance as number;
    const codes = bulkCodes(ctx.profile);
    const terminated = ctx.profile.codes.QueryTerminated ?? 11;
    const { pending, report } = closeWaits<Pending>(ctx, (p) => ({ xid: p.xid, tolerance }),
      (p, frame) => (frame === p.frame ? [p.frame] : [p.frame, frame]));
    /**
     * Connections whose first abort signal has come: a QueryTerminated REPLY judged here, or an error
     * DONE, which makes the connection BLQ-ERROR-AFTER-REPLY's. Either way, one judgement per connection.
     */
    const decided = new Set<BulkConnection>();

    /** Past the tolerance without a close: the evidence is complete (later frames cannot undo it). */
    const overdue = (conn: BulkConnection, p: Pending, frame: number, time: number): boolean => {
      if (time - p.time <= tolerance) return false;
      report(conn, p, p.unsure === '' ? 'no-close' : p.unsure, frame, time, p.unsure !== '');
      return true;
    };
    /** A REPLY or DONE with an error status: the server telling another query it is cut short too. */
    const windingUp = (type: number, options: Parameters<typeof topStatusCode>[0]): boolean =>
      (type === codes.reply || type === codes.done) && (topStatusCode(options) ?? 0) !== 0;

    return {
      'bulk:reply'(e) {
        const q = e.query;
        if (q.status !== terminated) return; // hot path: one comparison for every REPLY
        if (e.placement !== 'valid' || isActive(q)) return; // an active query's end is ALQ-DONE-TERMINATES'
        const conn = e.conn;
        if (decided.has(conn)) return;
        // The requestor closed or reset first: BLQ-SRV-CLOSE-AFTER-PEER-CLOSE judges the server's close.
        // (FIN/RST compared by frame: the connection's are set once, and rules may read them later.)
        const f = e.frame;
        if (before(conn.fin[0], f) || before(conn.rst[0], f) || before(conn.fin[1], f) || before(conn.rst[1], f)) return;
        // Start unseen: the requestor may have closed its side before the capture began (then the
        // server may go on finishing its queries). Lost bytes or unfollowed queries: a close or a
        // requestor FIN may be among them.
        const unsure = conn.startUnseen || q.phantom ? 'mid' : !e.certain || conn.limited ? 'lost' : '';
        decided.add(conn);
        pending.set(conn, { frame: e.frame, time: e.time, xid: q.xid, unsure });
      },
      'bulk:done'(e) {
        // An error DONE before any abort here makes the connection BLQ-ERROR-AFTER-REPLY's; after one,
        // it is the server winding up another query (bulk:message), and that rule stands aside.
        if (e.placement !== 'valid' || isActive(e.query) || decided.has(e.conn)) return;
        if ((topStatusCode(e.record.message.options) ?? 0) !== 0) decided.add(e.conn);
      },
      'bulk:message'(e) {
        if (pending.size === 0) return; // hot path: nothing awaited on any connection
        const p = pending.get(e.conn);
        if (!p) return;
        const m = e.record.message;
        // RFC 5460 §7.4: an aborting server closes; serving another xid (other than telling it, too,
        // that it is cut short) is carrying on. Messages for the aborted xid are other rules' to judge.
        if (e.role === 'server' && (m.xid ?? -1) !== p.xid && !windingUp(m.msgType, m.options)) {
          report(e.conn, p, p.unsure === '' ? 'kept-sending' : p.unsure, e.frame, e.time, p.unsure !== '', `a ${bulkName(ctx.profile, m.msgType)} for xid ${m.xid ?? '?'}`);
          return;
        }
        overdue(e.conn, p, e.frame, e.time);
      },
      'bulk:loss'(e) {
        const p = pending.get(e.conn);
        if (p && !overdue(e.conn, p, e.frame, e.time) && p.unsure === '') p.unsure = 'lost';
      },
      'bulk:fin'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        // In time: the server closed (RFC 5460 §7.4), or the requestor closed first and the server's
        // close is BLQ-SRV-CLOSE-AFTER-PEER-CLOSE's from here on.
        if (!overdue(e.conn, p, e.frame, e.time)) pending.delete(e.conn);
      },
      'bulk:rst'(e) {
        const p = pending.get(e.conn);
        // A server reset is a close; after a requestor reset the server's own reset is expected.
        if (p && !overdue(e.conn, p, e.frame, e.time)) pending.delete(e.conn);
      },
      'bulk:close'(e) {
        const conn = e.conn;
        decided.delete(conn);
        const p = pending.get(conn);
        if (!p || overdue(conn, p, e.frame, e.time)) return;
        const reason = e.close.reason;
        if (reason === 'fin' || reason === 'rst') { pending.delete(conn); return; }
        const u = unseenEnd(reason);
        report(conn, p, u.messageId, e.frame, e.time, true, u.why);
      },
    };
  },
};
