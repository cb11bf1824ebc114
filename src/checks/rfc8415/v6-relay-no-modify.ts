// V6-RELAY-NO-MODIFY: a relay wraps and unwraps but never alters the message it relays (RFC 8415 §19.2,
// §19.4). Seen when the capture holds both sides of a relay: the client correlator keeps a differing copy
// one relay level apart as an `altered` sighting of the same transmission (so no rule mistakes it for a
// retransmission or a second answer); this rule judges those, and the near-copies it could not merge.
// A relay delivers what it unwrapped from its own address on the client's link, usually a link-local
// one (RFC 8415 §19.2): the rule learns that address from the relay's unaltered deliveries (a bounded
// table, decided when the evidence is in) before it pins a differing copy from it on the relay.
import type { Events } from '../../correlate/events.js';
import type { ServerResponse, Sighting, Transmission, UdpTransaction } from '../../correlate/client-events.js';
import { UPSTREAM_MULTICAST, UPSTREAM_NONE } from '../../correlate/client-events.js';
import { addressTag, oneLevelApart, relayApart, sameChain, textHash } from '../../correlate/udp-message.js';
import { MESSAGE_NAMES } from '../../dhcpv6/names.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';

/** The unaltered sighting one level apart from `s` on its relay path (the other side of the relay). */
function partnerOf(t: Transmission, s: Sighting, request: boolean): Sighting | undefined {
  for (const p of t.sightings) if (p.altered === undefined && relayApart(p, s, !request)) return p;
  return undefined;
}

/**
 * Whether the response copy nearer the client came from the relay the other copy was sent to: from the
 * address the Relay-reply went to, or from the link-address that relay put in its level (an address of
 * its own on the client's side). A relay delivers what it unwrapped (RFC 8415 §19.2); any other sender
 * may be the server itself, answering a copy of the client's message it got by another path.
 */
function fromRelay(near: Sighting, deep: Sighting): boolean {
  if (near.upstream === UPSTREAM_NONE || deep.relayPeer === undefined) return true; // events made without addresses
  return near.upstream === addressTag(deep.relayPeer) || near.upstream === addressTag(deep.relays[0].linkAddress);
}

/** Whether an unaltered sighting at the same depth (and, for `sameChain`, the same path) exists. */
function exactAlongside(t: Transmission, s: Sighting, samePath: boolean): boolean {
  for (const p of t.sightings) {
    if (p.altered !== undefined || p.relays.length !== s.relays.length) continue;
    if (!samePath || sameChain(p.relays, s.relays)) return true;
  }
  return false;
}

/**
 * The relay a Relay-reply went to, as a number: the address it was sent to (a server answers a
 * Relay-forward to its source, RFC 8415 §19.3) with the link-address and Interface-Id of that relay's
 * level. Two relays that share a number share a table entry; their two delivery addresses then make it
 * contested (inconclusive), never a proof.
 */
function relayKey(deep: Sighting): number {
  const hop = deep.relays[0];
  const h = textHash(hop.interfaceId ?? '', textHash(hop.linkAddress));
  return addressTag(deep.relayPeer!) * 0x400000 + ((h ^ (h >>> 22)) & 0x3fffff);
}

/** An unaltered sighting of a message inside a Relay-reply seen on its way to a relay. */
function toRelay(p: Sighting): boolean {
  return p.altered === undefined && p.relayPeer !== undefined && p.relays.length !== 0;
}

/**
 * What one relay is seen delivering from (RFC 8415 §19.2): the address tag of the one sender of its
 * unaltered copies, or that two senders were seen (contested: a server on the client's link answering
 * the client directly too sends copies of the same answers).
 */
interface Delivery {
  /** Address tag (Sighting.upstream) of the sender of the relay's unaltered copies; 0 before any. */
  address: number;
  /** Frame and time of the first copy that showed it. */
  frame: number;
  time: number;
  /** Another sender was seen for the same relay's answers: no address is tied to it. */
  contested: boolean;
  /** Time of the latest evidence or deferred judgement touching it (option relay-timeout). */
  last: number;
}

