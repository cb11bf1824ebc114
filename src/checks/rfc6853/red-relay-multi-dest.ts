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
 * that server alone loses nothing the design relies on: they are neither judged nor taken as proof
 * (which also keeps them out of the per-message cost).
 */
const JUDGED = new Uint8Array(256);
for (const type of [1, 3, 4, 6, 11]) JUDGED[type] = 1;

/**
 * The latest transmission of each client that a relay forwarded to two destinations or more, in a ring
 * of `size` records written in capture order (typed arrays: no object per client), found by the client
 * through a table whose value is the record's sequence number. A record the ring has overwritten is gone.
 */
class Proofs {
  // Client → sequence number, in two generations: when the newer is `memory` old or holds `size`
  // clients it becomes the older and the older is dropped whole. No delete per client, and the key is
  // the correlator's own DUID text, whose hash V8 keeps with it.
  private newer = new Map<string, number>();
  private older = new Map<string, number>();
  readonly relay: string[];
  readonly time: Float64Array;
  readonly first: Int32Array;
  readonly second: Int32Array;
  readonly destinations: Int32Array;
  /** Sequence number of the next record. */
  next = 0;
  /** Time of the first record in the newer generation. */
  private newerSince = -Infinity;
  constructor(readonly size: number, private readonly memory: number) {
    this.relay = new Array<string>(size).fill('');
    this.time = new Float64Array(size).fill(-Infinity);
    this.first = new Int32Array(size);
    this.second = new Int32Array(size);
    this.destinations = new Int32Array(size);
  }
  /** The client's record (an index into the arrays), or -1. */
  find(client: string): number {
    const seq = this.newer.get(client) ?? this.older.get(client);
    return seq === undefined || seq < this.next - this.size ? -1 : seq % this.size;
  }
  /** The slot the next record goes to (its previous record still readable until written). */
  nextSlot(): number {
    return this.next % this.size;
  }
  /** Writes the next record for `client`. */
  add(client: string, relay: string, time: number, first: number, second: number, destinations: number): void {
    const i = this.next % this.size;
    this.relay[i] = relay;
    this.time[i] = time;
    this.first[i] = first;
    this.second[i] = second;
    this.destinations[i] = destinations;
    // Rotate when the newer generation is `memory` old (the older one then holds only what is past
    // use) or holds `size` clients (the older one's records are overwritten by then).
    if (time - this.newerSince > this.memory || this.newer.size >= this.size) {
      this.older = this.newer;
      this.newer = new Map();
      this.newerSince = time;
    }
    this.newer.set(client, this.next++);
  }
  clear(): void {
    this.newer = new Map();
    this.older = new Map();
    this.newerSince = -Infinity;
    this.relay.fill('');
    this.time.fill(-Infinity);
    this.next = 0;
  }
}

/** Where one relay sent one transmission (scratch, reused). */
interface Spread {
  relay: string;
  tags: number[];
  /** The frame of the first sighting towards each tag, in tag order. */
  tagFrames: number[];
}

