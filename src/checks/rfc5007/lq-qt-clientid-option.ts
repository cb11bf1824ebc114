// LQ-QT-CLIENTID-OPTION: QUERY_BY_CLIENTID carries the DUID asked about as an OPTION_CLIENTID inside the query-options, apart from the requestor's own top-level Client-ID (RFC 5007 §4.1.2.1). Checked on UDP LEASEQUERYs and on LEASEQUERYs over TCP;
// a malformed LQ_QUERY is LQ-QUERY-STRUCTURE's.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';
import { lqQueryOf, onEveryQuery } from '../lq-common.js';

export const lqQtClientidOption: RuleModule<Events> = {
  create(ctx) {
    const judge = (m: Dhcpv6Message, d: Omit<ReportDescriptor, 'messageId'>): void => {
      const q = lqQueryOf(m);
      if (!q || !q.wellFormed || q.type !== 2) return;
      if (q.queryOptions.some((o) => o.code === 1)) return; // RFC 5007 §4.1.2.1
      ctx.report({ ...d, messageId: 'missing' });
    };
    return onEveryQuery(judge);
  },
};
