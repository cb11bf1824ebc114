// The client correlator: pairs UDP client messages with server responses by (client, xid) through
// any number of relay levels (RFC 8415 §9, §15, §16, §18; RFC 5007 §4), and assembles server-selection
// sessions (Solicit → Advertise* → Request → Reply, RFC 8415 §18.2.1, §18.2.9), and follows client messages
// of unassigned types for what servers send back under their xid (RFC 8415 §16). State is bounded.

import type { Dhcpv6Option, MessageRecord } from '../dhcpv6/types.js';
import { bodyHex, duidHex, hasOption, MessageStore, scratchOption, transientOption } from '../dhcpv6/helpers.js';
import type { Events } from './events.js';
import type {
  ClientSession, EndReason, OrphanResponse, ServerResponse, Sighting, Transmission, UdpTransaction, UnknownTypeExchange,
} from './client-events.js';
import { DEST_HOP1, DEST_MULTICAST, DEST_UNICAST, UPSTREAM_NONE } from './client-events.js';
import {
  CLIENT_TYPES, HIGHEST_ASSIGNED_MSG_TYPE, RESPONSE_TYPES, addressTag, answers, describeDifference, elapsedOf, offersLeases,
  preferenceState, relayApart, sameDuid, sameMessage, textHash, unwrap,
} from './udp-message.js';
import { SeenTable } from './seen.js';

export type ClientEmit = <K extends keyof Events>(name: K, event: Events[K]) => void;

/** Defaults of the correlator's named limits. */
export const CLIENT_DEFAULTS = {
  /** `sessions.max-open`: open UDP transactions kept; the oldest is closed (end `limit`) beyond it. */
  'sessions.max-open': 10000,
  /** `sessions.idle-timeout` (s): a transaction with no message for this long is closed. */
  'sessions.idle-timeout': 120,
  /** `sessions.copy-window` (s): an identical message within this time is a copy (relay hop, second path), not a retransmission. */
  'sessions.copy-window': 0.5,
  /**
   * `sessions.answered-timeout` (s): a transaction that has its answer (a Reply from the server its
   * request named, a LEASEQUERY-REPLY; a Solicit once its session's Request is in) is closed after this
   * long without a message, instead of waiting for `sessions.idle-timeout`. Copies, a retransmission
   * after a lost Reply (REQ_TIMEOUT 1 s, RFC 8415 §7.6) and other servers' late answers come sooner.
   */
  'sessions.answered-timeout': 2,
  /**
   * `sessions.unknown-window` (s): a client message of an unassigned type is followed this long after
   * its latest transmission; what servers send its client under its xid meanwhile counts as an answer to
   * it (V6-VAL-UNKNOWN-MSGTYPE). Servers answer in milliseconds; a later message is not matched to it.
   */
  'sessions.unknown-window': 5,
  /**
   * `sessions.max-unknown`: client messages of unassigned types followed at once; the oldest stops being
   * followed (end `limit`, reported once as `limit.unknown_messages`) beyond it.
   */
  'sessions.max-unknown': 1000,
} as const;

/** Ticks per second of the seen-client times (see ClientCorrelator.seenTick). */
const SEEN_TICKS = 1024;
/** closedSolicits values: whole seconds since the first message × XID_SPAN + the xid (24 bits). */
const XID_SPAN = 0x1000000;

interface OpenTx {
  tx: UdpTransaction;
  /** Time of its latest message (or of its session's Request, for a Solicit). */
  last: number;
  session: OpenSession | undefined;
  /** Server-ID (hex) the first request named, or undefined. */
  named: string | undefined;
  /** Has the answer that lets it close after `sessions.answered-timeout`. */
  answered: boolean;
  /** Its place in an activity list (ClientCorrelator.recent or .waiting). */
  list: ActivityList | undefined;
  prev: OpenTx | undefined;
  next: OpenTx | undefined;
  /** Still open (ClientCorrelator.close clears it). */
  isOpen: boolean;
  /** Neighbours in creation order (ClientCorrelator.open). */
  older: OpenTx | undefined;
  newer: OpenTx | undefined;
  /** Neighbours in its xid bucket (ClientCorrelator.xidBuckets), newest first; other xids share a bucket. */
  bucketNext: OpenTx | undefined;
  bucketPrev: OpenTx | undefined;
}

/**
 * Open transactions in creation order, oldest first, linked through the transactions themselves (the
 * `sessions.max-open` limit closes the oldest): no Map entry per transaction to add and delete.
 */
class CreationList {
  head: OpenTx | undefined = undefined;
  private tail: OpenTx | undefined = undefined;
  size = 0;

  push(o: OpenTx): void {
    o.older = this.tail;
    o.newer = undefined;
    if (this.tail) this.tail.newer = o;
    else this.head = o;
    this.tail = o;
    this.size++;
  }

  remove(o: OpenTx): void {
    if (o.older) o.older.newer = o.newer;
    else this.head = o.newer;
    if (o.newer) o.newer.older = o.older;
    else this.tail = o.older;
    o.older = undefined;
    o.newer = undefined;
    this.size--;
  }
}

/**
 * Buckets of the open transactions by xid (ClientCorrelator.xidBuckets). A client's xids are random
 * 24-bit values (RFC 8415 §8), so the low bits spread them; with `sessions.max-open` (10 000) open, a
 * bucket holds about one. More buckets would only cost memory.
 */
const XID_BUCKETS = 8192;

/**
 * Open transactions by last activity, oldest first, linked through the transactions themselves: a
 * message moves its transaction to the back without allocating anything (a Map re-insertion per
 * message grows and rebuilds its table).
 */
class ActivityList {
  head: OpenTx | undefined = undefined;
  private tail: OpenTx | undefined = undefined;

  push(o: OpenTx): void {
    o.list = this;
    o.prev = this.tail;
    o.next = undefined;
    if (this.tail) this.tail.next = o;
    else this.head = o;
    this.tail = o;
  }

