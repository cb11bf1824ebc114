// ALQ-ONE-ACTIVE-PER-CONN: an ACTIVELEASEQUERY is made only on a connection with no other request
// active, and active and bulk queries use separate connections (RFC 7653 §6.2.1, §8.1, §9.4).
// Everything is judged from what the events said when they came (the connection record is mutable).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkConnection, BulkQuery } from '../../correlate/bulk-events.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import { topStatus } from '../lq-common.js';
import { at, bulkCodes } from '../bulk-util.js';

/** OPTION_CLIENT_DATA (RFC 5007 §4.1.2.2). */
const OPTION_CLIENT_DATA = 45;

/** Per-connection state, kept only for connections that need it. */
interface ConnFacts {
  /**
   * Active queries made here, the earliest first. One is active while the correlator has it `open` or
   * `streaming` (RFC 7653 §9.3: until an error REPLY, a DONE or the connection's end).
   */
  actives: BulkQuery[];
  /** Bulk LEASEQUERYs still waiting for the server. */
  bulk: Set<BulkQuery>;
  /** Start unseen: xids the server is still answering that no seen request has. */
  phantoms: BulkQuery[];
  /** Gaps and desyncs so far per direction (as the correlator counts them). */
  losses: [number, number];
  /** A FIN or RST came from either end. */
  closing: boolean;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const alq = ctx.profile.codes.ACTIVELEASEQUERY ?? 22;
    const lq = bulkCodes(ctx.profile).lq;
    const conns = new Map<BulkConnection, ConnFacts>();
    // Hot path: most events belong to the connection of the previous one.
    let lastConn: BulkConnection | undefined;
    let lastFacts: ConnFacts | undefined;
    const facts = (conn: BulkConnection): ConnFacts => {
      if (conn === lastConn && lastFacts) return lastFacts;
      let f = conns.get(conn);
      if (!f) {
        f = { actives: [], bulk: new Set(), phantoms: [], losses: [0, 0], closing: false };
        conns.set(conn, f);
      }
      lastConn = conn;
      lastFacts = f;
      return f;
    };
    const remove = (list: BulkQuery[], q: BulkQuery): void => {
      const i = list.indexOf(q);
      if (i >= 0) list.splice(i, 1);
    };
    /** The earliest active query still active, forgetting those the correlator has ended. */
    const stillActive = (f: ConnFacts): BulkQuery | undefined => {
      while (f.actives.length > 0 && f.actives[0].state !== 'open' && f.actives[0].state !== 'streaming') f.actives.shift();
      return f.actives[0];
    };

    function activeOnBulk(f: ConnFacts, conn: BulkConnection, xid: number, frame: number, time: number): void {
      if (f.closing) return;
      if (f.bulk.size > 0) {
        // RFC 7653 §9.4: no other request active when an active query is made.
        const frames = [...f.bulk].map((b) => b.query!.frame);
        const count = frames.length;
        const d = {
          data: { xid, count, plural: count === 1 ? 'y' : 'ies', verb: count === 1 ? 's' : '' },
          ...at(conn, [...frames, frame], time, xid),
        };
        if (f.losses[1] !== 0) ctx.report({ messageId: 'lost-bulk', verdict: 'inconclusive', ...d });
        else ctx.report({ messageId: 'active-on-bulk', ...d });
        return;
      }
      const unseen = f.phantoms[0];
      if (!unseen) return;
      const previousFrame = unseen.reply?.frame ?? unseen.firstDataFrame;
      ctx.report({
        messageId: 'unseen-start', verdict: 'inconclusive',
        data: { xid, previous: unseen.xid, previousFrame }, ...at(conn, [previousFrame, frame], time, xid),
      });
    }

    return {
      'bulk:query'(e) {
        const type = e.record.message.msgType;
        if (type !== alq && type !== lq) return;
        // A repeat of an outstanding xid is BLQ-XID-UNIQUE's, not a new request.
        if (e.reuse?.outstanding) return;
        const conn = e.conn;
        const f = facts(conn);
        const fresh = e.tracked && e.query.query === e.record;
        const xid = e.query.xid;
        const prev = stillActive(f);
        if (prev) {
          // RFC 7653 §9.4: no other request active when an active query is made; a bulk query goes
          // on another connection than an active one.
          const previousFrame = prev.query!.frame;
          const name = type === alq ? 'ACTIVELEASEQUERY' : 'LEASEQUERY';
          const d = { data: { xid, previous: prev.xid, previousFrame, name }, ...at(conn, [previousFrame, e.frame], e.time, xid) };
          if (f.losses[0] + f.losses[1] !== prev.lossesAtStart) ctx.report({ messageId: 'lost', verdict: 'inconclusive', ...d });
          else ctx.report({ messageId: type === alq ? 'second-active' : 'bulk-on-active', ...d });
        } else if (type === alq) {
          activeOnBulk(f, conn, xid, e.frame, e.time);
        }
        if (!fresh || f.closing) return;
        if (type === alq) f.actives.push(e.query);
        else f.bulk.add(e.query);
      },
      'bulk:done'(e) {
        if (e.query.phantom && e.conn.startUnseen) remove(facts(e.conn).phantoms, e.query);
      },
      'bulk:query-end'(e) {
        if (e.query.requestType === lq) facts(e.conn).bulk.delete(e.query);
      },
      'bulk:unmatched'(e) {
        if (!e.conn.startUnseen) return;
        const streaming = e.kind === 'data' || (e.kind === 'reply' && (topStatus(e.record.message) ?? 0) === 0 && hasOption(e.record.message, OPTION_CLIENT_DATA));
        if (streaming) facts(e.conn).phantoms.push(e.query);
      },
      'bulk:loss'(e) {
        if (e.kind === 'gap' || e.kind === 'desync') facts(e.conn).losses[e.dir]++;
      },
      'bulk:fin'(e) {
        const f = facts(e.conn);
        f.closing = true;
        f.actives.length = 0;
      },
      'bulk:rst'(e) {
        const f = facts(e.conn);
        f.closing = true;
        f.actives.length = 0;
      },
      'bulk:close'(e) {
        conns.delete(e.conn);
        if (e.conn === lastConn) {
          lastConn = undefined;
          lastFacts = undefined;
        }
      },
    };
  },
};
