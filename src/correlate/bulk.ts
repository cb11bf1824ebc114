// The bulk leasequery correlator (RFC 5460 §5.2, §6.3, §6.3.1, §6.5, §7): follows each TCP connection,
// keys queries by xid (answers may interleave), places every REPLY/DATA/DONE in its query's sequence,
// runs the §6.3.1 completion state machine and remembers what the capture could not see. An RFC 7653
// active query keeps streaming after its successful REPLY until a DONE or either end's close (§8.4, §9.3).
import type { Dhcpv6Anomaly, Dhcpv6Message, MessageRecord, BulkStreamListener } from '../dhcpv6/types.js';
import type { TcpCloseReason, TcpConnection } from '../net/types.js';
import { hasOption, optionOf } from '../dhcpv6/helpers.js';
import type { Events } from './events.js';
import type { BulkClose, BulkConnection, BulkQuery, BulkRole, Placement, QueryState } from './bulk-events.js';

export type BulkEmit = <K extends keyof Events>(name: K, event: Events[K]) => void;

/** Default of `bulk.max-open-queries`: outstanding queries tracked per connection. */
export const DEFAULT_MAX_OPEN_QUERIES = 10000;
/** Default of `bulk.max-completed-queries`: completed queries remembered per connection (for late or reused xids). */
export const DEFAULT_MAX_COMPLETED_QUERIES = 10000;
/** Default of `bulk.idle-timeout` (seconds): live mode forgets a silent connection after this (2 × BULK_LQ_DATA_TIMEOUT). */
export const DEFAULT_IDLE_TIMEOUT = 600;

const OPTION_CLIENT_DATA = 45;
const OPTION_LQ_QUERY = 44;
const OPTION_STATUS_CODE = 13;
/** RFC 7653 §8.4.1: a REPLY saying the catch-up cannot be served; the active query goes on with live updates. */
const DATA_MISSING = 12;

interface ConnState {
  pub: BulkConnection;
  queries: Map<number, BulkQuery>;
  /** Per direction: the next decoded message follows a resync. */
  afterResync: [boolean, boolean];
  /** Per direction: looking for framing (after a gap, or from a mid-stream start) with no message since. */
  searching: [boolean, boolean];
  forgotWarned: boolean;
  /** Active queries streaming (RFC 7653: after a successful REPLY, until a DONE or a close). */
  activeStreams: number;
  lastTime: number;
  lastFrame: number;
}

function isFinal(s: QueryState): boolean {
  return s !== 'open' && s !== 'streaming';
}

/**
 * Top-level status code of a message (0 when absent, RFC 5007 §4.3.3), from the first
 * OPTION_STATUS_CODE's captured octets (0 too when it holds fewer than 2), as helpers' topStatusCode.
 */
function topStatus(m: Dhcpv6Message): number {
  const o = optionOf(m, OPTION_STATUS_CODE);
  return o !== undefined && o.data.length >= 2 ? (o.data[0] << 8) | o.data[1] : 0;
}

function queryTypeOf(m: Dhcpv6Message): number | undefined {
  if (!hasOption(m, OPTION_LQ_QUERY)) return undefined;
  for (const o of m.options) if (o.code === OPTION_LQ_QUERY && o.data.length >= 1) return o.data[0];
  return undefined;
}

export class BulkCorrelator implements BulkStreamListener {
  private readonly conns = new Map<TcpConnection, ConnState>();
  private readonly maxOpen: number;
  private readonly maxCompleted: number;
  private readonly idleTimeout: number;
  private readonly t: { lq: number; alq: number; reply: number; done: number; data: number };
  private connections = 0;
  private queryCount = 0;
  /** The connection of the previous message and its state (most messages follow one on the same connection). */
  private lastConn: TcpConnection | undefined = undefined;
  private lastState: ConnState | undefined = undefined;

