// BLQ-COMPLETION-STATE: the RFC 5460 §6.3.1 state machine lives in the correlator; this rule says
// which queries it could not finish (no answer when the capture, a timeout or a limit stopped it).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { LatestAnswered, at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const latest = new LatestAnswered(); // an unanswered query older than the latest answered one is BLQ-PARALLEL's
    return {
      ...latest.listeners(),
      'bulk:query-end'(e) {
        const q = e.query;
        if (e.state !== 'incomplete' || q.phantom || q.replies > 0 || q.dones > 0 || q.data > 0 || !q.query) return;
        const opts = q.query.message.options;
        const parallelJudges = latest.laterThan(q) && opts.some((o) => o.code === 1) && opts.some((o) => o.code === 44);
        if (parallelJudges) return;
        const why = e.close?.reason;
        const reason = why === 'timeout' ? 'idle timeout' : why === 'limit' ? 'state limit'
          : why === 'reused' ? 'a new connection on the same addresses and ports; how this one ended was not captured' : 'end of the capture';
        ctx.report({
          messageId: 'incomplete', verdict: 'inconclusive', data: { xid: q.xid, reason },
          ...at(e.conn, [q.query.frame, e.frame], e.time, q.xid),
        });
      },
    };
  },
};
