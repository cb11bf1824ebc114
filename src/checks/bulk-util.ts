// Small helpers shared by the RFC 5460 checks: report descriptors for bulk connections, code points
// from the profile, message names.
import type { BulkAnswerEvent, BulkConnection, BulkQuery } from '../correlate/bulk-events.js';
import type { Dhcpv6Message, MessageRecord } from '../dhcpv6/types.js';
import { OptionCursor } from '../dhcpv6/helpers.js';
import type { Profile, ReportDescriptor, RuleContext, RuleHandlers, RuleModule } from '../engine/types.js';
import type { Events } from '../correlate/events.js';
import type { TcpCloseReason } from '../net/types.js';

/** Message-type and option code points of the active profile (draft-01 takes them from the config). */
export function bulkCodes(p: Profile): {
  lq: number; reply: number; done: number; data: number; relayId: number; clientLink: number; remoteId: number;
  /** RFC 7653's ACTIVELEASEQUERY and STARTTLS: -1 when the profile has none (draft-01 predates them). */
  active: number; starttls: number;
} {
  const c = p.codes;
  return {
    lq: c.LEASEQUERY ?? 14, reply: c['LEASEQUERY-REPLY'] ?? 15, done: c['LEASEQUERY-DONE'] ?? 16,
    data: c['LEASEQUERY-DATA'] ?? 17, relayId: c.OPTION_RELAY_ID ?? 53, clientLink: c.OPTION_LQ_CLIENT_LINK ?? 48,
    remoteId: c.OPTION_REMOTE_ID ?? 37, active: c.ACTIVELEASEQUERY ?? -1, starttls: c.STARTTLS ?? -1,
  };
}

/** Display name of a bulk message type under the profile. */
export function bulkName(p: Profile, msgType: number): string {
  const k = bulkCodes(p);
  if (msgType === k.lq) return 'LEASEQUERY';
  if (msgType === k.reply) return 'LEASEQUERY-REPLY';
  if (msgType === k.done) return 'LEASEQUERY-DONE';
  if (msgType === k.data) return 'LEASEQUERY-DATA';
  return `type ${msgType}`;
}

/** The common part of a bulk finding: frames, time, xid, connection. */
export function at(conn: BulkConnection, frames: number[], time: number, xid?: number): Omit<ReportDescriptor, 'messageId'> {
  const d: Omit<ReportDescriptor, 'messageId'> = { frames: frames.filter((f) => f > 0), time, connection: conn.label };
  if (xid !== undefined) d.xid = xid;
  return d;
}

/** Frames of the REPLY (when any) and the message at hand. */
export function withReply(q: BulkQuery, e: BulkAnswerEvent): number[] {
  return q.reply ? [q.reply.frame, e.frame] : [e.frame];
}

/** Top-level options with this code. */
export function countTop(m: Dhcpv6Message, code: number): number {
  const c = countCursor;
  c.open(m);
  let n = 0;
  while (c.next()) if (c.code === code) n++;
  return n;
}

const countCursor = new OptionCursor();

/** Whether a query is an RFC 7653 active query (its DATA follows other rules). */
export function isActive(q: BulkQuery): boolean {
  return q.requestType === 22;
}

/** RFC 7653 §11: the status a server that does not do active leasequery answers one with (§9.2). */
const NOT_SUPPORTED = 14;

/** An active query whose first REPLY said NotSupported: refused by a bulk-only server (RFC 7653 §9.2). */
export function refusedActive(q: BulkQuery): boolean {
  return isActive(q) && q.status === NOT_SUPPORTED;
}

