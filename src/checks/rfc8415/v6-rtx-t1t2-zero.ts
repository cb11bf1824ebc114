// V6-RTX-T1T2-ZERO: T1 (T2) = 0 in an IA_NA or IA_PD leaves the renew (rebind) time to the client
// (RFC 8415 §14.2, §21.4, §21.21), which picks one itself and must not transmit at once (§14.2; §18.2.4,
// §18.2.5 refer to it). Judged in capture order: each valid Reply that sets timers (§18.2.10.1) and
// leaves one to the client is held for `window` seconds; the client's first Renew (Rebind) of such an IA
// within that time is judged when its transaction closes (its copies and the Reply's are in by then).
import type { ServerResponse, Transmission, UdpTransaction } from '../../correlate/client-events.js';
import type { Events } from '../../correlate/events.js';
import { unwrap } from '../../correlate/udp-message.js';
import { bodyHex, IaLeases, OptionCursor, optionOf, sameBodyHex, statusCodeHere } from '../../dhcpv6/helpers.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';
import { seenWhere } from '../rtx-common.js';

/** Client messages whose Reply sets IA timers (RFC 8415 §18.2.10.1): Solicit (Rapid Commit), Request, Renew, Rebind. */
const ASSIGNING: ReadonlySet<number> = new Set([1, 3, 5, 6]);

/** An IA as one number: its option code (3 IA_NA, 25 IA_PD) times 2^32 plus its IAID (exact in a double). */
const IA_SPAN = 0x100000000;

/** The IAs of one Reply whose T1 (renew) or T2 (rebind) the server left to the client, as IA numbers. */
interface ZeroTimers {
  renew: number[];
  rebind: number[];
}

const top = new OptionCursor();
const leases = new IaLeases();

/**
 * Whether the IA `top` is on holds a lease the client keeps (non-zero valid lifetime), no failing
 * status, and no lease whose preferred lifetime is below `minPreferred` seconds: a client may renew at
 * half the shortest preferred lifetime (RFC 8415 §21.4, §21.21), so a short one allows an early Renew.
 * A lease option the capture cut cannot be read: false.
 */
function holdsLeases(code: number, minPreferred: number): boolean {
  if (!leases.open(top, code)) return false;
  let live = false;
  while (leases.next()) {
    if (!leases.whole) return false;
    if (leases.valid === 0) continue; // a lease the server takes back (§18.2.10.1)
    if (leases.preferred < minPreferred) return false;
    live = true;
  }
  return live && !leases.failed;
}

/**
 * The IAs of a Reply with T1 or T2 set to 0 that hold leases (holdsLeases), or undefined. A first pass
 * reads only the IA headers, so a Reply with no zero timer (almost every one) allocates nothing.
 */
function zeroTimers(m: Dhcpv6Message, minPreferred: number): ZeroTimers | undefined {
  top.open(m);
  let any = false;
  while (!any && top.next()) {
    if ((top.code === 3 || top.code === 25) && top.end - top.start >= 12 && (top.u32(4) === 0 || top.u32(8) === 0)) any = true;
  }
  if (!any) return undefined;
  top.open(m);
  let out: ZeroTimers | undefined;
  let statusSeen = false;
  while (top.next()) {
    const code = top.code;
    if (code === 13 && !statusSeen) {
      statusSeen = true;
      const st = statusCodeHere(top);
      if (st !== undefined && st !== 0) return undefined; // a failed Reply sets no timers (§18.2.10)
      continue;
    }
    if ((code !== 3 && code !== 25) || !top.ok || top.end - top.start < 12) continue;
    const t1 = top.u32(4);
    const t2 = top.u32(8);
    if (t1 !== 0 && t2 !== 0) continue;
    const ia = code * IA_SPAN + top.u32(0);
    if (!holdsLeases(code, minPreferred)) continue;
    out ??= { renew: [], rebind: [] };
    if (t1 === 0) out.renew.push(ia);
    if (t2 === 0) out.rebind.push(ia);
  }
  return out;
}

/** The first IA of the client message (IA_NA, IA_PD) that is among `ias`, or -1. */
function sharedIa(m: Dhcpv6Message, ias: readonly number[]): number {
  if (ias.length === 0) return -1;
  top.open(m);
  while (top.next()) {
    if ((top.code !== 3 && top.code !== 25) || top.end - top.start < 4) continue;
    const ia = top.code * IA_SPAN + top.u32(0);
    if (ias.includes(ia)) return ia;
  }
  return -1;
}

