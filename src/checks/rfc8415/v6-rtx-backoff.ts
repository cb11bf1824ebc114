// V6-RTX-BACKOFF: each retransmission timeout of a client message is about twice the previous one
// (RT·(2 ± 0.1)) until capped at MRT ± 10 % (RFC 8415 §15), with the per-type IRT and MRT of §7.6 and
// §18.2.x; a server's SOL_MAX_RT / INF_MAX_RT option changes the cap (RFC 8415 §21.24, §21.25).
// Requests stand aside for V6-RTX-REQUEST-LIMITS, and a Solicit's first RT for V6-RTX-FIRST-RT-SOLICIT.
import type { Events } from '../../correlate/events.js';
import type { UdpTransaction } from '../../correlate/client-events.js';
import type { RuleModule } from '../../engine/types.js';
import { optionU32, peekOption } from '../../dhcpv6/helpers.js';
import { framesOf, partyOf, relayTolerance, sideOf, tolerance } from '../client-common.js';
import { fitSchedule, gapsAgree, gapTolerance, ms, runsOf, timer, type Schedule } from '../rtx-common.js';

/** Message type → its §7.6 timer names (IRT, MRT; MRT '' = 0, no cap) and a display name. */
const PARAMS: ReadonlyMap<number, { irt: [string, number]; mrt: [string, number]; name: string; option?: number }> = new Map([
  [1, { irt: ['SOL_TIMEOUT', 1], mrt: ['SOL_MAX_RT', 3600], name: 'Solicit', option: 82 }], // RFC 8415 §18.2.1
  [4, { irt: ['CNF_TIMEOUT', 1], mrt: ['CNF_MAX_RT', 4], name: 'Confirm' }], // §18.2.3
  [5, { irt: ['REN_TIMEOUT', 10], mrt: ['REN_MAX_RT', 600], name: 'Renew' }], // §18.2.4
  [6, { irt: ['REB_TIMEOUT', 10], mrt: ['REB_MAX_RT', 600], name: 'Rebind' }], // §18.2.5
  [8, { irt: ['REL_TIMEOUT', 1], mrt: ['', 0], name: 'Release' }], // §18.2.7
  [9, { irt: ['DEC_TIMEOUT', 1], mrt: ['', 0], name: 'Decline' }], // §18.2.8
  [11, { irt: ['INF_TIMEOUT', 1], mrt: ['INF_MAX_RT', 3600], name: 'Information-request', option: 83 }], // §18.2.6
]);

/** Smallest value a server may give in OPTION_SOL_MAX_RT / OPTION_INF_MAX_RT (RFC 8415 §21.24, §21.25). */
const MRT_OPTION_MIN = 60;

/** The MRT range: the profile's, widened by any SOL_MAX_RT / INF_MAX_RT a response in the capture carried. */
function mrtSeen(tx: UdpTransaction, code: number | undefined, mrt: number): [number, number] {
  let lo = mrt;
  let hi = mrt;
  if (code !== undefined) {
    for (const r of tx.responses) {
      const o = peekOption(r.message, code);
      if (!o || o.length !== 4) continue;
      const v = optionU32(o, 0);
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return [lo, hi];
}

export const v6RtxBackoff: RuleModule<Events> = {
  create(ctx) {
    const baseTol = tolerance(ctx.options);
    const relayTol = relayTolerance(ctx.options);
    const timers = ctx.profile.timers;
    return {
      'udp:transaction-end': (tx) => {
        const p = PARAMS.get(tx.msgType);
        if (!p || tx.requests.length < 2) return;
        const irt = timer(timers, p.irt[0], p.irt[1]);
        const mrt = p.mrt[0] ? timer(timers, p.mrt[0], p.mrt[1]) : 0;
        const [mrtLo, mrtHi] = mrtSeen(tx, p.option, mrt);
        const sched: Schedule = { irt, mrtLo, mrtHi, firstMin: 1 - 0.1 };
        const runs = runsOf(tx, (1 - 0.1) * irt - baseTol);
        for (let k = 0; k < runs.length; k++) {
          const run = runs[k];
          if (run.length < 2) continue;
          const times = run.map((t) => t.time);
          const tol = (i: number) => gapTolerance(run[i], run[i + 1], baseTol, relayTol);
          // The first RT of a Solicit is V6-RTX-FIRST-RT-SOLICIT's; a run after a restart, or one whose
          // first transmission had Elapsed Time > 0, may not start at the exchange's first transmission.
          const start = tx.msgType === 1 ? 'free' : k === 0 && !tx.firstMissed && run[0].elapsed !== undefined && run[0].elapsed === 0 ? 'known' : 'unknown';
          let fit = fitSchedule(times, sched, start, tol);
          let messageId: string | undefined;
          if (fit.status === 'violation' && p.option !== undefined && mrtLo > MRT_OPTION_MIN) {
            // Trap CFG: a server may have lowered the cap in an exchange the capture does not hold.
            const alt = fitSchedule(times, { ...sched, mrtLo: MRT_OPTION_MIN }, start, tol);
            if (alt.status !== 'violation') {
              fit = { ...fit, status: 'loss' };
              messageId = 'mrt-unseen';
            }
          }
          if (fit.status === 'ok') continue;
          const i = fit.index;
          if (!gapsAgree(run, i, relayTol)) continue; // the client's clock and the capture's disagree: V6-ELAPSED-TIME's
          const gap = times[i + 1] - times[i];
          const prev = i > 0 ? times[i] - times[i - 1] : undefined;
          if (!messageId) {
            if (fit.status === 'loss') messageId = 'missing';
            else if (start === 'known' && i === 0) messageId = fit.kind === 'short' ? 'first-short' : 'first-long';
            else if (fit.kind === 'long' && mrtHi > 0 && gap > 1.1 * mrtHi + tol(i)) messageId = 'cap';
            else messageId = fit.kind === 'short' ? 'shrink' : 'grow';
          }
          ctx.report({
            messageId,
            verdict: fit.status === 'violation' ? 'violation' : 'inconclusive',
            data: {
              type: p.name, gap: ms(gap), prev: prev === undefined ? 0 : ms(prev), irt, mrt: mrtHi, side: sideOf(tx),
            },
            frames: framesOf(i > 0 ? run[i - 1] : undefined, run[i], run[i + 1]),
            time: run[i + 1].time, xid: tx.xid, client: partyOf(tx.client),
          });
          return; // one finding per transaction
        }
      },
    };
  },
};
