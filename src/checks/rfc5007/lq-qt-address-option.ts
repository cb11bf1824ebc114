// LQ-QT-ADDRESS-OPTION: QUERY_BY_ADDRESS carries the address asked about as an OPTION_IAADDR inside the query-options (RFC 5007 §4.1.2.1). Checked on UDP LEASEQUERYs and on LEASEQUERYs over TCP;
// a malformed LQ_QUERY is LQ-QUERY-STRUCTURE's.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';
import { lqQueryOf, onEveryQuery } from '../lq-common.js';

export const lqQtAddressOption: RuleModule<Events> = {
  create(ctx) {
    const judge = (m: Dhcpv6Message, d: Omit<ReportDescriptor, 'messageId'>): void => {
      const q = lqQueryOf(m);
      if (!q || !q.wellFormed || q.type !== 1) return;
      if (q.queryOptions.some((o) => o.code === 5)) return; // RFC 5007 §4.1.2.1
      const atTop = m.options.some((o) => o.code === 5);
      ctx.report({ ...d, messageId: atTop ? 'misplaced' : 'missing' });
    };
    return onEveryQuery(judge);
  },
};
