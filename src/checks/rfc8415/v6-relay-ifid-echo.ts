// V6-RELAY-IFID-ECHO: the server copies a relay's Interface-Id into the Relay-reply at the same level,
// and Interface-Id never appears in a client/server message (RFC 8415 §21.18, §18.3.10, §19.3).
import type { Events } from '../../correlate/events.js';
import type { RelayHop, Transmission, UdpTransaction } from '../../correlate/client-events.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';

/** Levels counted from the innermost (0 = the relay next to the client). */
function fromInside(relays: RelayHop[]): RelayHop[] {
  return [...relays].reverse();
}

export const v6RelayIfidEcho: RuleModule<Events> = {
  create(ctx) {
    const judge = (tx: UdpTransaction): void => {
      const client = partyOf(tx.client);
      const inner = (t: Transmission, who: 'client' | 'server'): boolean => {
        if (!t.message.options.some((o) => o.code === 18)) return false;
        const fromClient = who === 'client';
        ctx.report({ messageId: fromClient ? 'in-client-message' : 'in-server-message', frames: t.frames, time: t.time, xid: tx.xid, client });
        return true;
      };
      for (const t of tx.requests) if (inner(t, 'client')) return;
      for (const r of tx.responses) {
        if (inner(r, 'server')) return;
        for (const rs of r.sightings) {
          const repl = fromInside(rs.relays);
          for (let k = 0; k < repl.length; k++) {
            const back = repl[k];
            if (back.msgType !== 13) continue;
            // The Relay-forward level this Relay-reply level answers (same addresses, same depth).
            for (const t of tx.requests) {
              for (const fs of t.sightings) {
                const fwd = fromInside(fs.relays)[k];
                if (!fwd || fwd.msgType !== 12 || fwd.interfaceId === undefined) continue;
                if (fwd.linkAddress !== back.linkAddress || fwd.peerAddress !== back.peerAddress) continue;
                if (back.interfaceId === fwd.interfaceId) continue;
                ctx.report({ // RFC 8415 §18.3.10: copy the Interface-Id
                  messageId: back.interfaceId === undefined ? 'missing' : 'changed',
                  frames: framesOf({ ...t, frames: fs.record.frames } as Transmission, { ...r, frames: rs.record.frames } as Transmission),
                  time: rs.record.time, xid: tx.xid, client, server: partyOf(r.server),
                  data: { level: k, sent: fwd.interfaceId, echoed: back.interfaceId ?? '' },
                });
                return;
              }
            }
          }
        }
      }
    };
    return { 'udp:transaction-end': judge, 'lq:transaction-end': judge };
  },
};
