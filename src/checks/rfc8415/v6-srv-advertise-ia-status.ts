// V6-SRV-ADVERTISE-IA-STATUS: an Advertise answers every IA of the Solicit: the same IA type and IAID
// with the leases it would assign, or empty with NoAddrsAvail/NoPrefixAvail (RFC 8415 §18.3.9).
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Option } from '../../dhcpv6/types.js';
import { statusOf } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';

const NAMES: Record<number, string> = { 3: 'IA_NA', 4: 'IA_TA', 25: 'IA_PD' };

function iaid(o: Dhcpv6Option): number | undefined {
  return o.data.length >= 4 ? ((o.data[0] << 24) >>> 0) + ((o.data[1] << 16) | (o.data[2] << 8) | o.data[3]) : undefined;
}

export const v6SrvAdvertiseIaStatus: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 1) return;
        const sol = tx.requests[0];
        const ias = sol.message.options.filter((o) => NAMES[o.code] !== undefined && iaid(o) !== undefined);
        if (ias.length === 0) return;
        for (const r of tx.responses) {
          if (r.message.msgType !== 2) continue;
          const top = statusOf(r.message.options);
          if (top && top.code !== 0) continue; // RFC 3315-style top-level NoAddrsAvail, UnspecFail, UseMulticast (Q12)
          for (const ia of ias) {
            const id = iaid(ia)!;
            const found = r.message.options.find((o) => o.code === ia.code && iaid(o) === id);
            const data = { ia: NAMES[ia.code], iaid: id };
            const base = { frames: framesOf(sol, r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server), data };
            if (!found) {
              // RFC 8415 §18.3.9. IA_TA (obsoleted by 8415bis) and IA_PD (RFC 3633, optional) may be unknown to the server.
              if (ia.code === 3) ctx.report({ ...base, messageId: 'missing-ia' });
              else ctx.report({ ...base, messageId: 'missing-optional-ia', verdict: 'inconclusive' });
              break;
            }
            const sub = found.options ?? [];
            const leases = sub.some((o) => o.code === 5 || o.code === 26);
            const st = statusOf(sub);
            if (!leases && (!st || st.code === 0)) {
              ctx.report({ ...base, messageId: 'empty-no-status' });
              break;
            }
          }
        }
      },
    };
  },
};
