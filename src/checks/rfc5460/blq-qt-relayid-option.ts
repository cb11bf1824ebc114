// BLQ-QT-RELAYID-OPTION: QUERY_BY_RELAY_ID carries OPTION_RELAY_ID in its query-options (RFC 5460 §5.3.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, bulkCodes } from '../bulk-util.js';
import { lqQueryOf } from '../lq-common.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const code = bulkCodes(ctx.profile).relayId;
    return {
      'bulk:query'(e) {
        if (e.reuse?.outstanding) return;
        const m = e.record.message;
        const q = lqQueryOf(m);
        if (!q || q.type !== 3 || q.queryOptions.some((o) => o.code === code)) return;
        // Query-options that do not parse (a cut or overrunning option, spare octets) may hide the
        // Relay-ID: LQ-QUERY-STRUCTURE reports the malformed LQ_QUERY, which is the defect seen.
        if (!q.wellFormed) return;
        const misplaced = m.options.some((o) => o.code === code);
        ctx.report({ messageId: misplaced ? 'misplaced' : 'missing', data: { xid: e.query.xid }, ...at(e.conn, [e.frame], e.time, e.query.xid) });
      },
    };
  },
};