  /**
   * @param options named limits (`bulk.max-open-queries`, `bulk.max-completed-queries`,
   *   `bulk.idle-timeout`) and optionally `codes` (message-type code points by name, for draft-01).
   */
  constructor(private readonly emit: BulkEmit, options: Readonly<Record<string, unknown>> = {}) {
    const num = (k: string, d: number): number => (typeof options[k] === 'number' ? (options[k] as number) : d);
    this.maxOpen = num('bulk.max-open-queries', DEFAULT_MAX_OPEN_QUERIES);
    this.maxCompleted = num('bulk.max-completed-queries', DEFAULT_MAX_COMPLETED_QUERIES);
    this.idleTimeout = num('bulk.idle-timeout', DEFAULT_IDLE_TIMEOUT);
    const codes = (typeof options.codes === 'object' && options.codes !== null ? options.codes : {}) as Record<string, number>;
    this.t = {
      lq: codes.LEASEQUERY ?? 14,
      reply: codes['LEASEQUERY-REPLY'] ?? 15,
      done: codes['LEASEQUERY-DONE'] ?? 16,
      data: codes['LEASEQUERY-DATA'] ?? 17,
      alq: codes.ACTIVELEASEQUERY ?? 22,
    };
  }

  /** Connections followed and queries seen so far. */
  stats(): { bulkConnections: number; bulkQueries: number } {
    return { bulkConnections: this.connections, bulkQueries: this.queryCount };
  }

  open(conn: TcpConnection, frame: number, time: number): void {
    this.state(conn, frame, time);
  }

  private state(conn: TcpConnection, frame: number, time: number, input = 0): ConnState {
    let s = this.conns.get(conn);
    if (s) return s;
    const startUnseen = !conn.synSeen || conn.midStream;
    s = {
      pub: {
        tcp: conn, label: conn.label, input, startUnseen, rolesKnown: conn.synSeen,
        losses: [0, 0], lastLossFrame: [0, 0], fin: [0, 0], cut: [0, 0], cutXid: [-1, -1], rst: [0, 0], queries: 0, serverMessages: 0,
        serverCompletions: 0, outstanding: 0, limited: false,
      },
      queries: new Map(), afterResync: [false, false], searching: [startUnseen, startUnseen],
      forgotWarned: false, activeStreams: 0, lastTime: time, lastFrame: frame,
    };
    this.conns.set(conn, s);
    this.connections++;
    this.emit('bulk:open', { conn: s.pub, frame, time });
    return s;
  }

  message(record: MessageRecord): void {
    const conn = record.connection;
    if (!conn) return;
    let s = this.lastState;
    if (conn !== this.lastConn || s === undefined) {
      s = this.conns.get(conn) ?? this.state(conn, record.frame, record.time, record.input);
      this.lastConn = conn;
      this.lastState = s;
    }
    const dir = record.direction ?? 0;
    const role: BulkRole = dir === 0 ? 'requestor' : 'server';
    const afterResync = s.afterResync[dir];
    s.afterResync[dir] = false;
    s.searching[dir] = false;
    s.lastTime = record.time;
    s.lastFrame = record.frame;
    s.pub.input = record.input;
    const frame = record.frame;
    const time = record.time;
    this.emit('bulk:message', { conn: s.pub, frame, time, record, role, afterResync });

    const m = record.message;
    if (m.xid === undefined) return;
    const type = m.msgType;
    if (role === 'requestor') {
      if (type === this.t.lq || type === this.t.alq) this.onQuery(s, record, m.xid);
      return;
    }
    s.pub.serverMessages++;
    if (type === this.t.reply) this.onAnswer(s, record, m.xid, 'reply');
    else if (type === this.t.data) this.onAnswer(s, record, m.xid, 'data');
    else if (type === this.t.done) this.onAnswer(s, record, m.xid, 'done');
  }

  private lossTotal(s: ConnState): number {
    return s.pub.losses[0] + s.pub.losses[1];
  }

  private newQuery(s: ConnState, xid: number, record: MessageRecord | undefined, phantom: boolean): BulkQuery {
    const m = record?.message;
    return {
      xid, conn: s.pub, seq: phantom ? 0 : s.pub.queries + 1, phantom,
      query: phantom ? undefined : record,
      requestType: phantom ? undefined : m?.msgType,
      queryType: phantom || !m ? undefined : queryTypeOf(m),
      duplicateFrames: [], replies: 0, replyHasClientData: false, data: 0, firstDataFrame: 0, lastDataFrame: 0,
      dones: 0, prematureDone: false, state: 'open',
      lastFrame: record?.frame ?? 0, lastTime: record?.time ?? 0,
      completionsAtLast: s.pub.serverCompletions, lossesAtStart: this.lossTotal(s),
    };
  }