/** A valid Reply that left a timer of some IA to the client, held for `window` seconds. */
interface Pending {
  time: number;
  /** The client: its DUID, else its address (as the correlator keys transactions). */
  client: string;
  duid: string | undefined;
  /** Where the Reply went: the client's address. */
  address: string | undefined;
  /** The server's DUID (Server-ID). */
  server: string | undefined;
  response: ServerResponse;
  xid: number;
  /** The request it answered was not captured (an orphan response). */
  orphan: boolean;
  /**
   * The orphan answers a captured client message of an unassigned type (OrphanResponse.unknownType): its
   * type and first frame. Such a message is no request that sets timers, and a server discards it (RFC 8415 §16).
   */
  unknownType?: { msgType: number; frame: number };
  timers: ZeroTimers;
  /** A Reconfigure to the client came after it (RFC 8415 §18.2.11). */
  reconfigured: boolean;
  /** No longer held (replaced, judged, expired or over the cap). */
  dropped: boolean;
}

/**
 * The zero-timer Replies of the last `window` seconds, by client (a short list each, latest last) and
 * in arrival order, so that finding a client's and forgetting the oldest each take constant time.
 */
class Held {
  private readonly byClient = new Map<string, Pending[]>();
  private order: Pending[] = [];
  private head = 0;
  size = 0;

  of(client: string): readonly Pending[] | undefined {
    return this.byClient.get(client);
  }

  add(p: Pending): void {
    const l = this.byClient.get(p.client);
    if (l) l.push(p);
    else this.byClient.set(p.client, [p]);
    this.order.push(p);
    this.size++;
  }

  drop(p: Pending): void {
    if (p.dropped) return;
    p.dropped = true;
    this.size--;
    const l = this.byClient.get(p.client)!;
    l.splice(l.indexOf(p), 1);
    if (l.length === 0) this.byClient.delete(p.client);
  }

  /** The oldest Reply still held, or undefined. */
  oldest(): Pending | undefined {
    while (this.head < this.order.length && this.order[this.head].dropped) this.head++;
    if (this.head > 1024 && this.head * 2 > this.order.length) {
      this.order = this.order.slice(this.head);
      this.head = 0;
    }
    return this.order[this.head];
  }

  clear(): void {
    this.byClient.clear();
    this.order = [];
    this.head = 0;
    this.size = 0;
  }
}

/** A Renew or Rebind that followed a held Reply within the window, judged when its transaction closes. */
interface Judged {
  pending: Pending;
  /** The IA it shares with the Reply's zero-timer IAs, or -1 (none seen). */
  ia: number;
  /** When the client got the Reply (receivedAt), as the capture showed it when the Renew came. */
  at: number;
}

const NAMES: Record<number, string> = { 3: 'IA_NA', 25: 'IA_PD' };

/** The latest sighting of the held Reply. */
function lastSeen(p: Pending): number {
  const ss = p.response.sightings;
  let t = p.time;
  for (let i = 0; i < ss.length; i++) if (ss[i].time > t) t = ss[i].time;
  return t;
}

/**
 * When the client got the held Reply, as far as the client message `n` can be compared with it: for a
 * message seen on the client's link, the Reply's earliest sighting there (a relay's delivery, perhaps
 * later than the Relay-reply upstream, RFC 8415 §19.2), else its first sighting.
 */
function receivedAt(p: Pending, n: Transmission): number {
  if (n.minDepth !== 0 || p.response.minDepth !== 0) return p.time;
  let t = Infinity;
  for (const s of p.response.sightings) if (s.relays.length === 0 && s.time < t) t = s.time;
  return t;
}

