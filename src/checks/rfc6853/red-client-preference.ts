// RED-CLIENT-PREFERENCE: redundant-server deployments rely on clients following the Advertise
// preference (RFC 6853 §2, §5.3). Reports only what no V6-PREF-* judgement covers: a Request to a
// server that sent no Advertise while several differently ranked servers had advertised.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { judgeRedClient, promptness, relayTolerance, reportJudgement, tolerance, viewOf } from '../client-common.js';

export const redClientPreference: RuleModule<Events> = {
  create(ctx) {
    const tol = tolerance(ctx.options);
    const prompt = promptness(ctx.options);
    const relayTol = relayTolerance(ctx.options);
    return {
      'session:end': (s) => {
        const j = judgeRedClient(viewOf(s), tol, prompt, relayTol); // RFC 6853 §5.3
        if (j) reportJudgement(ctx, j, s.client, s.solicit.xid);
      },
    };
  },
};
