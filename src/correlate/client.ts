// The client correlator: pairs UDP client messages with server responses by (client, xid) through
// any number of relay levels (RFC 8415 §9, §15, §16, §18; RFC 5007 §4), and assembles server-selection
// sessions (Solicit → Advertise* → Request → Reply, RFC 8415 §18.2.1, §18.2.9). State is bounded.

import type { MessageRecord } from '../dhcpv6/types.js';
import { duidHex, findOption } from '../dhcpv6/helpers.js';
import type { Events } from './events.js';
import type {
  ClientSession, EndReason, OrphanResponse, ServerResponse, Sighting, Transmission, UdpTransaction,
} from './client-events.js';
import {
  CLIENT_TYPES, RESPONSE_TYPES, answers, elapsedOf, offersLeases, preferenceState, sameMessage, unwrap,
} from './udp-message.js';

export type ClientEmit = <K extends keyof Events>(name: K, event: Events[K]) => void;

/** Defaults of the correlator's named limits. */
export const CLIENT_DEFAULTS = {
  /** `sessions.max-open`: open UDP transactions kept; the oldest is closed (end `limit`) beyond it. */
  'sessions.max-open': 10000,
  /** `sessions.idle-timeout` (s): a transaction with no message for this long is closed. */
  'sessions.idle-timeout': 120,
  /** `sessions.copy-window` (s): an identical message within this time is a copy (relay hop, second path), not a retransmission. */
  'sessions.copy-window': 0.5,
} as const;

interface OpenTx {
  tx: UdpTransaction;
  keys: string[];
  last: number;
  session?: OpenSession;
}

interface OpenSession {
  session: ClientSession;
  clientKey: string;
  open: number;
}

function addSighting(t: Transmission, s: Sighting): void {
  t.sightings.push(s);
  for (const f of s.record.frames) if (!t.frames.includes(f)) t.frames.push(f);
  t.frames.sort((a, b) => a - b);
  if (s.relays.length < t.minDepth) t.minDepth = s.relays.length;
}

/** Finds an earlier transmission this one is a copy of (identical message, within the copy window). */
function copyOf<T extends Transmission>(list: readonly T[], msg: Transmission['message'], s: Sighting, window: number): T | undefined {
  for (let i = list.length - 1; i >= 0; i--) {
    const t = list[i];
    if (s.record.time - t.time > window) break;
    // A retransmission updates Elapsed Time (RFC 8415 §21.9) and waits at least ~0.9 s (IRT), so an
    // identical message this soon is the same transmission seen at another hop or capture point.
    if (sameMessage(t.message, msg)) return t;
  }
  return undefined;
}

export class ClientCorrelator {
  private readonly maxOpen: number;
  private readonly idleTimeout: number;
  private readonly copyWindow: number;
  /** (client key | xid) → open transactions with that key, oldest first. */
  private readonly byKey = new Map<string, OpenTx[]>();
  /** Open transactions in creation order (for limits, sweeps and the end of the capture). */
  private readonly open = new Map<number, OpenTx>();
  /** Latest session per client key that can still take a Request. */
  private readonly sessionByClient = new Map<string, OpenSession>();
  /** Clients seen (key → last time), pruned on sweeps. */
  private readonly clientsSeen = new Map<string, number>();
  /** Recent orphan responses, to merge their copies (key → response). */
  private recentOrphans: ServerResponse[] = [];
  private nextId = 1;
  private transactions = 0;
  private sessions = 0;
  private lastSweep = -Infinity;
  private lastFrame = 0;
  private limitReported = false;

  constructor(private readonly emit: ClientEmit, options: Readonly<Record<string, number>> = {}) {
    this.maxOpen = options['sessions.max-open'] ?? CLIENT_DEFAULTS['sessions.max-open'];
    this.idleTimeout = options['sessions.idle-timeout'] ?? CLIENT_DEFAULTS['sessions.idle-timeout'];
    this.copyWindow = options['sessions.copy-window'] ?? CLIENT_DEFAULTS['sessions.copy-window'];
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
    const sighting: Sighting = { record, relays };
    if (CLIENT_TYPES.has(inner.msgType)) this.clientMessage(inner, sighting);
    else if (RESPONSE_TYPES.has(inner.msgType)) this.response(inner, sighting);
    // RECONFIGURE (xid 0) and anything else is not paired.
  }

