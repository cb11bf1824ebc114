// BLQ-SINGLE-REPLY: exactly one LEASEQUERY-REPLY per query (RFC 5460 §5.2).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, isActive, withReply } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:reply'(e) {
        if (e.placement !== 'second' || e.query.phantom) return;
        if (isActive(e.query)) return; // RFC 7653 §6.2.3: ALQ-SINGLE-REPLY-AND-CATCHUP's
        // RFC 5460 §5.2: a single REPLY.
        ctx.report({
          messageId: e.certain ? 'second-reply' : 'lost', verdict: e.certain ? 'violation' : 'inconclusive',
          data: { xid: e.query.xid }, ...at(e.conn, withReply(e.query, e), e.time, e.query.xid),
        });
      },
    };
  },
};
