// BLQ-DONE-AFTER-BINDINGS: a successful REPLY with bindings is followed by exactly one DONE (RFC 5460 §5.2.2).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, isActive, unseenEnd } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:done'(e) {
        const q = e.query;
        if (e.placement !== 'second' || q.phantom) return;
        // RFC 5460 §5.2.2: one DONE per query.
        ctx.report({
          messageId: 'second-done', verdict: e.certain ? 'violation' : 'inconclusive', data: { xid: q.xid },
          ...at(e.conn, [q.done?.frame ?? 0, e.frame], e.time, q.xid),
        });
      },
      'bulk:query-end'(e) {
        const q = e.query;
        if (q.phantom || q.done || !q.reply || q.status !== 0 || !q.replyHasClientData) return;
        // RFC 7653 §9.3: an active query's stream has no DONE at its end (ALQ-DONE-TERMINATES judges its DONEs).
        if (isActive(q)) return;
        const frames = [q.reply.frame, q.lastFrame, e.frame];
        const d = { ...at(e.conn, frames, e.time, q.xid), data: { xid: q.xid } };
        if (e.state === 'incomplete') {
          const u = unseenEnd(e.close?.reason);
          ctx.report({ messageId: u.messageId, verdict: 'inconclusive', ...d, data: { ...d.data, why: u.why } });
          return;
        }
        if (e.state !== 'complete-by-close') return;
        if (e.close?.rstBy === 'requestor') return; // the requestor aborted the stream
        if (!e.certain) {
          ctx.report({ messageId: 'lost', verdict: 'inconclusive', ...d });
          return;
        }
        // RFC 5460 §5.2.2 MUST; §7.4 allows an abort, so a close right after the query is graded lower.
        const finishedOthers = e.conn.serverCompletions > q.completionsAtLast;
        ctx.report({ messageId: finishedOthers ? 'closed-without-done' : 'possible-abort', ...d });
      },
    };
  },
};
