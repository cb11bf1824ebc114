// ALQ-DONE-TERMINATES: an active query ends only on an error or a shutdown, through a LEASEQUERY-DONE
// that should say why (QueryTerminated), that is the last message on the connection, and after which the
// server closes (RFC 7653 §8.4, §9.3, §9.5).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import { topStatus } from '../lq-common.js';
import { type CloseWait, at, bulkCodes, bulkName, closeWaits, isActive, unseenEnd } from '../bulk-util.js';

/** RFC 7653 §11: CatchUpComplete marks the end of a catch-up, not an error. */
const CATCH_UP_COMPLETE = 13;

interface Pending extends CloseWait {
  queryFrame: number;
  /** Bytes of the connection were lost (a gap or a desync) after the DONE. */
  lost: boolean;
  /** What the server sent after the DONE (for the kept-sending message). */
  kind: string;
  /** The requestor sent a message with the DONE's xid since: a new query's answers are not the old one's. */
  requeried: boolean;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const tolerance = ctx.options.tolerance as number;
    const codes = bulkCodes(ctx.profile);
    // Connections waiting for the server's close after the DONE of an active query (usually none).
    const { pending, report } = closeWaits<Pending>(
      ctx, (p) => ({ xid: p.xid, tolerance, kind: p.kind }), (p, frame) => [p.queryFrame, p.frame, frame],
    );
    /** One end closed (FIN or RST): in time, or only after the tolerance. */
    const closed = (e: { conn: BulkConnection; frame: number; time: number }): void => {
      const p = pending.get(e.conn);
      if (p === undefined) return;
      // RFC 7653 §8.4 MUST: the server closes once the DONE is sent; the tolerance says how soon. A
      // requestor closing in time leaves the server's close to BLQ-SRV-CLOSE-AFTER-PEER-CLOSE.
      if (e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
      else pending.delete(e.conn);
    };
    return {
      'bulk:done'(e) {
        const q = e.query;
        if (!isActive(q) || q.phantom || (e.placement !== 'valid' && e.placement !== 'before-reply')) return;
        const m = e.record.message;
        const status = topStatus(m) ?? 0;
        const d = at(e.conn, [q.query?.frame ?? 0, e.frame], e.time, q.xid);
        if (status === 0 || status === CATCH_UP_COMPLETE) {
          // RFC 7653 §9.3: an active query has no DONE unless an error or a shutdown stops it, and §8.4
          // asks for QueryTerminated then; a DONE saying nothing went wrong ends it for no stated reason.
          const partial = e.record.truncated === true || m.anomalies.length > 0;
          if (!e.certain || partial) ctx.report({ ...d, messageId: 'lost-status', verdict: 'inconclusive', data: { xid: q.xid, status } });
          else ctx.report({ ...d, messageId: 'no-error', data: { xid: q.xid, status } });
        }
        if (pending.has(e.conn)) return;
        const p = { frame: e.frame, time: e.time, xid: q.xid, queryFrame: q.query?.frame ?? 0, lost: false, kind: '', requeried: false };
        pending.set(e.conn, p);
      },
      'bulk:message'(e) {
        if (pending.size === 0) return; // hot path: nothing awaited on any connection
        const p = pending.get(e.conn);
        if (p === undefined) return;
        const m = e.record.message;
        if (e.role === 'server') {
          // The same query's REPLY, DATA or DONE after its DONE are BLQ-DONE-LAST's and
          // BLQ-DONE-AFTER-BINDINGS' (one defect, one finding).
          const t = m.msgType;
          if (m.xid === p.xid && !p.requeried && (t === codes.reply || t === codes.data || t === codes.done)) return;
          // RFC 7653 §8.4 MUST: that DONE is the last message on the connection.
          p.kind = bulkName(ctx.profile, t);
          report(e.conn, p, e.afterResync ? 'after-resync' : 'kept-sending', e.frame, e.time, e.afterResync);
          return;
        }
        if (m.xid === p.xid) p.requeried = true;
        if (e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
      },
      'bulk:loss'(e) {
        if (pending.size === 0 || (e.kind !== 'gap' && e.kind !== 'desync')) return;
        const p = pending.get(e.conn);
        if (p !== undefined) p.lost = true;
      },
      'bulk:fin': closed,
      'bulk:rst': closed,
      'bulk:close'(e) {
        const p = pending.get(e.conn);
        if (p === undefined) return;
        const reason = e.close.reason;
        if (reason === 'fin' || reason === 'rst') { pending.delete(e.conn); return; }
        const u = unseenEnd(reason);
        if (u.messageId !== 'capture-end') report(e.conn, p, u.messageId, e.frame, e.time, true, u.why);
        else if (e.time - p.time <= tolerance) report(e.conn, p, 'capture-end', e.frame, e.time, true);
        // Bytes lost after the DONE may have held the server's close.
        else if (p.lost) report(e.conn, p, 'lost', e.frame, e.time, true);
        else report(e.conn, p, 'no-close', e.frame, e.time);
      },
    };
  },
};
