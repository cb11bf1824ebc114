// BLQ-REPLY-FIRST-BINDING: a REPLY carries at most one client's OPTION_CLIENT_DATA (RFC 5460 §5.2, §7.2).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, countTop } from '../bulk-util.js';

const OPTION_CLIENT_DATA = 45;

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:reply'(e) {
        if (e.placement !== 'valid' || e.query.phantom) return;
        const n = countTop(e.record.message, OPTION_CLIENT_DATA);
        if (n <= 1) return;
        // RFC 5460 §5.2: the first client's bindings in the REPLY, the others in DATA.
        ctx.report({ messageId: 'several-clients', data: { xid: e.query.xid, count: n }, ...at(e.conn, [e.frame], e.time, e.query.xid) });
      },
    };
  },
};
