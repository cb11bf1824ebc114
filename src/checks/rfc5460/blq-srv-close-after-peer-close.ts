// BLQ-SRV-CLOSE-AFTER-PEER-CLOSE: after the requestor has closed its side, the server finishes the
// outstanding queries and then closes its own side too (RFC 5460 §7.4; the half-close is legal, §6.6).
// State: one entry per connection whose requestor closed first, dropped when the connection ends.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection, BulkQuery } from '../../correlate/bulk-events.js';
import { at, unseenEnd } from '../bulk-util.js';

interface Wait {
  /** The requestor's FIN. */
  finFrame: number;
  /** Queries outstanding at the FIN that the server has not completed yet. */
  left: number;
  /** When the last outstanding query completed (the FIN itself when none was outstanding); 0 = not yet. */
  fromFrame: number;
  fromTime: number;
  /**
   * The server's latest message after that point (0 = none): answers under an xid no query had, or
   * after a query's end. The server was still sending, so the wait for its close starts there.
   */
  lastFrame: number;
  lastTime: number;
  /** The server's FIN/RST that came while queries were still outstanding (0 = none). */
  abortFrame: number;
  abortOutstanding: number;
  /** A query the abort cut short is another rule's to judge (see elsewhere()). */
  judgedElsewhere: boolean;
}

/**
 * Whether another rule reports the query a server close cut short (one defect, one finding): a stream
 * of bindings without its DONE is BLQ-DONE-AFTER-BINDINGS'; an unanswered query after which the server
 * completed others is BLQ-PARALLEL's (or, when the server answered under another xid, BLQ-XID-*'s); an
 * invalid query may be dropped, connection and all (RFC 5007 §4.2.1); a phantom is no query seen.
 */
function elsewhere(q: BulkQuery): boolean {
  if (q.phantom || !q.query) return true;
  if (q.replies + q.data + q.dones > 0) return true;
  if (q.conn.serverCompletions > q.completionsAtLast) return true;
  const opts = q.query.message.options;
  return !opts.some((o) => o.code === 1) || !opts.some((o) => o.code === 44);
}

/**
 * Where the wait for the server's close starts: the later of the last outstanding query's completion
 * (or the requestor's FIN) and the server's last message after it. RFC 5460 §7.4 asks the server to
 * close after it has finished; one still sending has not (what it sends is other rules' to judge).
 */
function sinceOf(w: Wait): { frame: number; time: number } {
  return w.lastFrame > w.fromFrame ? { frame: w.lastFrame, time: w.lastTime } : { frame: w.fromFrame, time: w.fromTime };
}