  /** Closes transactions idle for longer than `sessions.idle-timeout` (live mode calls this on a clock). */
  advance(time: number): void {
    this.lastSweep = time;
    for (const o of [...this.open.values()]) {
      if (time - o.last > this.idleTimeout) this.close(o, 'idle', this.lastFrame, time);
    }
    for (const [k, t] of this.clientsSeen) if (time - t > this.idleTimeout) this.clientsSeen.delete(k);
    this.recentOrphans = this.recentOrphans.filter((r) => time - r.time <= this.copyWindow);
  }

  /** End of the input: closes everything still open. */
  finish(frame: number, time: number): void {
    for (const o of [...this.open.values()]) this.close(o, 'capture-end', frame, time);
    this.sessionByClient.clear();
    this.clientsSeen.clear();
    this.recentOrphans = [];
  }

  private clientMessage(msg: Transmission['message'], s: Sighting): void {
    const { record, relays } = s;
    const xid = msg.xid!;
    const duid = duidHex(findOption(msg.options, 1));
    const address = relays.length ? relays[relays.length - 1].peerAddress : record.src;
    const clientKey = duid !== undefined ? `d:${duid}` : `a:${address}`;
    this.clientsSeen.set(clientKey, record.time);
    if (duid !== undefined) this.clientsSeen.set(`a:${address}`, record.time);

    const list = this.byKey.get(`${clientKey}|${xid}`);
    const existing = list?.filter((o) => o.tx.msgType === msg.msgType).pop();
    if (existing) {
      existing.last = record.time;
      const copy = copyOf(existing.tx.requests, msg, s, this.copyWindow);
      if (copy) addSighting(copy, s);
      else existing.tx.requests.push(this.transmission(msg, s));
      if (relays.length) existing.tx.relayed = true;
      return;
    }

    const first = this.transmission(msg, s);
    const client = duid !== undefined ? { duid, address } : { address };
    const tx: UdpTransaction = {
      id: this.nextId++, msgType: msg.msgType, xid, client, requests: [first], responses: [],
      firstMissed: first.elapsed !== undefined && first.elapsed > 0, relayed: relays.length > 0,
      end: 'capture-end', endFrame: record.frame, endTime: record.time,
    };
    const keys = [`${clientKey}|${xid}`];
    if (duid !== undefined) keys.push(`a:${address}|${xid}`);
    const o: OpenTx = { tx, keys, last: record.time };
    for (const k of keys) {
      const l = this.byKey.get(k);
      if (l) l.push(o); else this.byKey.set(k, [o]);
    }
    this.open.set(tx.id, o);
    this.transactions++;

    if (msg.msgType === 1) {
      const os: OpenSession = { session: { client, solicit: tx, end: 'capture-end', endFrame: record.frame, endTime: record.time }, clientKey, open: 1 };
      o.session = os;
      this.sessionByClient.set(clientKey, os);
      this.sessions++;
    } else if (msg.msgType === 3) {
      const os = this.sessionByClient.get(clientKey);
      if (os && !os.session.request && record.time >= os.session.solicit.requests[0].time) {
        os.session.request = tx;
        os.open++;
        o.session = os;
        this.sessionByClient.delete(clientKey);
      }
    }

    if (this.open.size > this.maxOpen) {
      const oldest = this.open.values().next().value as OpenTx;
      if (!this.limitReported) {
        this.limitReported = true;
        this.emit('anomaly', {
          layer: 'limit', name: 'limit.open_transactions',
          message: `more than ${this.maxOpen} open UDP transactions (sessions.max-open): the oldest are closed early`,
          frames: [record.frame], time: record.time, xid: oldest.tx.xid,
        });
      }
      this.close(oldest, 'limit', record.frame, record.time);
    }
  }