  remove(o: OpenTx): void {
    if (o.list !== this) return;
    if (o.prev) o.prev.next = o.next;
    else this.head = o.next;
    if (o.next) o.next.prev = o.prev;
    else this.tail = o.prev;
    o.list = undefined;
    o.prev = undefined;
    o.next = undefined;
  }

  clear(): void {
    while (this.head) this.remove(this.head);
  }
}

/**
 * Transmissions, answers and shared responses an UnknownTypeExchange keeps, each: past it a new one
 * takes the last one's place (the first and the latest are the evidence), so a client that repeats such a
 * message for hours, or a server answering each time, holds no more than this.
 */
const UNKNOWN_KEPT = 16;

/** `list` with `x` appended, or in place of the last element once it holds UNKNOWN_KEPT. */
function keptAppended<T extends object>(list: T[], x: T): T[] {
  if (list.length < UNKNOWN_KEPT) return appended(list, x);
  list[list.length - 1] = x;
  return list;
}

/** A client message of an unassigned type being followed. */
interface OpenUnknown {
  x: UnknownTypeExchange;
  /** Time of its latest transmission: it is followed until `sessions.unknown-window` after it. */
  last: number;
}

interface OpenSession {
  session: ClientSession;
  /** The open transaction of its Solicit (closed once `isOpen` is false). */
  solicit: OpenTx;
  /** Its client's key in sessionByDuid (the DUID) or else sessionByAddress (the address). */
  byDuid: boolean;
  key: string;
  open: number;
}

/**
 * The correlator's scratch options (transientOption): a message's Client-ID and Server-ID, read while
 * it is matched and dropped before the correlator hands anything to the rules.
 */
const clientIdScratch = scratchOption();
const serverIdScratch = scratchOption();

/**
 * `list` with `x` appended, as a new array of the exact length: `push` reserves 16 more slots (a
 * 3-element array would take 200 octets instead of 70), and open transactions keep these for seconds.
 */
function appended<T extends object>(list: T[], x: T): T[] {
  if (list.length === 0) return [x];
  if (list.length === 1) return [list[0], x];
  return list.concat([x]);
}

/** Two ascending frame lists merged: ascending, without repeats, in a new array of the exact length. */
export function mergedFrames(a: readonly number[], b: readonly number[]): number[] {
  let n = 0; // the merged length, counted first so the array is made once at its size
  for (let i = 0, j = 0; i < a.length || j < b.length; n++) {
    const x = i < a.length ? a[i] : Infinity;
    const y = j < b.length ? b[j] : Infinity;
    if (x <= y) i++;
    if (y <= x) j++;
  }
  const out = new Array<number>(n);
  for (let i = 0, j = 0, k = 0; k < n; k++) {
    const x = i < a.length ? a[i] : Infinity;
    const y = j < b.length ? b[j] : Infinity;
    out[k] = x <= y ? x : y;
    if (x <= y) i++;
    if (y <= x) j++;
  }
  return out;
}

/**
 * Adds a sighting (a copy of the same transmission). The first sighting lends the transmission its
 * frame list; a later one gives it a list of its own (ascending, without repeats).
 */
function addSighting(t: Transmission, s: Sighting): void {
  t.sightings = appended(t.sightings, s);
  const add = s.frames;
  const frames = t.frames;
  if (frames.length === 1 && add.length === 1) {
    const a = frames[0];
    const b = add[0];
    if (a !== b) t.frames = a < b ? [a, b] : [b, a];
  } else {
    t.frames = mergedFrames(frames, add);
  }
  if (s.relays.length < t.minDepth) t.minDepth = s.relays.length;
}

/** Whether `c` is the client a message names: by its Client-ID body when it has one, else by address. */
function isClient(c: { duid?: string; address?: string }, duid: Dhcpv6Option | undefined, address: string | undefined): boolean {
  return duid !== undefined ? sameDuid(c.duid, duid) : c.address === address;
}

/**
 * The latest open transaction of `type` and `xid` in an xid bucket (newest first, short) from this client: by DUID (its
 * Client-ID body) when the message has one, else by address.
 */
function requestOf(
  bucket: OpenTx | undefined, xid: number, type: number, duid: Dhcpv6Option | undefined, address: string,
): OpenTx | undefined {
  for (let o = bucket; o !== undefined; o = o.bucketNext) {
    const t = o.tx;
    if (t.xid === xid && t.msgType === type && isClient(t.client, duid, address)) return o;
  }
  return undefined;
}

/** The latest open transaction of `xid` in an xid bucket that a response of `type` can answer, from this client DUID (or address). */
function answeredBy(
  bucket: OpenTx | undefined, xid: number, type: number, duid: Dhcpv6Option | undefined, address: string | undefined,
): OpenTx | undefined {
  for (let o = bucket; o !== undefined; o = o.bucketNext) {
    const t = o.tx;
    if (t.xid === xid && isClient(t.client, duid, address) && answers(t.msgType, type)) return o;
  }
  return undefined;
}

/**
 * A LEASEQUERY seen bare going to another destination than every bare sighting of `t` (Sighting.to):
 * the requestor sent it to another server (or to multicast, RFC 5007 §4.3.2), another datagram, not a
 * copy of `t`, however soon. Relayed copies to several servers are one transmission (the relay's fan-out).
 */
function otherTarget(t: Transmission, s: Sighting): boolean {
  if (s.to === 0 || s.relays.length !== 0) return false;
  let other = false;
  for (const r of t.sightings) {
    if (r.to === 0 || r.relays.length !== 0) continue;
    if (r.to === s.to) return false;
    other = true;
  }
  return other;
}

/**
 * Finds an earlier transmission this one is a copy of (identical message, within the copy window);
 * for responses, only those from the same server (`server`: its DUID; `all` false).
 */
