// V6-RELAY-STRUCTURE: every Relay-forward and Relay-reply holds exactly one Relay Message option, and a
// Relay-reply copies hop-count, link-address and peer-address from the Relay-forward it answers
// (RFC 8415 §9.1, §9.2, §19.3). A Reconfigure sent through relays answers no Relay-forward (§19.3): the
// client correlator never pairs one, so only its option count is judged.
import type { Events } from '../../correlate/events.js';
import type { RelayHop, ServerResponse, Sighting, UdpTransaction } from '../../correlate/client-events.js';
import { UPSTREAM_MULTICAST, UPSTREAM_NONE } from '../../correlate/client-events.js';
import type { Dhcpv6Message, MessageRecord } from '../../dhcpv6/types.js';
import { OptionCursor, optionOf } from '../../dhcpv6/helpers.js';
import type { ReportDescriptor, RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';

const cursor = new OptionCursor();

/** Relay Message options (9) at the top level of a relay message; -1 when none was found but the walk is unsure. */
function relayMessages(m: Dhcpv6Message): number {
  cursor.open(m);
  let n = 0;
  let overran = false;
  while (cursor.next()) {
    if (cursor.code === 9) n++;
    else if (cursor.end - cursor.start < cursor.length) overran = true;
  }
  // An option whose length runs past the message (DECODE-DHCPV6's dhcpv6.option.overrun) hides the
  // options after it: a Relay Message option may be among them, so its absence is not shown.
  return n === 0 && overran ? -1 : n;
}

/** Whether every level of a chain has this msg-type. */
function allOf(r: readonly RelayHop[], type: number): boolean {
  for (let i = 0; i < r.length; i++) if (r[i].msgType !== type) return false;
  return true;
}

/** Same header fields at every level (chains of one length). */
function sameHeaders(a: readonly RelayHop[], b: readonly RelayHop[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i].hopCount !== b[i].hopCount || a[i].linkAddress !== b[i].linkAddress || a[i].peerAddress !== b[i].peerAddress) return false;
  }
  return true;
}

const FIELDS = ['hop-count', 'link-address', 'peer-address'] as const;

function field(h: RelayHop, f: typeof FIELDS[number]): string {
  return f === 'hop-count' ? String(h.hopCount) : f === 'link-address' ? h.linkAddress : h.peerAddress;
}

/**
 * Whether a Relay-forward went where a Relay-reply came from, or to a group (every server listening got
 * it). Tags from events made without addresses (UPSTREAM_NONE) do not tell, so they count as the same.
 */
function sentTo(fs: Sighting, rs: Sighting): boolean {
  return fs.upstream === rs.upstream || fs.upstream === UPSTREAM_MULTICAST || fs.upstream === UPSTREAM_NONE || rs.upstream === UPSTREAM_NONE;
}

/**
 * The first header field, by level from the client outwards (as V6-RELAY-IFID-ECHO counts levels), in
 * which the Relay-reply differs from the Relay-forward: a violation for the forward it answers
 * (`not-mirrored`), inconclusive for one sent to another destination (`other-destination`).
 */
function differing(
  fs: Sighting, rs: Sighting, tx: UdpTransaction, r: ServerResponse, messageId: 'not-mirrored' | 'other-destination',
): ReportDescriptor | undefined {
  const fwd = fs.relays;
  const back = rs.relays;
  for (let k = 0; k < back.length; k++) {
    const i = back.length - 1 - k;
    for (const f of FIELDS) {
      const sent = field(fwd[i], f);
      const echoed = field(back[i], f);
      if (sent === echoed) continue;
      return {
        time: rs.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server), frames: framesOf(fs, rs),
        messageId, data: { level: k, field: f, sent, echoed }, ...(messageId === 'other-destination' ? { verdict: 'inconclusive' as const } : {}),
      };
    }
  }
  return undefined;
}