export const v6RtxT1t2Zero: RuleModule<Events> = {
  create(ctx) {
    const window = ctx.options.window as number;
    const tolerance = ctx.options.tolerance as number;
    const maxPending = ctx.options['max-pending'] as number;
    const replies = new Held();
    /** Renew and Rebind transactions waiting for their end, at most max-pending. */
    const judged = new Map<UdpTransaction, Judged>();
    let now = -Infinity;
    let limitReported = false;

    /** Forgets Replies that no later message can be judged against (older than `window`; events come in capture order). */
    const forget = (time: number): void => {
      if (time > now) now = time;
      // Held from its latest sighting: a relay's delivery on the client's link (a copy merged into it) counts.
      for (let p = replies.oldest(); p !== undefined && now - lastSeen(p) >= window; p = replies.oldest()) replies.drop(p);
    };

    const limit = (p: Pending): void => {
      if (limitReported) return;
      limitReported = true;
      ctx.report({
        messageId: 'limit', verdict: 'inconclusive', data: { max: maxPending, window }, frames: p.response.frames,
        time: p.time, xid: p.xid, client: partyOf({ duid: p.duid, address: p.address }),
      });
    };

    const reply = (
      r: ServerResponse, duid: string | undefined, address: string | undefined, xid: number, orphan: boolean,
      unknownType?: { msgType: number; frame: number },
    ): void => {
      forget(r.time);
      const client = duid ?? address ?? '';
      const server = r.server.duid;
      // The latest Reply of a server sets the client's timers (RFC 8415 §18.2.10.1): it replaces an earlier one.
      const l = replies.size !== 0 ? replies.of(client) : undefined;
      if (l) for (let i = l.length - 1; i >= 0; i--) if (l[i].server === server) replies.drop(l[i]);
      const timers = zeroTimers(r.message, 2 * window);
      if (timers === undefined) return;
      const p: Pending = { time: r.time, client, duid, address, server, response: r, xid, orphan, timers, reconfigured: false, dropped: false };
      if (unknownType) p.unknownType = unknownType;
      replies.add(p);
      if (replies.size > maxPending) {
        const old = replies.oldest()!;
        replies.drop(old);
        limit(old);
      }
    };

    return {
      'udp:response': ({ tx, response: r }) => {
        if (r.message.msgType !== 7 || !ASSIGNING.has(tx.msgType) || !r.valid) return;
        if (tx.msgType === 1 && !r.rapidCommit) return; // only a Rapid Commit Reply answers a Solicit (§18.3.1)
        reply(r, tx.client.duid, tx.client.address, tx.xid, false);
      },
      // A Reply whose request was not captured, or that answers a message of an unassigned type: held
      // all the same, judged at most inconclusive.
      'udp:orphan-response': (o) => {
        const r = o.response;
        if (r.message.msgType !== 7 || !r.hasServerId || o.clientDuid === undefined) return;
        reply(r, o.clientDuid, o.clientAddress, o.xid, true, o.unknownType);
      },
      'message:udp': (record) => {
        if (replies.size === 0) return;
        const type = record.message.msgType;
        if (type !== 10 && type !== 13) return;
        const { inner, relays } = unwrap(record.message);
        if (!inner || inner.msgType !== 10) return;
        // RFC 8415 §18.2.11: a Reconfigure asks the client to renew (rebind) now.
        const cid = optionOf(inner, 1);
        const to = relays.length ? relays[relays.length - 1].peerAddress : record.dst;
        const l = (cid !== undefined ? replies.of(bodyHex(cid)) : undefined) ?? replies.of(to);
        if (l) for (const p of l) if (p.time <= record.time) p.reconfigured = true;
      },
      'udp:request': ({ tx, request: n, index }) => {
        forget(n.time);
        if (replies.size === 0 || (tx.msgType !== 5 && tx.msgType !== 6) || index !== 0) return;
        const l = replies.of(tx.client.duid ?? tx.client.address ?? '');
        if (l === undefined) return;
        const rebind = tx.msgType === 6;
        // A Renew goes to the server whose leases it extends (§18.2.4); a Rebind to any (§18.2.5).
        const named = rebind ? undefined : optionOf(n.message, 2);
        for (let i = l.length - 1; i >= 0; i--) {
          const p = l[i];
          const at = receivedAt(p, n);
          if (at > n.time) continue;
          if (named !== undefined && (p.server === undefined || !sameBodyHex(named, p.server))) continue;
          if (n.time - at >= window) return;
          const ia = sharedIa(n.message, rebind ? p.timers.rebind : p.timers.renew);
          if (ia < 0 && n.damage === undefined) return; // another IA, due on timers of its own
          replies.drop(p); // one Reply, one judgement
          if (judged.size >= maxPending) limit(p);
          else judged.set(tx, { pending: p, ia, at });
          return;
        }
      },
      'udp:transaction-end': (tx) => {
        const h = judged.get(tx);
        if (h === undefined) return;
        judged.delete(tx);
        const p = h.pending;
        if (p.reconfigured) return; // the server asked for it
        const n = tx.requests[0];
        const rebind = tx.msgType === 6;
        const gap = n.time - h.at; // from the Reply's delivery on the client's link where both were seen there
        const ia = h.ia >= 0 ? h.ia : (rebind ? p.timers.rebind : p.timers.renew)[0];
        const data: Record<string, string | number> = {
          type: rebind ? 'Rebind' : 'Renew', timer: rebind ? 'T2' : 'T1', ia: NAMES[Math.floor(ia / IA_SPAN)], iaid: ia % IA_SPAN,
          gap: Math.round(gap * 1000), window,
        };
        let messageId = 'at-once';
        if (p.unknownType) {
          messageId = 'unknown-type';
          data.msgType = p.unknownType.msgType;
          data.frame = p.unknownType.frame;
        } else if (p.orphan) messageId = 'orphan';
        else if (p.response.damage !== undefined) messageId = 'reply-cut';
        else if (h.ia < 0) messageId = 'renew-cut';
        else if (p.address !== undefined && tx.client.address !== undefined && p.address !== tx.client.address) {
          messageId = 'address-changed';
          data.to = p.address;
          data.from = tx.client.address;
        } else if (n.elapsed !== undefined && n.elapsed / 100 > gap + tolerance) {
          messageId = 'started-before';
          data.elapsed = n.elapsed * 10;
        } else if (!seenWhere(p.response, n)) messageId = 'other-place';
        ctx.report({
          messageId, data, verdict: messageId === 'at-once' ? 'violation' : 'inconclusive', // RFC 8415 §14.2
          frames: framesOf(p.response, n), time: n.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(p.response.server),
        });
      },
      'capture:end': () => {
        replies.clear();
        judged.clear();
        now = -Infinity;
        limitReported = false;
      },
    };
  },
};
