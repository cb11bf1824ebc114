// ALQ-SINGLE-REPLY-AND-CATCHUP: an active query gets exactly one LEASEQUERY-REPLY (RFC 7653 §6.2.3), and
// one that gave OPTION_LQ_START_TIME sees its catch-up end marked: a REPLY with DataMissing, or later a
// DATA with CatchUpComplete or DataMissing (RFC 7653 §8.4.1, §9.3).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkQuery } from '../../correlate/bulk-events.js';
import type { Dhcpv6Message, MessageRecord } from '../../dhcpv6/types.js';
import { OptionCursor } from '../../dhcpv6/helpers.js';
import { topStatus } from '../lq-common.js';
import { at, isActive, unseenEnd } from '../bulk-util.js';

const OPTION_LQ_QUERY = 44;
/** OPTION_LQ_START_TIME (RFC 7653 §6.3.2). */
const OPTION_LQ_START_TIME = 101;
/** RFC 7653 §11 status codes: the two that end a catch-up. */
const DATA_MISSING = 12;
const CATCH_UP_COMPLETE = 13;

const top = new OptionCursor();
const sub = new OptionCursor();

/**
 * Whether a request gives a start time: OPTION_LQ_START_TIME at the top level or among the
 * OPTION_LQ_QUERY query-options (RFC 7653 §6.3.2 does not say which; accept both).
 */
export function hasStartTime(m: Dhcpv6Message): boolean {
  top.open(m);
  while (top.next()) {
    if (top.code === OPTION_LQ_START_TIME) return true;
    if (top.code === OPTION_LQ_QUERY && top.enter(sub)) {
      while (sub.next()) if (sub.code === OPTION_LQ_START_TIME) return true;
    }
  }
  return false;
}

/** What one active query that gave a start time has shown so far. */
interface Watch {
  /** The message that ended the catch-up (0 = none yet). */
  marker: number;
  /** A server message for it was cut by the snaplen or malformed: a marker may have gone unseen. */
  partial: boolean;
}

/** Whether a server message was not captured whole (its status may lie past what was decoded). */
function partial(r: MessageRecord): boolean {
  return r.truncated === true || r.message.anomalies.length > 0;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    // Only active queries with a start time are watched, each until its bulk:query-end (which every query
    // gets, at the latest when its connection ends): the common case costs one size test per answer.
    const watched = new Map<BulkQuery, Watch>();
    return {
      'bulk:query'(e) {
        const q = e.query;
        if (!e.tracked || q.phantom || q.query !== e.record || !isActive(q) || !hasStartTime(e.record.message)) return;
        watched.set(q, { marker: 0, partial: false });
      },
      'bulk:reply'(e) {
        const q = e.query;
        if (e.placement === 'second' && isActive(q) && !q.phantom) {
          // RFC 7653 §6.2.3 MUST: exactly one LEASEQUERY-REPLY per active query.
          ctx.report({
            messageId: e.certain ? 'second-reply' : 'lost-reply', verdict: e.certain ? 'violation' : 'inconclusive',
            data: { xid: q.xid }, ...at(e.conn, [q.reply?.frame ?? 0, e.frame], e.time, q.xid),
          });
          return;
        }
        if (watched.size === 0 || e.placement !== 'valid') return;
        const w = watched.get(q);
        if (w === undefined) return;
        // RFC 7653 §8.4.1: DataMissing in the REPLY says at once that no catch-up follows.
        if ((topStatus(e.record.message) ?? 0) === DATA_MISSING) w.marker = e.frame;
        else if (partial(e.record)) w.partial = true;
      },
      'bulk:data'(e) {
        if (watched.size === 0) return; // hot path: no active query with a start time anywhere
        const w = watched.get(e.query);
        if (w === undefined || w.marker !== 0 || e.placement !== 'valid') return;
        // RFC 7653 §9.3: CatchUpComplete closes the catch-up; §8.4.1: DataMissing cuts it short.
        const s = topStatus(e.record.message) ?? 0;
        if (s === CATCH_UP_COMPLETE || s === DATA_MISSING) w.marker = e.frame;
        else if (partial(e.record)) w.partial = true;
      },
      'bulk:query-end'(e) {
        if (watched.size === 0) return;
        const q = e.query;
        const w = watched.get(q);
        if (w === undefined) return;
        watched.delete(q);
        // Marked; or never accepted (no REPLY, or a failure REPLY: no catch-up is owed, §6.2.3).
        if (w.marker !== 0 || !q.reply || e.state === 'complete-empty' || !q.query) return;
        const conn = e.conn;
        const frames = [q.query.frame, q.reply.frame, e.frame];
        const d = { ...at(conn, frames, e.time, q.xid), data: { xid: q.xid, why: '' } };
        if (e.state === 'incomplete') {
          // Active connections are long-lived: a marker missing at the capture's end is usually still to come.
          const u = unseenEnd(e.close?.reason);
          ctx.report({ ...d, messageId: u.messageId, verdict: 'inconclusive', data: { xid: q.xid, why: u.why } });
          return;
        }
        // (By frame: the connection's FIN/RST frames are set once, and the requestor may have closed
        // before the REPLY came.)
        const upTo = (f: number): boolean => f !== 0 && f <= e.frame;
        const byRequestor = e.state === 'complete-by-close' && (upTo(conn.fin[0]) || upTo(conn.rst[0]));
        if (byRequestor) {
          // The requestor ended it first: the server owed nothing more (RFC 7653 §9.5).
          ctx.report({ ...d, messageId: 'requestor-closed', verdict: 'inconclusive' });
          return;
        }
        if (!e.certain || conn.startUnseen || w.partial) {
          ctx.report({ ...d, messageId: 'lost', verdict: 'inconclusive' });
          return;
        }
        if (e.state === 'complete-done') {
          // A DONE with an error status aborts the query (RFC 7653 §8.4, §9.3), and §8.4.1 expects the
          // catch-up may be cut short so; the capture cannot tell whether its data were all sent.
          const s = q.done ? topStatus(q.done.message) ?? 0 : 0;
          if (s !== 0 && s !== CATCH_UP_COMPLETE) ctx.report({ ...d, messageId: 'terminated', verdict: 'inconclusive' });
          else ctx.report({ ...d, messageId: 'done-first' });
          return;
        }
        // RFC 7653 §9.3 MUST: the server closed the stream without marking the catch-up's end.
        ctx.report({ ...d, messageId: 'closed-first' });
      },
    };
  },
};
