// LQ-QUERY-STRUCTURE: OPTION_LQ_QUERY holds a query type, a 16-octet link-address and query-options
// that fill the rest exactly (RFC 5007 §4.1.2.1). Checked on UDP LEASEQUERYs (once per transaction)
// and on LEASEQUERYs over TCP.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';
import { lqQueryOf, onEveryQuery } from '../lq-common.js';

export const lqQueryStructure: RuleModule<Events> = {
  create(ctx) {
    const judge = (m: Dhcpv6Message, d: Omit<ReportDescriptor, 'messageId' | 'data'>): void => {
      const q = lqQueryOf(m);
      if (!q || q.wellFormed) return;
      ctx.report({ ...d, messageId: q.option.length < 17 ? 'short' : 'bad-options', data: { length: q.option.length } });
    };
    return onEveryQuery(judge);
  },
};
