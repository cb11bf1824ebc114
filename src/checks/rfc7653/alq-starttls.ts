// ALQ-STARTTLS: TLS on a leasequery connection (RFC 7653 §6.2.2, §8.2, §9.1): STARTTLS is the very
// first message and carries no options; the server answers with a REPLY, without a status to accept or
// with TLSConnectionRefused to refuse; after a refusal the requestor closes. The encrypted part that
// follows an accept is not decoded (src/dhcpv6/bulk-stream.ts), so nothing here judges it.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection } from '../../correlate/bulk-events.js';
import type { MessageRecord } from '../../dhcpv6/types.js';
import { MESSAGE_NAMES } from '../../dhcpv6/names.js';
import { topStatus } from '../lq-common.js';
import { type CloseWait, at, bulkCodes, closeWaits, unseenEnd } from '../bulk-util.js';

/** RFC 7653 §11: the status of a server refusing TLS. */
const TLS_CONNECTION_REFUSED = 15;
/** RFC 3315's REPLY, which RFC 7653 §8.2 and §9.1 name as the answer to STARTTLS. */
const REPLY = 7;

/** A STARTTLS awaiting the server's answer. */
interface Asked {
  record: MessageRecord;
  /** Server octets were lost since it was sent: the real answer may be among them. */
  lost: boolean;
  /** It was not the first message: the server's next message may answer a query sent before it. */
  late: boolean;
}

/** After a refusal: the requestor's close awaited. */
interface Refused extends CloseWait { starttlsFrame: number }

