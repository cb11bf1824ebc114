// BLQ-XID-UNIQUE: no xid reused while its query is outstanding (RFC 5460 §6.5).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:query'(e) {
        const r = e.reuse;
        if (!r || !r.previous.query) return;
        const previous = r.previous.query.frame;
        const d = { ...at(e.conn, [previous, e.frame], e.time, e.query.xid), data: { xid: e.query.xid, previous } };
        if (!r.outstanding) ctx.report({ messageId: 'reused', ...d });
        else if (r.certain) ctx.report({ messageId: 'outstanding', ...d });
        else ctx.report({ messageId: 'lost', verdict: 'inconclusive', ...d });
      },
    };
  },
};
