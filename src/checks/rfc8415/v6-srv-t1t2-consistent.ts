// V6-SRV-T1T2-CONSISTENT: in one Reply, every IA_NA and IA_PD that carries leases has the same T1 and
// the same T2 (RFC 8415 §18.3.2, §18.3.4, §18.3.5, §18.2), and none has T1 above a non-zero T2, which
// makes the client drop the IA as invalid (§21.4, §21.21). IA_TA has no timers (§21.5). Each Reply
// transmission is judged once: copies seen at several hops are merged into it by the correlator.
import type { ServerResponse } from '../../correlate/client-events.js';
import type { Events } from '../../correlate/events.js';
import { IaLeases, OptionCursor, statusCodeHere } from '../../dhcpv6/helpers.js';
import type { Party, RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';

const NAMES: Record<number, string> = { 3: 'IA_NA', 25: 'IA_PD' };

/** Client messages whose Reply assigns or extends leases: Solicit, Request, Renew, Rebind. */
const ASSIGNING: ReadonlySet<number> = new Set([1, 3, 5, 6]);

const top = new OptionCursor();
const leases = new IaLeases();

/** How an IA takes part in the comparison. */
const SKIP = 0; // no leases, a failing status, or damaged: its T1/T2 mean nothing to the client
const TIMED = 1; // leases the server extends: its T1/T2 must agree with the others'
const ENDING = 2; // T1 = T2 = a lease's valid lifetime: RFC 8415 §18.3.4/§18.3.5, leases not extended

/**
 * Classifies the IA `top` is on (IA_NA holds IAADDR, IA_PD holds IAPREFIX). An IA with a failing
 * status (NoAddrsAvail, NoBinding, …) or no lease with a non-zero valid lifetime carries no timers the
 * client uses. RFC 8415 §18.3.4/§18.3.5 ask a server that cannot extend an IA's leases to set its T1
 * and T2 to their valid lifetime: such an IA stands apart from the same-values comparison.
 */
function classify(code: number, t1: number, t2: number): number {
  if (!leases.open(top, code)) return SKIP;
  let live = false;
  let ending = false;
  while (leases.next()) {
    if (!leases.whole) continue; // cut by the snaplen: its lifetimes are unknown
    if (leases.valid > 0) live = true;
    if (t1 === t2 && leases.valid === t1) ending = true;
  }
  if (leases.failed || !live) return SKIP;
  return ending ? ENDING : TIMED;
}

interface Verdict { messageId: string; data: Record<string, string | number> }

/**
 * The first defect of one Reply's timers, or undefined. Locals only until a defect is found: every Reply
 * of the capture passes through here.
 */
function judge(r: ServerResponse): Verdict | undefined {
  top.open(r.message);
  let statusSeen = false;
  let refCode = 0; // the first timed IA: its code (0 = none yet), IAID and timers
  let refIaid = 0;
  let refT1 = 0;
  let refT2 = 0;
  let differ: Verdict | undefined;
  while (top.next()) {
    const code = top.code;
    if (code === 13 && !statusSeen) {
      statusSeen = true;
      const st = statusCodeHere(top);
      if (st !== undefined && st !== 0) return undefined; // a failed Reply (UnspecFail, NoBinding …) assigns nothing
      continue;
    }
    if ((code !== 3 && code !== 25) || !top.ok || top.end - top.start < 12) continue;
    const iaid = top.u32(0);
    const t1 = top.u32(4);
    const t2 = top.u32(8);
    const kind = classify(code, t1, t2);
    if (kind === SKIP) continue;
    if (t2 > 0 && t1 > t2) return { messageId: 't1-above-t2', data: { ia: NAMES[code], iaid, t1, t2 } }; // RFC 8415 §21.4, §21.21
    if (kind === ENDING) continue;
    if (refCode === 0) {
      refCode = code;
      refIaid = iaid;
      refT1 = t1;
      refT2 = t2;
    } else if (differ === undefined && (t1 !== refT1 || t2 !== refT2)) {
      // RFC 8415 §18.3.2, §18.3.4, §18.3.5: the same T1/T2 across all IAs of a Reply
      differ = { messageId: 'differ', data: { ia: NAMES[refCode], iaid: refIaid, t1: refT1, t2: refT2, ia2: NAMES[code], iaid2: iaid, t1b: t1, t2b: t2 } };
    }
  }
  return differ;
}

/** A Reply's timer defect, or undefined for anything else (Advertises are not judged). */
function replyDefect(r: ServerResponse): Verdict | undefined {
  return r.message.msgType === 7 ? judge(r) : undefined;
}

export const v6SrvT1t2Consistent: RuleModule<Events> = {
  create(ctx) {
    const emit = (r: ServerResponse, v: Verdict, xid: number, client: Party): void => {
      ctx.report({ messageId: v.messageId, data: v.data, frames: r.frames, time: r.time, xid, client: partyOf(client), server: partyOf(r.server) });
    };
    return {
      'udp:transaction-end': (tx) => {
        // Only Replies that assign or extend leases: to a Solicit (Rapid Commit, §18.3.1 → §18.3.2), a
        // Request, a Renew or a Rebind (§18.3.2, §18.3.4, §18.3.5 state the same-values requirement).
        // Timers in a Reply to a Release, Decline, Confirm or Information-request mean nothing to the client
        // (§18.2.10.2-§18.2.10.4 use only its status codes and options).
        if (!ASSIGNING.has(tx.msgType)) return;
        let reported: string[] | undefined; // one finding per server and exchange: its Replies to retransmissions repeat the defect
        for (const r of tx.responses) {
          const key = r.server.duid ?? r.server.address ?? '';
          if (reported?.includes(key)) continue;
          const v = replyDefect(r);
          if (!v) continue;
          emit(r, v, tx.xid, tx.client);
          (reported ??= []).push(key);
        }
      },
      // A Reply whose request the capture missed shows the defect all the same: judged when it is first seen.
      'udp:orphan-response': (o) => {
        const v = replyDefect(o.response);
        if (v) emit(o.response, v, o.xid, o.clientDuid !== undefined ? { duid: o.clientDuid, address: o.clientAddress } : { address: o.clientAddress });
      },
    };
  },
};