  private onQuery(s: ConnState, record: MessageRecord, xid: number): void {
    const { frame, time } = record;
    const existing = s.queries.get(xid);
    if (existing && !existing.phantom && !isFinal(existing.state)) {
      // RFC 5460 §6.5: xids must be unique; the duplicate is not a new query (Kea ignores it).
      existing.duplicateFrames.push(frame);
      this.emit('bulk:query', {
        conn: s.pub, frame, time, query: existing, record, tracked: false,
        reuse: { previous: existing, outstanding: true, certain: this.lossTotal(s) === existing.lossesAtStart },
      });
      return;
    }
    if (s.pub.outstanding >= this.maxOpen) {
      s.pub.limited = true;
      const detached = this.newQuery(s, xid, record, false);
      this.emit('anomaly', {
        layer: 'limit', name: 'limit.bulk_open_queries',
        message: `more than ${this.maxOpen} outstanding queries on one connection (bulk.max-open-queries); this query is not followed`,
        frames: [frame], time, connection: s.pub.label, xid,
      });
      this.emit('bulk:query', { conn: s.pub, frame, time, query: detached, record, tracked: false, reuse: undefined });
      return;
    }
    if (existing) s.queries.delete(xid);
    this.forgetCompleted(s, frame, time);
    const q = this.newQuery(s, xid, record, false);
    s.pub.queries++;
    this.queryCount++;
    s.queries.set(xid, q);
    s.pub.outstanding++;
    const reuse = existing && !existing.phantom ? { previous: existing, outstanding: false, certain: true } : undefined;
    this.emit('bulk:query', { conn: s.pub, frame, time, query: q, record, tracked: true, reuse });
  }

  /** Keeps the remembered completed queries under bulk.max-completed-queries, oldest first. */
  private forgetCompleted(s: ConnState, frame: number, time: number): void {
    const completed = s.queries.size - s.pub.outstanding;
    if (completed < this.maxCompleted) return;
    for (const [xid, q] of s.queries) {
      if (isFinal(q.state)) {
        s.queries.delete(xid);
        s.pub.limited = true;
        if (!s.forgotWarned) {
          s.forgotWarned = true;
          this.emit('anomaly', {
            layer: 'limit', name: 'limit.bulk_completed_queries',
            message: `more than ${this.maxCompleted} completed queries on one connection (bulk.max-completed-queries); the oldest are forgotten, so late answers to them cannot be placed`,
            frames: [frame], time, connection: s.pub.label,
          });
        }
        return;
      }
    }
  }

  private finish1(s: ConnState, q: BulkQuery, state: 'complete-empty' | 'complete-done', record: MessageRecord, certain: boolean): void {
    const wasOpen = !isFinal(q.state);
    if (q.state === 'streaming' && q.requestType === this.t.alq) s.activeStreams--;
    q.state = state;
    if (wasOpen && !q.phantom) s.pub.outstanding--;
    s.pub.serverCompletions++;
    q.completionsAtLast = s.pub.serverCompletions;
    this.emit('bulk:query-end', { conn: s.pub, frame: record.frame, time: record.time, query: q, state, certain });
  }

  /**
   * Whether the query's REPLY leaves it streaming: a successful one with bindings (RFC 5460 §6.3.1), or
   * any successful one to an ACTIVELEASEQUERY, whose updates run until a DONE or the close (RFC 7653
   * §6.2.3, §9.3); for an active query DataMissing only ends the catch-up, not the query (§8.4.1).
   */
  private streams(q: BulkQuery): boolean {
    if (q.requestType === this.t.alq) return q.status === 0 || q.status === DATA_MISSING;
    return q.status === 0 && q.replyHasClientData;
  }

  /**
   * An end's FIN or RST ends the active queries streaming on the connection: the server sends nothing
   * after its own close, and must close once the requestor has (RFC 7653 §9.5); no DONE is due (§9.3).
   */
  private endActives(s: ConnState, frame: number, time: number): void {
    if (s.activeStreams === 0) return;
    for (const q of s.queries.values()) {
      if (q.state !== 'streaming' || q.requestType !== this.t.alq) continue;
      q.state = 'complete-by-close';
      s.pub.outstanding--;
      s.activeStreams--;
      const certain = this.lossTotal(s) === q.lossesAtStart && s.pub.cut[1] === 0;
      this.emit('bulk:query-end', { conn: s.pub, frame, time, query: q, state: 'complete-by-close', certain });
    }
  }

