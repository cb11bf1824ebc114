// BLQ-SRV-REJECT-UNPERMITTED: a server may restrict bulk leasequery to some requestors and query types,
// should close connections it does not permit at once, and may answer queries it does not permit with
// NotAllowed (RFC 5460 §7.1). Reported at info: the server's configuration is not in the capture.
// State: per connection, until its first message (at most one entry per followed connection), and per
// connection answered NotAllowed, until the connection ends.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import { at, isActive } from '../bulk-util.js';

/** A connection answered NotAllowed, and what followed. */
interface Refusal {
  frame: number;
  time: number;
  xid: number;
  /** The requestor's first LEASEQUERY after the tolerance, while the server had not closed (0 = none). */
  goOnFrame: number;
  goOnTime: number;
  /** The server answered a query otherwise than with NotAllowed on this connection: the requestor is permitted. */
  permitted: boolean;
}

/** A FIN/RST frame (0 = none) that came before `frame` (compared by frame: rules may read them later). */
function before(f: number, frame: number): boolean {
  return f !== 0 && f < frame;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const window = ctx.options['accept-window'] as number;
    const tolerance = ctx.options.tolerance as number;
    const notAllowed = ctx.profile.codes.NotAllowed ?? 10;
    /** Connections whose start was captured and that have carried no message yet: their open time. */
    const fresh = new Map<BulkConnection, number>();
    const refusals = new Map<BulkConnection, Refusal>();

    /** One end closed (FIN or RST) a connection that has carried no message so far. */
    const closed = (conn: BulkConnection, by: 'requestor' | 'server', reset: boolean, frame: number, time: number): void => {
      const opened = fresh.get(conn);
      if (opened === undefined) return;
      fresh.delete(conn); // judged at the first close, with what is known then
      if (by !== 'server' || before(conn.fin[0], frame) || before(conn.rst[0], frame)) return; // the requestor left first
      // Accepted: the server's SYN-ACK came before (a connection refused with an RST to the SYN never was).
      if (conn.tcp.synAckFrame === 0 || conn.tcp.synAckFrame > frame) return;
      // Later than the window it is an idle connection being closed, which RFC 5460 §7.4 allows.
      const after = time - opened;
      if (after > window) return;
      // RFC 5460 §7.1: a connection from a requestor that is not permitted SHOULD be closed at once.
      ctx.report({
        messageId: reset ? 'rejected-reset' : 'rejected', data: { after: Math.round(after * 1000) / 1000 },
        ...at(conn, [...new Set([conn.tcp.lastSynFrame, conn.tcp.synAckFrame, frame])], time),
      });
    };

    return {
      'bulk:open'(e) {
        if (!e.conn.startUnseen) fresh.set(e.conn, e.time);
      },
      'bulk:message'(e) {
        if (fresh.size !== 0) fresh.delete(e.conn); // hot path: one comparison once every connection has spoken
      },
      'bulk:loss'(e) {
        // Octets missing, framing lost or a message cut short: something may have been said unseen.
        if (fresh.size !== 0) fresh.delete(e.conn);
      },
      'bulk:reply'(e) {
        const q = e.query;
        if (q.status !== notAllowed || e.placement !== 'valid') {
          if (refusals.size === 0) return; // hot path: one comparison for every REPLY
          const r = refusals.get(e.conn);
          // Any other answer to a query shows the requestor may use the service (it is only restricted).
          if (r && e.placement === 'valid') r.permitted = true;
          return;
        }
        const conn = e.conn;
        // An active query (RFC 7653) is judged by its own rules; with the start unseen, earlier answers
        // (proving the requestor permitted) may be unseen; a requestor that closed is leaving anyway.
        if (isActive(q) || conn.startUnseen || refusals.has(conn) || before(conn.fin[0], e.frame) || before(conn.rst[0], e.frame)) return;
        refusals.set(conn, { frame: e.frame, time: e.time, xid: q.xid, goOnFrame: 0, goOnTime: 0, permitted: false });
      },
      'bulk:query'(e) {
        if (refusals.size === 0) return;
        const r = refusals.get(e.conn);
        if (!r || r.goOnFrame !== 0 || e.time - r.time <= tolerance) return;
        const conn = e.conn;
        if (before(conn.fin[1], e.frame) || before(conn.rst[1], e.frame)) return; // the server had closed its side
        r.goOnFrame = e.frame;
        r.goOnTime = e.time;
      },
      'bulk:fin'(e) {
        if (fresh.size !== 0) closed(e.conn, e.by, false, e.frame, e.time);
      },
      'bulk:rst'(e) {
        if (fresh.size !== 0) closed(e.conn, e.by, true, e.frame, e.time);
      },
      'bulk:close'(e) {
        const conn = e.conn;
        fresh.delete(conn);
        const r = refusals.get(conn);
        if (!r) return;
        refusals.delete(conn);
        // Judged once the connection is over, so a later answer proving the requestor permitted counts.
        // Inconclusive: a NotAllowed may restrict only that query type, and then keeping the connection
        // open is right; only a requestor refused everything SHOULD have been closed at once (§7.1).
        if (r.permitted || r.goOnFrame === 0) return;
        ctx.report({
          messageId: 'kept-open', verdict: 'inconclusive',
          data: { xid: r.xid, delay: Math.round((r.goOnTime - r.time) * 1000) / 1000, tolerance },
          ...at(conn, [r.frame, r.goOnFrame], e.time, r.xid),
        });
      },
    };
  },
};
