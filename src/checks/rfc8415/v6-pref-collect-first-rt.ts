// V6-PREF-COLLECT-FIRST-RT: the client collects Advertises for the whole first RT (> 1 s after its
// first Solicit) unless a usable pref-255 Advertise or a Rapid Commit Reply ends it (RFC 8415 §18.2.1).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { judgeCollect, relayTolerance, reportJudgement, tolerance, viewOf } from '../client-common.js';

export const v6PrefCollectFirstRt: RuleModule<Events> = {
  create(ctx) {
    const tol = tolerance(ctx.options);
    const relayTol = relayTolerance(ctx.options);
    return {
      'session:end': (s) => {
        const j = judgeCollect(viewOf(s), tol, relayTol); // RFC 8415 §18.2.1 MUST collect for the first RT
        if (j) reportJudgement(ctx, j, s.client, s.solicit.xid);
      },
    };
  },
};
