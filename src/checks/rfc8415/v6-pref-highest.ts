// V6-PREF-HIGHEST: the client prefers the usable Advertise with the highest preference (RFC 8415 §18.2.9).
// The choice of server is judged once (client-common.ts judgeChoice): empty Advertise chosen →
// V6-PREF-IGNORE-EMPTY; pref-255 held → V6-PREF-255-IMMEDIATE; lower-ranked chosen → ABSENT-IS-ZERO / HIGHEST.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { judgeChoice, relayTolerance, reportJudgement, tolerance, viewOf } from '../client-common.js';

export const v6PrefHighest: RuleModule<Events> = {
  create(ctx) {
    const tol = tolerance(ctx.options);
    const relayTol = relayTolerance(ctx.options); // the same boundary as V6-PREF-COLLECT-FIRST-RT's default
    return {
      'session:end': (s) => {
        const j = judgeChoice(viewOf(s), tol, relayTol); // RFC 8415 §18.2.9
        if (j && j.rule === 'V6-PREF-HIGHEST') reportJudgement(ctx, j, s.client, s.solicit.xid);
      },
    };
  },
};
