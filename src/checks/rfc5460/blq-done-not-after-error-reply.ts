// BLQ-DONE-NOT-AFTER-ERROR-REPLY: no DONE after a REPLY with an error status (RFC 5460 §7.2, §6.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, withReply } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:done'(e) {
        if (e.placement !== 'after-error' || e.query.phantom) return;
        // RFC 5460 §7.2: an error REPLY means nothing follows.
        ctx.report({
          messageId: e.certain ? 'done-after-error' : 'lost', verdict: e.certain ? 'violation' : 'inconclusive',
          data: { xid: e.query.xid, status: e.query.status ?? 0 }, ...at(e.conn, withReply(e.query, e), e.time, e.query.xid),
        });
      },
    };
  },
};
