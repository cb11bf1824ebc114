// V6-RELAY-IFID-ECHO: the server copies a relay's Interface-Id into the Relay-reply at the same level,
// and Interface-Id never appears in a client/server message (RFC 8415 §21.18, §18.3.10, §19.3).
import type { Events } from '../../correlate/events.js';
import type { RelayHop, Transmission, UdpTransaction } from '../../correlate/client-events.js';
import { hasOption } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { framesOf, partyOf } from '../client-common.js';

/** Level `k` counted from the innermost (0 = the relay next to the client), or undefined. */
function fromInside(relays: readonly RelayHop[], k: number): RelayHop | undefined {
  return k < relays.length ? relays[relays.length - 1 - k] : undefined;
}

export const v6RelayIfidEcho: RuleModule<Events> = {
  create(ctx) {
    /** An Interface-Id inside the client/server message itself (RFC 8415 §21.18: relay messages only). */
    const inner = (tx: UdpTransaction, t: Transmission, fromClient: boolean): boolean => {
      if (!hasOption(t.message, 18)) return false;
      ctx.report({
        messageId: fromClient ? 'in-client-message' : 'in-server-message', frames: t.frames, time: t.time, xid: tx.xid,
        client: partyOf(tx.client),
      });
      return true;
    };
    const judge = (tx: UdpTransaction): void => {
      for (const t of tx.requests) if (inner(tx, t, true)) return;
      for (const r of tx.responses) {
        if (inner(tx, r, false)) return;
        for (const rs of r.sightings) {
          const repl = rs.relays;
          for (let k = 0; k < repl.length; k++) {
            const back = repl[repl.length - 1 - k];
            if (back.msgType !== 13) continue;
            // The Relay-forward level this Relay-reply level answers (same addresses, same depth).
            for (const t of tx.requests) {
              for (const fs of t.sightings) {
                const fwd = fromInside(fs.relays, k);
                if (!fwd || fwd.msgType !== 12 || fwd.interfaceId === undefined) continue;
                if (fwd.linkAddress !== back.linkAddress || fwd.peerAddress !== back.peerAddress) continue;
                if (back.interfaceId === fwd.interfaceId) continue;
                ctx.report({ // RFC 8415 §18.3.10: copy the Interface-Id
                  messageId: back.interfaceId === undefined ? 'missing' : 'changed',
                  frames: framesOf(fs, rs), time: rs.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server),
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
