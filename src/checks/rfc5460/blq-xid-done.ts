// BLQ-XID-DONE: a LEASEQUERY-DONE carries the xid of a query on its connection (RFC 5460 §5.2, RFC 5007 §4.4.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:unmatched'(e) {
        if (e.kind !== 'done') return;
        const xid = e.query.xid;
        if (e.certain) {
          ctx.report({ messageId: 'unknown-xid', data: { xid }, ...at(e.conn, [e.frame], e.time, xid) });
          return;
        }
        const why = e.conn.startUnseen ? 'the start of the connection was not captured'
          : e.conn.limited ? 'a state limit dropped queries on this connection'
          : 'bytes from the requestor are missing from the capture';
        ctx.report({ messageId: 'unseen', verdict: 'inconclusive', data: { xid, why }, ...at(e.conn, [e.frame], e.time, xid) });
      },
    };
  },
};