function copyOf<T extends Transmission>(
  list: readonly T[], msg: Transmission['message'], s: Sighting, window: number, all: boolean, server: Dhcpv6Option | undefined,
): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const t = list[i];
    if (!all && !sameDuid((t as Transmission as ServerResponse).server.duid, server)) continue;
    if (s.time - t.time > window) break;
    // A retransmission updates Elapsed Time (RFC 8415 §21.9) and waits at least ~0.9 s (IRT), so an
    // identical message this soon is the same transmission seen at another hop or capture point.
    if (sameMessage(t.message, msg) && !otherTarget(t, s)) return t;
  }
  return undefined;
}

/**
 * Transmission.dest bits for a client message's datagram: 0 when it was relayed (a relay's own
 * Relay-forward goes where the relay was configured to send it), else unicast or multicast by its
 * IPv6 destination (text in canonical form: multicast starts with `ff`); 0 over IPv4.
 */
function destOf(record: MessageRecord, relayed: boolean): number {
  if (relayed) return 0;
  const dst = record.dst;
  if (dst.indexOf(':') < 0) return 0;
  if (dst.charCodeAt(0) === 0x66 && dst.charCodeAt(1) === 0x66) return DEST_MULTICAST;
  return record.hopLimit === 1 ? DEST_UNICAST | DEST_HOP1 : DEST_UNICAST;
}

/**
 * Sighting.to for a LEASEQUERY's datagram: a hash of its destination when bare (the server or group the
 * requestor chose, RFC 5007 §4.3.2), of its source and destination when relayed (which relay, and where
 * it sent it). A number, never 0, kept as a small integer: no text is kept per sighting.
 */
function destKey(record: MessageRecord, relayed: boolean): number {
  let h = textHash(record.dst);
  if (relayed) h = textHash(record.src, Math.imul(h ^ 0x2f, 0x01000193));
  return (h & 0x3fffffff) || 1;
}

/**
 * The one earlier transmission that a differing message is a relay's altered copy of (RFC 8415 §19.2,
 * §19.4; V6-RELAY-NO-MODIFY judges it): within the copy window, the same message type (and server, for
 * responses), seen on the same relay path one level nearer to or further from the client, and the same
 * Elapsed Time (a retransmission would carry a later one, RFC 8415 §21.9; one absent and one present is
 * an option removed or added). Two responses sent from the same address are the server's two answers,
 * not a relay's copy (`relayApart`). Two such candidates: none (which one it copies is unknown). Runs only
 * for a message that is no identical copy, i.e. once per new transmission.
 */
function alteredOf<T extends Transmission>(
  list: readonly T[], msg: Transmission['message'], s: Sighting, window: number, all: boolean, server: Dhcpv6Option | undefined,
): T | undefined {
  let found: T | undefined;
  const elapsed = elapsedOf(msg);
  for (let i = list.length - 1; i >= 0; i--) {
    const t = list[i];
    if (s.time - t.time > window) break;
    if (t.time - s.time > window || t.message.msgType !== msg.msgType) continue;
    if (!all && !sameDuid((t as Transmission as ServerResponse).server.duid, server)) continue;
    if (t.elapsed !== undefined && elapsed !== undefined && t.elapsed !== elapsed) continue;
    let apart = false;
    for (const ts of t.sightings) if (ts.altered === undefined && relayApart(ts, s, !all)) { apart = true; break; }
    if (!apart) continue;
    if (found) return undefined;
    found = t;
  }
  return found;
}

/**
 * Adds a relay's altered copy to its transmission as a sighting that says what changed, from the
 * original's side: the copy nearer the client for a request, nearer the server for a response.
 */
function addAltered(t: Transmission, msg: Transmission['message'], s: Sighting, request: boolean, record: MessageRecord): void {
  let deeper = false; // the transmission's own message was seen further from the client than the copy
  for (const p of t.sightings) if (p.altered === undefined && relayApart(p, s, !request)) { deeper = p.relays.length > s.relays.length; break; }
  const change = deeper !== request ? describeDifference(t.message, msg) : describeDifference(msg, t.message);
  const copy: Sighting = { frame: s.frame, time: s.time, frames: s.frames, relays: s.relays, relayPeer: s.relayPeer, upstream: s.upstream, to: s.to, altered: change };
  if (record.truncated === true) copy.truncated = true;
  addSighting(t, copy);
}

/**
 * A sighting that is a copy of the request transmission `t`: its destinations add up, and a whole, clean
 * copy shows all of a transmission that was damaged where it was seen first.
 */
function addRequestCopy(t: Transmission, s: Sighting, dest: number, record: MessageRecord): void {
  addSighting(t, s);
  t.dest |= dest;
  if (t.damage !== undefined) t.damage = damageOf(record);
}

/** Removes `item` from the list `map` holds under `key`, and the list once it is empty. */
function removeListed<K, V>(map: Map<K, V[]>, key: K, item: V): void {
  const l = map.get(key);
  if (!l) return;
  const i = l.indexOf(item);
  if (i >= 0) l.splice(i, 1);
  if (l.length === 0) map.delete(key);
}

/** One client by two descriptions: the same DUID when both have one, else the same address. */
function sameClient(p: { duid?: string; address?: string }, duid: string | undefined, address: string): boolean {
  return p.duid !== undefined && duid !== undefined ? p.duid === duid : p.address === address;
}

/** Whether a response of `type` from this server (Server-ID DUID) already answered `t`. */
function answeredByServer(t: UdpTransaction, type: number, server: string | undefined): boolean {
  for (const r of t.responses) if (r.message.msgType === type && r.server.duid === server) return true;
  return false;
}

/** What may be missing from a datagram's message (Transmission.damage). */
function damageOf(record: MessageRecord): Transmission['damage'] {
  if (record.truncated === true) return 'truncated';
  return record.message.anomalies.length !== 0 ? 'malformed' : undefined;
}

