// BLQ-DATA-AFTER-REPLY: no DATA (or DONE) before the query's REPLY (RFC 5460 §5.2.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent } from '../../correlate/bulk-events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    const judge = (e: BulkAnswerEvent, kind: 'DATA' | 'DONE'): void => {
      const q = e.query;
      if (e.placement !== 'before-reply' || q.phantom) return;
      // RFC 5460 §5.2.1: the REPLY comes first; a gap after the query may have hidden it.
      ctx.report({
        messageId: e.certain ? (kind === 'DATA' ? 'data-before-reply' : 'done-before-reply') : 'lost',
        verdict: e.certain ? 'violation' : 'inconclusive', data: { xid: q.xid, kind },
        ...at(e.conn, [q.query?.frame ?? 0, e.frame], e.time, q.xid),
      });
    };
    return {
      'bulk:data'(e) { judge(e, 'DATA'); },
      'bulk:done'(e) { judge(e, 'DONE'); },
    };
  },
};
