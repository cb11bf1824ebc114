// RED-RELAY-MULTI-DEST: in the redundant design a relay sends every client message to all the servers it
// knows, so each server sees each Solicit and Request (RFC 6853 §5.2: relays able to send to several
// destinations; §7: relays forward incoming client messages to all servers). A relay that sent one
// client's message to several destinations and a later Solicit, Request, Confirm, Rebind or
// Information-request of the same client to only one unicast destination is warned about, once per relay.
import type { Events } from '../../correlate/events.js';
import type { Transmission, UdpTransaction } from '../../correlate/client-events.js';
import { UPSTREAM_MULTICAST, UPSTREAM_NONE } from '../../correlate/client-events.js';
import { MESSAGE_NAMES } from '../../dhcpv6/names.js';
import type { RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';

const RELAY_FORW = 12;
/**
 * Client messages every server of the set is meant to see. Renew, Release and Decline name one server
 * (Server-ID) and only that one acts on them (RFC 8415 §18.3.4, §18.3.7, §18.3.8): forwarding them to
 * that server alone loses nothing the design relies on, so they only serve as proof.
 */
const JUDGED = new Set([1, 3, 4, 6, 11]);

/** A transmission waiting for its copies (the relay's forwards to other destinations). */
interface Pending {
  tx: UdpTransaction;
  t: Transmission;
}

/** The latest transmission of a client that a relay forwarded to two destinations or more. */
interface Proof {
  relay: string;
  time: number;
  /** When the client was first put in the table (sweeps walk the table in this order). */
  since: number;
  frames: number[];
  destinations: number;
}

/** Where one relay sent one transmission (scratch, reused). */
interface Spread {
  relay: string;
  tags: number[];
  frames: number[];
}

export const redRelayMultiDest: RuleModule<Events> = {
  create(ctx) {
    const window = ctx.options.window as number;
    const memory = ctx.options.memory as number;
    const cap = ctx.options['max-clients'] as number;
    const queue: Pending[] = [];
    let head = 0;
    const proofs = new Map<string, Proof>();
    const reported = new Set<string>();
    let limitReported = false;
    let lastSweep = -Infinity;
    const spreads: Spread[] = [];

    /** Groups a transmission's Relay-forward sightings by the relay that sent them (outermost level). */
    const spreadOf = (t: Transmission): number => {
      let n = 0;
      for (let i = 0; i < t.sightings.length; i++) {
        const s = t.sightings[i];
        if (s.relayPeer === undefined || s.relays.length === 0 || s.relays[0].msgType !== RELAY_FORW || s.upstream === UPSTREAM_NONE) continue;
        let k = 0;
        while (k < n && spreads[k].relay !== s.relayPeer) k++;
        if (k === n) {
          if (k === spreads.length) spreads.push({ relay: s.relayPeer, tags: [], frames: [] });
          const g = spreads[k];
          g.relay = s.relayPeer;
          g.tags.length = 0;
          g.frames.length = 0;
          n++;
        }
        const g = spreads[k];
        if (!g.tags.includes(s.upstream)) g.tags.push(s.upstream);
        for (let j = 0; j < s.frames.length; j++) g.frames.push(s.frames[j]);
      }
      return n;
    };

    const judge = ({ tx, t }: Pending): void => {
      const key = tx.client.duid ?? tx.client.address;
      if (key === undefined) return;
      const n = spreadOf(t);
      for (let k = 0; k < n; k++) {
        const g = spreads[k];
        if (g.tags.length >= 2) {
          // The relay sent this client's message to several destinations: its uplinks to them are
          // captured and it is configured with more than one (RFC 6853 §5.2).
          const old = proofs.get(key);
          if (old !== undefined) {
            old.relay = g.relay;
            old.time = t.time;
            old.frames = g.frames.slice();
            old.destinations = g.tags.length;
          } else if (proofs.size >= cap) {
            if (!limitReported) {
              limitReported = true;
              ctx.report({ messageId: 'limit', verdict: 'inconclusive', frames: [t.frame], time: t.time, client: partyOf(tx.client), data: { max: cap, memory } });
            }
          } else {
            proofs.set(key, { relay: g.relay, time: t.time, since: t.time, frames: g.frames.slice(), destinations: g.tags.length });
          }
          continue;
        }
        // Trap: a group address reaches every server listening, so it counts as all of them.
        if (g.tags[0] === UPSTREAM_MULTICAST || !JUDGED.has(tx.msgType) || reported.has(g.relay)) continue;
        const p = proofs.get(key);
        // Only a relay shown forwarding this very client's earlier message to several destinations is
        // judged: a relay with one server on purpose, or one choosing servers per client or per link, is
        // not what RFC 6853 describes but breaks nothing the capture can show (trap MULTI, CFG).
        if (p === undefined || p.relay !== g.relay || p.time >= t.time || t.time - p.time > memory) continue;
        reported.add(g.relay);
        const frames = [...p.frames, ...g.frames].sort((a, b) => a - b);
        ctx.report({ // RFC 6853 §5.2, §7: every server receives each client message
          messageId: 'one-destination', frames, time: t.time, xid: tx.xid, client: partyOf(tx.client),
          data: { relay: g.relay, type: MESSAGE_NAMES.get(tx.msgType) ?? String(tx.msgType), before: p.destinations, proof: p.frames[0] },
        });
      }
    };

    /** Judges the transmissions whose copies can no longer come (more than `window` before `now`). */
    const advance = (now: number): void => {
      while (head < queue.length && queue[head].t.time + window < now) {
        judge(queue[head]);
        queue[head++] = undefined as unknown as Pending;
      }
      if (head > 1024 && head * 2 > queue.length) {
        queue.splice(0, head);
        head = 0;
      }
      if (now - lastSweep < 1) return;
      lastSweep = now;
      // A future judgement concerns a transmission no older than the oldest one waiting.
      const oldest = head < queue.length ? Math.min(queue[head].t.time, now) : now;
      const cutoff = oldest - memory;
      for (const [key, p] of proofs) {
        if (p.since >= cutoff) break;
        if (p.time < cutoff) proofs.delete(key);
      }
    };

    return {
      'udp:request': ({ tx, request }) => {
        advance(request.time);
        // Only a message a relay forwarded can be judged or prove anything; a bare one may still be
        // forwarded (its copies merge into it), so every new transmission waits for its window.
        queue.push({ tx, t: request });
      },
      'capture:end': (e) => {
        // What waits within `window` of the end may still have had forwards the capture did not reach.
        advance(e.time);
        queue.length = 0;
        head = 0;
        proofs.clear();
        reported.clear();
        limitReported = false;
        lastSweep = -Infinity;
      },
    };
  },
};
