// V6-RELAY-NO-MODIFY: a relay wraps and unwraps but never alters the message it relays (RFC 8415 §19.2,
// §19.4). Seen when the capture holds both sides of a relay: the client correlator keeps a differing copy
// one relay level apart as an `altered` sighting of the same transmission (so no rule mistakes it for a
// retransmission or a second answer); this rule judges those, and the near-copies it could not merge.
import type { Events } from '../../correlate/events.js';
import type { ServerResponse, Sighting, Transmission, UdpTransaction } from '../../correlate/client-events.js';
import { UPSTREAM_NONE } from '../../correlate/client-events.js';
import { addressTag, oneLevelApart, relayApart } from '../../correlate/udp-message.js';
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
function exactAlongside(t: Transmission, s: Sighting, sameChain: boolean): boolean {
  for (const p of t.sightings) {
    if (p.altered !== undefined || p.relays.length !== s.relays.length) continue;
    if (!sameChain) return true;
    let same = true;
    for (let i = 0; i < p.relays.length && same; i++) {
      const a = p.relays[i];
      const b = s.relays[i];
      same = a.hopCount === b.hopCount && a.linkAddress === b.linkAddress && a.peerAddress === b.peerAddress && a.interfaceId === b.interfaceId;
    }
    if (same) return true;
  }
  return false;
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

export const v6RelayNoModify: RuleModule<Events> = {
  create(ctx) {
    const window = typeof ctx.options.window === 'number' ? ctx.options.window : 0.5;

    /** An altered copy of `t` (from the client when `request`); the finding, or undefined. */
    const judgeAltered = (tx: UdpTransaction, t: Transmission, s: Sighting, request: boolean): ReportDescriptor | undefined => {
      const p = partnerOf(t, s, request);
      if (!p) return undefined;
      const base = {
        frames: framesOf(p, s), time: Math.max(p.time, s.time), xid: tx.xid, client: partyOf(tx.client),
        data: { type: MESSAGE_NAMES.get(t.message.msgType) ?? String(t.message.msgType), change: s.altered!, level: Math.min(p.relays.length, s.relays.length) },
      };
      // A copy the snaplen cut (or an original kept from a cut datagram) lacks what the capture lost, not
      // what the relay removed (trap TRUNC): the difference cannot be told from the capture's.
      if (s.truncated === true || t.damage === 'truncated') return { ...base, messageId: 'truncated', verdict: 'inconclusive' };
      const outer = p.relays.length > s.relays.length ? p : s;
      const inner = outer === p ? s : p;
      // A server that got the client's message directly as well as through the relay answers both: a
      // differing copy nearer the client from another address than the relay's may be its own answer.
      if (!request && !fromRelay(inner, outer)) return { ...base, messageId: 'sender', verdict: 'inconclusive' };
      // Causal order: a relay forwards after it received (requests: the shallower copy first) and
      // delivers after the server answered (responses: the deeper copy first). The other order is two
      // capture points with skewed clocks, where the pairing itself is a guess (trap MULTI).
      const inOrder = request ? inner.time <= outer.time : outer.time <= inner.time;
      if (!inOrder) return { ...base, messageId: 'order', verdict: 'inconclusive' };
      // The same relay path also carried the unaltered message (requests), or the unaltered response
      // was delivered too (responses: another relay on the link may have delivered another answer).
      if (exactAlongside(t, s, request)) return { ...base, messageId: 'both', verdict: 'inconclusive' };
      return { ...base, messageId: request ? 'forwarded' : 'delivered' }; // RFC 8415 §19.2, §19.4: MUST NOT modify
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
      let doubt: ReportDescriptor | undefined;
      const each = (list: readonly Transmission[], request: boolean): boolean => {
        for (const t of list) {
          if (t.sightings.length < 2) continue; // hot path: one sighting, nothing to compare
          for (const s of t.sightings) {
            if (s.altered === undefined) continue;
            const f = judgeAltered(tx, t, s, request);
            if (!f) continue;
            if (f.verdict !== 'inconclusive') {
              if (!request) f.server = partyOf((t as ServerResponse).server);
              ctx.report(f);
              return true;
            }
            doubt ??= f;
          }
        }
        return false;
      };
      if (each(tx.requests, true) || each(tx.responses, false)) return;
      if (tx.relayed && tx.requests.length > 1) doubt ??= judgeNear(tx);
      if (doubt) ctx.report(doubt);
    };
    return { 'udp:transaction-end': judge, 'lq:transaction-end': judge };
  },
};