/** Fills in what a response offers and prefers (RFC 8415 §18.2.1, §18.2.9, §21.8), from its option tree. */
function settle(r: ServerResponse): void {
  const p = preferenceState(r.message);
  r.preference = p.preference;
  r.preferenceState = p.state;
  r.offers = offersLeases(r.message);
}

export class ClientCorrelator {
  private readonly maxOpen: number;
  private readonly idleTimeout: number;
  private readonly copyWindow: number;
  private readonly answeredTimeout: number;
  private readonly unknownWindow: number;
  private readonly maxUnknown: number;
  /**
   * Open transactions by xid: bucket `xid % XID_BUCKETS` chains those whose xids fall in it, newest
   * first (OpenTx.bucketNext). A lookup compares the xid, then the client's DUID or address texts (the
   * same memoized strings), so no key string is built per message, and opening or closing a transaction
   * adds or deletes no Map entry.
   */
  private readonly xidBuckets: (OpenTx | undefined)[] = new Array<OpenTx | undefined>(XID_BUCKETS).fill(undefined);
  /** Open transactions in creation order (for limits and the end of the capture). */
  private readonly open = new CreationList();
  /**
   * Open transactions with a message in the last `sessions.answered-timeout`, by last activity
   * (oldest first), so a sweep stops at the first recent one.
   */
  private readonly recent = new ActivityList();
  /** Unanswered transactions quiet for longer than that, by last activity, waiting for `sessions.idle-timeout`. */
  private readonly waiting = new ActivityList();
  /** Latest session per client (by DUID, or by address for a client without one) that can still take a Request. */
  private readonly sessionByDuid = new Map<string, OpenSession>();
  private readonly sessionByAddress = new Map<string, OpenSession>();
  /**
   * Clients seen by DUID and by address (text → last time as a `seenTick`). A text counts as seen while
   * the latest sweep is within `sessions.idle-timeout` of its time; stale keys are dropped in one pass
   * per idle timeout. A table of fingerprints keeps no key string (one per client would outlive the
   * young generation).
   */
  private readonly seenDuids = new SeenTable();
  private readonly seenAddresses = new SeenTable();
  /**
   * Each client's (DUID, else address) latest closed Solicit: when it closed and its xid (XID_SPAN), so
   * that an Advertise a slow server sends after the Solicit was closed is known to carry its xid.
   * Kept, like the seen tables, for `sessions.idle-timeout`.
   */
  private readonly closedSolicits = new SeenTable();
  /**
   * Copies of the messages transmissions keep: an open transaction holds them for seconds, and the
   * decoded message itself would keep the capture's read buffer and the options built from it.
   */
  private readonly store = new MessageStore();
  /** Capture time that `seenTick` counts from (the first message's). */
  private seenBase = NaN;
  private lastPrune = -Infinity;
  /** Recent orphan responses, oldest first, to merge their copies. */
  private recentOrphans: ServerResponse[] = [];
  private nextId = 1;
  private transactions = 0;
  private sessions = 0;
  private lastSweep = -Infinity;
  private lastFrame = 0;
  private limitReported = false;
  /**
   * Client messages of unassigned types being followed (RFC 8415 §16): by xid (latest last), and all of
   * them by id in creation order. Empty on ordinary traffic: the paths of known types check the size only.
   */
  private readonly unknownByXid = new Map<number, OpenUnknown[]>();
  private readonly unknownOpen = new Map<number, OpenUnknown>();
  private nextUnknownId = 1;
  private unknownLimitReported = false;

  constructor(private readonly emit: ClientEmit, options: Readonly<Record<string, number>> = {}) {
    this.maxOpen = options['sessions.max-open'] ?? CLIENT_DEFAULTS['sessions.max-open'];
    this.idleTimeout = options['sessions.idle-timeout'] ?? CLIENT_DEFAULTS['sessions.idle-timeout'];
    this.copyWindow = options['sessions.copy-window'] ?? CLIENT_DEFAULTS['sessions.copy-window'];
    this.answeredTimeout = Math.min(this.idleTimeout, options['sessions.answered-timeout'] ?? CLIENT_DEFAULTS['sessions.answered-timeout']);
    this.unknownWindow = options['sessions.unknown-window'] ?? CLIENT_DEFAULTS['sessions.unknown-window'];
    this.maxUnknown = options['sessions.max-unknown'] ?? CLIENT_DEFAULTS['sessions.max-unknown'];
  }

  /** Counts for the report's stats. */
  stats(): { udpTransactions: number; clientSessions: number } {
    return { udpTransactions: this.transactions, clientSessions: this.sessions };
  }

  /** One decoded UDP message (the pipeline has already emitted the core `message` event). */
  message(record: MessageRecord): void {
    if (record.transport !== 'udp') return;
    this.lastFrame = record.frame;
    if (record.time - this.lastSweep >= 1) this.advance(record.time);
    const { inner, relays } = unwrap(record.message);
    if (!inner || inner.format !== 'client-server' || inner.xid === undefined) return; // 4o6 (20/21) has flags, not an xid
    const forward = relays.length !== 0 && relays[0].msgType === 12;
    const relayPeer = relays.length === 0 ? undefined : forward ? record.src : record.dst;
    // The hop's end away from the client: where a Relay-forward went, where a response came from.
    const upstream = forward ? addressTag(record.dst)
      : relays.length !== 0 || RESPONSE_TYPES.has(inner.msgType) ? addressTag(record.src) : UPSTREAM_NONE;
    const to = inner.msgType === 14 ? destKey(record, relays.length !== 0) : 0;
    const sighting: Sighting = { frame: record.frame, time: record.time, frames: record.frames, relays, relayPeer, upstream, to };
    if (CLIENT_TYPES.has(inner.msgType)) this.clientMessage(inner, sighting, record);
    else if (RESPONSE_TYPES.has(inner.msgType)) this.response(inner, sighting, record);
    // An unassigned type, or (while such a message is followed) another server message: RFC 8415 §16.
    // Known types never get here past the two comparisons, on ordinary traffic.
    else if (inner.msgType > HIGHEST_ASSIGNED_MSG_TYPE || this.unknownOpen.size !== 0) this.otherMessage(inner, sighting, record);
    // RECONFIGURE (xid 0) and anything else is not paired.
  }

