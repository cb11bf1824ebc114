// BLQ-RELAYID-IN-RELAYFORW: a relay may put its DUID in an OPTION_RELAY_ID in the Relay-forwards it
// sends, and should keep that DUID in stable storage (configurable, so a replacement relay can take it
// over) so that servers can answer QUERY_BY_RELAY_ID for it (RFC 5460 §5.4.1; DUID layouts RFC 8415 §11).
// Per relay: a Relay-ID whose layout is not a DUID's (warning, at once); a Relay-ID replaced by one built
// from the same link-layer address (warning: one device made a second DUID); any other change is
// inconclusive, as several relays may share an address (judged at the end of the input).
// Hot path (every UDP message): the message type first; a Relay-forward costs an option scan per level
// and, when the relay's Relay-ID is the one it sent before, an in-place comparison (nothing allocated).
import type { Events } from '../../correlate/events.js';
import { unwrap } from '../../correlate/udp-message.js';
import { isLinkLocalText } from '../../net/address.js';
import type { Dhcpv6Message, Dhcpv6Option, MessageRecord } from '../../dhcpv6/types.js';
import { bodyHex, optionBodyLength, optionOf, optionU16, sameBodyHex, scratchOption, transientOption } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { bulkCodes } from '../bulk-util.js';

const RELAY_FORW = 12;
const OPTION_RELAY_MSG = 9;

/** Default of the rule option `max-relays`: relays whose Relay-ID is followed at once. */
export const DEFAULT_MAX_RELAYS = 10000;

/** What the capture shows of one relay's Relay-ID. */
interface RelayState {
  /** The relay's address as the report names it (with the link that scopes a link-local one). */
  name: string;
  /**
   * The address alone may name several relays: a link-local source address whose link the capture
   * does not show, or a link-local peer-address with neither link-address nor Interface-Id beside it.
   */
  weak: boolean;
  /** The Relay-ID it sends now (body hex), the one before it, and the first. */
  cur: string;
  prev: string;
  first: string;
  /** Frame and time of the latest Relay-forward carrying `cur`. */
  curLastFrame: number;
  curLastTime: number;
  /** Changes of value seen (0 = stable so far). */
  changes: number;
  /** The first change: the last frame of the old value, the first of the new one, both values. */
  change?: { oldFrame: number; newFrame: number; newTime: number; old: string; new: string };
  /** The first change whose two values are DUIDs built from the same link-layer address. */
  sameDevice?: { oldFrame: number; newFrame: number; newTime: number; old: string; new: string };
  /** The first time a replaced value came back (several relays behind the address). */
  back?: { frame: number; time: number; value: string };
  /** The latest change: first frame (and time) of the value sent now. */
  lastChangeFrame: number;
  lastChangeTime: number;
}

/**
 * Why a Relay-ID body is not a DUID of its type, or undefined when it is one (RFC 8415 §11.1-11.5,
 * RFC 6355): each known type's fixed fields followed by at least one octet of identifier or link-layer
 * address, a DUID-UUID exactly 16 octets after its type. Unknown types are opaque (RFC 8415 §11: never
 * restrict DUIDs to the known types). The overall 2-octet type + 1..128 octets is the option codec's
 * declared length, whose violation DECODE-DHCPV6 reports.
 */
export function duidLayoutProblem(o: Dhcpv6Option): string | undefined {
  const n = optionBodyLength(o);
  if (n < 2) return undefined; // the codec's bad_length (DECODE-DHCPV6)
  const type = optionU16(o, 0);
  switch (type) {
    case 1: // RFC 8415 §11.2: hardware type (2), time (4), link-layer address
      return n < 9 ? `a DUID-LLT needs a hardware type, a time and a link-layer address (at least 9 octets), this one has ${n}` : undefined;
    case 2: // RFC 8415 §11.3: enterprise number (4), identifier
      return n < 7 ? `a DUID-EN needs an enterprise number and an identifier (at least 7 octets), this one has ${n}` : undefined;
    case 3: // RFC 8415 §11.4: hardware type (2), link-layer address
      return n < 5 ? `a DUID-LL needs a hardware type and a link-layer address (at least 5 octets), this one has ${n}` : undefined;
    case 4: // RFC 8415 §11.5, RFC 6355 §4: a 16-octet UUID
      return n !== 18 ? `a DUID-UUID is a 16-octet UUID after its type (18 octets), this one has ${n}` : undefined;
    default:
      return undefined;
  }
}

