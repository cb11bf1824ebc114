// BLQ-NO-DONE-AFTER-EMPTY: no DONE after a REPLY without OPTION_CLIENT_DATA (RFC 5460 §6.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, withReply } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:done'(e) {
        if (e.placement !== 'after-empty' || e.query.phantom) return;
        // RFC 5460 §6.3: an empty REPLY is final.
        ctx.report({
          messageId: e.certain ? 'done-after-empty' : 'lost', verdict: e.certain ? 'violation' : 'inconclusive',
          data: { xid: e.query.xid }, ...at(e.conn, withReply(e.query, e), e.time, e.query.xid),
        });
      },
    };
  },
};
