// LQ-CLIENT-DATA-LEASES: an OPTION_CLIENT_DATA holds one client's leases on one link, all of those still
// valid (RFC 5007 §4.1.2.2). Only the parts the capture can show are judged, both at info:
// (a) a lease with valid lifetime 0 in a leasequery answer (expired leases are not asked for; some
// servers send them); (c) over bulk leasequery (RFC 5460), one client on the query's link in several
// CLIENT_DATA of one query (Kea sends one REPLY/DATA per lease). Part (b), comparing with the client's
// own Reply, is not judged (rules/README.md says why).
// Hot path: every bulk REPLY and DATA. One pass over the octets (OptionCursor); the clients of a query
// are remembered as two 30-bit hashes of their DUIDs, and only for queries that name a link.
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent, BulkQuery } from '../../correlate/bulk-events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import { OptionCursor } from '../../dhcpv6/helpers.js';
import { formatIpv6, toHex } from '../../net/address.js';
import { partyOf } from '../client-common.js';

const OPTION_CLIENTID = 1;
const OPTION_IAADDR = 5;
const OPTION_IAPREFIX = 26;
const OPTION_LQ_QUERY = 44;
const OPTION_CLIENT_DATA = 45;
/** OPTION_LQ_START_TIME (RFC 7653 §6.3.2): a catch-up, which reports changes, ended leases included. */
const OPTION_LQ_START_TIME = 101;
const LEASEQUERY = 14;

const top = new OptionCursor();
const inCd = new OptionCursor();
const inQ = new OptionCursor();

/** What one pass over a message's CLIENT_DATA options found. */
interface Scan {
  /** Leases with valid lifetime 0, and the first of them as text (address, or prefix/length). */
  expired: number;
  first: string;
}
const scan: Scan = { expired: 0, first: '' };

/** The lease the cursor `inCd` is on, as text. */
function leaseText(): string {
  const n = inCd.end - inCd.start;
  if (inCd.code === OPTION_IAADDR) return formatIpv6(inCd.bytes, inCd.start);
  return n >= 25 ? `${formatIpv6(inCd.bytes, inCd.start + 9)}/${inCd.u8(8)}` : 'an IAPREFIX';
}

/**
 * Valid lifetime of the IAADDR or IAPREFIX `inCd` is on (RFC 8415 §21.6, §21.22), or -1 when the capture
 * did not keep it whole.
 */
function validLifetime(): number {
  const n = inCd.end - inCd.start;
  if (inCd.code === OPTION_IAADDR) return n >= 24 ? inCd.u32(20) : -1;
  return n >= 25 ? inCd.u32(4) : -1;
}

/**
 * Two independent 30-bit hashes of the DUID `inCd` is on (small integers, kept unboxed): a client is
 * remembered under the first with the second as its check, so two DUIDs of one query pass for one only
 * when both agree, a chance of about n²/2^61 (below 10^-8 for 100 000 clients); one whose first hash is
 * taken by another client is simply not remembered (a split missed, never one made up).
 */
let hash2 = 0;
function duidHash(): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ (inCd.end - inCd.start);
  const bytes = inCd.bytes;
  for (let i = inCd.start; i < inCd.end; i++) {
    a = Math.imul(a ^ bytes[i], 0x01000193);
    b = Math.imul(b ^ bytes[i], 0x5bd1e995) ^ (b >>> 13);
  }
  hash2 = (b ^ (b >>> 16)) & 0x3fffffff;
  return (a ^ (a >>> 15)) & 0x3fffffff;
}

/** What a bulk query's answers have shown so far, for part (c). */
interface QueryClients {
  /** The answers are about changes (an active query, or a start time given): not judged at all. */
  changes: boolean;
  /** The query's link-address as text, or undefined when it names no link (then (c) is not judged). */
  link: string | undefined;
  /** First hash of each client's DUID → its second hash, and → the first frame of the answer that carried it. */
  seen: Map<number, number>;
  firstFrame: Map<number, number>;
  reported: boolean;
  limited: boolean;
}

/** The link-address of a query's OPTION_LQ_QUERY, or undefined when it is :: or not captured. */
function queryLink(m: Dhcpv6Message): string | undefined {
  top.open(m);
  while (top.next()) {
    if (top.code !== OPTION_LQ_QUERY) continue;
    if (top.end - top.start < 17) return undefined;
    for (let i = 1; i < 17; i++) if (top.u8(i) !== 0) return formatIpv6(top.bytes, top.start + 1);
    return undefined;
  }
  return undefined;
}

/** Whether a request asks for changes since a time (RFC 7653 §6.3.2), top level or in OPTION_LQ_QUERY. */
function asksChanges(m: Dhcpv6Message): boolean {
  top.open(m);
  while (top.next()) {
    if (top.code === OPTION_LQ_START_TIME) return true;
    if (top.code === OPTION_LQ_QUERY && top.enter(inQ)) while (inQ.next()) if (inQ.code === OPTION_LQ_START_TIME) return true;
  }
  return false;
}