/** Hardware type and link-layer address of a DUID-LLT or DUID-LL (body hex), else undefined. */
function linkLayerOf(hex: string): string | undefined {
  const type = hex.slice(0, 4);
  if (type === '0001' && hex.length > 16) return `${hex.slice(4, 8)}/${hex.slice(16)}`;
  if (type === '0003' && hex.length > 8) return `${hex.slice(4, 8)}/${hex.slice(8)}`;
  return undefined;
}

/**
 * Who sent the Relay-forward level `depth` of `r` (0 = outermost): the datagram's source for the
 * outermost level; for an inner one, the peer-address of the level around it, which the relay that
 * built that outer level copied from the source of the datagram it received (RFC 8415 §19.1.2). A
 * link-local peer-address names a relay only on its link, which the outer level names by its
 * link-address or Interface-Id (same section): the key carries them, and the outer relay's key.
 */
function relayIdentity(r: MessageRecord, depth: number): { key: string; name: string; weak: boolean } {
  if (depth === 0) return { key: r.src, name: r.src, weak: isLinkLocalText(r.src) };
  const hops = unwrap(r.message).relays; // outermost first; shared with the correlator
  const outer = relayIdentity(r, depth - 1);
  const hop = hops[depth - 1];
  const peer = hop.peerAddress;
  if (!isLinkLocalText(peer)) return { key: peer, name: peer, weak: false };
  const link = hop.linkAddress !== '::' ? hop.linkAddress : hop.interfaceId !== undefined ? `Interface-Id ${hop.interfaceId}` : '';
  return {
    key: `${peer}%${outer.key}|${hop.linkAddress}|${hop.interfaceId ?? ''}`,
    name: link === '' ? `${peer} (behind ${outer.name})` : `${peer} (on ${link} of ${outer.name})`,
    weak: outer.weak || link === '',
  };
}

