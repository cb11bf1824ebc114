// BLQ-DATA-NO-REDUNDANT-OPTIONS: no top-level Server-ID, Client-ID or status in DATA (RFC 5460 §5.2.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, isActive } from '../bulk-util.js';

const NAMES = new Map([[1, 'OPTION_CLIENTID'], [2, 'OPTION_SERVERID'], [13, 'OPTION_STATUS_CODE']]);

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:data'(e) {
        if (e.placement !== 'valid' || isActive(e.query)) return;
        const found = new Set<string>();
        for (const o of e.record.message.options) {
          const name = NAMES.get(o.code);
          if (name) found.add(name);
        }
        if (found.size === 0) return;
        // RFC 5460 §5.2.1 SHOULD NOT.
        ctx.report({ messageId: 'redundant', data: { xid: e.query.xid, names: [...found].join(', ') }, ...at(e.conn, [e.frame], e.time, e.query.xid) });
      },
    };
  },
};
