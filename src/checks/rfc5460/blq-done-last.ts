// BLQ-DONE-LAST: nothing with the query's xid follows its DONE (RFC 5460 §5.2.2, §6.3.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent } from '../../correlate/bulk-events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const judge = (e: BulkAnswerEvent, kind: string): void => {
      if (e.placement !== 'after-done' || e.query.phantom) return;
      // RFC 5460 §6.3.1: DONE completes the query.
      ctx.report({
        messageId: e.certain ? 'after-done' : 'lost', verdict: e.certain ? 'violation' : 'inconclusive',
        data: { xid: e.query.xid, kind }, ...at(e.conn, [e.query.done?.frame ?? 0, e.frame], e.time, e.query.xid),
      });
    };
    return {
      'bulk:reply'(e) { judge(e, 'REPLY'); },
      'bulk:data'(e) { judge(e, 'DATA'); },
    };
  },
};