  /** Closes transactions idle for longer than `sessions.idle-timeout` (live mode calls this on a clock). */
  advance(time: number): void {
    this.lastSweep = time;
    // Both lists are ordered by last activity: stop at the first entry still inside its timeout.
    const due: OpenTx[] = [];
    for (let o = this.recent.head; o !== undefined && time - o.last > this.answeredTimeout; o = this.recent.head) {
      this.recent.remove(o);
      if (o.answered || time - o.last > this.idleTimeout) due.push(o);
      else this.waiting.push(o);
    }
    for (let o = this.waiting.head; o !== undefined && time - o.last > this.idleTimeout; o = this.waiting.head) {
      this.waiting.remove(o);
      due.push(o);
    }
    if (due.length > 1) due.sort((a, b) => a.tx.id - b.tx.id); // close in creation order
    for (const o of due) this.close(o, 'idle', this.lastFrame, time);
    if (this.unknownOpen.size !== 0) this.sweepUnknown(time);
    if (time - this.lastPrune >= this.idleTimeout) {
      this.lastPrune = time;
      const oldest = this.seenTick(time) - this.idleTimeout * SEEN_TICKS;
      this.seenDuids.dropBelow(oldest);
      this.seenAddresses.dropBelow(oldest);
      this.closedSolicits.dropBelow(this.closedStamp(time - this.idleTimeout, 0));
    }
    let n = 0;
    while (n < this.recentOrphans.length && time - this.recentOrphans[n].time > this.copyWindow) n++;
    if (n) this.recentOrphans.splice(0, n);
  }

  /** A message for `o` at `time`: it moves to the back of the activity order. */
  private touch(o: OpenTx, time: number): void {
    o.last = time;
    if (o.list !== undefined) o.list.remove(o);
    this.recent.push(o);
  }

  /** Whether a message of this client (DUID or address text) was seen and not yet forgotten by a sweep. */
  private wasSeen(seen: SeenTable, key: string): boolean {
    const t = seen.get(key);
    return t !== undefined && this.seenTick(this.lastSweep) - t <= this.idleTimeout * SEEN_TICKS;
  }

  /**
   * A time as whole 1/1024 s since the first message, rounded down (a seen time reads as at most one
   * tick older than it was). The seen tables were maps of these small integers; the ticks are kept so
   * a client counts as seen exactly as long as before.
   */
  private seenTick(time: number): number {
    return Math.floor(this.sinceFirst(time) * SEEN_TICKS);
  }

  /** A closedSolicits value: the time in whole seconds since the first message, then the xid. */
  private closedStamp(time: number, xid: number): number {
    return Math.max(0, Math.floor(this.sinceFirst(time))) * XID_SPAN + xid;
  }

  /** Seconds since `seenBase`, which the first call sets (both stamps count from the same first message). */
  private sinceFirst(time: number): number {
    if (Number.isNaN(this.seenBase)) this.seenBase = time;
    return time - this.seenBase;
  }

  /** Whether this client's latest closed Solicit, closed within `sessions.idle-timeout`, had this xid. */
  private solicitClosed(key: string, xid: number, time: number): boolean {
    const v = this.closedSolicits.get(key);
    return v !== undefined && v % XID_SPAN === xid && v >= this.closedStamp(time - this.idleTimeout, 0);
  }

  /** End of the input: closes everything still open. */
  finish(frame: number, time: number): void {
    for (let o = this.open.head; o !== undefined; o = this.open.head) this.close(o, 'capture-end', frame, time);
    for (const u of [...this.unknownOpen.values()]) this.closeUnknown(u, 'capture-end', frame, time);
    this.recent.clear();
    this.waiting.clear();
    this.sessionByDuid.clear();
    this.sessionByAddress.clear();
    this.seenDuids.clear();
    this.seenAddresses.clear();
    this.closedSolicits.clear();
    this.recentOrphans = [];
  }

