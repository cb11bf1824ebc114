// BLQ-REQ-RETRY-BACKOFF (draft-ietf-dhc-dhcpv6-bulk-leasequery-01 §6.1 only; RFC 5460 dropped it):
// a requestor whose connection attempt fails may try again, but the interval between its attempts
// must grow exponentially up to BULK_LQ_MAX_RETRY (60 s), and it should give an attempt up after
// BULK_LQ_CONN_TIMEOUT (30 s).
// An attempt is a connection whose handshake was captured from its start; it failed when the capture shows
// no SYN-ACK, no message, no FIN and no lost octets on it. The interval before an attempt is the time
// between its SYN and the previous attempt's first SYN, and counts only when that previous attempt
// failed and its SYNs (kernel retransmissions) had stopped before this one began; two such intervals
// in a row that do not grow are the violation. SYNs of one attempt going on for longer than the
// connection timeout, with no SYN-ACK before them, are the warning.
// State: per (requestor address, server) the attempts not yet decided (each a followed connection,
// so bounded by tcp.max-connections) and the last interval; at most `max-pairs` pairs per input.
// Hot path: none (connection open and close only).
import type { BulkConnection } from '../../correlate/bulk-events.js';
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';

/** Default of the rule option `max-pairs`: (requestor, server) pairs followed at once per input. */
export const DEFAULT_MAX_PAIRS = 10000;
/** An interval "grew" when it is at least this much larger than the one before (timer jitter aside). */
const GROWTH = 1.05;
/** Capture timestamps: an interval within this of the growth bound is given the benefit of the doubt. */
const SLACK = 0.001;
/** SYNs this long past BULK_LQ_CONN_TIMEOUT are needed before an attempt counts as not given up. */
const ABANDON_TOLERANCE = 2;

interface Attempt {
  readonly conn: BulkConnection;
  readonly start: number;
  readonly frame: number;
  /** Set at the connection's close (or the capture's end). */
  decided: boolean;
  /** Decided, and the capture shows it never became a connection. */
  failed: boolean;
}

interface Pair {
  readonly requestor: string;
  readonly server: string;
  /** The last decided attempt (first), then the attempts still open, in the order they began. */
  readonly attempts: Attempt[];
  /** The latest interval that counts (-1: none), and the first SYN frame of the attempt it was measured from. */
  interval: number;
  from: number;
  reported: boolean;
  abandonReported: boolean;
}

/** `[server]:port` of a connection label `[requestor]:port > [server]:port`. */
function serverOf(conn: BulkConnection): string {
  const l = conn.label;
  return l.slice(l.indexOf(' > ') + 3);
}

/** Nothing on the connection shows that the server accepted it or that either end spoke. */
function neverConnected(c: BulkConnection): boolean {
  return c.tcp.synAckFrame === 0 && c.queries === 0 && c.serverMessages === 0 && c.fin[0] === 0 && c.fin[1] === 0
    && c.losses[0] === 0 && c.losses[1] === 0;
}

const seconds = (s: number): string => String(Math.round(s * 1000) / 1000);

