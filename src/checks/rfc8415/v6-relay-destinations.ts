// V6-RELAY-DESTINATIONS: a relay that relays to All_DHCP_Servers (ff05::1:3) sets the IPv6 Hop Limit to 8
// (RFC 8415 §19). Routers only lower a hop limit, and the capture may be several hops from the relay,
// so only a value above 8 is proof (graded INFO, once per relay address and input).
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';

/** RFC 8415 §7.1: All_DHCP_Servers, site scope. */
const ALL_DHCP_SERVERS = 'ff05::1:3';
/** RFC 8415 §19: the hop limit a relay sets when it multicasts. */
const RELAY_HOP_LIMIT = 8;
const RELAY_FORW = 12;

export const v6RelayDestinations: RuleModule<Events> = {
  create(ctx) {
    const cap = ctx.options['max-relays'] as number;
    const reported = new Set<string>();
    let limitReported = false;
    return {
      'message:udp': (r) => {
        // Nearly every datagram leaves here: one text comparison.
        if (r.dst !== ALL_DHCP_SERVERS) return;
        // Trap CFG / capture point: a router between the relay and the capture lowers the value, so one
        // below 8 may have left the relay at 8. None raises it: above 8 the relay sent it that way.
        if (r.hopLimit <= RELAY_HOP_LIMIT || r.message.msgType !== RELAY_FORW) return;
        if (reported.has(r.src)) return;
        if (reported.size >= cap) {
          if (!limitReported) {
            limitReported = true;
            ctx.report({ messageId: 'limit', verdict: 'inconclusive', frames: r.frames, time: r.time, data: { max: cap } });
          }
          return;
        }
        reported.add(r.src);
        ctx.report({ // RFC 8415 §19: Hop Limit 8 when relaying to a multicast address
          messageId: 'hop-limit', frames: r.frames, time: r.time,
          data: { relay: r.src, hop: r.hopLimit },
        });
      },
      'capture:end': () => {
        reported.clear();
        limitReported = false;
      },
    };
  },
};