  private clientMessage(msg: Transmission['message'], s: Sighting, record: MessageRecord): void {
    const relays = s.relays;
    const xid = msg.xid!;
    const duidBody = transientOption(msg, 1, clientIdScratch);
    const address = relays.length ? relays[relays.length - 1].peerAddress : record.src;
    const type = msg.msgType;
    const existing = requestOf(this.xidBuckets[xid % XID_BUCKETS], xid, type, duidBody, address);
    // Found by its DUID, the transaction already holds the text of it.
    const duid = duidBody === undefined ? undefined : existing ? existing.tx.client.duid : bodyHex(duidBody);
    const tick = this.seenTick(record.time);
    if (duid !== undefined) this.seenDuids.set(duid, tick);
    this.seenAddresses.set(address, tick);

    const dest = destOf(record, relays.length > 0);
    if (existing) {
      this.touch(existing, record.time);
      const copy = copyOf(existing.tx.requests, msg, s, this.copyWindow, true, undefined);
      const altered = copy ? undefined : alteredOf(existing.tx.requests, msg, s, this.copyWindow, true, undefined);
      if (copy) {
        addRequestCopy(copy, s, dest, record);
      } else if (altered) {
        addAltered(altered, msg, s, true, record);
        altered.dest |= dest;
      } else {
        const t = this.transmission(msg, s, record, dest);
        existing.tx.requests = appended(existing.tx.requests, t);
        if (type !== 14) this.emit('udp:request', { tx: existing.tx, request: t, index: existing.tx.requests.length - 1 });
      }
      if (relays.length) existing.tx.relayed = true;
      return;
    }

    const first = this.transmission(msg, s, record, dest);
    const client = { duid, address };
    const tx: UdpTransaction = {
      id: this.nextId++, msgType: type, xid, client, requests: [first], responses: [],
      firstMissed: first.elapsed !== undefined && first.elapsed > 0, relayed: relays.length > 0,
      end: 'capture-end', endFrame: record.frame, endTime: record.time,
    };
    const o: OpenTx = {
      tx, last: record.time, session: undefined, named: duidHex(transientOption(msg, 2, serverIdScratch)), answered: false,
      list: undefined, prev: undefined, next: undefined, isOpen: true, older: undefined, newer: undefined,
      bucketNext: undefined, bucketPrev: undefined,
    };
    const b = xid % XID_BUCKETS;
    const head = this.xidBuckets[b];
    o.bucketNext = head;
    if (head !== undefined) head.bucketPrev = o;
    this.xidBuckets[b] = o;
    this.open.push(o);
    this.recent.push(o);
    this.transactions++;
    if (this.unknownOpen.size !== 0) this.knownBeside(tx, record.time);

    const sessions = duid !== undefined ? this.sessionByDuid : this.sessionByAddress;
    const key = duid !== undefined ? duid : address;
    if (type === 1) {
      const os: OpenSession = {
        session: { client, solicit: tx, request: undefined, end: 'capture-end', endFrame: record.frame, endTime: record.time },
        solicit: o, byDuid: duid !== undefined, key, open: 1,
      };
      o.session = os;
      sessions.set(key, os);
      this.sessions++;
    } else if (type === 3) {
      const os = sessions.get(key);
      if (os && !os.session.request && record.time >= os.session.solicit.requests[0].time) {
        os.session.request = tx;
        os.open++;
        o.session = os;
        sessions.delete(key);
        // The Solicit has what the session needs once its Request is in (late Advertises still join it
        // within sessions.answered-timeout).
        const sol = os.solicit;
        if (sol.isOpen) { sol.answered = true; this.touch(sol, record.time); }
      }
    }
    if (type !== 14) this.emit('udp:request', { tx, request: first, index: 0 });

    if (this.open.size > this.maxOpen) {
      const oldest = this.open.head!;
      if (!this.limitReported) {
        this.limitReported = true;
        const what = `more than ${this.maxOpen} open UDP transactions (sessions.max-open)`;
        this.limitHit('limit.open_transactions', `${what}: the oldest are closed early`, record, oldest.tx.xid);
      }
      this.close(oldest, 'limit', record.frame, record.time);
    }
  }

  private response(msg: Transmission['message'], s: Sighting, record: MessageRecord): void {
    const relays = s.relays;
    const xid = msg.xid!;
    const clientBody = transientOption(msg, 1, clientIdScratch);
    const serverBody = transientOption(msg, 2, serverIdScratch);
    const clientAddress = relays.length ? relays[relays.length - 1].peerAddress : record.dst;

    const type = msg.msgType;
    const bucket = this.xidBuckets[xid % XID_BUCKETS];
    let found = clientBody !== undefined ? answeredBy(bucket, xid, type, clientBody, undefined) : undefined;
    const byDuid = found !== undefined;
    found ??= answeredBy(bucket, xid, type, undefined, clientAddress);

    if (found) {
      this.touch(found, record.time);
      const tx = found.tx;
      const same = copyOf(tx.responses, msg, s, this.copyWindow, false, serverBody);
      const copy = same ?? alteredOf(tx.responses, msg, s, this.copyWindow, false, serverBody);
      if (copy) {
        if (same) addSighting(copy, s);
        else addAltered(copy, msg, s, false, record);
        if (relays.length) copy.server.address = record.src;
        return;
      }
      const reqDuid = tx.client.duid;
      const clientId: ServerResponse['clientId'] = byDuid ? 'match'
        : clientBody !== undefined ? (reqDuid !== undefined ? 'mismatch' : 'unexpected')
          : (reqDuid !== undefined ? 'missing' : 'none');
      const serverDuid = serverBody === undefined ? undefined : bodyHex(serverBody);
      const response = this.serverResponse(msg, s, record, serverDuid, clientId);
      tx.responses = appended(tx.responses, response);
      // Also under the xid of a followed message of an unassigned type of this client: whose answer it is
      // cannot be told (V6-VAL-UNKNOWN-MSGTYPE is inconclusive).
      if (this.unknownOpen.size !== 0) {
        const u = this.unknownFor(xid, clientBody, clientAddress, record.time);
        if (u) {
          u.x.shared = keptAppended(u.x.shared, response);
          u.x.known ??= { msgType: tx.msgType, frame: tx.requests[0].frame };
        }
      }
      // Answered: a Reply to anything but a Solicit (from the server the request named, if it named
      // one: RED-NONSELECTED-DISCARD waits for it), a LEASEQUERY-REPLY; a Solicit's Rapid Commit Reply.
      if (type !== 2 && (found.named === undefined || found.named === serverDuid)) found.answered = true;
      if (tx.msgType !== 14) this.emit('udp:response', { tx, response, index: tx.responses.length - 1 });
      return;
    }

    const clientDuid = clientBody === undefined ? undefined : bodyHex(clientBody);
    const serverDuid = serverBody === undefined ? undefined : bodyHex(serverBody);

    // No captured request: an orphan (merged with a copy of itself seen moments ago).
    for (const r of this.recentOrphans) {
      if (r.server.duid === serverDuid && record.time - r.time <= this.copyWindow && sameMessage(r.message, msg)) {
        addSighting(r, s);
        return;
      }
    }
    const candidates: OrphanResponse['candidates'] = [];
    const rapidCommit = hasOption(msg, 14);
    // A late Advertise to this client's Solicit that was already closed carries the right xid.
    const late = type === 2 && this.solicitClosed(clientDuid ?? clientAddress, xid, record.time);
    if (!late) for (let o = this.open.head; o !== undefined; o = o.newer) {
      const t = o.tx;
      // The same client: by DUID, or by address (whether or not the transaction has a DUID).
      if (!((clientDuid !== undefined && t.client.duid === clientDuid) || t.client.address === clientAddress)) continue;
      if (!answers(t.msgType, type)) continue;
      // Only a Reply carrying Rapid Commit answers a Solicit (RFC 8415 §18.3.1); a plain one answers some
      // other message of the client, perhaps one the capture missed.
      if (t.msgType === 1 && type === 7 && !rapidCommit) continue;
      // An exchange this server has already answered is not waiting for it: the response may answer a
      // message the capture missed (a Decline after the Request's Reply), not this one under another xid.
      if (answeredByServer(t, type, serverDuid)) continue;
      candidates.push({ xid: t.xid, msgType: t.msgType, frame: t.requests[0].frame, time: t.requests[0].time, firstMissed: t.firstMissed });
    }
    const response = this.serverResponse(msg, s, record, serverDuid, clientDuid !== undefined ? 'unexpected' : 'none');
    settle(response);
    this.recentOrphans.push(response);
    const orphan: OrphanResponse = {
      response, xid, clientDuid, clientAddress, candidates, late,
      clientSeen: (clientDuid !== undefined && this.wasSeen(this.seenDuids, clientDuid)) || this.wasSeen(this.seenAddresses, clientAddress),
    };
    // The answer to a followed message of an unassigned type of this client (RFC 8415 §16). A late
    // Advertise carries the xid of the client's closed Solicit too: whose answer it is cannot be told.
    const u = this.unknownOpen.size !== 0 ? this.unknownFor(xid, clientBody, clientAddress, record.time) : undefined;
    if (u && late) {
      u.x.shared = keptAppended(u.x.shared, response);
      u.x.known ??= { msgType: 1 };
    } else if (u) {
      u.x.answers = keptAppended(u.x.answers, response);
      orphan.unknownType = { msgType: u.x.msgType, frame: u.x.requests[0].frame };
    }
    this.emit('udp:orphan-response', orphan);
  }

