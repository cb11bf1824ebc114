// V6-REQUEST-CONTENTS: a client's Request carries its Client-ID, an Elapsed Time and an ORO that asks
// for SOL_MAX_RT, and its ORO lists no code RFC 8415 §21.7 forbids (RFC 8415 §18.2.2, §21.7, §21.9).
// Judged once per transaction at its end. A Request without a Server-ID is V6-VAL-REQUEST-SERVERID's
// (the more specific rule), so this rule stands aside for it.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import { judgeTransaction, oroDefects } from '../client-contents.js';

export const v6RequestContents: RuleModule<Events> = {
  create(ctx) {
    const legacy = ctx.options['legacy-sol-max-rt'] === true;
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 3) return;
        judgeTransaction(ctx, tx, (t, into) => {
          const m = t.message;
          if (!hasOption(m, 1)) into.push({ messageId: 'no-client-id', missing: true }); // RFC 8415 §18.2.2
          if (!hasOption(m, 8)) into.push({ messageId: 'no-elapsed-time', missing: true }); // §18.2.2, §21.9
          oroDefects(m, legacy, into); // §18.2.2, §21.7
        });
      },
    };
  },
};
