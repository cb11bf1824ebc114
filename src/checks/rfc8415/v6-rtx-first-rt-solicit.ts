// V6-RTX-FIRST-RT-SOLICIT: the first Solicit timeout is randomised upwards only, so the second
// transmission follows the first after more than 1.0 s and at most 1.1 s (RFC 8415 §18.2.1, §15).
// Copies of a transmission (another relay hop, however late the relay passed it on) are left out as the
// other retransmission rules leave them out (runsOf).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { FIRST_RT_MAX, FIRST_RT_MIN, framesOf, partyOf, relayTolerance, sideOf, tolerance } from '../client-common.js';
import { runsOf } from '../rtx-common.js';

export const v6RtxFirstRtSolicit: RuleModule<Events> = {
  create(ctx) {
    const baseTol = tolerance(ctx.options);
    const relayTol = relayTolerance(ctx.options);
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 1 || tx.requests.length < 2) return;
        // A relay that forwards the Solicit later than the correlator's copy window leaves its copy a
        // transmission of its own; with the same Elapsed Time, seen at another hop, it is no second
        // transmission (RFC 8415 §15, §21.9). Nor is a byte-identical one sooner than any retransmission
        // timeout, 0.9 · SOL_TIMEOUT less the tolerance, as V6-RTX-BACKOFF has it.
        const run = runsOf(tx, (1 - 0.1) * FIRST_RT_MIN - baseTol, false)[0];
        if (run.length < 2) return;
        const [a, b] = run;
        const gap = b.time - a.time;
        const tol = a.minDepth === 0 && b.minDepth === 0 ? baseTol : Math.max(baseTol, relayTol);
        const data = { gap: Math.round(gap * 1000), side: sideOf(tx) };
        let messageId: string | undefined;
        if (gap < FIRST_RT_MIN - tol) messageId = 'short'; // RFC 8415 §18.2.1: RT strictly greater than IRT
        else if (gap > FIRST_RT_MAX + tol) messageId = 'long';
        if (!messageId) return;
        const base = { data, frames: framesOf(a, b), time: b.time, xid: tx.xid, client: partyOf(tx.client) };
        // The client's own Elapsed Time must agree that b is the second transmission (RFC 8415 §21.9):
        // otherwise a transmission is missing from the capture, or the exchange is not what it seems.
        const told = b.elapsed !== undefined && a.elapsed !== undefined ? (b.elapsed - a.elapsed) / 100 : gap;
        const consistent = Math.abs(told - gap) <= Math.max(0.5, 0.1 * gap);
        if (tx.firstMissed) ctx.report({ ...base, messageId: 'first-missed', verdict: 'inconclusive' });
        else if (!consistent) ctx.report({ ...base, data: { ...data, told: Math.round(told * 1000) }, messageId: 'elapsed-disagrees', verdict: 'inconclusive' });
        // Trap LOSS: RT1 + RT2 with RT1 in (1.0, 1.1] and RT2 = (2 ± 0.1)·RT1 spans 2.9-3.41 s: the
        // gap of a Solicit whose second transmission is missing from the capture.
        else if (messageId === 'long' && gap >= 2.9 - tol && gap <= 3.41 + tol) ctx.report({ ...base, messageId: 'missing-copy', verdict: 'inconclusive' });
        else ctx.report({ ...base, messageId });
      },
    };
  },
};