  // ---- Client messages of unassigned types (RFC 8415 §16: clients and servers discard them) ----

  /**
   * A message of a type neither paired nor answered: a client message of an unassigned type is followed;
   * while one is, anything else a server sends towards a client (bare from port 547, or inside a
   * Relay-reply) may be an answer to it. A Reconfigure is the server's own initiative (xid 0, RFC 8415
   * §18.3.11), never an answer. A bare datagram between two 547 ports has no telling direction: ignored.
   */
  private otherMessage(msg: Transmission['message'], s: Sighting, record: MessageRecord): void {
    const relays = s.relays;
    const type = msg.msgType;
    if (type > HIGHEST_ASSIGNED_MSG_TYPE && (relays.length !== 0 ? relays[0].msgType === 12 : record.dstPort === 547 && record.srcPort !== 547)) {
      this.unknownMessage(msg, s, record);
      return;
    }
    if (type === 10 || this.unknownOpen.size === 0) return;
    if (relays.length !== 0 ? relays[0].msgType !== 13 : record.srcPort !== 547 || record.dstPort === 547) return;
    const clientBody = transientOption(msg, 1, clientIdScratch);
    const clientAddress = relays.length ? relays[relays.length - 1].peerAddress : record.dst;
    const u = this.unknownFor(msg.xid!, clientBody, clientAddress, record.time);
    if (!u) return;
    const serverBody = transientOption(msg, 2, serverIdScratch);
    const copy = copyOf(u.x.answers, msg, s, this.copyWindow, false, serverBody);
    if (copy) {
      addSighting(copy, s);
      if (relays.length) copy.server.address = record.src;
      return;
    }
    const clientId: ServerResponse['clientId'] = clientBody !== undefined ? 'match' : u.x.client.duid !== undefined ? 'missing' : 'none';
    const response = this.serverResponse(msg, s, record, serverBody === undefined ? undefined : bodyHex(serverBody), clientId);
    settle(response);
    u.x.answers = keptAppended(u.x.answers, response);
  }

