// BLQ-NO-CLIENT-LINK: no OPTION_LQ_CLIENT_LINK anywhere in a bulk answer (RFC 5460 §4, §6.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Option } from '../../dhcpv6/types.js';
import { at, bulkCodes, bulkName } from '../bulk-util.js';

function has(options: readonly Dhcpv6Option[], code: number): boolean {
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (o.code === code) return true;
    if (o.options !== undefined && has(o.options, code)) return true; // CLIENT_DATA and other containers; not relayed messages
  }
  return false;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const code = bulkCodes(ctx.profile).clientLink;
    return {
      'bulk:message'(e) {
        if (e.role !== 'server') return;
        const m = e.record.message;
        if (!has(m.options, code)) return;
        // RFC 5460 §4 MUST NOT.
        ctx.report({
          messageId: 'client-link', data: { xid: m.xid ?? 0, msg: bulkName(ctx.profile, m.msgType) },
          ...at(e.conn, [e.frame], e.time, m.xid),
        });
      },
    };
  },
};
