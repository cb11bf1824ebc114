// BLQ-PORT-DEFAULT: bulk leasequery on TCP 547 unless configured (RFC 5460 §5.6).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const seen = new WeakSet<BulkConnection>();
    let last: BulkConnection | undefined; // hot path: the connection of the previous message
    return {
      'bulk:message'(e) {
        if (e.conn === last) return;
        last = e.conn;
        if (seen.has(e.conn)) return;
        seen.add(e.conn);
        const port = e.conn.tcp.server.port;
        if (port === 547) return;
        ctx.report({ messageId: 'non-default-port', data: { port }, ...at(e.conn, [e.frame], e.time) });
      },
    };
  },
};
