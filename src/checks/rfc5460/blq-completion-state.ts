// BLQ-COMPLETION-STATE: the RFC 5460 §6.3.1 state machine lives in the correlator; this rule says
// which queries it could not finish (no answer when the capture, a timeout or a limit stopped it).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent, BulkConnection } from '../../correlate/bulk-events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    // Highest query sequence number answered per connection: an unanswered query older than it is
    // BLQ-PARALLEL's case (one uncertainty, one finding), so this general rule stands aside for it.
    const answeredSeq = new Map<BulkConnection, number>();
    // Hot path (every answer): the map entry of the connection answered last, mirrored.
    let lastConn: BulkConnection | undefined;
    let lastSeq = 0;
    const answered = (e: BulkAnswerEvent): void => {
      if (e.query.phantom) return;
      const seq = e.query.seq;
      if (e.conn === lastConn && seq <= lastSeq) return;
      const cur = e.conn === lastConn ? lastSeq : answeredSeq.get(e.conn) ?? 0;
      lastConn = e.conn;
      lastSeq = cur;
      if (seq > cur) {
        answeredSeq.set(e.conn, seq);
        lastSeq = seq;
      }
    };
    return {
      'bulk:reply'(e) { answered(e); },
      'bulk:data'(e) { answered(e); },
      'bulk:done'(e) { answered(e); },
      'bulk:query-end'(e) {
        const q = e.query;
        if (e.state !== 'incomplete' || q.phantom || q.replies > 0 || q.dones > 0 || q.data > 0 || !q.query) return;
        const opts = q.query.message.options;
        const parallelJudges = (answeredSeq.get(e.conn) ?? 0) > q.seq && opts.some((o) => o.code === 1) && opts.some((o) => o.code === 44);
        if (parallelJudges) return;
        const why = e.close?.reason;
        const reason = why === 'timeout' ? 'idle timeout' : why === 'limit' ? 'state limit'
          : why === 'reused' ? 'a new connection on the same addresses and ports; how this one ended was not captured' : 'end of the capture';
        ctx.report({
          messageId: 'incomplete', verdict: 'inconclusive', data: { xid: q.xid, reason },
          ...at(e.conn, [q.query.frame, e.frame], e.time, q.xid),
        });
      },
      'bulk:close'(e) {
        answeredSeq.delete(e.conn);
        if (e.conn === lastConn) lastConn = undefined;
      },
    };
  },
};
