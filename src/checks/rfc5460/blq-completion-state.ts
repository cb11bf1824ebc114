// BLQ-COMPLETION-STATE: the RFC 5460 §6.3.1 state machine lives in the correlator; this rule says
// which queries it could not finish (no answer when the capture, a timeout or a limit stopped it).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:query-end'(e) {
        const q = e.query;
        if (e.state !== 'incomplete' || q.phantom || q.replies > 0 || q.dones > 0 || q.data > 0 || !q.query) return;
        const reason = e.close?.reason === 'timeout' ? 'idle timeout' : e.close?.reason === 'limit' ? 'state limit' : 'end of the capture';
        ctx.report({
          messageId: 'incomplete', verdict: 'inconclusive', data: { xid: q.xid, reason },
          ...at(e.conn, [q.query.frame, e.frame], e.time, q.xid),
        });
      },
    };
  },
};