export const lqClientDataLeases: RuleModule<Events> = {
  create(ctx) {
    const maxClients = ctx.options['max-clients-per-query'] as number;
    const queries = new WeakMap<BulkQuery, QueryClients>();

    /** The expired leases of a message's CLIENT_DATA options, into `scan`. */
    function expiredIn(m: Dhcpv6Message): void {
      scan.expired = 0;
      scan.first = '';
      top.open(m);
      while (top.next()) {
        if (top.code !== OPTION_CLIENT_DATA || !top.enter(inCd)) continue;
        while (inCd.next()) {
          if ((inCd.code === OPTION_IAADDR || inCd.code === OPTION_IAPREFIX) && validLifetime() === 0) {
            if (scan.expired++ === 0) scan.first = leaseText();
          }
        }
      }
    }

    // The state of the last query answered (its DATA follow one another): one WeakMap look-up per query.
    let lastQuery: BulkQuery | undefined;
    let lastState: QueryClients | undefined;

    function stateOf(q: BulkQuery): QueryClients | undefined {
      if (q === lastQuery) return lastState;
      let s = queries.get(q);
      if (s === undefined && q.query !== undefined) { // a phantom: whether it asked for changes is unknown
        const m = q.query.message;
        const changes = q.requestType !== LEASEQUERY || asksChanges(m);
        s = { changes, link: changes ? undefined : queryLink(m), seen: new Map(), firstFrame: new Map(), reported: false, limited: false };
        queries.set(q, s);
      }
      lastQuery = q;
      lastState = s;
      return s;
    }

    function onAnswer(ev: BulkAnswerEvent): void {
      const s = stateOf(ev.query);
      if (s === undefined || s.changes) return;
      const r = ev.record;
      const m = r.message;
      // (c) only for a query naming a link, until a split is found, on answers in their proper place.
      const split = s.link !== undefined && !s.reported && ev.placement === 'valid';
      let expired = 0;
      let firstExpired = '';
      let splitFrame = 0;
      let splitDuid = '';
      top.open(m);
      while (top.next()) {
        if (top.code !== OPTION_CLIENT_DATA || !top.enter(inCd)) continue;
        let duidSeen = false;
        while (inCd.next()) {
          const c = inCd.code;
          if (c === OPTION_IAADDR || c === OPTION_IAPREFIX) {
            if (validLifetime() === 0 && expired++ === 0) firstExpired = leaseText();
          } else if (c === OPTION_CLIENTID && split && !duidSeen && splitFrame === 0) {
            duidSeen = true; // one Client-ID per CLIENT_DATA
            const h = duidHash();
            const check = s.seen.get(h);
            if (check === undefined) {
              if (s.seen.size < maxClients) { s.seen.set(h, hash2); s.firstFrame.set(h, r.frame); }
              else if (!s.limited) {
                s.limited = true;
                ctx.report({ frames: r.frames, time: r.time, xid: m.xid, connection: ev.conn.label, messageId: 'limit', verdict: 'inconclusive', data: { max: maxClients } });
              }
            } else if (check === hash2) {
              splitFrame = s.firstFrame.get(h)!;
              splitDuid = toHex(inCd.bytes, inCd.start, inCd.end - inCd.start);
            }
          }
        }
      }
      if (expired > 0) {
        ctx.report({ frames: r.frames, time: r.time, xid: m.xid, connection: ev.conn.label, messageId: 'expired', data: { count: expired, lease: firstExpired } });
      }
      if (splitFrame > 0) {
        s.reported = true;
        s.seen.clear();
        s.firstFrame.clear();
        // RFC 5007 §4.1.2.2: one client on one link is one CLIENT_DATA.
        ctx.report({
          time: r.time, xid: m.xid, connection: ev.conn.label, frames: splitFrame === r.frame ? r.frames : [splitFrame, ...r.frames], messageId: 'split',
          client: { duid: splitDuid }, data: { link: s.link! },
        });
      }
    }

    return {
      'lq:transaction-end': (tx) => {
        for (const r of tx.responses) {
          expiredIn(r.message);
          if (scan.expired === 0) continue;
          ctx.report({
            frames: r.frames, time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server),
            messageId: 'expired', data: { count: scan.expired, lease: scan.first },
          });
        }
      },
      'bulk:reply': onAnswer,
      'bulk:data': onAnswer,
      // The query is over: its clients are forgotten (the WeakMap would let them go with it anyway).
      'bulk:query-end': (ev) => {
        queries.delete(ev.query);
        if (ev.query === lastQuery) { lastQuery = undefined; lastState = undefined; }
      },
    };
  },
};
