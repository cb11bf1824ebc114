// ALQ-KEEPALIVE: on an idle active connection the server sends a LEASEQUERY-DATA without binding data
// every ACTIVE_LQ_IDLE_TIMEOUT (RFC 7653 §8.4, §6.4). Judged: server silences the capture observed,
// between two server messages or from the last one to the connection's end or the capture's.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import { at, bulkCodes } from '../bulk-util.js';

/** An active query whose server is watched. */
interface Watch {
  xid: number;
  /** The successful REPLY that made the query active. */
  replyFrame: number;
  /** The server's last message (frame and time): the silence runs from it. */
  frame: number;
  time: number;
  /** Server octets were lost (gap, lost framing, a FIN inside a message) since that message. */
  lost: boolean;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const active = bulkCodes(ctx.profile).active; // -1 under draft-01 (it predates RFC 7653): never matches
    const idle = ctx.options['idle-timeout'] as number;
    const limit = idle + (ctx.options.tolerance as number);
    const watch = new Map<BulkConnection, Watch>();

    /** Judges the silence from the watch's last server message to `frame`/`time`; true when reported. */
    const judge = (conn: BulkConnection, w: Watch, frame: number, time: number, until: string): boolean => {
      const gap = time - w.time;
      if (gap <= limit) return false;
      watch.delete(conn); // one finding per connection
      const frames = [...new Set([w.replyFrame, w.frame, frame])].sort((a, b) => a - b);
      const data = { xid: w.xid, gap: (Math.round(gap * 10) / 10).toString(), from: w.frame, until, idle };
      // RFC 7653 §8.4 SHOULD: a keep-alive LEASEQUERY-DATA every ACTIVE_LQ_IDLE_TIMEOUT while idle.
      ctx.report({ messageId: w.lost ? 'silent-loss' : 'silent', verdict: w.lost ? 'inconclusive' : 'violation', data, ...at(conn, frames, time, w.xid) });
      return true;
    };

    return {
      'bulk:reply'(e) {
        const q = e.query;
        if (e.placement !== 'valid' || q.requestType !== active || q.status !== 0 || watch.has(e.conn)) return;
        watch.set(e.conn, { xid: q.xid, replyFrame: e.frame, frame: e.frame, time: e.time, lost: false });
      },
      'bulk:message'(e) {
        if (watch.size === 0) return; // hot path: no active query watched
        if (e.role !== 'server') return;
        const w = watch.get(e.conn);
        if (w === undefined || e.frame === w.replyFrame) return;
        if (judge(e.conn, w, e.frame, e.time, `frame ${e.frame}`)) return;
        w.frame = e.frame;
        w.time = e.time;
        w.lost = false;
      },
      'bulk:done'(e) {
        // RFC 7653 §9.5: a DONE ends the active query; its close is the server's next step, not a keep-alive.
        const w = watch.get(e.conn);
        if (w !== undefined && e.query.xid === w.xid) watch.delete(e.conn);
      },
      'bulk:loss'(e) {
        const w = watch.get(e.conn);
        if (w !== undefined && e.dir === 1 && e.kind !== 'resync') w.lost = true;
      },
      'bulk:fin'(e) {
        const w = watch.get(e.conn);
        if (w === undefined) return;
        judge(e.conn, w, e.frame, e.time, `the ${e.by}'s FIN (frame ${e.frame})`);
        watch.delete(e.conn);
      },
      'bulk:rst'(e) {
        const w = watch.get(e.conn);
        if (w === undefined) return;
        judge(e.conn, w, e.frame, e.time, `the ${e.by}'s RST (frame ${e.frame})`);
        watch.delete(e.conn);
      },
      'bulk:close'(e) {
        const w = watch.get(e.conn);
        if (w === undefined) return;
        watch.delete(e.conn);
        // Observed silence: up to the capture's last timestamp, or to the idle timeout that stopped the
        // following. A new connection on the 4-tuple or a limit ended this one at a moment not seen.
        if (e.close.reason === 'capture-end') judge(e.conn, w, e.frame, e.time, `the end of the capture (frame ${e.frame})`);
        else if (e.close.reason === 'timeout') judge(e.conn, w, e.frame, e.time, 'the connection was given up as idle');
      },
    };
  },
};
