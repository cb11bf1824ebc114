// BLQ-DATA-HAS-CLIENT-DATA: each DATA holds exactly one OPTION_CLIENT_DATA (RFC 5460 §5.2.1, §6.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at, countTop, isActive } from '../bulk-util.js';

const OPTION_CLIENT_DATA = 45;

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:data'(e) {
        if (e.placement !== 'valid' || isActive(e.query)) return;
        const n = countTop(e.record.message, OPTION_CLIENT_DATA);
        if (n === 1) return;
        // RFC 7653 §8.4: an unseen request may have been an ACTIVELEASEQUERY, whose keep-alives have none.
        const unseen = n === 0 && e.query.phantom;
        // RFC 5460 §6.3: the requestor discards DATA without CLIENT_DATA.
        ctx.report({
          messageId: unseen ? 'unseen-query' : n === 0 ? 'none' : 'several', verdict: unseen ? 'inconclusive' : 'violation',
          data: { xid: e.query.xid, count: n }, ...at(e.conn, [e.frame], e.time, e.query.xid),
        });
      },
    };
  },
};
