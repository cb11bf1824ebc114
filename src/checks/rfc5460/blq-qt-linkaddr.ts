// BLQ-QT-LINKADDR: QUERY_BY_LINK_ADDRESS names a link, not :: (RFC 5460 §5.3.2).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at } from '../bulk-util.js';
import { lqLink, lqQueryOf } from '../lq-common.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:query'(e) {
        if (e.reuse?.outstanding) return;
        const q = lqQueryOf(e.record.message);
        // Too short to hold a link-address: LQ-QUERY-STRUCTURE reports that, not this rule.
        if (!q || q.type !== 4 || !lqLink(q) || !q.linkUnspecified) return;
        ctx.report({ messageId: 'unspecified', data: { xid: e.query.xid }, ...at(e.conn, [e.frame], e.time, e.query.xid) });
      },
    };
  },
};
