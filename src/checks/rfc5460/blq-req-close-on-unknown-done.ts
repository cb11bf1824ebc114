// BLQ-REQ-CLOSE-ON-UNKNOWN-DONE: a requestor closes after a DONE whose xid it never asked (RFC 5460 §6.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { type CloseWait, closeWaits, unseenEnd } from '../bulk-util.js';

type Pending = CloseWait;

export const check: RuleModule<Events> = {
  create(ctx) {
    const tolerance = ctx.options.tolerance as number;
    const { pending, report } = closeWaits<Pending>(ctx, (p) => ({ xid: p.xid, tolerance }), (p, frame) => [p.frame, frame]);
    return {
      'bulk:unmatched'(e) {
        if (e.kind === 'done' && e.certain && !pending.has(e.conn)) pending.set(e.conn, { frame: e.frame, time: e.time, xid: e.query.xid });
      },
      'bulk:message'(e) {
        if (pending.size === 0) return; // hot path: nothing awaited on any connection
        const p = pending.get(e.conn);
        if (!p || e.frame === p.frame) return;
        // RFC 5460 §6.3 MUST close: another query instead is a violation.
        if (e.role === 'requestor') report(e.conn, p, 'kept-querying', e.frame, e.time);
        else if (e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
      },
      'bulk:fin'(e) {
        const p = pending.get(e.conn);
        if (!p || e.by !== 'requestor') return;
        if (e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else pending.delete(e.conn);
      },
      'bulk:rst'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.by === 'requestor' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else pending.delete(e.conn); // the requestor reset in time, or the server reset the connection
      },
      'bulk:close'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        // A new connection on the same 4-tuple, an idle timeout or a limit: the end came at a moment
        // the capture did not show, so even after the tolerance it proves nothing.
        const u = unseenEnd(e.close.reason);
        if (e.time - p.time > tolerance && u.messageId === 'capture-end') report(e.conn, p, 'no-close', e.frame, e.time);
        else report(e.conn, p, u.messageId, e.frame, e.time, true, u.why);
      },
    };
  },
};
