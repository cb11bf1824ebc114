// BLQ-EMPTY-REPLY-FORM: an empty REPLY has neither status code nor CLIENT_DATA (RFC 5460 §7.2). The
// REPLY opening an RFC 7653 active query may carry Success or no status alike (RFC 7653 §8.4.1, §8.4.2).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { topStatusCode } from '../../dhcpv6/helpers.js';
import { at, isActive } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:reply'(e) {
        const q = e.query;
        if (e.placement !== 'valid' || q.phantom || q.replyHasClientData || isActive(q)) return;
        if (topStatusCode(e.record.message.options) !== 0) return; // a Success status must be present
        // RFC 5460 §7.2 SHOULD omit the status; Success is still success (informational).
        ctx.report({ messageId: 'explicit-success', data: { xid: q.xid }, ...at(e.conn, [e.frame], e.time, q.xid) });
      },
    };
  },
};
