// ALQ-END-TIME-FORBIDDEN: OPTION_LQ_END_TIME is for bulk queries; an ACTIVELEASEQUERY must not carry it
// (RFC 7653 §6.3.3), and a server given one should answer MalformedQuery and close (RFC 7653 §9.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkQuery } from '../../correlate/bulk-events.js';
import type { MessageRecord } from '../../dhcpv6/types.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import { topStatus } from '../lq-common.js';
import { at } from '../bulk-util.js';

/** OPTION_LQ_END_TIME (RFC 7653 §6.3.3). */
const OPTION_LQ_END_TIME = 102;

export const check: RuleModule<Events> = {
  create(ctx) {
    const alq = ctx.profile.codes.ACTIVELEASEQUERY ?? 22;
    const endTime = ctx.profile.codes.OPTION_LQ_END_TIME ?? OPTION_LQ_END_TIME;
    // Active queries that carried the option, waiting for their first REPLY.
    const flagged = new Set<BulkQuery>();
    let resynced: MessageRecord | undefined;
    return {
      'bulk:message'(e) {
        if (e.afterResync) resynced = e.record;
      },
      'bulk:query'(e) {
        const m = e.record.message;
        if (m.msgType !== alq || !hasOption(m, endTime)) return;
        const d = { data: { xid: e.query.xid }, ...at(e.conn, [e.frame], e.time, m.xid) };
        // RFC 7653 §6.3.3: MUST NOT be used in an Active Leasequery request.
        if (resynced === e.record) {
          ctx.report({ messageId: 'after-resync', verdict: 'inconclusive', ...d });
          return;
        }
        ctx.report({ messageId: 'end-time', ...d });
        // A duplicate xid leaves the REPLY to the earlier query: only the query itself is followed.
        if (e.tracked && e.query.query === e.record) flagged.add(e.query);
      },
      'bulk:reply'(e) {
        if (flagged.size === 0 || !flagged.has(e.query)) return;
        flagged.delete(e.query);
        // The event's own record, not the query's (mutable) state: the first REPLY decides.
        if (e.placement !== 'valid' || (topStatus(e.record.message) ?? 0) !== 0) return;
        // RFC 7653 §9.3: the server SHOULD answer MalformedQuery; a REPLY without an error served it.
        const q = e.query.query!;
        ctx.report({ messageId: 'served', data: { xid: e.query.xid, query: q.frame }, ...at(e.conn, [q.frame, e.frame], e.time, e.query.xid) });
      },
      'bulk:query-end'(e) {
        if (flagged.size !== 0) flagged.delete(e.query);
      },
    };
  },
};
