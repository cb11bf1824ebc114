// V6-SRV-ADVERTISE-IA-STATUS: an Advertise answers every IA of the Solicit: the same IA type and IAID
// with the leases it would assign, or empty with NoAddrsAvail/NoPrefixAvail (RFC 8415 §18.3.9).
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Option } from '../../dhcpv6/types.js';
import { optionBodyLength, optionU32, statusOf } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';

const NAMES: Record<number, string> = { 3: 'IA_NA', 4: 'IA_TA', 25: 'IA_PD' };

function iaid(o: Dhcpv6Option): number | undefined {
  return optionBodyLength(o) >= 4 ? optionU32(o, 0) : undefined;
}

/** The option of this IA type and IAID in a message's top level. */
function findIa(options: readonly Dhcpv6Option[], code: number, id: number): Dhcpv6Option | undefined {
  for (const o of options) if (o.code === code && iaid(o) === id) return o;
  return undefined;
}

/** Whether an IA's sub-options hold an address or a prefix. */
function hasLeases(sub: readonly Dhcpv6Option[]): boolean {
  for (const o of sub) if (o.code === 5 || o.code === 26) return true;
  return false;
}

export const v6SrvAdvertiseIaStatus: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 1) return;
        let advertised = false;
        for (const r of tx.responses) if (r.message.msgType === 2) { advertised = true; break; }
        if (!advertised) return;
        const sol = tx.requests[0];
        const ias: Dhcpv6Option[] = [];
        for (const o of sol.message.options) if (NAMES[o.code] !== undefined && iaid(o) !== undefined) ias.push(o);
        if (ias.length === 0) return;
        for (const r of tx.responses) {
          if (r.message.msgType !== 2) continue;
          const options = r.message.options;
          const top = statusOf(options);
          if (top && top.code !== 0) continue; // RFC 3315-style top-level NoAddrsAvail, UnspecFail, UseMulticast (Q12)
          for (const ia of ias) {
            const id = iaid(ia)!;
            const found = findIa(options, ia.code, id);
            let messageId: string | undefined;
            let inconclusive = false;
            if (!found) {
              // RFC 8415 §18.3.9. IA_TA (obsoleted by 8415bis) and IA_PD (RFC 3633, optional) may be unknown to the server.
              if (ia.code === 3) messageId = 'missing-ia';
              else { messageId = 'missing-optional-ia'; inconclusive = true; }
            } else {
              const sub = found.options ?? [];
              if (!hasLeases(sub)) {
                const st = statusOf(sub);
                if (!st || st.code === 0) messageId = 'empty-no-status';
              }
            }
            if (messageId === undefined) continue;
            const d = {
              frames: framesOf(sol, r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server),
              data: { ia: NAMES[ia.code], iaid: id },
            };
            if (inconclusive) ctx.report({ ...d, messageId, verdict: 'inconclusive' });
            else ctx.report({ ...d, messageId });
            break;
          }
        }
      },
    };
  },
};