export const blqRelayidInRelayforw: RuleModule<Events> = {
  create(ctx) {
    const code = bulkCodes(ctx.profile).relayId;
    const maxRelays = ctx.options['max-relays'] as number;
    const scratch = scratchOption();
    const relays = new Map<string, RelayState>();
    let limitReported = false;

    const malformed = (r: MessageRecord, name: string, o: Dhcpv6Option, why: string): void => {
      ctx.report({ messageId: 'not-a-duid', data: { relay: name, duid: bodyHex(o), why }, frames: r.frames, time: r.time, scopeKey: `relay ${name}` });
    };

    /** The Relay-ID `o` at relay level `depth` of `r`. */
    const seen = (r: MessageRecord, depth: number, o: Dhcpv6Option): void => {
      // Cut by the snaplen or malformed by length: DECODE-IP's and DECODE-DHCPV6's, not judged here.
      if (optionBodyLength(o) !== o.length || (o.anomalies !== undefined && o.anomalies.length > 0)) return;
      const id = relayIdentity(r, depth);
      let s = relays.get(id.key);
      if (s !== undefined && sameBodyHex(o, s.cur)) { // the common case: the relay's usual Relay-ID
        s.curLastFrame = r.frame;
        s.curLastTime = r.time;
        return;
      }
      const problem = duidLayoutProblem(o);
      if (s === undefined) {
        if (relays.size >= maxRelays) {
          // Not followed: its layout is still judged, its changes are not.
          if (!limitReported) {
            limitReported = true;
            ctx.report({ messageId: 'limit', verdict: 'inconclusive', data: { max: maxRelays, relay: id.name }, frames: r.frames, time: r.time, scopeKey: 'limit' });
          }
          if (problem !== undefined) malformed(r, id.name, o, problem);
          return;
        }
        const hex = bodyHex(o);
        s = {
          name: id.name, weak: id.weak, cur: hex, prev: hex, first: hex, curLastFrame: r.frame, curLastTime: r.time,
          changes: 0, lastChangeFrame: r.frame, lastChangeTime: r.time,
        };
        relays.set(id.key, s);
        if (problem !== undefined) malformed(r, id.name, o, problem);
        return;
      }
      // RFC 5460 §5.4.1: the relay's DUID is kept in stable storage, so it does not change.
      const hex = bodyHex(o);
      const step = { oldFrame: s.curLastFrame, newFrame: r.frame, newTime: r.time, old: s.cur, new: hex };
      // A value replaced earlier (the one before, or the first) comes back: judged at the end as several relays.
      const again = s.changes > 0 && (hex === s.prev || hex === s.first);
      if (again && s.back === undefined) s.back = { frame: r.frame, time: r.time, value: hex };
      if (s.change === undefined) s.change = step;
      if (s.sameDevice === undefined) {
        const a = linkLayerOf(s.cur);
        if (a !== undefined && a === linkLayerOf(hex)) s.sameDevice = step;
      }
      s.changes++;
      s.prev = s.cur;
      s.cur = hex;
      s.curLastFrame = r.frame;
      s.curLastTime = r.time;
      s.lastChangeFrame = r.frame;
      s.lastChangeTime = r.time;
      // A value seen before was judged then.
      if (problem !== undefined && !again) malformed(r, id.name, o, problem);
    };

    /** Judges one relay's Relay-IDs over the input (they changed, or came back, or stayed). */
    const judge = (s: RelayState): void => {
      const c = s.change;
      if (c === undefined) return;
      const scopeKey = `relay ${s.name}`;
      const d = s.sameDevice;
      if (d !== undefined) {
        // Both DUIDs were built from one link-layer address: one device made a second DUID. Nothing
        // later undoes that, not even the old DUID coming back.
        ctx.report({
          messageId: 'same-device', scopeKey, data: { relay: s.name, old: d.old, new: d.new, changes: s.changes },
          frames: [d.oldFrame, d.newFrame], time: d.newTime,
        });
        return;
      }
      if (s.back !== undefined) {
        // A replaced DUID came back: several relays answer from this address (anycast, VRRP, load sharing).
        ctx.report({
          messageId: 'several', verdict: 'inconclusive', scopeKey,
          data: { relay: s.name, old: c.old, new: c.new, changes: s.changes },
          frames: [c.oldFrame, c.newFrame, s.back.frame], time: s.back.time,
        });
        return;
      }
      // Otherwise one relay that made new DUIDs and several relays taking over one address (a VRRP or
      // anycast failover, the old one never coming back in this capture) look the same: inconclusive.
      const frames = s.changes > 1 ? [c.oldFrame, c.newFrame, s.lastChangeFrame] : [c.oldFrame, c.newFrame];
      const time = s.changes > 1 ? s.lastChangeTime : c.newTime;
      const data = { relay: s.name, old: c.old, new: c.new, last: s.cur, changes: s.changes };
      const messageId = s.weak ? 'link-local' : s.changes > 1 ? 'changed-often' : 'changed';
      ctx.report({ messageId, verdict: 'inconclusive', scopeKey, data, frames, time });
    };

    /** Walks the Relay-forward levels of a datagram, outermost first. */
    const walk = (r: MessageRecord): void => {
      let m: Dhcpv6Message | undefined = r.message;
      for (let depth = 0; m !== undefined && m.msgType === RELAY_FORW; depth++) {
        const o = transientOption(m, code, scratch);
        if (o !== undefined) seen(r, depth, o);
        m = optionOf(m, OPTION_RELAY_MSG)?.message;
      }
    };

    return {
      'message:udp'(r) {
        if (r.message.msgType !== RELAY_FORW) return;
        walk(r);
      },
      // One input's relays are judged at its end; the next capture starts afresh.
      'capture:end'() {
        for (const s of relays.values()) judge(s);
        relays.clear();
        limitReported = false;
      },
    };
  },
};