  private onAnswer(s: ConnState, record: MessageRecord, xid: number, kind: 'reply' | 'data' | 'done'): void {
    const { frame, time } = record;
    const m = record.message;
    let q = s.queries.get(xid);
    if (!q) {
      // No query on this connection has the xid (BLQ-XID-*): a phantom keeps later messages quiet.
      q = this.newQuery(s, xid, undefined, true);
      q.lastFrame = frame;
      q.lastTime = time;
      if (kind === 'reply') {
        q.reply = record;
        q.replies = 1;
        q.status = topStatus(m);
        q.replyHasClientData = hasOption(m, OPTION_CLIENT_DATA);
        q.state = q.status === 0 && q.replyHasClientData ? 'streaming' : 'complete-empty';
      } else if (kind === 'data') {
        q.data = 1;
        q.firstDataFrame = q.lastDataFrame = frame;
        q.state = 'streaming';
      } else {
        q.done = record;
        q.dones = 1;
        q.state = 'complete-done';
      }
      s.queries.set(xid, q);
      const cut = s.pub.cut[0] !== 0 && (s.pub.cutXid[0] < 0 || s.pub.cutXid[0] === xid); // maybe the cut query's
      const certain = !s.pub.startUnseen && s.pub.losses[0] === 0 && !s.pub.limited && !cut;
      this.emit('bulk:unmatched', { conn: s.pub, frame, time, record, kind, query: q, certain });
      return;
    }

    const certain = this.lossTotal(s) === q.lossesAtStart;
    const ended = q.state === 'complete-done' && !q.prematureDone;
    let placement: Placement;
    q.lastFrame = frame;
    q.lastTime = time;
    if (kind === 'reply') {
      placement = ended ? 'after-done' : q.replies === 0 ? 'valid' : 'second';
      q.replies++;
      if (placement === 'valid') {
        q.reply = record;
        q.status = topStatus(m);
        q.replyHasClientData = hasOption(m, OPTION_CLIENT_DATA);
      }
      q.completionsAtLast = s.pub.serverCompletions;
      this.emit('bulk:reply', { conn: s.pub, frame, time, query: q, record, placement, certain });
      if (placement === 'valid' && q.state === 'open') {
        if (this.streams(q)) {
          q.state = 'streaming';
          if (q.requestType === this.t.alq) s.activeStreams++;
        }
        else this.finish1(s, q, 'complete-empty', record, certain);
      }
      return;
    }
    if (kind === 'data') {
      placement = ended ? 'after-done'
        : q.replies === 0 ? 'before-reply'
        : this.streams(q) ? 'valid'
        : q.status !== 0 ? 'after-error' : 'after-empty';
      q.data++;
      if (q.firstDataFrame === 0) q.firstDataFrame = frame;
      q.lastDataFrame = frame;
      q.completionsAtLast = s.pub.serverCompletions;
      this.emit('bulk:data', { conn: s.pub, frame, time, query: q, record, placement, certain });
      return;
    }
    placement = q.state === 'complete-done' ? 'second'
      : q.replies === 0 ? 'before-reply'
      : this.streams(q) ? 'valid'
      : q.status !== 0 ? 'after-error' : 'after-empty';
    q.dones++;
    q.completionsAtLast = s.pub.serverCompletions;
    this.emit('bulk:done', { conn: s.pub, frame, time, query: q, record, placement, certain });
    if (placement === 'valid' || placement === 'before-reply') {
      q.done = record;
      if (placement === 'before-reply') q.prematureDone = true;
      // An active query the requestor's FIN already ended (RFC 7653 §9.5) had its query-end then.
      if (isFinal(q.state)) q.state = 'complete-done';
      else this.finish1(s, q, 'complete-done', record, certain);
    }
  }

  gap(conn: TcpConnection, dir: 0 | 1, size: number, frame: number, time: number): void {
    const s = this.state(conn, frame, time);
    s.pub.losses[dir]++;
    s.pub.lastLossFrame[dir] = frame;
    s.searching[dir] = true;
    s.lastTime = time;
    s.lastFrame = frame;
    this.emit('bulk:loss', { conn: s.pub, frame, time, dir, kind: 'gap', size, afterLoss: false });
  }

