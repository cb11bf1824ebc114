// V6-RELAY-LINKADDR-IFID: the relay next to the client names the client's link in link-address (a global
// or ULA address of it; link-local only as a last resort), or adds an Interface-Id when that address
// cannot tell the way back (RFC 8415 §19.1.1; §19.1.2 as RFC 6221 left it for a relay above a Lightweight
// DHCPv6 Relay Agent). Judged per Relay-forward datagram, reported once per relay and defect.
//
// Which level is the first hop: the innermost Relay-forward wraps the client's own message. An LDRA
// (RFC 6221) bridges and owns no address of the client's link, so its level carries link-address :: and
// always an Interface-Id naming the client's port: such levels (:: with an Interface-Id, nested when
// LDRAs are chained) are skipped. The first level outside them is the first relay that can name the link:
// it wraps the client's message itself (§19.1.1: :: is never its choice) or an LDRA's Relay-forward
// (§19.1.2: received from a link-local or unspecified address it must give a global address of the
// receiving interface or an Interface-Id; received from a global address, link-address 0 is right).
// Hot path (every UDP message): the msg-type first, then the relay chain as the correlator unwrapped it.
import type { Events } from '../../correlate/events.js';
import type { RelayHop } from '../../correlate/client-events.js';
import { unwrap } from '../../correlate/udp-message.js';
import { isLinkLocalText } from '../../net/address.js';
import type { Dhcpv6Message, MessageRecord } from '../../dhcpv6/types.js';
import { bodyHex, optionOf } from '../../dhcpv6/helpers.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';

const RELAY_FORW = 12;

/**
 * A globally scoped unicast address (GUA or ULA, RFC 8415 §19.1.2's words) as far as text tells: not ::,
 * not loopback, not link-local, not multicast. (fec0::/10, long deprecated, counts as global: no finding.)
 */
function isGlobal(a: string): boolean {
  if (a === '::' || a === '::1' || isLinkLocalText(a)) return false;
  return !(a.charCodeAt(0) === 0x66 && a.charCodeAt(1) === 0x66 && a.charCodeAt(2) !== 0x3a); // ff00::/8
}

/** A level an LDRA builds (RFC 6221): link-address :: and an Interface-Id. */
function ldraLevel(h: RelayHop): boolean {
  return h.interfaceId !== undefined && h.linkAddress === '::';
}

/**
 * The address the relay that built level `k` (0 = outermost) sent it from: the peer-address the next
 * relay out recorded, or the datagram's source for the outermost level.
 */
function relayOf(r: MessageRecord, relays: readonly RelayHop[], k: number): string {
  return k === 0 ? r.src : relays[k - 1].peerAddress;
}

/** Whether the relay level `depth` (1 = outermost) of a datagram was decoded with its whole header. */
function wholeHeader(m: Dhcpv6Message, depth: number): boolean {
  let x: Dhcpv6Message | undefined = m;
  for (let d = 1; d < depth && x !== undefined; d++) x = optionOf(x, 9)?.message;
  return x !== undefined && x.linkAddress !== undefined && x.peerAddress !== undefined;
}

export const v6RelayLinkaddrIfid: RuleModule<Events> = {
  create(ctx) {
    /** Reported `relay|defect` keys of this input: a relay's defect repeats in every message it relays. */
    const reported = new Set<string>();
    /**
     * Relays whose first-hop level showed link-address :: and no Interface-Id only in a damaged datagram
     * (snaplen cut, malformed options: the option may be what was lost): inconclusive at the end of the
     * input unless a whole datagram of the relay settled it (the defect, or the relay adding one).
     */
    const doubtful = new Map<string, ReportDescriptor>();

    const finding = (r: MessageRecord, inner: Dhcpv6Message, relays: readonly RelayHop[], messageId: string,
      data: Record<string, string>, relay: string, verdict?: 'inconclusive'): ReportDescriptor => {
      const id = optionOf(inner, 1);
      const address = relays[relays.length - 1].peerAddress;
      return {
        messageId, data, frames: r.frames, time: r.time, xid: inner.xid, scopeKey: relay,
        client: id ? { duid: bodyHex(id), address } : { address }, ...(verdict ? { verdict } : {}),
      };
    };

    const once = (key: string, d: ReportDescriptor): void => {
      if (reported.has(key)) return;
      reported.add(key);
      if (reported.size > 10000) reported.clear(); // bounded: at worst a relay is reported again
      ctx.report(d);
    };

    const judge = (r: MessageRecord): void => {
      const top = r.message;
      if (top.msgType !== RELAY_FORW) return; // hot path: most messages are not Relay-forwards
      const { inner, relays } = unwrap(top);
      if (inner === undefined) return; // a level without a Relay Message: V6-RELAY-STRUCTURE's
      for (let i = 0; i < relays.length; i++) if (relays[i].msgType !== RELAY_FORW) return;
      const n = relays.length;
      const damaged = r.truncated === true || top.anomalies.length !== 0;
      let j = n - 1;
      while (j >= 0 && ldraLevel(relays[j])) {
        // A whole level of a relay with a doubtful datagram shows that it adds an Interface-Id.
        if (doubtful.size !== 0 && !damaged) doubtful.delete(relayOf(r, relays, j));
        j--;
      }
      if (j < 0) return; // LDRA levels only (RFC 6221): they name the port, and no relay above them was captured
      const h = relays[j];
      const relay = relayOf(r, relays, j);
      const overLdra = j < n - 1;
      const link = h.linkAddress;
      if (link === '::') {
        // RFC 8415 §19.1.2: a Relay-forward received from a global address is relayed with link-address 0.
        if (overLdra && isGlobal(h.peerAddress)) return;
        const messageId = overLdra ? 'unspecified-over-ldra' : 'unspecified';
        const key = `${messageId}|${relay}`;
        if (reported.has(key)) return;
        const data = { relay, peer: h.peerAddress };
        if (damaged) {
          // Trap TRUNC: an Interface-Id after the cut (or after a malformed option) is not seen.
          if (!doubtful.has(relay) && doubtful.size < 10000 && wholeHeader(top, j + 1)) doubtful.set(relay, finding(r, inner, relays, 'truncated', data, relay, 'inconclusive'));
          return;
        }
        doubtful.delete(relay);
        once(key, finding(r, inner, relays, messageId, data, relay)); // RFC 8415 §19.1.1 (§19.1.2 over an LDRA)
        return;
      }
      if (isLinkLocalText(link)) { // RFC 8415 §19.1.1: a link-local link-address is a last resort, not recommended
        once(`link-local|${relay}|${link}`, finding(r, inner, relays, 'link-local', { relay, link }, relay));
      }
    };

    return {
      'message:udp': judge,
      'capture:end': () => {
        for (const d of doubtful.values()) ctx.report(d);
        doubtful.clear();
        reported.clear();
      },
    };
  },
};
