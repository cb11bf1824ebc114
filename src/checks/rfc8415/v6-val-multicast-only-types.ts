// V6-VAL-MULTICAST-ONLY-TYPES: a server discards a Solicit, Confirm, Rebind or Information-request
// that reached it with a unicast IPv6 destination (RFC 8415 §16), or answers it with UseMulticast alone
// (§18.4; the two sections disagree, §4 Q12 of the catalog: either is accepted). Only the client's own
// bare datagrams count: a relay's Relay-forward is unicast by design (§19), and a server answers it
// with a Relay-reply. §16 is about the destination the server itself received: a client that unicasts
// to a relay agent is answered through a Relay-forward the server may serve, and a capture on the
// client's link shows the relay's answer bare. So a violation needs the capture to show that the address
// the client sent to is the answering server's; the rest is inconclusive.
import type { ServerResponse, Transmission, UdpTransaction } from '../../correlate/client-events.js';
import { DEST_HOP1, DEST_MULTICAST, DEST_UNICAST } from '../../correlate/client-events.js';
import type { Events } from '../../correlate/events.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, serverKey, statusOnlyAsSeen } from '../client-common.js';
import { bodyHex, messageStatusCode, optionBodyLength, optionOf, scratchOption, transientOption } from '../../dhcpv6/helpers.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import { ipv6Text } from '../../dhcpv6/options/primitives.js';
import { unwrap } from '../../correlate/udp-message.js';

const NAMES: Record<number, string> = { 1: 'Solicit', 4: 'Confirm', 6: 'Rebind', 11: 'Information-request' };

/** A response the server sent straight to the client: never seen inside a Relay-reply. */
function direct(r: ServerResponse): boolean {
  for (const s of r.sightings) if (s.relays.length > 0) return false;
  return true;
}

/** What the capture says about how the server received `tx`: its dest bits over every transmission. */
function destOfAll(tx: UdpTransaction): number {
  let d = 0;
  for (const t of tx.requests) d |= t.dest;
  return d;
}

/** A violation waiting for the end of the input: whether its destination is the server's is known only then. */
interface Pending {
  report: ReportDescriptor;
  /** The unicast address the client sent to. */
  dst: string;
  /** The answering server's DUID (hex). */
  duid: string | undefined;
}

/** A server answer's Server-ID, read for its hex at once (transientOption). */
const serverIdScratch = scratchOption();

