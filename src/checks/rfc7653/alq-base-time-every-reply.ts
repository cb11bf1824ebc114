// ALQ-BASE-TIME-EVERY-REPLY: a bulk or active query whose ORO lists OPTION_LQ_BASE_TIME gets that option
// in every LEASEQUERY-REPLY, -DATA and -DONE the server sends for it (RFC 7653 §9.3, §6.3.1, §5).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent, BulkConnection, BulkQuery } from '../../correlate/bulk-events.js';
import type { Dhcpv6Message, MessageRecord } from '../../dhcpv6/types.js';
import { OptionCursor, hasOption } from '../../dhcpv6/helpers.js';
import { at, isActive, refusedActive } from '../bulk-util.js';

const OPTION_ORO = 6;
const OPTION_LQ_QUERY = 44;
const OPTION_LQ_BASE_TIME = 100; // RFC 7653 §6.3.1, §11
/** RFC 7653 §8.4.1: an active query accepted without its catch-up still streams live updates. */
const DATA_MISSING = 12;

const top = new OptionCursor();
const sub = new OptionCursor();

/** Whether the ORO at the cursor lists OPTION_LQ_BASE_TIME. */
function oroAsks(c: OptionCursor): boolean {
  for (let i = 0; i + 2 <= c.end - c.start; i += 2) if (c.u16(i) === OPTION_LQ_BASE_TIME) return true;
  return false;
}

/**
 * Whether a query asks for the base time: an ORO at the top level or among the OPTION_LQ_QUERY
 * query-options (RFC 5007 §4.1.2.1 puts it there; RFC 7653 §9.3 only says "in OPTION_ORO": accept both).
 */
export function asksBaseTime(m: Dhcpv6Message): boolean {
  top.open(m);
  while (top.next()) {
    if (top.code === OPTION_ORO && oroAsks(top)) return true;
    if (top.code === OPTION_LQ_QUERY && top.enter(sub)) {
      while (sub.next()) if (sub.code === OPTION_ORO && oroAsks(sub)) return true;
    }
  }
  return false;
}

/** What one asking query has shown so far. */
interface Watch {
  /** The first answer without the option. */
  missing?: MessageRecord;
  /** That answer may not be this query's, or its options were not all captured. */
  uncertain: boolean;
  /** An answer to this query carried the option. */
  carried: boolean;
  /** The first REPLY was NotSupported to an active query: ALQ-NOT-SUPPORTED's case. */
  notSupported: boolean;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    // Only queries that asked are watched: the common case costs one size test per answer.
    const watched = new Map<BulkQuery, Watch>();
    // Connections on which the server has sent the option (to any query): it implements RFC 7653.
    const knows = new WeakSet<BulkConnection>();
    const answer = (e: BulkAnswerEvent): void => {
      if (watched.size === 0) return;
      const w = watched.get(e.query);
      if (w === undefined) return;
      const m = e.record.message;
      if (hasOption(m, OPTION_LQ_BASE_TIME)) {
        w.carried = true;
        knows.add(e.conn);
        return;
      }
      if (w.missing !== undefined) return;
      w.missing = e.record;
      // A loss since the query: the message may answer an unseen query with the same xid. A message cut
      // by the snaplen or malformed may hold the option past what was decoded.
      w.uncertain = !e.certain || e.record.truncated === true || m.anomalies.length > 0;
    };
    return {
      'bulk:query'(e) {
        if (!e.tracked || e.query.phantom || !asksBaseTime(e.record.message)) return;
        watched.set(e.query, { uncertain: false, carried: false, notSupported: false });
      },
      'bulk:reply'(e) {
        if (watched.size === 0) return;
        const w = watched.get(e.query);
        if (w !== undefined && e.placement === 'valid' && refusedActive(e.query)) w.notSupported = true;
        answer(e);
      },
      'bulk:data': answer,
      'bulk:done': answer,
      'bulk:query-end'(e) {
        if (watched.size === 0) return;
        const q = e.query;
        const w = watched.get(q);
        if (w === undefined) return;
        watched.delete(q);
        const miss = w.missing;
        if (miss === undefined || w.notSupported || !q.query) return;
        // A server that does not implement RFC 7653 ignores an ORO code it does not know (RFC 8415 §21.7):
        // only a server that shows it knows the option is held to §9.3. It shows it by sending the option
        // on this connection, or by accepting an active query (a REPLY to ACTIVELEASEQUERY, successful or DataMissing).
        const implementsIt = w.carried || knows.has(e.conn) || (isActive(q) && q.replies > 0 && (q.status === 0 || q.status === DATA_MISSING));
        const name = q.requestType === 22 ? 'ACTIVELEASEQUERY' : 'LEASEQUERY';
        const kind = miss.message.msgType === 15 ? 'LEASEQUERY-REPLY' : miss.message.msgType === 17 ? 'LEASEQUERY-DATA' : 'LEASEQUERY-DONE';
        const d = { ...at(e.conn, [q.query.frame, miss.frame], miss.time, q.xid), data: { xid: q.xid, query: name, kind } };
        if (!implementsIt) {
          ctx.report({ ...d, messageId: 'never-sent', verdict: 'inconclusive' });
          return;
        }
        // RFC 7653 §9.3 MUST: every reply to a query that asked carries OPTION_LQ_BASE_TIME.
        ctx.report({ ...d, messageId: w.uncertain ? 'uncertain' : 'missing', verdict: w.uncertain ? 'inconclusive' : 'violation' });
      },
    };
  },
};