  desync(conn: TcpConnection, dir: 0 | 1, anomaly: Dhcpv6Anomaly, frame: number, time: number): void {
    const s = this.state(conn, frame, time);
    const afterLoss = s.searching[dir];
    s.pub.losses[dir]++;
    s.pub.lastLossFrame[dir] = frame;
    s.searching[dir] = true;
    s.lastTime = time;
    s.lastFrame = frame;
    this.emit('bulk:loss', { conn: s.pub, frame, time, dir, kind: 'desync', anomaly, afterLoss });
  }

  resync(conn: TcpConnection, dir: 0 | 1, skipped: number, frame: number, time: number): void {
    const s = this.state(conn, frame, time);
    s.afterResync[dir] = true;
    s.searching[dir] = false;
    s.lastTime = time;
    s.lastFrame = frame;
    this.emit('bulk:loss', { conn: s.pub, frame, time, dir, kind: 'resync', size: skipped, afterLoss: false });
  }

  cut(conn: TcpConnection, dir: 0 | 1, anomaly: Dhcpv6Anomaly, frames: number[], xid: number | undefined, frame: number, time: number): void {
    const s = this.state(conn, frame, time);
    s.pub.cut[dir] = frame;
    s.pub.cutXid[dir] = xid ?? -1;
    s.lastTime = time;
    s.lastFrame = frame;
    // In step since the connection's start (no loss, no resync): the octets before the FIN are all there.
    const afterLoss = s.pub.startUnseen || s.pub.losses[dir] > 0;
    this.emit('bulk:loss', { conn: s.pub, frame, time, dir, kind: 'cut', anomaly, frames, afterLoss });
  }

  fin(conn: TcpConnection, dir: 0 | 1, frame: number, time: number): void {
    const s = this.state(conn, frame, time);
    if (s.pub.fin[dir] === 0) s.pub.fin[dir] = frame;
    s.lastTime = time;
    s.lastFrame = frame;
    this.endActives(s, frame, time);
    this.emit('bulk:fin', { conn: s.pub, frame, time, by: dir === 0 ? 'requestor' : 'server', outstanding: s.pub.outstanding });
  }

  rst(conn: TcpConnection, dir: 0 | 1, frame: number, time: number): void {
    const s = this.state(conn, frame, time);
    if (s.pub.rst[dir] === 0) s.pub.rst[dir] = frame;
    s.lastTime = time;
    s.lastFrame = frame;
    this.endActives(s, frame, time);
    this.emit('bulk:rst', { conn: s.pub, frame, time, by: dir === 0 ? 'requestor' : 'server' });
  }

  close(conn: TcpConnection, reason: TcpCloseReason, frame: number, time: number, pending: [number, number] = [0, 0]): void {
    const s = this.conns.get(conn);
    if (!s) return;
    this.conns.delete(conn);
    if (conn === this.lastConn) {
      this.lastConn = undefined;
      this.lastState = undefined;
    }
    const p = s.pub;
    const first = (d: 0 | 1): number => {
      const a = p.fin[d];
      const b = p.rst[d];
      return a && b ? Math.min(a, b) : a || b;
    };
    const f0 = first(0);
    const f1 = first(1);
    const close: BulkClose = { reason, frame, time, pending: [pending[0], pending[1]] };
    if (f0 || f1) close.by = f0 && (!f1 || f0 <= f1) ? 'requestor' : 'server';
    if (p.rst[0] || p.rst[1]) close.rstBy = p.rst[0] && (!p.rst[1] || p.rst[0] <= p.rst[1]) ? 'requestor' : 'server';
    p.closed = close;
    const seen = reason === 'fin' || reason === 'rst';
    for (const q of s.queries.values()) {
      if (isFinal(q.state)) continue;
      const state = seen ? 'complete-by-close' : 'incomplete';
      q.state = state;
      const certain = this.lossTotal(s) === q.lossesAtStart && pending[1] === 0;
      this.emit('bulk:query-end', { conn: p, frame, time, query: q, state, close, certain });
    }
    this.emit('bulk:close', { conn: p, frame, time, close });
  }

  /** Capture end: every connection still followed ends as `capture-end`. */
  finish(frame: number, time: number): void {
    for (const conn of [...this.conns.keys()]) this.close(conn, 'capture-end', frame, time, [0, 0]);
  }

  /** Live mode: connections silent for bulk.idle-timeout seconds end as `timeout`. */
  advance(time: number): void {
    for (const [conn, s] of [...this.conns]) {
      if (time - s.lastTime > this.idleTimeout) this.close(conn, 'timeout', s.lastFrame, time, [0, 0]);
    }
  }
}
