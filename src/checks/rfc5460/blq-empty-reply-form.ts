// BLQ-EMPTY-REPLY-FORM: an empty REPLY has neither status code nor CLIENT_DATA (RFC 5460 §7.2).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:reply'(e) {
        const q = e.query;
        if (e.placement !== 'valid' || q.phantom || q.replyHasClientData) return;
        const st = e.record.message.options.find((o) => o.code === 13);
        if (!st || st.data.length < 2 || ((st.data[0] << 8) | st.data[1]) !== 0) return;
        // RFC 5460 §7.2 SHOULD omit the status; Success is still success (informational).
        ctx.report({ messageId: 'explicit-success', data: { xid: q.xid }, ...at(e.conn, [e.frame], e.time, q.xid) });
      },
    };
  },
};