/** A transaction whose altered response waits for the evidence about its sender (until relay-timeout). */
interface Pending {
  /** Time of its latest altered copy: it is settled relay-timeout seconds later, or at the end of the input. */
  time: number;
  /**
   * The violations it would be, each with its relay's entry, the copy's sender and its own inconclusive
   * form; the first whose sender is proven wins.
   */
  candidates: Array<{ report: ReportDescriptor; entry: Delivery; address: number; fallback: ReportDescriptor }>;
  /** The transaction's first inconclusive finding: reported when none is proven. */
  fallback: ReportDescriptor;
}

/** What judging one altered copy gives: a finding, or one that waits for evidence about its sender. */
interface Judged {
  report: ReportDescriptor;
  /** Set when `report` (a violation) holds only if the sender is proven to be the relay's: the finding if not. */
  fallback?: ReportDescriptor;
  /** The relay (relayKey) and the sender's address tag, with `fallback`. */
  key?: number;
  address?: number;
}

/** The fewest and the most relay levels a transmission's unaltered sightings were seen under. */
function depthsOf(t: Transmission): { min: number; max: number } {
  let min = Infinity;
  let max = -1;
  for (const s of t.sightings) {
    if (s.altered !== undefined) continue;
    if (s.relays.length < min) min = s.relays.length;
    if (s.relays.length > max) max = s.relays.length;
  }
  return { min, max };
}

/** A finding with its frames merged with one more frame (the proof of the relay's address) and its time. */
function withProof(r: ReportDescriptor, e: Delivery): ReportDescriptor {
  const frames = r.frames.includes(e.frame) ? r.frames : [...r.frames, e.frame].sort((a, b) => a - b);
  return { ...r, frames, time: Math.max(r.time, e.time), data: { ...r.data, proof: e.frame } };
}

