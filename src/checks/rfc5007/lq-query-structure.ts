// LQ-QUERY-STRUCTURE: OPTION_LQ_QUERY holds a query type, a 16-octet link-address and query-options
// that fill the rest exactly (RFC 5007 §4.1.2.1). Checked on UDP LEASEQUERYs (once per transaction)
// and on LEASEQUERYs over TCP.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';
import { lqQueryOf, tcpScope } from '../lq-common.js';

export const lqQueryStructure: RuleModule<Events> = {
  create(ctx) {
    const judge = (m: Dhcpv6Message, d: Omit<ReportDescriptor, 'messageId' | 'data'>): void => {
      const q = lqQueryOf(m);
      if (!q || q.wellFormed) return;
      ctx.report({ ...d, messageId: q.option.length < 17 ? 'short' : 'bad-options', data: { length: q.option.length } });
    };
    return {
      'lq:transaction-end': (tx) => {
        const t = tx.requests[0];
        judge(t.message, { frames: t.frames, time: t.time, xid: tx.xid, client: partyOf(tx.client) });
      },
      message: (r) => {
        if (r.transport !== 'tcp' || r.message.msgType !== 14 || r.direction === 1) return;
        judge(r.message, { frames: r.frames, time: r.time, xid: r.message.xid, ...tcpScope(r) });
      },
    };
  },
};