  private response(msg: Transmission['message'], s: Sighting): void {
    const { record, relays } = s;
    const xid = msg.xid!;
    const clientDuid = duidHex(findOption(msg.options, 1));
    const serverDuid = duidHex(findOption(msg.options, 2));
    const clientAddress = relays.length ? relays[relays.length - 1].peerAddress : record.dst;

    let found: OpenTx | undefined;
    let byDuid = false;
    if (clientDuid !== undefined) {
      found = this.byKey.get(`d:${clientDuid}|${xid}`)?.filter((o) => answers(o.tx.msgType, msg.msgType)).pop();
      byDuid = found !== undefined;
    }
    found ??= this.byKey.get(`a:${clientAddress}|${xid}`)?.filter((o) => answers(o.tx.msgType, msg.msgType)).pop();

    if (found) {
      found.last = record.time;
      const tx = found.tx;
      const same = tx.responses.filter((r) => r.server.duid === serverDuid);
      const copy = copyOf(same, msg, s, this.copyWindow);
      if (copy) {
        addSighting(copy, s);
        if (relays.length) copy.server.address = record.src;
        return;
      }
      const reqDuid = tx.client.duid;
      const clientId: ServerResponse['clientId'] = byDuid ? 'match'
        : clientDuid !== undefined ? (reqDuid !== undefined ? 'mismatch' : 'unexpected')
          : (reqDuid !== undefined ? 'missing' : 'none');
      tx.responses.push(this.serverResponse(msg, s, serverDuid, clientId));
      return;
    }

    // No captured request: an orphan (merged with a copy of itself seen moments ago).
    for (const r of this.recentOrphans) {
      if (r.server.duid === serverDuid && record.time - r.time <= this.copyWindow && sameMessage(r.message, msg)) {
        addSighting(r, s);
        return;
      }
    }
    const clientKeys = clientDuid !== undefined ? [`d:${clientDuid}`, `a:${clientAddress}`] : [`a:${clientAddress}`];
    const candidates: OrphanResponse['candidates'] = [];
    for (const o of this.open.values()) {
      const t = o.tx;
      const k = t.client.duid !== undefined ? `d:${t.client.duid}` : `a:${t.client.address}`;
      const ka = `a:${t.client.address}`;
      if (!clientKeys.includes(k) && !clientKeys.includes(ka)) continue;
      if (!answers(t.msgType, msg.msgType)) continue;
      candidates.push({ xid: t.xid, msgType: t.msgType, frame: t.requests[0].frame, time: t.requests[0].time, firstMissed: t.firstMissed });
    }
    const response = this.serverResponse(msg, s, serverDuid, clientDuid !== undefined ? 'unexpected' : 'none');
    this.recentOrphans.push(response);
    const orphan: OrphanResponse = {
      response, xid, clientAddress, candidates,
      clientSeen: clientKeys.some((k) => this.clientsSeen.has(k)),
    };
    if (clientDuid !== undefined) orphan.clientDuid = clientDuid;
    this.emit('udp:orphan-response', orphan);
  }

  private transmission(msg: Transmission['message'], s: Sighting): Transmission {
    const t: Transmission = {
      message: msg, frame: s.record.frame, time: s.record.time, frames: [...s.record.frames],
      sightings: [s], minDepth: s.relays.length,
    };
    const e = elapsedOf(msg);
    if (e !== undefined) t.elapsed = e;
    return t;
  }

  private serverResponse(msg: Transmission['message'], s: Sighting, serverDuid: string | undefined, clientId: ServerResponse['clientId']): ServerResponse {
    const base = this.transmission(msg, s);
    const pref = preferenceState(msg);
    const hasServerId = serverDuid !== undefined;
    const server = serverDuid !== undefined ? { duid: serverDuid, address: s.record.src } : { address: s.record.src };
    return {
      ...base, server, hasServerId, clientId,
      valid: hasServerId && (clientId === 'match' || clientId === 'none'),
      preference: pref.preference, preferenceState: pref.state,
      offers: offersLeases(msg), rapidCommit: findOption(msg.options, 14) !== undefined,
    };
  }

  private close(o: OpenTx, reason: EndReason, frame: number, time: number): void {
    if (!this.open.delete(o.tx.id)) return;
    for (const k of o.keys) {
      const l = this.byKey.get(k);
      if (!l) continue;
      const i = l.indexOf(o);
      if (i >= 0) l.splice(i, 1);
      if (l.length === 0) this.byKey.delete(k);
    }
    o.tx.end = reason;
    o.tx.endFrame = frame;
    o.tx.endTime = time;
    this.emit(o.tx.msgType === 14 ? 'lq:transaction-end' : 'udp:transaction-end', o.tx);
    const os = o.session;
    if (os && --os.open === 0) {
      if (this.sessionByClient.get(os.clientKey) === os) this.sessionByClient.delete(os.clientKey);
      os.session.end = reason;
      os.session.endFrame = frame;
      os.session.endTime = time;
      this.emit('session:end', os.session);
    }
  }
}
