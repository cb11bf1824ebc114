// BLQ-DATA-NO-REDUNDANT-OPTIONS: no top-level Server-ID, Client-ID or status in DATA (RFC 5460 §5.2.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import { at, isActive } from '../bulk-util.js';

const NAMES = new Map([[1, 'OPTION_CLIENTID'], [2, 'OPTION_SERVERID'], [13, 'OPTION_STATUS_CODE']]);
const CLIENTID = 1;
const SERVERID = 2;
const STATUS_CODE = 13;

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:data'(e) {
        if (e.placement !== 'valid' || isActive(e.query)) return;
        // Hot path (every DATA): three top-level look-ups, the names only for a finding.
        const m = e.record.message;
        if (!hasOption(m, CLIENTID) && !hasOption(m, SERVERID) && !hasOption(m, STATUS_CODE)) return;
        const found = new Set<string>();
        for (const o of m.options) {
          const name = NAMES.get(o.code);
          if (name) found.add(name);
        }
        // RFC 5460 §5.2.1 SHOULD NOT.
        ctx.report({ messageId: 'redundant', data: { xid: e.query.xid, names: [...found].join(', ') }, ...at(e.conn, [e.frame], e.time, e.query.xid) });
      },
    };
  },
};
