// BLQ-REPLY-IDS: the REPLY carries Server-ID and the query's Client-ID (RFC 5460 §5.2, RFC 5007 §4.2.2).
// A REPLY serving a query the server must discard is LQ-SRV-DISCARD-INVALID's alone: it should not
// exist, so its contents are not judged (one defect, one finding); an error REPLY to such a query is.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Option } from '../../dhcpv6/types.js';
import { at, isActive } from '../bulk-util.js';
import { sameBytes } from '../../dhcpv6/options/primitives.js';
import { bulkServedInvalid } from '../lq-common.js';

function first(options: Dhcpv6Option[], code: number): Dhcpv6Option | undefined {
  return options.find((o) => o.code === code);
}

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:reply'(e) {
        const q = e.query;
        if (e.placement !== 'valid' || q.phantom || !q.query) return;
        if (bulkServedInvalid(q.query.message, e.record.message, isActive(q)) !== undefined) return; // LQ-SRV-DISCARD-INVALID's
        const r = e.record.message.options;
        const askedId = first(q.query.message.options, 1);
        const missing: string[] = [];
        if (!first(r, 2)) missing.push('a Server-ID');
        const replyId = first(r, 1);
        if (askedId && !replyId) missing.push("the requestor's Client-ID");
        const d = at(e.conn, [q.query.frame, e.frame], e.time, q.xid);
        // RFC 5007 §4.2.2: a requestor discards a REPLY without these.
        if (missing.length) ctx.report({ messageId: 'missing', data: { xid: q.xid, what: missing.join(' and ') }, ...d });
        else if (askedId && replyId && !sameBytes(askedId.data, replyId.data)) ctx.report({ messageId: 'client-id-mismatch', data: { xid: q.xid }, ...d });
      },
    };
  },
};
