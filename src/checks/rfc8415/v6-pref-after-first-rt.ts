// V6-PREF-AFTER-FIRST-RT: once the first RT is over with a usable Advertise in hand, the client
// requests instead of soliciting again, and acts promptly on a later first Advertise (RFC 8415 §18.2.1).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { judgeAfterFirstRt, promptness, reportJudgement, tolerance, viewOf } from '../client-common.js';

export const v6PrefAfterFirstRt: RuleModule<Events> = {
  create(ctx) {
    const tol = tolerance(ctx.options);
    const prompt = promptness(ctx.options);
    return {
      'session:end': (s) => {
        const j = judgeAfterFirstRt(viewOf(s), tol, prompt); // RFC 8415 §18.2.1 SHOULD continue with a Request
        if (j) reportJudgement(ctx, j, s.client, s.solicit.xid);
      },
    };
  },
};
