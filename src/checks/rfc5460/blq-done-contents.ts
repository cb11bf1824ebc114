// BLQ-DONE-CONTENTS: a DONE carries at most a status code (RFC 5460 §5.2.2).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at } from '../bulk-util.js';

const OPTION_STATUS_CODE = 13;
/** RFC 7653 extends bulk replies with it: §9.3 (every reply when the ORO asked), §8.4 (the shutdown DONE). */
const OPTION_LQ_BASE_TIME = 100;

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:done'(e) {
        if (e.placement !== 'valid') return;
        const extra = e.record.message.options.filter((o) => o.code !== OPTION_STATUS_CODE && o.code !== OPTION_LQ_BASE_TIME).map((o) => o.code);
        if (extra.length === 0) return;
        // RFC 5460 §5.2.2 SHOULD NOT: no other options in DONE.
        ctx.report({
          messageId: 'extra-options', data: { xid: e.query.xid, codes: [...new Set(extra)].join(', ') },
          ...at(e.conn, [e.frame], e.time, e.query.xid),
        });
      },
    };
  },
};
