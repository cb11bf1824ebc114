// BLQ-PARALLEL: pipelined queries may be answered in any order, but each gets an answer: a query
// left unanswered while later ones were answered is a violation (RFC 5460 §6.5, §7.4).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent, BulkConnection } from '../../correlate/bulk-events.js';
import { at, unseenEnd } from '../bulk-util.js';

interface Answered { seq: number; xid: number; frame: number }

export const check: RuleModule<Events> = {
  create(ctx) {
    const latest = new Map<BulkConnection, Answered>();
    // Hot path (every answer): the map entry of the connection answered last, mirrored.
    let lastConn: BulkConnection | undefined;
    let lastSeq = 0;
    const answered = (e: BulkAnswerEvent): void => {
      const q = e.query;
      if (q.phantom) return;
      if (e.conn === lastConn && q.seq <= lastSeq) return;
      const cur = latest.get(e.conn);
      if (!cur || q.seq > cur.seq) {
        latest.set(e.conn, { seq: q.seq, xid: q.xid, frame: e.frame });
        lastSeq = q.seq;
      } else lastSeq = cur.seq;
      lastConn = e.conn;
    };
    return {
      'bulk:reply'(e) { answered(e); },
      'bulk:data'(e) { answered(e); },
      'bulk:done'(e) { answered(e); },
      'bulk:query-end'(e) {
        const q = e.query;
        if (q.phantom || !q.query || q.replies + q.data + q.dones > 0) return;
        if (e.state !== 'complete-by-close' && e.state !== 'incomplete') return;
        const later = latest.get(e.conn);
        if (!later || later.seq <= q.seq) return;
        // RFC 5007 §4.2.1: a query without Client-ID or LQ_QUERY may be dropped silently.
        const opts = q.query.message.options;
        if (!opts.some((o) => o.code === 1) || !opts.some((o) => o.code === 44)) return;
        const d = { ...at(e.conn, [q.query.frame, later.frame, e.frame], e.time, q.xid), data: { xid: q.xid, later: later.xid } };
        if (e.state === 'incomplete') {
          const u = unseenEnd(e.close?.reason);
          ctx.report({ messageId: u.messageId, verdict: 'inconclusive', ...d, data: { ...d.data, why: u.why } });
        }
        else if (e.close?.rstBy === 'requestor') ctx.report({ messageId: 'requestor-reset', verdict: 'inconclusive', ...d });
        else if (!e.certain) ctx.report({ messageId: 'lost', verdict: 'inconclusive', ...d });
        else ctx.report({ messageId: 'unanswered', ...d });
      },
      'bulk:close'(e) {
        latest.delete(e.conn);
        if (e.conn === lastConn) lastConn = undefined;
      },
    };
  },
};