export const v6ValMulticastOnlyTypes: RuleModule<Events> = {
  create(ctx) {
    const cap = ctx.options['max-tracked-addresses'] as number;
    /** Destination of each bare unicast client message of the four types, by the frame that carried it. */
    const dstByFrame = new Map<number, string>();
    /** Addresses seen acting as relay agents: sources of Relay-forwards, destinations of Relay-replies (§19). */
    const relays = new Set<string>();
    /**
     * Addresses shown to be a server's, with its DUIDs: the address in a Server Unicast option (§21.12)
     * from that server, or the source of a Relay-reply (§19.3) carrying that server's answer.
     */
    const serverAt = new Map<string, Set<string>>();
    let pending: Pending[] = [];
    let capped = false;

    const learnServer = (address: string, duid: string | undefined) => {
      if (duid === undefined) return;
      let s = serverAt.get(address);
      if (s === undefined) {
        if (serverAt.size >= cap) { capped = true; return; }
        s = new Set();
        serverAt.set(address, s);
      }
      if (s.size < 16) s.add(duid);
    };
    const learnRelay = (address: string) => {
      if (relays.has(address)) return;
      if (relays.size >= cap) { capped = true; return; }
      relays.add(address);
    };
    /** A server's answer (Advertise or Reply) naming its own unicast address (RFC 8415 §21.12). */
    const learnUnicast = (m: Dhcpv6Message) => {
      if (m.msgType !== 2 && m.msgType !== 7) return;
      const u = optionOf(m, 12);
      if (u === undefined || optionBodyLength(u) !== 16 || u.length !== 16) return;
      const id = transientOption(m, 2, serverIdScratch);
      learnServer(ipv6Text(u.data), id ? bodyHex(id) : undefined);
    };

    const judge = (p: Pending) => {
      // The client sent to a relay agent: the server got a Relay-forward, whose inner message's
      // destination it cannot see (RFC 8415 §16 judges what the server received).
      if (relays.has(p.dst)) {
        ctx.report({ ...p.report, messageId: 'relay-destination', verdict: 'inconclusive', data: { ...p.report.data, address: p.dst } });
      } else if (!capped && p.duid !== undefined && serverAt.get(p.dst)?.has(p.duid)) {
        ctx.report(p.report); // RFC 8415 §16, §18.4
      } else {
        ctx.report({ ...p.report, messageId: 'destination-unproven', verdict: 'inconclusive', data: { ...p.report.data, address: p.dst } });
      }
    };

    const unicastDst = (t: Transmission): string | undefined => {
      for (const s of t.sightings) if (s.relays.length === 0) { const d = dstByFrame.get(s.frame); if (d !== undefined) return d; }
      return undefined;
    };

    return {
      'message:udp': (r) => {
        const m = r.message;
        const type = m.msgType;
        if (type === 12) learnRelay(r.src);
        else if (type === 13) {
          learnRelay(r.dst);
          const inner = unwrap(m).inner; // the message inside the Relay-reply's levels (RFC 8415 §9, §19.3); shared with the correlator
          if (inner !== undefined) {
            const id = transientOption(inner, 2, serverIdScratch);
            learnServer(r.src, id ? bodyHex(id) : undefined);
            learnUnicast(inner);
          }
        } else if (type === 2 || type === 7) learnUnicast(m);
        else if (NAMES[type] !== undefined && !r.dst.startsWith('ff')) {
          // Kept until the message's transaction ends; past the cap its destination is unknown (inconclusive).
          if (dstByFrame.size < cap) dstByFrame.set(r.frame, r.dst);
          else capped = true;
        }
      },
      'udp:transaction-end': (tx) => {
        const name = NAMES[tx.msgType];
        if (name === undefined) return;
        const dstOf = new Map<Transmission, string | undefined>();
        for (const t of tx.requests) {
          dstOf.set(t, unicastDst(t));
          for (const s of t.sightings) dstByFrame.delete(s.frame);
        }
        if (tx.responses.length === 0) return;
        const dest = destOfAll(tx);
        if ((dest & DEST_UNICAST) === 0) return;
        let answer: ServerResponse | undefined;
        let damaged: ServerResponse | undefined;
        let servers = 0;
        let firstKey: string | undefined;
        for (const r of tx.responses) {
          // A server that answered through a relay got a Relay-forward, which may be unicast (trap RELAY).
          if (!direct(r)) continue;
          const status = messageStatusCode(r.message);
          if (status === 5) continue; // UseMulticast (RFC 8415 §18.4; catalog §4 Q12)
          // A damaged answer still shows that its server answered directly.
          const key = serverKey(r);
          if (firstKey === undefined) { firstKey = key; servers = 1; } else if (key !== firstKey) servers++;
          // Cut by the snaplen or malformed (trap TRUNC): the UseMulticast status may be in the part lost,
          // unless the part the snaplen left shows another first status and rules out UnspecFail alone.
          if (r.damage !== undefined && (r.damage !== 'truncated' || status === undefined || statusOnlyAsSeen(r, 1) !== 'no')) {
            damaged ??= r;
            continue;
          }
          answer ??= r;
        }
        const unicast = tx.requests.find((t) => (t.dest & DEST_UNICAST) !== 0)!;
        if (!answer) {
          if (damaged) {
            ctx.report({
              messageId: 'damaged-answer', verdict: 'inconclusive', frames: framesOf(unicast, damaged), time: damaged.time, xid: tx.xid,
              client: partyOf(tx.client), server: partyOf(damaged.server), data: { type: name, response: damaged.message.msgType === 2 ? 'Advertise' : 'Reply' },
            });
          }
          return;
        }
        const d = {
          frames: framesOf(unicast, answer), time: answer.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(answer.server),
          data: { type: name, response: answer.message.msgType === 2 ? 'Advertise' : 'Reply' },
        };
        // Which datagram the server acted on is unknown when the client's message was also seen
        // multicast or relayed, or when several servers answered directly (one unicast reaches one
        // server); a unicast datagram with hop limit 1 may be multicast rewritten by a virtual NIC or
        // NAT on the way to a capture on the server host.
        let unsure: string | undefined;
        if ((dest & DEST_MULTICAST) !== 0 || tx.relayed) unsure = 'also-multicast';
        else if (servers > 1) unsure = 'several-servers';
        else if ((dest & DEST_HOP1) !== 0) unsure = 'hop-limit-1';
        // RFC 8415 §18.3.6 sends a unicast Information-request to §18.4, which allows it from a client
        // the server gave a Server Unicast option (unseen here); §16 forbids it outright.
        else if (tx.msgType === 11) unsure = 'server-unicast';
        if (unsure !== undefined) {
          ctx.report({ ...d, messageId: unsure, verdict: 'inconclusive' });
          return;
        }
        // RFC 8415 §16: UnspecFail alone is allowed for a message the server considers invalid.
        const report: ReportDescriptor = { ...d, messageId: statusOnlyAsSeen(answer, 1) === 'yes' ? 'unspecfail' : 'answered' };
        const dst = dstOf.get(unicast);
        const p: Pending = { report, dst: dst ?? '?', duid: answer.server.duid };
        // Evidence about the destination may come later in the capture: judged at its end.
        if (dst === undefined || pending.length >= cap) judge(p);
        else pending.push(p);
      },
      'capture:end': () => {
        const list = pending;
        pending = [];
        for (const p of list) judge(p);
        dstByFrame.clear();
        relays.clear();
        serverAt.clear();
        capped = false;
      },
    };
  },
};
