// ALQ-NOT-SUPPORTED: a server that does bulk but not active leasequery answers an ACTIVELEASEQUERY with
// a LEASEQUERY-REPLY carrying status NotSupported and then closes the connection (RFC 7653 §9.2).
// Judged: the close after a NotSupported REPLY. A close without any REPLY is inconclusive (see traps).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { type CloseWait, at, closeWaits, isActive, refusedActive, unseenEnd } from '../bulk-util.js';

interface Pending extends CloseWait { queryFrame: number }

export const check: RuleModule<Events> = {
  create(ctx) {
    const tolerance = ctx.options.tolerance as number;
    // Connections waiting for the server's close after a NotSupported REPLY (usually none).
    const { pending, report } = closeWaits<Pending>(ctx, (p) => ({ xid: p.xid, tolerance }), (p, frame) => [p.queryFrame, p.frame, frame]);
    return {
      'bulk:reply'(e) {
        const q = e.query;
        if (e.placement !== 'valid' || q.phantom || !refusedActive(q) || pending.has(e.conn)) return;
        pending.set(e.conn, { queryFrame: q.query?.frame ?? 0, frame: e.frame, time: e.time, xid: q.xid });
      },
      'bulk:message'(e) {
        if (pending.size === 0) return; // hot path: nothing awaited on any connection
        const p = pending.get(e.conn);
        // RFC 7653 §9.2 SHOULD: the server closes the connection after NotSupported; traffic past the
        // tolerance shows it still open.
        if (p !== undefined && e.frame !== p.frame && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
      },
      'bulk:fin'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.by === 'server' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else pending.delete(e.conn); // closed in time, or the requestor closed first (BLQ-SRV-CLOSE-AFTER-PEER-CLOSE's)
      },
      'bulk:rst'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.by === 'server' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else pending.delete(e.conn);
      },
      'bulk:close'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.close.reason === 'capture-end' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else if (e.close.reason === 'fin' || e.close.reason === 'rst') pending.delete(e.conn);
        else {
          const u = unseenEnd(e.close.reason);
          report(e.conn, p, u.messageId, e.frame, e.time, true, u.why);
        }
      },
      'bulk:query-end'(e) {
        const q = e.query;
        if (e.state !== 'complete-by-close' || q.phantom || !q.query || !isActive(q) || q.replies + q.data + q.dones > 0) return;
        const close = e.close;
        if (!close || close.by !== 'server') return; // the requestor closed first: nothing asked of the server here
        const conn = e.conn;
        const serverEnd = conn.fin[1] !== 0 ? conn.fin[1] : conn.rst[1];
        if (serverEnd !== 0 && serverEnd < q.query.frame) return; // closed before the query came
        if (close.pending[1] > 0 || conn.cut[1] !== 0) return; // an answer was begun
        // A bulk-only server should have said NotSupported (RFC 7653 §9.2), but a server that does active
        // leasequery in secure mode closes a connection not protected by TLS without a word (§9.1): the
        // capture cannot tell the two apart.
        ctx.report({
          messageId: 'closed-without-reply', verdict: 'inconclusive', data: { xid: q.xid, tolerance, why: '' },
          ...at(conn, [q.query.frame, serverEnd !== 0 ? serverEnd : close.frame], close.time, q.xid),
        });
      },
    };
  },
};
