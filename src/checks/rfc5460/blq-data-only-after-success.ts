// BLQ-DATA-ONLY-AFTER-SUCCESS: DATA only after a successful REPLY with bindings (RFC 5460 §5.2.1). An
// RFC 7653 active query streams after any successful REPLY (with bindings or not, or DataMissing), so the
// correlator places its DATA `valid` then; after an error REPLY it ended (§9.3), and its DATA is judged here.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, withReply } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:data'(e) {
        const q = e.query;
        if ((e.placement !== 'after-empty' && e.placement !== 'after-error') || q.phantom) return;
        // RFC 5460 §5.2.1 "MUST ONLY" after a successful query with more than one client.
        ctx.report({
          messageId: e.certain ? e.placement : 'lost', verdict: e.certain ? 'violation' : 'inconclusive',
          data: { xid: q.xid, status: q.status ?? 0 }, ...at(e.conn, withReply(q, e), e.time, q.xid),
        });
      },
    };
  },
};
