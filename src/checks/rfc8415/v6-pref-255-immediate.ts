// V6-PREF-255-IMMEDIATE: a valid, non-empty Advertise with preference 255 ends the collection at once;
// the client requests that server without further Solicits (RFC 8415 §18.2.1).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { judge255, promptness, reportJudgement, tolerance, viewOf } from '../client-common.js';

export const v6Pref255Immediate: RuleModule<Events> = {
  create(ctx) {
    const tol = tolerance(ctx.options);
    const prompt = promptness(ctx.options);
    return {
      'session:end': (s) => {
        const j = judge255(viewOf(s), tol, prompt); // RFC 8415 §18.2.1
        if (j) reportJudgement(ctx, j, s.client, s.solicit.xid);
      },
    };
  },
};
