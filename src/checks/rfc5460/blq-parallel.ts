// BLQ-PARALLEL: pipelined queries may be answered in any order, but each gets an answer: a query
// left unanswered while later ones were answered is a violation (RFC 5460 §6.5, §7.4).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { LatestAnswered, at, unseenEnd } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const latest = new LatestAnswered();
    return {
      ...latest.listeners(),
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
    };
  },
};