export const redRelayMultiDest: RuleModule<Events> = {
  create(ctx) {
    const window = ctx.options.window as number;
    const memory = ctx.options.memory as number;
    const cap = ctx.options['max-clients'] as number;
    // Transmissions waiting for their window to pass, in the order first seen (two parallel queues).
    let waitingTx: UdpTransaction[] = [];
    let waitingT: Transmission[] = [];
    let head = 0;
    const proofs = new Proofs(cap, memory);
    const reported = new Set<string>();
    let limitReported = false;
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
          if (k === spreads.length) spreads.push({ relay: s.relayPeer, tags: [], tagFrames: [] });
          const g = spreads[k];
          g.relay = s.relayPeer;
          g.tags.length = 0;
          g.tagFrames.length = 0;
          n++;
        }
        const g = spreads[k];
        if (!g.tags.includes(s.upstream)) {
          g.tags.push(s.upstream);
          g.tagFrames.push(s.frame);
        }
      }
      return n;
    };

    const judge = (tx: UdpTransaction, t: Transmission): void => {
      const key = tx.client.duid ?? tx.client.address;
      if (key === undefined) return;
      const n = spreadOf(t);
      for (let k = 0; k < n; k++) {
        const g = spreads[k];
        if (g.tags.length >= 2) {
          // The relay sent this client's message to several destinations: its uplinks to them are
          // captured and it is configured with more than one (RFC 6853 §5.2).
          const i = proofs.nextSlot();
          if (t.time - proofs.time[i] <= memory && !limitReported) {
            // The ring is full of proofs still within `memory`: the oldest is forgotten early.
            limitReported = true;
            ctx.report({ messageId: 'limit', verdict: 'inconclusive', frames: [t.frame], time: t.time, client: partyOf(tx.client), data: { max: cap, memory } });
          }
          proofs.add(key, g.relay, t.time, g.tagFrames[0], g.tagFrames[1], g.tags.length);
          continue;
        }
        // Trap: a group address reaches every server listening, so it counts as all of them.
        if (g.tags[0] === UPSTREAM_MULTICAST || reported.has(g.relay)) continue;
        const p = proofs.find(key);
        // Only a relay shown forwarding this very client's earlier message to several destinations is
        // judged: a relay with one server on purpose, or one choosing servers per client or per link, is
        // not what RFC 6853 describes but breaks nothing the capture can show (trap MULTI, CFG).
        if (p < 0 || proofs.relay[p] !== g.relay || proofs.time[p] >= t.time || t.time - proofs.time[p] > memory) continue;
        reported.add(g.relay);
        const frames = [proofs.first[p], proofs.second[p]];
        for (const x of t.sightings) if (x.relayPeer === g.relay && x.relays.length !== 0 && x.relays[0].msgType === RELAY_FORW) frames.push(...x.frames);
        frames.sort((x, y) => x - y);
        ctx.report({ // RFC 6853 §5.2, §7: every server receives each client message
          messageId: 'one-destination', frames, time: t.time, xid: tx.xid, client: partyOf(tx.client),
          data: { relay: g.relay, type: MESSAGE_NAMES.get(tx.msgType) ?? String(tx.msgType), before: proofs.destinations[p], proof: proofs.first[p] },
        });
      }
    };

    /** Judges the transmissions whose copies can no longer come (more than `window` before `now`). */
    const advance = (now: number): void => {
      while (head < waitingT.length && waitingT[head].time + window < now) {
        const tx = waitingTx[head];
        // Most captures have no relay: nothing to count for a transaction never seen relayed.
        if (tx.relayed) judge(tx, waitingT[head]);
        // Let go at once: a judged transaction (its decoded messages) must not outlive the correlator's hold.
        waitingTx[head] = undefined as unknown as UdpTransaction;
        waitingT[head] = undefined as unknown as Transmission;
        head++;
      }
      if (head === waitingT.length) {
        if (head !== 0) {
          waitingTx.length = 0;
          waitingT.length = 0;
          head = 0;
        }
      } else if (head > 1024 && head * 2 > waitingT.length) {
        waitingTx = waitingTx.slice(head);
        waitingT = waitingT.slice(head);
        head = 0;
      }
    };

    return {
      'udp:request': ({ tx, request }) => {
        if (JUDGED[tx.msgType] === 0) return;
        advance(request.time);
        // Only a message a relay forwarded can be judged or prove anything; a bare one may still be
        // forwarded (its copies merge into it), so every new transmission waits for its window.
        waitingTx.push(tx);
        waitingT.push(request);
      },
      'capture:end': (e) => {
        // What waits within `window` of the end may still have had forwards the capture did not reach.
        advance(e.time);
        waitingTx = [];
        waitingT = [];
        head = 0;
        proofs.clear();
        reported.clear();
        limitReported = false;
      },
    };
  },
};
