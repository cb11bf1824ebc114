// V6-SRV-ADVERTISE-IA-STATUS: an Advertise answers every IA of the Solicit: the same IA type and IAID
// with the leases it would assign, or empty with NoAddrsAvail/NoPrefixAvail (RFC 8415 §18.3.9).
import type { Events } from '../../correlate/events.js';
import { OptionCursor, statusCodeAt, statusCodeHere } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, solicitDefect } from '../client-common.js';

const NAMES: Record<number, string> = { 3: 'IA_NA', 4: 'IA_TA', 25: 'IA_PD' };

// Cursors (Solicit, Advertise, inside an IA) and the Solicit's IAs as numbers, reused: nothing is
// built per transaction unless the rule reports.
const sol = new OptionCursor();
const adv = new OptionCursor();
const inIa = new OptionCursor();
const iaCodes: number[] = [];
const iaIds: number[] = [];

/**
 * Moves `adv` (opened on a message) to its first top-level IA of this type and IAID (RFC 8415 §21.4:
 * the IAID is the body's first 4 octets); false when there is none.
 */
function findIa(code: number, id: number): boolean {
  while (adv.next()) if (adv.code === code && adv.end - adv.start >= 4 && adv.u32(0) === id) return true;
  return false;
}

/**
 * Whether the IA `adv` is on answers: it holds an address or a prefix, or its first Status Code (as
 * statusCodeAt reads it) is a failure that says why not. One pass over the IA's sub-options.
 */
function iaAnswered(): boolean {
  if (!adv.enter(inIa)) return false;
  let statusSeen = false;
  let st: number | undefined;
  while (inIa.next()) {
    if (inIa.code === 5 || inIa.code === 26) return true;
    if (inIa.code === 13 && !statusSeen) {
      statusSeen = true;
      st = statusCodeHere(inIa);
    }
  }
  return st !== undefined && st !== 0; // empty, but says why (NoAddrsAvail, NoPrefixAvail, …)
}

export const v6SrvAdvertiseIaStatus: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 1) return;
        if (solicitDefect(tx) !== undefined) return; // V6-VAL-SOLICIT: the Solicit should not have been answered at all
        let advertised = false;
        for (const r of tx.responses) if (r.message.msgType === 2) { advertised = true; break; }
        if (!advertised) return;
        const first = tx.requests[0];
        iaCodes.length = 0;
        iaIds.length = 0;
        sol.open(first.message);
        while (sol.next()) {
          if (NAMES[sol.code] !== undefined && sol.end - sol.start >= 4) { iaCodes.push(sol.code); iaIds.push(sol.u32(0)); }
        }
        if (iaCodes.length === 0) return;
        for (const r of tx.responses) {
          if (r.message.msgType !== 2) continue;
          adv.open(r.message);
          const top = statusCodeAt(adv);
          if (top !== undefined && top !== 0) continue; // RFC 3315-style top-level NoAddrsAvail, UnspecFail, UseMulticast (Q12)
          for (let i = 0; i < iaCodes.length; i++) {
            const code = iaCodes[i];
            const id = iaIds[i];
            adv.open(r.message);
            let messageId: string | undefined;
            let inconclusive = false;
            if (!findIa(code, id)) {
              // RFC 8415 §18.3.9. IA_TA (obsoleted by 8415bis) and IA_PD (RFC 3633, optional) may be unknown to the server.
              if (code === 3) messageId = 'missing-ia';
              else { messageId = 'missing-optional-ia'; inconclusive = true; }
            } else if (!iaAnswered()) {
              messageId = 'empty-no-status';
            }
            if (messageId === undefined) continue;
            const d = {
              frames: framesOf(first, r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server),
              data: { ia: NAMES[code], iaid: id },
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
