// BLQ-QT-REMOTEID-OPTION: QUERY_BY_REMOTE_ID carries a Remote-ID in its query-options (RFC 5460 §5.3.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, bulkCodes } from '../bulk-util.js';
import { lqQueryOf } from '../lq-common.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const code = bulkCodes(ctx.profile).remoteId;
    return {
      'bulk:query'(e) {
        if (e.reuse?.outstanding) return;
        const m = e.record.message;
        const q = lqQueryOf(m);
        if (!q || q.type !== 5) return;
        const d = at(e.conn, [e.frame], e.time, e.query.xid);
        const rid = q.queryOptions.find((o) => o.code === code);
        if (rid) {
          // RFC 4649: enterprise-number plus at least one octet of id.
          if (rid.length < 5 && !rid.anomalies?.length) ctx.report({ messageId: 'short', data: { xid: e.query.xid, length: rid.length }, ...d });
          return;
        }
        // Query-options that do not parse may hide the Remote-ID: LQ-QUERY-STRUCTURE reports the
        // malformed LQ_QUERY, which is the defect seen.
        if (!q.wellFormed) return;
        const misplaced = m.options.some((o) => o.code === code);
        ctx.report({ messageId: misplaced ? 'misplaced' : 'missing', data: { xid: e.query.xid }, ...d });
      },
    };
  },
};
