// LQ-CLIENT-DATA-MINIMUM: every OPTION_CLIENT_DATA holds the client's DUID, at least one IAADDR or
// IAPREFIX (directly, not inside an IA_NA/IA_PD), and a 4-octet CLT_TIME (RFC 5007 §4.4.2, §4.1.2.2,
// §4.1.2.3). Checked in UDP LEASEQUERY-REPLYs and in TCP LEASEQUERY-REPLY/-DATA.
// Hot path: every bulk DATA message. One pass over the octets (OptionCursor), no option tree and no
// allocation unless a finding is made.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import { OptionCursor } from '../../dhcpv6/helpers.js';
import { partyOf } from '../client-common.js';

const OPTION_CLIENTID = 1;
const OPTION_IA_NA = 3;
const OPTION_IA_TA = 4;
const OPTION_IAADDR = 5;
const OPTION_IA_PD = 25;
const OPTION_IAPREFIX = 26;
const OPTION_CLIENT_DATA = 45;
const OPTION_CLT_TIME = 46;

/** What is wrong with a message's first defective CLIENT_DATA: message id and template data. */
export interface ClientDataDefect {
  messageId: 'incomplete' | 'nested' | 'bad-clt-time';
  data: Record<string, string | number>;
}

// One cursor per level (message, CLIENT_DATA, IA), reused: the rule allocates nothing unless it reports.
const top = new OptionCursor();
const inCd = new OptionCursor();
const inIa = new OptionCursor();

/** The CLIENT_DATA `top` is on, judged (RFC 5007 §4.4.2 MUST), or undefined when it is complete. */
function judgeClientData(): ClientDataDefect | undefined {
  let clientId = false;
  let leases = false;
  let wrapped = false;
  let clt = -1; // option-len of the first CLT_TIME
  if (top.enter(inCd)) {
    while (inCd.next()) {
      const c = inCd.code;
      if (c === OPTION_CLIENTID) clientId = true;
      else if (c === OPTION_IAADDR || c === OPTION_IAPREFIX) leases = true;
      else if (c === OPTION_CLT_TIME) { if (clt < 0) clt = inCd.length; }
      else if ((c === OPTION_IA_NA || c === OPTION_IA_TA || c === OPTION_IA_PD) && !wrapped && inCd.enter(inIa)) {
        while (inIa.next()) if (inIa.code === OPTION_IAADDR || inIa.code === OPTION_IAPREFIX) { wrapped = true; break; }
      }
    }
  }
  const nested = !leases && wrapped;
  if (!clientId || (!leases && !nested) || clt < 0) {
    const missing: string[] = [];
    if (!clientId) missing.push('OPTION_CLIENTID');
    if (!leases && !nested) missing.push('OPTION_IAADDR or OPTION_IAPREFIX');
    if (clt < 0) missing.push('OPTION_CLT_TIME');
    return { messageId: 'incomplete', data: { missing: missing.join(', ') } };
  }
  if (nested) return { messageId: 'nested', data: {} };
  if (clt !== 4) return { messageId: 'bad-clt-time', data: { length: clt } };
  return undefined;
}

/** The first defective OPTION_CLIENT_DATA of a message, in wire order, or undefined. */
export function clientDataDefect(m: Dhcpv6Message): ClientDataDefect | undefined {
  top.open(m);
  while (top.next()) {
    if (top.code !== OPTION_CLIENT_DATA) continue;
    const d = judgeClientData();
    if (d !== undefined) return d;
  }
  return undefined;
}

export const lqClientDataMinimum: RuleModule<Events> = {
  create(ctx) {
    return {
      'lq:transaction-end': (tx) => {
        for (const r of tx.responses) {
          const d = clientDataDefect(r.message);
          if (d === undefined) continue;
          ctx.report({
            frames: r.frames, time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server),
            messageId: d.messageId, data: d.data,
          });
        }
      },
      'message:tcp': (r) => {
        const m = r.message;
        if (m.msgType !== 15 && m.msgType !== 17) return;
        const d = clientDataDefect(m);
        if (d === undefined) return;
        ctx.report({
          frames: r.frames, time: r.time, xid: m.xid, connection: r.connection?.label,
          messageId: d.messageId, data: d.data,
        });
      },
    };
  },
};
