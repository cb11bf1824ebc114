// BLQ-NO-CLIENT-LINK: no OPTION_LQ_CLIENT_LINK anywhere in a bulk answer (RFC 5460 §4, §6.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { containsOption } from '../../dhcpv6/helpers.js';
import { at, bulkCodes, bulkName } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const code = bulkCodes(ctx.profile).clientLink;
    return {
      'bulk:message'(e) {
        if (e.role !== 'server') return;
        const m = e.record.message;
        if (!containsOption(m, code)) return; // CLIENT_DATA and other containers; not relayed messages
        // RFC 5460 §4 MUST NOT.
        ctx.report({
          messageId: 'client-link', data: { xid: m.xid ?? 0, msg: bulkName(ctx.profile, m.msgType) },
          ...at(e.conn, [e.frame], e.time, m.xid),
        });
      },
    };
  },
};
