// BLQ-SRV-MAX-CONNS: a bulk leasequery server limits the connections it has accepted and serves at
// once, BULK_LQ_MAX_CONNS (10) by default, and may let that limit be configured (RFC 5460 §7.1, §5.6).
// More than the default open at once to one server (address and port) shows a raised limit: INFO.
// A connection counts as open from the server's first answer on it (REPLY, DATA or DONE, but not a
// REPLY refusing with NotAllowed) until the server's FIN, an RST, or the end of its following; a
// requestor's half-close leaves it counting. A moment over the limit is reported only once each of its
// connections showed it was still open then (a later message, FIN, RST or packet).
// State: one record per counted connection while the bulk correlator follows it (bounded by
// tcp.max-connections). Hot path (every bulk message): one comparison for a connection already counted.
import type { BulkConnection } from '../../correlate/bulk-events.js';
import type { Events } from '../../correlate/events.js';
import { messageStatusCode } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { bulkCodes } from '../bulk-util.js';

/** One counted connection. */
interface Counted {
  readonly conn: BulkConnection;
  readonly server: Server;
  /** The server's first answer on it: where it starts to count. */
  readonly startFrame: number;
  /** No longer counts: the server's FIN, an RST, or its close. */
  ended: boolean;
  /** The moment over the limit it is part of, until that is decided. */
  peak: Peak | undefined;
  /** For that moment: decided (open then, or not shown to be), and how. */
  settled: boolean;
  proven: boolean;
}

/** A server (address and port) with the connections counted open now. */
interface Server {
  readonly label: string;
  readonly open: Set<Counted>;
  /** A moment over the limit waiting to be decided (one at a time). */
  peak: Peak | undefined;
}

/** The moment a connection started to count while more than the limit were open. */
interface Peak {
  readonly server: Server;
  readonly frame: number;
  readonly time: number;
  readonly trigger: Counted;
  readonly members: Counted[];
  /** Members not yet shown open at `frame`, nor closed. */
  unsettled: number;
}

/** `[server]:port` of a connection label `[requestor]:port > [server]:port`. */
function serverOf(conn: BulkConnection): string {
  const l = conn.label;
  return l.slice(l.indexOf(' > ') + 3);
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const t = ctx.profile.timers.BULK_LQ_MAX_CONNS;
    const limit = typeof t === 'number' ? t : 10;
    const k = bulkCodes(ctx.profile);
    const notAllowed = ctx.profile.codes.NotAllowed ?? 10;
    const counted = new Map<BulkConnection, Counted>();
    const servers = new Map<string, Server>();
    /** Servers reported over the limit in this input: once is enough. */
    const reported = new Set<string>();
    /** The connection of the last counted server message (most follow one on the same connection). */
    let lastConn: BulkConnection | undefined;

    /** Frames of the evidence: the moment, then the latest-started others (the limit's worth). */
    const evidence = (p: Peak, list: Counted[]): number[] => {
      const others = list.filter((c) => c !== p.trigger).map((c) => c.startFrame).sort((a, b) => a - b);
      return [...others.slice(Math.max(0, others.length - limit)), p.frame];
    };

    const decide = (p: Peak): void => {
      const s = p.server;
      s.peak = undefined;
      for (const c of p.members) c.peak = undefined;
      const proven = p.members.filter((c) => c.proven);
      const data = { server: s.label, count: proven.length, open: p.members.length, unproven: p.members.length - proven.length, limit };
      if (proven.length > limit) {
        reported.add(s.label);
        ctx.report({ messageId: 'above-default', data, frames: evidence(p, proven), time: p.time, scopeKey: s.label });
      } else {
        ctx.report({ messageId: 'unproven', verdict: 'inconclusive', data, frames: evidence(p, p.members), time: p.time, scopeKey: s.label });
      }
      if (s.open.size === 0) servers.delete(s.label);
    };

    const settle = (c: Counted, proven: boolean): void => {
      const p = c.peak;
      if (p === undefined || c.settled) return;
      c.settled = true;
      c.proven = proven;
      if (--p.unsettled === 0) decide(p);
    };

    /** The connection was still there at `frame` (a message, FIN, RST or packet of its own). */
    const alive = (conn: BulkConnection, frame: number): void => {
      const c = counted.get(conn);
      if (c !== undefined && c.peak !== undefined && frame >= c.peak.frame) settle(c, true);
    };

    /** It stops counting (the server closed its side, or the connection ended). */
    const end = (c: Counted): void => {
      if (c.ended) return;
      c.ended = true;
      const s = c.server;
      s.open.delete(c);
      if (s.open.size === 0 && s.peak === undefined) servers.delete(s.label);
    };

    const start = (conn: BulkConnection, frame: number, time: number): void => {
      const label = serverOf(conn);
      let s = servers.get(label);
      if (s === undefined) servers.set(label, (s = { label, open: new Set(), peak: undefined }));
      const c: Counted = { conn, server: s, startFrame: frame, ended: false, peak: undefined, settled: true, proven: true };
      counted.set(conn, c);
      s.open.add(c);
      // RFC 5460 §7.1: BULK_LQ_MAX_CONNS is the default limit of accepted, active connections.
      if (s.open.size <= limit || s.peak !== undefined || reported.has(label)) return;
      const members = [...s.open];
      const p: Peak = { server: s, frame, time, trigger: c, members, unsettled: 0 };
      for (const m of members) {
        m.peak = p;
        m.settled = m === c; // the new one is open at its own start
        m.proven = m === c;
        if (m !== c) p.unsettled++;
      }
      s.peak = p;
    };

    return {
      'bulk:message'(e) {
        if (e.conn === lastConn || e.role !== 'server') return;
        if (counted.has(e.conn)) { lastConn = e.conn; return; }
        // Counted from the server's first answer: it accepted the connection and serves it.
        const type = e.record.message.msgType;
        if (type !== k.reply && type !== k.data && type !== k.done) return;
        // A REPLY with NotAllowed may be how a server at its limit turns a connection away (§7.1).
        if (type === k.reply && messageStatusCode(e.record.message) === notAllowed) return;
        lastConn = e.conn;
        start(e.conn, e.frame, e.time);
      },
      'bulk:query'(e) { if (counted.size !== 0) alive(e.conn, e.frame); },
      'bulk:query-end'(e) { if (counted.size !== 0) alive(e.conn, e.query.lastFrame); },
      'bulk:fin'(e) {
        const c = counted.get(e.conn);
        if (c === undefined) return;
        alive(e.conn, e.frame);
        if (e.by === 'server') end(c); // a requestor's half-close still counts (§7.4: the server goes on)
      },
      'bulk:rst'(e) {
        const c = counted.get(e.conn);
        if (c === undefined) return;
        alive(e.conn, e.frame);
        end(c);
      },
      'bulk:close'(e) {
        const c = counted.get(e.conn);
        if (c === undefined) return;
        // After an idle timeout the close is placed at the connection's last packet: it was there then.
        if (e.close.reason === 'timeout') alive(e.conn, e.frame);
        end(c);
        counted.delete(e.conn);
        if (lastConn === e.conn) lastConn = undefined;
        // Its end was not captured (lost FIN or RST, limit, reuse, end of capture): not shown open then.
        settle(c, false);
      },
      'capture:end'() {
        reported.clear();
        counted.clear();
        servers.clear();
        lastConn = undefined;
      },
    };
  },
};
