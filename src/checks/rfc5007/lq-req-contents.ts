// LQ-REQ-CONTENTS: a LEASEQUERY carries the requestor's own Client-ID and an OPTION_LQ_QUERY (RFC 5007
// §4.3.1), over UDP and over bulk leasequery TCP connections too (RFC 5460 §6.2 builds the query as RFC
// 5007 does). UDP is judged once per transaction at its end; TCP per LEASEQUERY the requestor sends. An
// LQ_QUERY that is present but malformed is LQ-QUERY-STRUCTURE's; a message with decoder anomalies is
// DECODE-DHCPV6's (the option may be there, unreadable); a LEASEQUERY sent by the server end of a
// connection is BLQ-DIRECTION's.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import { judgeTransaction, type Defect } from '../client-contents.js';
import { tcpScope } from '../lq-common.js';

function defects(m: Dhcpv6Message, into: Defect[]): void {
  if (!hasOption(m, 1)) into.push({ messageId: 'no-client-id', missing: true }); // RFC 5007 §4.3.1
  if (!hasOption(m, 44)) into.push({ messageId: 'no-lq-query', missing: true }); // RFC 5007 §4.3.1
}

export const lqReqContents: RuleModule<Events> = {
  create(ctx) {
    const found: Defect[] = [];
    return {
      'lq:transaction-end': (tx) => {
        judgeTransaction(ctx, tx, (t, into) => defects(t.message, into));
      },
      'message:tcp': (r) => {
        const m = r.message;
        if (m.msgType !== 14 || r.direction === 1 || m.anomalies.length !== 0) return;
        found.length = 0;
        defects(m, found);
        for (const d of found) ctx.report({ messageId: d.messageId, frames: r.frames, time: r.time, xid: m.xid, ...tcpScope(r) });
      },
    };
  },
};
