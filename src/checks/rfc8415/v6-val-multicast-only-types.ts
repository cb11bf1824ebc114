// V6-VAL-MULTICAST-ONLY-TYPES: a server discards a Solicit, Confirm, Rebind or Information-request
// that reached it with a unicast IPv6 destination (RFC 8415 §16), or answers it with UseMulticast alone
// (§18.4; the two sections disagree, §4 Q12 of the catalog: either is accepted). Only the client's own
// bare datagrams count: a relay's Relay-forward is unicast by design (§19), and a server answers it
// with a Relay-reply.
import type { ServerResponse, UdpTransaction } from '../../correlate/client-events.js';
import { DEST_HOP1, DEST_MULTICAST, DEST_UNICAST } from '../../correlate/client-events.js';
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf, serverKey, statusOnly } from '../client-common.js';
import { topStatusCode } from '../../dhcpv6/helpers.js';

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

export const v6ValMulticastOnlyTypes: RuleModule<Events> = {
  create(ctx) {
    return {
      'udp:transaction-end': (tx) => {
        const name = NAMES[tx.msgType];
        if (name === undefined || tx.responses.length === 0) return;
        const dest = destOfAll(tx);
        if ((dest & DEST_UNICAST) === 0) return;
        let answer: ServerResponse | undefined;
        let servers = 0;
        let firstKey: string | undefined;
        for (const r of tx.responses) {
          // A server that answered through a relay got a Relay-forward, which may be unicast (trap RELAY).
          if (!direct(r)) continue;
          if (topStatusCode(r.message.options) === 5) continue; // UseMulticast (RFC 8415 §18.4; catalog §4 Q12)
          const key = serverKey(r);
          if (firstKey === undefined) { firstKey = key; servers = 1; answer = r; } else if (key !== firstKey) servers++;
        }
        if (!answer) return;
        const unicast = tx.requests.find((t) => (t.dest & DEST_UNICAST) !== 0)!;
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
        ctx.report({ ...d, messageId: statusOnly(answer, 1) ? 'unspecfail' : 'answered' }); // RFC 8415 §16, §18.4
      },
    };
  },
};
