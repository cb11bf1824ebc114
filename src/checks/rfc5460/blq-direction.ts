// BLQ-DIRECTION: LEASEQUERY from the requestor, REPLY/DATA/DONE from the server (RFC 5460 §3, §6, §7).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, bulkCodes, bulkName } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const k = bulkCodes(ctx.profile);
    return {
      'bulk:message'(e) {
        const t = e.record.message.msgType;
        const wrong = e.role === 'requestor' ? t === k.reply || t === k.done || t === k.data : t === k.lq;
        if (!wrong) return; // disallowed types are BLQ-MSGTYPES-ALLOWED's
        const data = { name: bulkName(ctx.profile, t), role: e.role };
        const d = at(e.conn, [e.frame], e.time, e.record.message.xid);
        if (e.conn.rolesKnown) ctx.report({ messageId: 'wrong-way', data, ...d });
        else ctx.report({ messageId: 'inferred', verdict: 'inconclusive', data, ...d });
      },
    };
  },
};