/** A FIN/RST frame (0 = none) that came before `frame`. */
function before(f: number, frame: number): boolean {
  return f !== 0 && f < frame;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const tolerance = ctx.options.tolerance as number;
    const waits = new Map<BulkConnection, Wait>();
    /** Connections (until they end) where the server sent answers under an xid no query had: BLQ-XID-*'s. */
    const misanswered = new Set<BulkConnection>();
    const report = (conn: BulkConnection, w: Wait, messageId: string, frame: number, time: number, verdict: 'violation' | 'inconclusive', data: Record<string, string | number> = {}): void => {
      waits.delete(conn);
      ctx.report({
        messageId, verdict, data: { tolerance, ...data },
        ...at(conn, [w.finFrame, w.fromFrame !== w.finFrame ? w.fromFrame : 0, w.lastFrame > w.fromFrame ? w.lastFrame : 0, w.abortFrame, frame], time),
      });
    };
    /** The server closed (FIN or RST) at this frame. */
    const serverClosed = (conn: BulkConnection, frame: number, time: number): void => {
      const w = waits.get(conn);
      if (!w || w.abortFrame !== 0) return;
      if (w.left > 0) {
        w.abortFrame = frame; // judged at bulk:close, once the queries it cut short are known
        w.abortOutstanding = w.left;
        return;
      }
      const delay = time - sinceOf(w).time;
      // RFC 5460 §7.4 MUST: close after finishing; the tolerance says how soon counts as "after". Not
      // judged when queries may have been unseen (mid-stream start, lost bytes) or left unfollowed (a
      // state limit): one of those may have been what the server was still finishing.
      if (delay > tolerance && !conn.startUnseen && !conn.limited && conn.losses[0] + conn.losses[1] === 0) {
        report(conn, w, 'late', frame, time, 'violation', { delay: Math.round(delay * 1000) / 1000 });
      } else {
        waits.delete(conn);
      }
    };
    return {
      'bulk:fin'(e) {
        const conn = e.conn;
        if (e.by === 'server') { serverClosed(conn, e.frame, e.time); return; }
        // The trigger: the requestor closes first (the server has neither closed nor reset).
        // (Compared by frame: the connection's FIN/RST frames are set once, and a rule may read them later.)
        if (waits.has(conn) || before(conn.fin[1], e.frame) || before(conn.rst[0], e.frame) || before(conn.rst[1], e.frame)) return;
        const none = e.outstanding === 0;
        waits.set(conn, {
          finFrame: e.frame, left: e.outstanding, fromFrame: none ? e.frame : 0, fromTime: none ? e.time : 0,
          lastFrame: 0, lastTime: 0, abortFrame: 0, abortOutstanding: 0, judgedElsewhere: false,
        });
      },
      'bulk:rst'(e) {
        if (e.by === 'server') { serverClosed(e.conn, e.frame, e.time); return; }
        const conn = e.conn;
        const w = waits.get(conn);
        if (!w || w.abortFrame !== 0) return;
        // The requestor reset the connection, which ends it for the server too; only a reset after the
        // tolerance shows the server had not closed in time.
        const certain = !conn.startUnseen && !conn.limited && conn.losses[0] + conn.losses[1] === 0;
        if (certain && w.fromFrame !== 0 && e.time - sinceOf(w).time > tolerance) report(conn, w, 'no-close', e.frame, e.time, 'violation');
        else waits.delete(conn);
      },
      'bulk:query-end'(e) {
        if (waits.size === 0) return;
        const w = waits.get(e.conn);
        if (!w) return;
        if (e.state === 'complete-by-close' || e.state === 'incomplete') {
          if (w.abortFrame !== 0 && elsewhere(e.query)) w.judgedElsewhere = true;
        } else if (!e.query.phantom && w.left > 0 && --w.left === 0) {
          // Every query completes once (bulk.ts finish1), and none can come after the requestor's FIN.
          w.fromFrame = e.frame;
          w.fromTime = e.time;
        }
      },
      'bulk:message'(e) {
        if (e.role !== 'server' || waits.size === 0) return;
        const w = waits.get(e.conn);
        // Only once nothing is outstanding: until then the server's messages are the completion itself.
        if (w && w.fromFrame !== 0) { w.lastFrame = e.frame; w.lastTime = e.time; }
      },
      'bulk:unmatched'(e) {
        misanswered.add(e.conn);
      },
      'bulk:close'(e) {
        const conn = e.conn;
        const w = waits.get(conn);
        const xidErrors = misanswered.delete(conn);
        if (!w) return;
        const uncertain = conn.startUnseen || conn.limited || conn.losses[0] + conn.losses[1] > 0;
        if (w.abortFrame !== 0) {
          // An abort (RFC 5460 §7.4 allows one), reported only when no other rule judges what it cut short.
          if (w.judgedElsewhere || xidErrors || uncertain) waits.delete(conn);
          else report(conn, w, 'abort', w.abortFrame, e.time, 'violation', { outstanding: w.abortOutstanding });
          return;
        }
        const reason = e.close.reason;
        if (reason === 'fin' || reason === 'rst') { waits.delete(conn); return; } // closed without a server FIN/RST event
        if (conn.startUnseen) { report(conn, w, 'mid', e.frame, e.time, 'inconclusive'); return; }
        if (conn.limited || conn.losses[0] + conn.losses[1] > 0) { report(conn, w, 'lost', e.frame, e.time, 'inconclusive'); return; }
        const u = unseenEnd(reason);
        if (u.messageId !== 'capture-end') { report(conn, w, u.messageId, e.frame, e.time, 'inconclusive', { why: u.why }); return; }
        if (w.fromFrame === 0) { report(conn, w, 'unfinished', e.frame, e.time, 'inconclusive'); return; }
        if (e.time - sinceOf(w).time > tolerance) report(conn, w, 'no-close', e.frame, e.time, 'violation');
        else report(conn, w, 'capture-end', e.frame, e.time, 'inconclusive');
      },
    };
  },
};