export const v6RelayStructure: RuleModule<Events> = {
  create(ctx) {
    // A count finding waits for the message's own anomalies: a datagram cut by the snaplen (udp.truncated,
    // DECODE-IP's) may have lost its Relay Message option to the capture, not to the sender.
    let pending: ReportDescriptor | undefined;
    const flush = (): void => {
      if (pending) ctx.report(pending);
      pending = undefined;
    };

    /** The first relay level (outermost first) without exactly one Relay Message option. */
    const judgeMessage = (r: MessageRecord): void => {
      flush();
      let m: Dhcpv6Message | undefined = r.message;
      if (m.format !== 'relay') return; // hot path: most messages are not relayed
      for (let depth = 1; m !== undefined && m.format === 'relay'; depth++) {
        const n = relayMessages(m);
        if (n < 0) return; // malformed: DECODE-DHCPV6 reports the overrun (one defect, one finding)
        if (n !== 1) { // RFC 8415 §9.1, §9.2: MUST include a Relay Message option (one: it is the message relayed)
          pending = {
            messageId: n === 0 ? (m.msgType === 12 ? 'missing-forward' : 'missing-reply') : 'repeated',
            frames: r.frames, time: r.time,
            data: { type: m.msgType === 12 ? 'Relay-forward' : 'Relay-reply', depth, count: n },
          };
          return;
        }
        m = optionOf(m, 9)?.message;
      }
    };

    /** The Relay-reply sightings against the Relay-forward sightings of the same depth (RFC 8415 §9.2). */
    const judgeTransaction = (tx: UdpTransaction): void => {
      let doubt: ReportDescriptor | undefined;
      for (const r of tx.responses) {
        for (const rs of r.sightings) {
          const back = rs.relays;
          if (back.length === 0 || !allOf(back, 13)) continue;
          // The request's chains of the same depth; equal chains (retransmissions, copies) count once.
          let first: Sighting | undefined;
          let other: Sighting | undefined;
          let distinct = 0;
          let elsewhere: Sighting | undefined;
          let matched = false;
          for (const t of tx.requests) {
            for (const fs of t.sightings) {
              const fwd = fs.relays;
              if (fwd.length !== back.length || !allOf(fwd, 12)) continue;
              // A server sends a Relay-reply to the address its Relay-forward came from (RFC 8415 §19.3):
              // a forward from another relay is not the one this reply answers. That relay's own forward
              // may simply be missing from the capture (an asymmetric capture point).
              if (fs.relayPeer !== undefined && rs.relayPeer !== undefined && fs.relayPeer !== rs.relayPeer) continue;
              if (sameHeaders(fwd, back)) { matched = true; break; }
              // A relay may send one client message to several servers (RFC 6853 §5.2), with other
              // header fields per destination: a forward that went to another address than the one this
              // reply came from is not the one it answers (a group address reached every server).
              if (!sentTo(fs, rs)) { elsewhere ??= fs; continue; }
              if (!first) { first = fs; distinct = 1; } else if (distinct === 1 && !sameHeaders(first.relays, fwd)) { distinct = 2; other = fs; }
            }
            if (matched) break;
          }
          if (matched) continue;
          if (!first) {
            // Only forwards to other destinations: the one this reply answers was not captured.
            if (elsewhere) doubt ??= differing(elsewhere, rs, tx, r, 'other-destination');
            continue; // a Relay-reply without a captured Relay-forward of its depth is not judged
          }
          const base = { time: rs.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server), frames: framesOf(first, rs) };
          if (distinct > 1) {
            // Several relay paths (several relays on the link, or several chains): which one it answers is unknown.
            doubt ??= { ...base, frames: framesOf(first, other, rs), messageId: 'ambiguous', verdict: 'inconclusive', data: { depth: back.length } };
            continue;
          }
          const f = differing(first, rs, tx, r, 'not-mirrored'); // RFC 8415 §9.2: copied
          if (f) { ctx.report(f); return; }
        }
      }
      if (doubt) ctx.report(doubt);
    };

    return {
      'message:udp': judgeMessage,
      anomaly(a) {
        if (pending && a.name === 'udp.truncated' && a.frames.includes(pending.frames[pending.frames.length - 1])) pending = undefined;
      },
      'capture:end': flush,
      'udp:transaction-end': judgeTransaction,
      'lq:transaction-end': judgeTransaction,
    };
  },
};
