// V6-SOLICIT-CONTENTS: a client's Solicit carries its Client-ID, an Elapsed Time and an ORO that asks
// for SOL_MAX_RT, names no server, and its ORO lists no code RFC 8415 §21.7 forbids (RFC 8415
// §18.2.1, §21.7, §21.9). Judged once per transaction at its end. A server answering such a Solicit is
// V6-VAL-SOLICIT's defect, not this one.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import { judgeTransaction, oroDefects } from '../client-contents.js';
import { serverIdText } from '../client-common.js';

export const v6SolicitContents: RuleModule<Events> = {
  create(ctx) {
    const legacy = ctx.options['legacy-sol-max-rt'] === true;
    return {
      'udp:transaction-end': (tx) => {
        if (tx.msgType !== 1) return;
        judgeTransaction(ctx, tx, (t, into) => {
          const m = t.message;
          if (!hasOption(m, 1)) into.push({ messageId: 'no-client-id', missing: true }); // RFC 8415 §18.2.1
          if (!hasOption(m, 8)) into.push({ messageId: 'no-elapsed-time', missing: true }); // §18.2.1, §21.9
          oroDefects(m, legacy, into); // §18.2.1, §21.7
          const named = serverIdText(m);
          // §18.2.1: no options beyond those listed or allowed by their own definitions; §21.3 allows
          // no Server-ID in a Solicit (and §16.2 has servers discard one that carries it).
          if (named !== undefined) into.push({ messageId: 'server-id', data: { named }, missing: false });
        });
      },
    };
  },
};