export const check: RuleModule<Events> = {
  create(ctx) {
    const k = bulkCodes(ctx.profile);
    const starttls = k.starttls; // -1 under draft-01 (it predates RFC 7653): never matches
    const tolerance = ctx.options.tolerance as number;
    const inFlight = ctx.options['in-flight'] as number;
    const asked = new Map<BulkConnection, Asked>();
    /** The first message seen on each open connection, and the connection of the last message. */
    const first = new Map<BulkConnection, MessageRecord>();
    let lastConn: BulkConnection | undefined = undefined;
    /** Open connections that lost octets (gap or desync) in either direction. */
    const lossy = new Set<BulkConnection>();
    const { pending, report } = closeWaits<Refused>(ctx, (p) => ({ xid: p.xid, tolerance }), (p, frame) => [p.starttlsFrame, p.frame, frame]);

    const name = (t: number): string => MESSAGE_NAMES.get(t) ?? `type ${t}`;

    const onStartTls = (conn: BulkConnection, record: MessageRecord): void => {
      const m = record.message;
      const xid = m.xid ?? 0;
      // RFC 7653 §6.2.2 SHOULD: STARTTLS is sent without options.
      if (m.length > 4) ctx.report({ messageId: 'options', data: { xid, octets: m.length - 4 }, ...at(conn, [record.frame], record.time, xid) });
      const earlier = first.get(conn) ?? record;
      const late = earlier !== record; // (it may share STARTTLS's frame: a segment holding both)
      if (late) {
        const firstFrame = earlier.frame;
        // RFC 7653 §8.2 MUST: STARTTLS is the first message over the connection.
        const frames = firstFrame === record.frame ? [firstFrame] : [firstFrame, record.frame];
        if (conn.startUnseen || lossy.has(conn)) {
          const why = conn.startUnseen ? 'whose start was not captured' : 'that lost octets';
          ctx.report({ messageId: 'not-first-unsure', verdict: 'inconclusive', data: { xid, firstFrame, why }, ...at(conn, frames, record.time, xid) });
        } else {
          ctx.report({ messageId: 'not-first', data: { xid, firstFrame }, ...at(conn, frames, record.time, xid) });
        }
      }
      asked.set(conn, { record, lost: false, late });
    };

    const onAnswer = (conn: BulkConnection, a: Asked, record: MessageRecord, afterResync: boolean): void => {
      asked.delete(conn);
      if (a.late) return; // it may answer a query sent before the STARTTLS (reported as not first)
      const m = record.message;
      const xid = a.record.message.xid ?? 0;
      const status = topStatus(m) ?? 0;
      const isReply = m.msgType === REPLY || m.msgType === k.reply;
      if (isReply && status === TLS_CONNECTION_REFUSED) {
        if (!pending.has(conn)) pending.set(conn, { starttlsFrame: a.record.frame, frame: record.frame, time: record.time, xid });
        return;
      }
      if (isReply && status === 0) return; // accepted: TLS from here on (RFC 7653 §8.2, §9.1)
      const answer = `${name(m.msgType)}${status !== 0 ? ` with status ${status}` : ''}`;
      const frames = [a.record.frame, record.frame];
      if (afterResync || a.lost) {
        const why = afterResync ? 'it was found by resynchronising the framing' : 'server octets were lost between the two';
        ctx.report({ messageId: 'bad-answer-unsure', verdict: 'inconclusive', data: { xid, answer, why }, ...at(conn, frames, record.time, xid) });
        return;
      }
      // RFC 7653 §9.1 MUST: a REPLY without status (accept) or with TLSConnectionRefused.
      ctx.report({ messageId: 'bad-answer', data: { xid, answer }, ...at(conn, frames, record.time, xid) });
    };

    return {
      'bulk:message'(e) {
        if (e.conn !== lastConn) { // most messages follow one on the same connection
          lastConn = e.conn;
          if (!first.has(e.conn)) first.set(e.conn, e.record);
        }
        const m = e.record.message;
        const isStartTls = m.msgType === starttls && e.role === 'requestor';
        if (!isStartTls && asked.size === 0 && pending.size === 0) return; // hot path: no STARTTLS awaits anything
        const p = pending.get(e.conn);
        if (p !== undefined) {
          if (e.frame === p.frame) return;
          // RFC 7653 §8.2 MUST: after TLSConnectionRefused the requestor closes. A message that arrived
          // within the in-flight window may have left before the refusal reached the requestor.
          if (e.role === 'requestor') {
            if (e.time - p.time <= inFlight || e.afterResync) return;
            const delay = (Math.round((e.time - p.time) * 1000) / 1000).toString();
            pending.delete(e.conn);
            ctx.report({
              messageId: 'kept-querying', data: { xid: p.xid, name: name(m.msgType), next: m.xid ?? 0, delay },
              ...at(e.conn, [p.starttlsFrame, p.frame, e.frame], e.time, p.xid),
            });
          } else if (e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
          return;
        }
        if (isStartTls) {
          onStartTls(e.conn, e.record);
          return;
        }
        const a = asked.get(e.conn);
        if (a !== undefined && e.role === 'server') onAnswer(e.conn, a, e.record, e.afterResync);
      },
      'bulk:loss'(e) {
        if (e.kind !== 'gap' && e.kind !== 'desync') return;
        lossy.add(e.conn);
        const a = asked.get(e.conn);
        if (a !== undefined && e.dir === 1) a.lost = true;
      },
      'bulk:fin'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.by === 'requestor' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else pending.delete(e.conn); // closed in time, or the server closed first: nothing more to ask
      },
      'bulk:rst'(e) {
        const p = pending.get(e.conn);
        if (!p) return;
        if (e.by === 'requestor' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else pending.delete(e.conn);
      },
      'bulk:close'(e) {
        asked.delete(e.conn);
        first.delete(e.conn);
        lossy.delete(e.conn);
        if (e.conn === lastConn) lastConn = undefined;
        const p = pending.get(e.conn);
        if (!p) return;
        const u = unseenEnd(e.close.reason);
        if (e.close.reason === 'fin' || e.close.reason === 'rst') pending.delete(e.conn);
        else if (u.messageId === 'capture-end' && e.time - p.time > tolerance) report(e.conn, p, 'no-close', e.frame, e.time);
        else report(e.conn, p, u.messageId, e.frame, e.time, true, u.why);
      },
    };
  },
};
