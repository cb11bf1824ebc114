// BLQ-MSGTYPES-ALLOWED: only LEASEQUERY, REPLY, DONE and DATA on a bulk connection (RFC 5460 §4), and the
// ACTIVELEASEQUERY that RFC 7653 §6.2.1 adds to the same connections.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, bulkCodes } from '../bulk-util.js';
import { MESSAGE_NAMES } from '../../dhcpv6/names.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const k = bulkCodes(ctx.profile);
    const alq = ctx.profile.codes.ACTIVELEASEQUERY ?? 22;
    return {
      'bulk:message'(e) {
        const m = e.record.message;
        const t = m.msgType;
        if (t === k.data || t === k.reply || t === k.done || t === k.lq || t === alq) return;
        const data = { type: m.msgType, name: MESSAGE_NAMES.get(m.msgType) ?? 'unassigned' };
        // RFC 5460 §4: no other message types on the connection.
        if (e.afterResync) ctx.report({ messageId: 'after-resync', verdict: 'inconclusive', data, ...at(e.conn, [e.frame], e.time, m.xid) });
        else ctx.report({ messageId: 'not-allowed', data, ...at(e.conn, [e.frame], e.time, m.xid) });
      },
    };
  },
};
