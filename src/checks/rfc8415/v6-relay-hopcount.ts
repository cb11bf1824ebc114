// V6-RELAY-HOPCOUNT: the relay next to the client sets hop-count 0 and each further relay adds one;
// a Relay-forward that already reached HOP_COUNT_LIMIT is not relayed again (RFC 8415 §19.1.1, §19.1.2, §7.6).
import type { Events } from '../../correlate/events.js';
import type { RelayHop, Sighting, UdpTransaction } from '../../correlate/client-events.js';
import type { RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';

/** A chain of Relay-forwards only (a Relay-reply level is the server's, not a relay's count). */
function allForward(r: readonly RelayHop[]): boolean {
  for (let i = 0; i < r.length; i++) if (r[i].msgType !== 12) return false;
  return true;
}

export const v6RelayHopcount: RuleModule<Events> = {
  create(ctx) {
    const limit = typeof ctx.profile.timers.HOP_COUNT_LIMIT === 'number' ? ctx.profile.timers.HOP_COUNT_LIMIT : 8;
    const report = (tx: UdpTransaction, s: Sighting, messageId: string, data: Record<string, string | number>): void => {
      ctx.report({ frames: s.frames, time: s.time, xid: tx.xid, client: partyOf(tx.client), messageId, data });
    };
    const judge = (tx: UdpTransaction): void => {
      for (const t of tx.requests) {
        for (const s of t.sightings) {
          const r = s.relays;
          if (r.length === 0 || !allForward(r)) continue;
          const inner = r[r.length - 1];
          if (inner.hopCount !== 0) { // RFC 8415 §19.1.1: 0 when relaying a client's message
            report(tx, s, 'first-hop', { hop: inner.hopCount, relay: inner.linkAddress });
            return;
          }
          for (let i = r.length - 2; i >= 0; i--) {
            if (r[i + 1].hopCount >= limit) { // §19.1.2: discard at HOP_COUNT_LIMIT
              report(tx, s, 'over-limit', { hop: r[i + 1].hopCount, limit });
              return;
            }
            if (r[i].hopCount !== r[i + 1].hopCount + 1) { // §19.1.2: received + 1
              report(tx, s, 'not-incremented', { hop: r[i].hopCount, inner: r[i + 1].hopCount });
              return;
            }
          }
        }
      }
    };
    return { 'udp:transaction-end': judge, 'lq:transaction-end': judge };
  },
};
