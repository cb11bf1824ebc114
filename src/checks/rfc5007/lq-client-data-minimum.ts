// LQ-CLIENT-DATA-MINIMUM: every OPTION_CLIENT_DATA holds the client's DUID, at least one IAADDR or
// IAPREFIX (directly, not inside an IA_NA/IA_PD), and a 4-octet CLT_TIME (RFC 5007 §4.4.2, §4.1.2.2,
// §4.1.2.3). Checked in UDP LEASEQUERY-REPLYs and in TCP LEASEQUERY-REPLY/-DATA.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { Party, RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';
import { tcpScope } from '../lq-common.js';

interface Where { frames: number[]; time: number; xid?: number; client?: Party; server?: Party; connection?: string }

export const lqClientDataMinimum: RuleModule<Events> = {
  create(ctx) {
    const judge = (m: Dhcpv6Message, w: Where): void => {
      for (const cd of m.options) {
        if (cd.code !== 45) continue;
        const sub = cd.options ?? [];
        const has = (c: number) => sub.some((o) => o.code === c);
        const missing: string[] = [];
        if (!has(1)) missing.push('OPTION_CLIENTID');
        const leases = has(5) || has(26);
        const nested = !leases && sub.some((o) => (o.code === 3 || o.code === 4 || o.code === 25) && (o.options ?? []).some((x) => x.code === 5 || x.code === 26));
        if (!leases && !nested) missing.push('OPTION_IAADDR or OPTION_IAPREFIX');
        if (!has(46)) missing.push('OPTION_CLT_TIME');
        const clt = sub.find((o) => o.code === 46);
        let messageId: string | undefined;
        let data: Record<string, string | number> = {};
        if (missing.length) { messageId = 'incomplete'; data = { missing: missing.join(', ') }; } // RFC 5007 §4.4.2 MUST
        else if (nested) messageId = 'nested';
        else if (clt && clt.length !== 4) { messageId = 'bad-clt-time'; data = { length: clt.length }; }
        if (!messageId) continue;
        ctx.report({ ...w, messageId, data });
        return;
      }
    };
    return {
      'lq:transaction-end': (tx) => {
        for (const r of tx.responses) judge(r.message, { frames: r.frames, time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server) });
      },
      message: (r) => {
        if (r.transport !== 'tcp' || (r.message.msgType !== 15 && r.message.msgType !== 17)) return;
        judge(r.message, { frames: r.frames, time: r.time, xid: r.message.xid, ...tcpScope(r) });
      },
    };
  },
};
