// LQ-CLIENT-DATA-MINIMUM: every OPTION_CLIENT_DATA holds the client's DUID, at least one IAADDR or
// IAPREFIX (directly, not inside an IA_NA/IA_PD), and a 4-octet CLT_TIME (RFC 5007 §4.4.2, §4.1.2.2,
// §4.1.2.3). Checked in UDP LEASEQUERY-REPLYs and in TCP LEASEQUERY-REPLY/-DATA.
// Hot path: every bulk DATA message. One pass over each CLIENT_DATA's sub-options, no allocation
// unless a finding is made.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message, Dhcpv6Option } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import { hasOption } from '../../dhcpv6/helpers.js';
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

function holdsLease(o: Dhcpv6Option): boolean {
  const sub = o.options;
  if (sub === undefined) return false;
  for (let i = 0; i < sub.length; i++) {
    const c = sub[i].code;
    if (c === OPTION_IAADDR || c === OPTION_IAPREFIX) return true;
  }
  return false;
}

/** One CLIENT_DATA judged (RFC 5007 §4.4.2 MUST), or undefined when it is complete. */
function judgeClientData(cd: Dhcpv6Option): ClientDataDefect | undefined {
  const sub = cd.options;
  let clientId = false;
  let leases = false;
  let wrapped = false;
  let clt: Dhcpv6Option | undefined;
  if (sub !== undefined) {
    for (let i = 0; i < sub.length; i++) {
      const o = sub[i];
      const c = o.code;
      if (c === OPTION_CLIENTID) clientId = true;
      else if (c === OPTION_IAADDR || c === OPTION_IAPREFIX) leases = true;
      else if (c === OPTION_CLT_TIME) { if (clt === undefined) clt = o; }
      else if ((c === OPTION_IA_NA || c === OPTION_IA_TA || c === OPTION_IA_PD) && !wrapped) wrapped = holdsLease(o);
    }
  }
  const nested = !leases && wrapped;
  if (!clientId || (!leases && !nested) || clt === undefined) {
    const missing: string[] = [];
    if (!clientId) missing.push('OPTION_CLIENTID');
    if (!leases && !nested) missing.push('OPTION_IAADDR or OPTION_IAPREFIX');
    if (clt === undefined) missing.push('OPTION_CLT_TIME');
    return { messageId: 'incomplete', data: { missing: missing.join(', ') } };
  }
  if (nested) return { messageId: 'nested', data: {} };
  if (clt.length !== 4) return { messageId: 'bad-clt-time', data: { length: clt.length } };
  return undefined;
}

/** The first defective OPTION_CLIENT_DATA of a message, in wire order, or undefined. */
export function clientDataDefect(m: Dhcpv6Message): ClientDataDefect | undefined {
  if (!hasOption(m, OPTION_CLIENT_DATA)) return undefined;
  const options = m.options;
  for (let i = 0; i < options.length; i++) {
    if (options[i].code !== OPTION_CLIENT_DATA) continue;
    const d = judgeClientData(options[i]);
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