  /** A client message of an unassigned type: a new one to follow, or another transmission or copy of one followed. */
  private unknownMessage(msg: Transmission['message'], s: Sighting, record: MessageRecord): void {
    const relays = s.relays;
    const xid = msg.xid!;
    const type = msg.msgType;
    const duidBody = transientOption(msg, 1, clientIdScratch);
    const address = relays.length ? relays[relays.length - 1].peerAddress : record.src;
    const dest = destOf(record, relays.length > 0);
    const list = this.unknownByXid.get(xid);
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        const u = list[i];
        if (u.x.msgType !== type || !isClient(u.x.client, duidBody, address)) continue;
        u.last = record.time;
        const copy = copyOf(u.x.requests, msg, s, this.copyWindow, true, undefined);
        if (copy) {
          addRequestCopy(copy, s, dest, record);
        } else {
          const t = this.transmission(msg, s, record, dest);
          u.x.requests = keptAppended(u.x.requests, t);
          this.emit('udp:unknown-request', { x: u.x, request: t, index: u.x.requests.length - 1 });
        }
        return;
      }
    }
    const duid = duidBody === undefined ? undefined : bodyHex(duidBody);
    const x: UnknownTypeExchange = {
      id: this.nextUnknownId++, msgType: type, xid, client: { duid, address }, requests: [this.transmission(msg, s, record, dest)],
      answers: [], shared: [], known: undefined, end: 'capture-end', endFrame: record.frame, endTime: record.time,
    };
    // A transaction of a known type of this client under the same xid, open now: answers may be its.
    let same: OpenTx | undefined; // the oldest such (buckets run newest first)
    for (let o = this.xidBuckets[xid % XID_BUCKETS]; o !== undefined; o = o.bucketNext) {
      if (o.tx.xid === xid && sameClient(o.tx.client, duid, address)) same = o;
    }
    if (same) x.known = { msgType: same.tx.msgType, frame: same.tx.requests[0].frame };
    const u: OpenUnknown = { x, last: record.time };
    if (list) list.push(u); else this.unknownByXid.set(xid, [u]);
    this.unknownOpen.set(x.id, u);
    this.emit('udp:unknown-request', { x, request: x.requests[0], index: 0 });
    if (this.unknownOpen.size > this.maxUnknown) {
      const oldest = this.unknownOpen.values().next().value as OpenUnknown;
      if (!this.unknownLimitReported) {
        this.unknownLimitReported = true;
        const what = `more than ${this.maxUnknown} client messages of unassigned types followed at once (sessions.max-unknown)`;
        this.limitHit('limit.unknown_messages', `${what}: the oldest are no longer followed`, record, oldest.x.xid);
      }
      this.closeUnknown(oldest, 'limit', record.frame, record.time);
    }
  }

  /** A new transaction of a known type: followed messages of unassigned types of its client under its xid share that xid with it. */
  private knownBeside(tx: UdpTransaction, time: number): void {
    const list = this.unknownByXid.get(tx.xid);
    if (!list) return;
    for (const u of list) {
      if (time - u.last <= this.unknownWindow && sameClient(tx.client, u.x.client.duid, u.x.client.address!)) {
        u.x.known ??= { msgType: tx.msgType, frame: tx.requests[0].frame };
      }
    }
  }

  /**
   * The followed message of an unassigned type that a server message under `xid` towards this client
   * would answer, the latest first: by the Client-ID when the server's message carries one (the followed
   * message must carry the same), else by the client's address; within `sessions.unknown-window`.
   */
  private unknownFor(xid: number, clientBody: Dhcpv6Option | undefined, clientAddress: string, time: number): OpenUnknown | undefined {
    const list = this.unknownByXid.get(xid);
    if (!list) return undefined;
    for (let i = list.length - 1; i >= 0; i--) {
      const u = list[i];
      if (time - u.last > this.unknownWindow) continue;
      if (isClient(u.x.client, clientBody, clientAddress)) return u;
    }
    return undefined;
  }

  /** Stops following the messages of unassigned types whose window has passed, in creation order. */
  private sweepUnknown(time: number): void {
    const due: OpenUnknown[] = [];
    for (const u of this.unknownOpen.values()) if (time - u.last > this.unknownWindow) due.push(u);
    for (const u of due) this.closeUnknown(u, 'idle', this.lastFrame, time);
  }

  private closeUnknown(u: OpenUnknown, reason: EndReason, frame: number, time: number): void {
    if (!this.unknownOpen.delete(u.x.id)) return;
    removeListed(this.unknownByXid, u.x.xid, u);
    u.x.end = reason;
    u.x.endFrame = frame;
    u.x.endTime = time;
    this.emit('udp:unknown-type-end', u.x);
  }

  /** A named limit was hit at `record` (each is reported once per input: DESIGN.md, never a silent drop). */
  private limitHit(name: string, message: string, record: MessageRecord, xid: number): void {
    this.emit('anomaly', { layer: 'limit', name, message, frames: [record.frame], time: record.time, xid });
  }

  private transmission(msg: Transmission['message'], s: Sighting, record: MessageRecord, dest: number): Transmission {
    return {
      message: this.store.keep(msg), frame: s.frame, time: s.time, frames: s.frames,
      sightings: [s], minDepth: s.relays.length, elapsed: elapsedOf(msg), dest, damage: damageOf(record),
    };
  }

  /**
   * A response in one shape. Preference and offers need the option tree: `settle` fills them in when
   * the response is handed to the rules (its transaction closes, or it is an orphan).
   */
  private serverResponse(
    msg: Transmission['message'], s: Sighting, record: MessageRecord, serverDuid: string | undefined, clientId: ServerResponse['clientId'],
  ): ServerResponse {
    const hasServerId = serverDuid !== undefined;
    return {
      message: this.store.keep(msg), frame: s.frame, time: s.time, frames: s.frames,
      sightings: [s], minDepth: s.relays.length, elapsed: elapsedOf(msg), dest: 0, damage: damageOf(record),
      server: { duid: serverDuid, address: record.src }, hasServerId, clientId,
      valid: hasServerId && (clientId === 'match' || clientId === 'none'),
      preference: 0, preferenceState: 'absent', offers: false, rapidCommit: hasOption(msg, 14),
    };
  }

  private close(o: OpenTx, reason: EndReason, frame: number, time: number): void {
    if (!o.isOpen) return;
    o.isOpen = false;
    this.open.remove(o);
    if (o.list !== undefined) o.list.remove(o);
    const xid = o.tx.xid;
    if (o.bucketPrev !== undefined) o.bucketPrev.bucketNext = o.bucketNext;
    else this.xidBuckets[xid % XID_BUCKETS] = o.bucketNext;
    if (o.bucketNext !== undefined) o.bucketNext.bucketPrev = o.bucketPrev;
    o.bucketNext = undefined;
    o.bucketPrev = undefined;
    o.tx.end = reason;
    o.tx.endFrame = frame;
    o.tx.endTime = time;
    const responses = o.tx.responses;
    for (let i = 0; i < responses.length; i++) settle(responses[i]);
    if (o.tx.msgType === 1) this.closedSolicits.set(o.tx.client.duid ?? o.tx.client.address ?? '', this.closedStamp(time, xid));
    this.emit(o.tx.msgType === 14 ? 'lq:transaction-end' : 'udp:transaction-end', o.tx);
    const os = o.session;
    if (os && --os.open === 0) {
      const sessions = os.byDuid ? this.sessionByDuid : this.sessionByAddress;
      if (sessions.get(os.key) === os) sessions.delete(os.key);
      os.session.end = reason;
      os.session.endFrame = frame;
      os.session.endTime = time;
      this.emit('session:end', os.session);
    }
  }
}
