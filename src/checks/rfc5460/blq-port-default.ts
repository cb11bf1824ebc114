// BLQ-PORT-DEFAULT: bulk leasequery on TCP 547 unless configured (RFC 5460 §5.6).
// Hot path (every bulk message): connections opened but without a message yet are few, so almost
// every message costs one size test.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    // `bulk:open` comes before a connection's first `bulk:message` (correlate/bulk-events.ts).
    const fresh = new Set<BulkConnection>();
    return {
      'bulk:open'(e) { fresh.add(e.conn); },
      'bulk:message'(e) {
        if (fresh.size === 0 || !fresh.delete(e.conn)) return;
        const port = e.conn.tcp.server.port;
        if (port === 547) return;
        ctx.report({ messageId: 'non-default-port', data: { port }, ...at(e.conn, [e.frame], e.time) });
      },
      'bulk:close'(e) { fresh.delete(e.conn); },
    };
  },
};
