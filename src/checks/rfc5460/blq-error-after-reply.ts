// BLQ-ERROR-AFTER-REPLY: after a DONE with an error status the server closes and sends nothing more
// (RFC 5460 §5.2.2, §7.2, §7.4).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { topStatusCode } from '../../dhcpv6/helpers.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import { type CloseWait, bulkCodes, closeWaits, isActive, unseenEnd } from '../bulk-util.js';

interface Pending extends CloseWait { status: number }

/** A FIN/RST frame (0 = none) that came before `frame` (compared by frame: rules may read them later). */
function before(f: number, frame: number): boolean {
  return f !== 0 && f < frame;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const tolerance = ctx.options.tolerance as number;
    const { pending, report } = closeWaits<Pending>(ctx, (p) => ({ xid: p.xid, status: p.status, tolerance }), (p, frame) => [p.frame, frame]);
    const terminated = ctx.profile.codes.QueryTerminated ?? 11;
    const k = bulkCodes(ctx.profile);
    /** Connections with an error DONE so far, and those where a QueryTerminated REPLY came first. */
    const erred = new Set<BulkConnection>();
    const aborted = new Set<BulkConnection>();
    return {
      'bulk:reply'(e) {
        if (e.query.status !== terminated) return; // hot path: one comparison for every REPLY
        const conn = e.conn;
        const f = e.frame;
        if (e.placement !== 'valid' || isActive(e.query) || erred.has(conn)) return;
        if (before(conn.fin[0], f) || before(conn.rst[0], f) || before(conn.fin[1], f) || before(conn.rst[1], f)) return;
        // An abort told in a REPLY before any error DONE: BLQ-SRV-CLOSE-ON-ABORT judges the close (one
        // defect, one finding); later error DONEs are the server winding up the other queries.
        aborted.add(conn);
      },
      'bulk:done'(e) {
        if (e.placement !== 'valid' || isActive(e.query)) return; // an active query's DONE: ALQ-DONE-TERMINATES'
        const status = topStatusCode(e.record.message.options) ?? 0;
        if (status === 0 || aborted.has(e.conn)) return;
        erred.add(e.conn);
        if (!pending.has(e.conn)) pending.set(e.conn, { frame: e.frame, time: e.time, xid: e.query.xid, status });
      },
      'bulk:message'(e) {
        if (pending.size === 0) return; // hot path: nothing awaited on any connection
        const p = pending.get(e.conn);
        if (!p || e.frame === p.frame) return;
        // RFC 5460 §7.4: the server closes after aborting; it does not carry on. Telling its other queries
        // they are cut short too (an error REPLY or DONE for another xid) is part of aborting, not carrying on.
        if (e.role === 'server') {
          const m = e.record.message;
          const notice = (m.msgType === k.reply || m.msgType === k.done) && m.xid !== p.xid && (topStatusCode(m.options) ?? 0) !== 0;
          if (!notice) report(e.conn, p, 'kept-sending', e.frame, e.time);
        }
        else if (e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
      },
      'bulk:fin'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        // Closed in time; or the requestor closed first, within the tolerance: the server's close is then
        // BLQ-SRV-CLOSE-AFTER-PEER-CLOSE's to judge (RFC 5460 §7.4; one defect, one finding).
        else pending.delete(e.conn);
      },
      'bulk:rst'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.by === 'server' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else pending.delete(e.conn); // closed in time, or the requestor reset it
      },
      'bulk:close'(e) {
        erred.delete(e.conn);
        aborted.delete(e.conn);
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.close.reason === 'capture-end' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else if (e.close.reason === 'fin') pending.delete(e.conn); // requestor FIN first, server FIN handled above
        else {
          const u = unseenEnd(e.close.reason);
          report(e.conn, p, u.messageId, e.frame, e.time, true, u.why);
        }
      },
    };
  },
};