export const v6RelayNoModify: RuleModule<Events> = {
  create(ctx) {
    const window = typeof ctx.options.window === 'number' ? ctx.options.window : 0.5;
    const cap = typeof ctx.options['max-tracked-relays'] === 'number' ? ctx.options['max-tracked-relays'] : 10000;
    const timeout = typeof ctx.options['relay-timeout'] === 'number' ? ctx.options['relay-timeout'] : 600;

    /** What each relay (relayKey) is seen delivering from; at most `cap`, each kept `timeout` s past its last use. */
    const deliveries = new Map<number, Delivery>();
    /** Deferred judgements, oldest first (from `head`), each at most `cap`. */
    let pending: Pending[] = [];
    let head = 0;
    /** A relay could not be tracked (the table was full): an unproven address may be the table's loss. */
    let capped = false;
    let lastSweep = -Infinity;

    const entryOf = (key: number, now: number): Delivery | undefined => {
      let e = deliveries.get(key);
      if (e === undefined) {
        if (deliveries.size >= cap) { capped = true; return undefined; }
        e = { address: 0, frame: 0, time: 0, contested: false, last: now };
        deliveries.set(key, e);
      } else if (now > e.last) {
        e.last = now;
      }
      return e;
    };

    /**
     * Learns from one response what relays deliver from. Per relay path: the copies one level nearer
     * the client than the Relay-replies that carried it to relays. One relay and one sender (besides the
     * server's own address): the sender's unaltered copy, sent after the Relay-reply, shows the relay's
     * address. More senders than relays: one of them is not a relay's (a server on the client's link
     * answering directly as well, RFC 8415 §18.3), so no address is tied to those relays.
     */
    const learn = (t: Transmission, now: number): void => {
      const ss = t.sightings;
      if (ss.length < 2) return;
      for (let i = 0; i < ss.length; i++) {
        const s = ss[i];
        if (s.upstream <= UPSTREAM_MULTICAST) continue; // events made without addresses
        let weighed = false; // this path's copies were weighed from an earlier one
        for (let j = 0; j < i && !weighed; j++) weighed = ss[j].upstream > UPSTREAM_MULTICAST && sameChain(ss[j].relays, s.relays);
        if (weighed) continue;
        let keys: number[] | undefined;
        let after = Infinity; // a relay delivers after the Relay-reply reached it
        for (const p of ss) {
          if (!toRelay(p) || p.relays.length !== s.relays.length + 1 || !oneLevelApart(p.relays, s.relays)) continue;
          const k = relayKey(p);
          if (keys === undefined) keys = [k]; else if (!keys.includes(k)) keys.push(k);
          if (p.time < after) after = p.time;
        }
        if (keys === undefined) continue;
        const senders: number[] = [];
        let proof: Sighting | undefined;
        for (let j = i; j < ss.length; j++) {
          const q = ss[j];
          if (q.upstream <= UPSTREAM_MULTICAST || !sameChain(q.relays, s.relays)) continue;
          let server = false; // the address the Relay-reply itself came from: the server's own answer
          for (const p of ss) if (toRelay(p) && p.upstream === q.upstream) { server = true; break; }
          if (server) continue;
          if (!senders.includes(q.upstream)) senders.push(q.upstream);
          if (q.altered === undefined && q.time >= after) proof ??= q;
        }
        if (senders.length > keys.length) {
          for (const k of keys) { const e = entryOf(k, now); if (e) e.contested = true; }
        } else if (senders.length === 1 && keys.length === 1 && proof !== undefined) {
          const e = entryOf(keys[0], now);
          if (e === undefined) continue;
          if (e.address === 0) { e.address = proof.upstream; e.frame = proof.frame; e.time = proof.time; }
          else if (e.address !== proof.upstream) e.contested = true; // one relay, two senders over time
        }
      }
    };

    /** A deferred judgement, now that the evidence about its senders is in. */
    const settle = (p: Pending): void => {
      for (const c of p.candidates) {
        if (c.entry.contested || c.entry.address !== c.address) continue;
        ctx.report(withProof(c.report, c.entry)); // RFC 8415 §19.2: MUST NOT modify
        return;
      }
      const own = p.candidates.find((c) => c.fallback === p.fallback);
      if (own?.entry.contested) ctx.report({ ...p.fallback, messageId: 'contested' });
      else if (own && capped) ctx.report({ ...p.fallback, messageId: 'untracked' });
      else ctx.report(p.fallback);
    };

    /** Settles what waited `timeout` s, then forgets relays unused as long (state bounded by time and cap). */
    const age = (now: number): void => {
      while (head < pending.length && now - pending[head].time > timeout) settle(pending[head++]);
      if (head > 64 && head * 2 > pending.length) { pending = pending.slice(head); head = 0; }
      if (now - lastSweep < timeout / 4) return;
      lastSweep = now;
      for (const [k, e] of deliveries) if (now - e.last > timeout) deliveries.delete(k);
    };

    /** An altered copy of `t` (from the client when `request`); the finding, or undefined. */
    const judgeAltered = (tx: UdpTransaction, t: Transmission, s: Sighting, request: boolean): Judged | undefined => {
      const p = partnerOf(t, s, request);
      if (!p) return undefined;
      const base = {
        frames: framesOf(p, s), time: Math.max(p.time, s.time), xid: tx.xid, client: partyOf(tx.client),
        data: { type: MESSAGE_NAMES.get(t.message.msgType) ?? String(t.message.msgType), change: s.altered!, level: Math.min(p.relays.length, s.relays.length) },
      };
      // A copy the snaplen cut (or an original kept from a cut datagram) lacks what the capture lost, not
      // what the relay removed (trap TRUNC): the difference cannot be told from the capture's.
      if (s.truncated === true || t.damage === 'truncated') return { report: { ...base, messageId: 'truncated', verdict: 'inconclusive' } };
      const outer = p.relays.length > s.relays.length ? p : s;
      const inner = outer === p ? s : p;
      // Causal order: a relay forwards after it received (requests: the shallower copy first) and
      // delivers after the server answered (responses: the deeper copy first). The other order is two
      // capture points with skewed clocks, where the pairing itself is a guess (trap MULTI).
      const inOrder = request ? inner.time <= outer.time : outer.time <= inner.time;
      // The same relay path also carried the unaltered message (requests), or the unaltered response
      // was delivered too (responses: another relay on the link may have delivered another answer).
      const both = exactAlongside(t, s, request);
      // A server that got the client's message directly as well as through the relay answers both: a
      // differing copy nearer the client from another address than the relay's may be its own answer.
      // The relay's own address on the client's link (RFC 8415 §19.2) counts once the capture ties it
      // to that relay: judged when that evidence is in.
      if (!request && !fromRelay(inner, outer)) {
        const sender: ReportDescriptor = { ...base, messageId: 'sender', verdict: 'inconclusive' };
        if (!inOrder || both) return { report: sender };
        return { report: { ...base, messageId: 'proven' }, fallback: sender, key: relayKey(outer), address: inner.upstream };
      }
      if (!inOrder) return { report: { ...base, messageId: 'order', verdict: 'inconclusive' } };
      if (both) return { report: { ...base, messageId: 'both', verdict: 'inconclusive' } };
      return { report: { ...base, messageId: request ? 'forwarded' : 'delivered' } }; // RFC 8415 §19.2, §19.4: MUST NOT modify
    };

    /**
     * Two request transmissions the correlator kept apart although they look like one relayed twice: within
     * the window, one level apart on one path, but with different Elapsed Times. A retransmission advances
     * Elapsed Time by the time between them (RFC 8415 §21.9): then it is one, else unclear.
     */
    const judgeNear = (tx: UdpTransaction): ReportDescriptor | undefined => {
      const rs = tx.requests;
      for (let i = 1; i < rs.length; i++) {
        const a = rs[i - 1];
        const b = rs[i];
        if (b.time - a.time > window || a.elapsed === undefined || b.elapsed === undefined) continue;
        const da = depthsOf(a);
        const db = depthsOf(b);
        if (da.min !== da.max || db.min !== db.max || Math.abs(da.min - db.min) !== 1) continue; // each seen at one depth only
        if (!oneLevelApart(a.sightings[0].relays, b.sightings[0].relays)) continue;
        const told = (b.elapsed - a.elapsed) / 100;
        if (Math.abs(told - (b.time - a.time)) <= 0.1) continue; // a (fast) retransmission: timing rules judge it
        return {
          frames: framesOf(a, b), time: b.time, xid: tx.xid, client: partyOf(tx.client), messageId: 'unclear', verdict: 'inconclusive',
          data: { type: MESSAGE_NAMES.get(a.message.msgType) ?? String(a.message.msgType), ea: a.elapsed, eb: b.elapsed },
        };
      }
      return undefined;
    };

    const judge = (tx: UdpTransaction): void => {
      const now = tx.endTime;
      age(now);
      for (const r of tx.responses) learn(r, now);
      let doubt: ReportDescriptor | undefined;
      let candidates: Pending['candidates'] | undefined;
      const each = (list: readonly Transmission[], request: boolean): boolean => {
        for (const t of list) {
          if (t.sightings.length < 2) continue; // hot path: one sighting, nothing to compare
          for (const s of t.sightings) {
            if (s.altered === undefined) continue;
            const j = judgeAltered(tx, t, s, request);
            if (!j) continue;
            const f = j.report;
            if (!request && f.verdict !== 'inconclusive') f.server = partyOf((t as ServerResponse).server);
            if (j.fallback !== undefined) {
              // Waits for what the capture shows about the sender's address (Pending).
              const entry = entryOf(j.key!, now);
              const fallback = entry ? j.fallback : { ...j.fallback, messageId: 'untracked' };
              doubt ??= fallback;
              if (entry) (candidates ??= []).push({ report: f, entry, address: j.address!, fallback });
              continue;
            }
            if (f.verdict !== 'inconclusive') {
              ctx.report(f);
              return true;
            }
            doubt ??= f;
          }
        }
        return false;
      };
      if (each(tx.requests, true) || each(tx.responses, false)) return;
      if (candidates !== undefined) {
        let time = 0;
        for (const c of candidates) if (c.report.time > time) time = c.report.time;
        // Its relays' entries were touched now (at or after `time`): none is forgotten before it is settled.
        const p: Pending = { time, candidates, fallback: doubt! };
        if (pending.length - head < cap) pending.push(p);
        else settle(p); // too many waiting: judged on what is known now
        return;
      }
      if (tx.relayed && tx.requests.length > 1) doubt ??= judgeNear(tx);
      if (doubt) ctx.report(doubt);
    };
    const end = (): void => {
      while (head < pending.length) settle(pending[head++]);
      pending = [];
      head = 0;
      deliveries.clear();
      capped = false;
      lastSweep = -Infinity;
    };
    return { 'udp:transaction-end': judge, 'lq:transaction-end': judge, 'capture:end': end };
  },
};