/** The link-address as text (compact hex groups, enough for messages). */
export function linkText(b: Uint8Array): string {
  const g: string[] = [];
  for (let i = 0; i < 16; i += 2) g.push(((b[i] << 8) | b[i + 1]).toString(16));
  return g.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/**
 * RFC 7653 §8.2: the server's first message after a requestor's STARTTLS answers it (a REPLY accepting
 * or refusing TLS), not a query: per connection the STARTTLS awaiting its answer, and the last answer.
 * ALQ-STARTTLS judges that answer; the rules about answers to queries stand aside for it.
 */
export class StartTlsAnswers {
  private readonly asked = new Map<BulkConnection, MessageRecord>();
  private answer: MessageRecord | undefined = undefined;

  /** `starttls`: the profile's STARTTLS code point (-1 when it has none: nothing is ever asked). */
  constructor(private readonly starttls: number) {}

  /** Feeds one `bulk:message`. */
  note(record: MessageRecord, conn: BulkConnection, role: 'requestor' | 'server'): void {
    if (this.asked.size === 0 && record.message.msgType !== this.starttls) return; // hot path
    if (role === 'requestor') {
      if (record.message.msgType === this.starttls) this.asked.set(conn, record);
    } else if (this.asked.delete(conn)) this.answer = record;
  }

  /** The STARTTLS on `conn` still awaiting its answer. */
  pending(conn: BulkConnection): MessageRecord | undefined {
    return this.asked.get(conn);
  }

  /** Whether `record` is a server's answer to a STARTTLS (valid while the events of that record run). */
  isAnswer(record: MessageRecord): boolean {
    return record === this.answer;
  }

  /** Forgets a connection (at `bulk:close`). */
  forget(conn: BulkConnection): void {
    this.asked.delete(conn);
  }
}

/**
 * The BLQ-XID-REPLY/DATA/DONE check: a server message of `kind` whose xid matches no query on its
 * connection is a violation when the capture saw everything the requestor sent, else inconclusive.
 * The server's answer to a STARTTLS answers no query: ALQ-STARTTLS judges it.
 */
export function unmatchedXidCheck(kind: 'reply' | 'data' | 'done'): RuleModule<Events> {
  return {
    create(ctx) {
      const starttls = new StartTlsAnswers(bulkCodes(ctx.profile).starttls);
      return {
        'bulk:message'(e) { starttls.note(e.record, e.conn, e.role); },
        'bulk:close'(e) { starttls.forget(e.conn); },
        'bulk:unmatched'(e) {
          if (e.kind !== kind || starttls.isAnswer(e.record)) return;
          const xid = e.query.xid;
          if (e.certain) {
            ctx.report({ messageId: 'unknown-xid', data: { xid }, ...at(e.conn, [e.frame], e.time, xid) });
            return;
          }
          const why = e.conn.startUnseen ? 'the start of the connection was not captured'
            : e.conn.limited ? 'a state limit dropped queries on this connection'
            : e.conn.losses[0] === 0 && e.conn.cutXid[0] === xid ? "the requestor's last message had this xid, and its FIN cut that message short"
            : e.conn.losses[0] === 0 && e.conn.cut[0] !== 0 ? "the requestor's FIN cut its last message short before its xid"
            : 'bytes from the requestor are missing from the capture';
          ctx.report({ messageId: 'unseen', verdict: 'inconclusive', data: { xid, why }, ...at(e.conn, [e.frame], e.time, xid) });
        },
      };
    },
  };
}

/**
 * How to word a query or wait that the connection's end cut short, when the capture did not show that
 * end: `reused` (a new connection on the same 4-tuple began), `stopped` (an idle timeout or a limit
 * stopped the following; `why` says which) or `capture-end`.
 */
export function unseenEnd(reason: TcpCloseReason | undefined): { messageId: 'reused' | 'stopped' | 'capture-end'; why: string } {
  if (reason === 'reused') return { messageId: 'reused', why: '' };
  if (reason === 'timeout') return { messageId: 'stopped', why: 'an idle timeout' };
  if (reason === 'limit') return { messageId: 'stopped', why: 'a reassembly limit' };
  return { messageId: 'capture-end', why: '' };
}

/** The latest query (by its order on the connection) a server has answered. */
export interface LatestAnswer {
  seq: number;
  xid: number;
  /** The answer that first reached this query. */
  frame: number;
}

/**
 * Per connection, the latest query the server has answered (REPLY, DATA or DONE; phantoms left out).
 * An unanswered query older than it is BLQ-PARALLEL's to judge; the more general rules about
 * unanswered queries stand aside for it (one defect, one finding).
 */
export class LatestAnswered {
  private readonly latest = new Map<BulkConnection, LatestAnswer>();
  // Hot path (every answer): the connection answered last and its latest seq, mirrored.
  private lastConn: BulkConnection | undefined = undefined;
  private lastSeq = 0;

  /** Feeds one `bulk:reply`, `bulk:data` or `bulk:done`. */
  note(e: BulkAnswerEvent): void {
    const q = e.query;
    if (q.phantom) return;
    if (e.conn === this.lastConn && q.seq <= this.lastSeq) return;
    const cur = this.latest.get(e.conn);
    if (!cur || q.seq > cur.seq) {
      this.latest.set(e.conn, { seq: q.seq, xid: q.xid, frame: e.frame });
      this.lastSeq = q.seq;
    } else this.lastSeq = cur.seq;
    this.lastConn = e.conn;
  }

  /** The latest answered query on `conn`, if any. */
  get(conn: BulkConnection): LatestAnswer | undefined {
    return this.latest.get(conn);
  }

  /** Whether a query later than `q` on its connection was answered. */
  laterThan(q: BulkQuery): boolean {
    return (this.latest.get(q.conn)?.seq ?? 0) > q.seq;
  }

  /** Forgets a connection (at `bulk:close`). */
  forget(conn: BulkConnection): void {
    this.latest.delete(conn);
    if (conn === this.lastConn) this.lastConn = undefined;
  }

  /** The handlers that keep it: every answer is noted, a connection forgotten when it closes. */
  listeners(): RuleHandlers<Events> {
    return {
      'bulk:reply': (e) => this.note(e),
      'bulk:data': (e) => this.note(e),
      'bulk:done': (e) => this.note(e),
      'bulk:close': (e) => this.forget(e.conn),
    };
  }
}

/** What a rule waiting for a close keeps per connection: the event it waits from. */
export interface CloseWait { frame: number; time: number; xid: number }

/**
 * The bookkeeping of a rule that, after some message on a connection, waits for one end to close within
 * a tolerance (BLQ-ERROR-AFTER-REPLY, BLQ-REQ-CLOSE-ON-UNKNOWN-DONE, ALQ-NOT-SUPPORTED): the waits by
 * connection, and `report`, which ends a wait with its finding (`data` and `frames` say what the rule's
 * messages name and cite).
 */
export function closeWaits<W extends CloseWait>(
  ctx: RuleContext, data: (w: W) => Record<string, string | number>, frames: (w: W, frame: number) => number[],
): {
  pending: Map<BulkConnection, W>;
  report: (conn: BulkConnection, w: W, messageId: string, frame: number, time: number, inconclusive?: boolean, why?: string) => void;
} {
  const pending = new Map<BulkConnection, W>();
  const report = (conn: BulkConnection, w: W, messageId: string, frame: number, time: number, inconclusive = false, why = ''): void => {
    pending.delete(conn);
    ctx.report({
      messageId, verdict: inconclusive ? 'inconclusive' : 'violation', data: { ...data(w), why },
      ...at(conn, frames(w, frame), time, w.xid),
    });
  };
  return { pending, report };
}
