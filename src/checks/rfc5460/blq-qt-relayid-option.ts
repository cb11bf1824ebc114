// BLQ-QT-RELAYID-OPTION: QUERY_BY_RELAY_ID carries OPTION_RELAY_ID in its query-options (RFC 5460 §5.3.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, bulkCodes, lqQueryOf } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const code = bulkCodes(ctx.profile).relayId;
    return {
      'bulk:query'(e) {
        if (e.reuse?.outstanding) return;
        const m = e.record.message;
        const q = lqQueryOf(m);
        if (!q || q.type !== 3 || q.sub.some((o) => o.code === code)) return;
        const misplaced = m.options.some((o) => o.code === code);
        ctx.report({ messageId: misplaced ? 'misplaced' : 'missing', data: { xid: e.query.xid }, ...at(e.conn, [e.frame], e.time, e.query.xid) });
      },
    };
  },
};
