// BLQ-MSGTYPES-ALLOWED: only LEASEQUERY, REPLY, DONE and DATA on a bulk connection (RFC 5460 §4), and
// from the requestor also RFC 7653's ACTIVELEASEQUERY and STARTTLS, which that RFC adds to the bulk
// connection it updates (RFC 7653 §6.2, §8.2) when the profile has their code points, and from the
// server the REPLY (type 7) that answers a STARTTLS (§8.2, §9.1; ALQ-STARTTLS judges that answer).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { StartTlsAnswers, at, bulkCodes } from '../bulk-util.js';
import { MESSAGE_NAMES } from '../../dhcpv6/names.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const k = bulkCodes(ctx.profile);
    const starttls = new StartTlsAnswers(k.starttls);
    return {
      'bulk:message'(e) {
        const m = e.record.message;
        const t = m.msgType;
        starttls.note(e.record, e.conn, e.role);
        if (t === k.data || t === k.reply || t === k.done || t === k.lq) return;
        if ((t === k.active || t === k.starttls) && e.role === 'requestor') return;
        if (starttls.isAnswer(e.record)) return; // RFC 7653 §8.2: ALQ-STARTTLS's to judge
        const data = { type: m.msgType, name: MESSAGE_NAMES.get(m.msgType) ?? 'unassigned' };
        // RFC 5460 §4: no other message types on the connection.
        if (e.afterResync) ctx.report({ messageId: 'after-resync', verdict: 'inconclusive', data, ...at(e.conn, [e.frame], e.time, m.xid) });
        else ctx.report({ messageId: 'not-allowed', data, ...at(e.conn, [e.frame], e.time, m.xid) });
      },
      'bulk:close'(e) { starttls.forget(e.conn); },
    };
  },
};