export const check: RuleModule<Events> = {
  create(ctx) {
    const timers = ctx.profile.timers;
    const maxRetry = typeof timers.BULK_LQ_MAX_RETRY === 'number' ? timers.BULK_LQ_MAX_RETRY : 60;
    const connTimeout = typeof timers.BULK_LQ_CONN_TIMEOUT === 'number' ? timers.BULK_LQ_CONN_TIMEOUT : undefined;
    const maxPairs = ctx.options['max-pairs'] as number;
    const pairs = new Map<string, Pair>();
    const pending = new Map<BulkConnection, { pair: Pair; attempt: Attempt }>();
    let limitReported = false;

    const judge = (p: Pair, interval: number, prev: Attempt, cur: Attempt): void => {
      const last = p.interval;
      const earlier = p.from; // where the last interval began: the evidence's first SYN
      p.interval = interval;
      p.from = prev.frame;
      // draft-01 §6.1: the interval grows (exponential back-off) until it reaches BULK_LQ_MAX_RETRY.
      if (last < 0 || p.reported || last * GROWTH >= maxRetry) return;
      if (interval > last * GROWTH + SLACK) return;
      p.reported = true;
      ctx.report({
        messageId: 'not-growing',
        data: { requestor: p.requestor, server: p.server, before: seconds(last), after: seconds(interval), max: maxRetry },
        frames: [earlier, prev.frame, cur.frame], time: cur.start, scopeKey: `${p.requestor} > ${p.server}`,
      });
    };

    /** Walks the decided attempts from the oldest: each one's successor gives an interval, or breaks the run. */
    const advance = (p: Pair): void => {
      const a = p.attempts;
      while (a.length >= 2 && a[0].decided) {
        const prev = a[0];
        const cur = a[1];
        // The previous attempt must have failed and been given up (its last SYN) before this one began;
        // otherwise the requestor got a connection, or runs attempts side by side (several processes).
        if (prev.failed && prev.conn.tcp.lastSynTime < cur.start) judge(p, cur.start - prev.start, prev, cur);
        else p.interval = -1;
        a.shift();
      }
    };

    const decide = (p: Pair, t: Attempt): void => {
      t.decided = true;
      t.failed = neverConnected(t.conn);
      const tcp = t.conn.tcp;
      // draft-01 §6.1: the requestor should be ready to give an attempt up after BULK_LQ_CONN_TIMEOUT.
      const synAckLate = tcp.synAckFrame === 0 || tcp.synAckFrame > tcp.lastSynFrame;
      if (connTimeout !== undefined && !p.abandonReported && synAckLate && tcp.lastSynTime - t.start > connTimeout + ABANDON_TOLERANCE) {
        p.abandonReported = true;
        ctx.report({
          messageId: 'not-abandoned',
          data: { requestor: p.requestor, server: p.server, span: seconds(tcp.lastSynTime - t.start), timeout: connTimeout },
          frames: [t.frame, tcp.lastSynFrame], time: tcp.lastSynTime, connection: t.conn.label,
          scopeKey: `${p.requestor} > ${p.server}`,
        });
      }
      advance(p);
    };

    return {
      'bulk:open'(e) {
        const tcp = e.conn.tcp;
        // Joined mid-stream: not an attempt the capture saw. One whose first packet is the SYN-ACK (its SYN
        // missed) is kept: it connected, so it ends a run of failures.
        if (!tcp.synSeen || tcp.midStream) return;
        const requestor = `[${tcp.client.address}]`;
        const server = serverOf(e.conn);
        const key = `${requestor} > ${server}`;
        let p = pairs.get(key);
        if (p === undefined) {
          if (pairs.size >= maxPairs) {
            if (!limitReported) {
              limitReported = true;
              ctx.report({ messageId: 'limit', verdict: 'inconclusive', data: { max: maxPairs, requestor, server }, frames: [tcp.firstFrame], time: tcp.firstTime, scopeKey: 'limit' });
            }
            return;
          }
          p = { requestor, server, attempts: [], interval: -1, from: 0, reported: false, abandonReported: false };
          pairs.set(key, p);
        }
        const t: Attempt = { conn: e.conn, start: tcp.firstTime, frame: tcp.firstFrame, decided: false, failed: false };
        p.attempts.push(t);
        pending.set(e.conn, { pair: p, attempt: t });
        advance(p);
      },
      'bulk:close'(e) {
        const w = pending.get(e.conn);
        if (w === undefined) return;
        pending.delete(e.conn);
        decide(w.pair, w.attempt);
      },
      'capture:end'() {
        for (const w of pending.values()) decide(w.pair, w.attempt);
        pending.clear();
        pairs.clear();
        limitReported = false;
      },
    };
  },
};
