// V6-XID-RECONFIGURE: a server's Reconfigure carries transaction-id 0 (RFC 8415 §18.3.11), whether sent
// to the client directly or inside a Relay-reply (§19.3). Reconfigures are not paired by the client
// correlator, so the rule judges each UDP message and reports a server's Reconfigures to one client
// with one xid once: the copy a relay forwards, a second capture point's copy and the server's
// retransmissions (§18.3.11, REC_TIMEOUT/REC_MAX_RC, whose authentication may change) are one defect.
// What it remembers for that is forgotten after `window` seconds without a sighting.
import type { Events } from '../../correlate/events.js';
import type { RuleModule } from '../../engine/types.js';
import { bodyHex, optionOf } from '../../dhcpv6/helpers.js';
import { unwrap } from '../../correlate/udp-message.js';

export const v6XidReconfigure: RuleModule<Events> = {
  create(ctx) {
    const window = ctx.options.window as number;
    /**
     * Reported (server DUID, client DUID or address, xid) keys → time last seen, oldest sighting first
     * (a sighting moves its key to the end); only Reconfigures with a wrong xid are kept.
     */
    const reported = new Map<string, number>();
    const forget = (now: number): void => {
      for (const [k, t] of reported) {
        if (now - t <= window) return;
        reported.delete(k);
      }
    };
    return {
      'message:udp': (r) => {
        const top = r.message;
        // Cheap test first: a bare message that is not a Reconfigure, and no relay.
        if (top.msgType !== 10 && top.msgType !== 13) return;
        const inner = top.msgType === 10 ? top : unwrap(top).inner;
        if (!inner || inner.msgType !== 10 || inner.format !== 'client-server') return;
        const xid = inner.xid;
        if (xid === undefined || xid === 0) return;
        const server = optionOf(inner, 2);
        const client = optionOf(inner, 1);
        const { relays } = unwrap(top);
        const to = relays.length ? relays[relays.length - 1].peerAddress : r.dst;
        const serverDuid = server ? bodyHex(server) : undefined;
        const clientDuid = client ? bodyHex(client) : undefined;
        const key = `${serverDuid ?? ''}|${clientDuid ?? to}|${xid}`;
        if (reported.size) forget(r.time);
        const known = reported.delete(key);
        reported.set(key, r.time);
        if (known) return;
        ctx.report({
          messageId: 'nonzero', data: { xid: `0x${xid.toString(16).padStart(6, '0')}` }, frames: r.frames, time: r.time, xid,
          client: clientDuid !== undefined ? { duid: clientDuid, address: to } : { address: to },
          server: serverDuid !== undefined ? { duid: serverDuid, address: r.src } : { address: r.src },
        }); // RFC 8415 §18.3.11
      },
      'capture:end': () => reported.clear(),
    };
  },
};
