// BLQ-NO-RELAYING: bulk leasequery runs over direct TCP and is never relayed (RFC 5460 §3). Flags the
// bulk-only messages (LEASEQUERY-DATA, LEASEQUERY-DONE) inside UDP relay messages. A relayed UDP
// LEASEQUERY of a bulk-only type is BLQ-QT-NOT-OVER-UDP-REQUESTOR's (one defect, the requestor's).
// Hot path (every UDP message): the format first, then the relay chain by OPTION_RELAY_MSG only.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import { optionOf } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';

const OPTION_RELAY_MSG = 9;

export const blqNoRelaying: RuleModule<Events> = {
  create(ctx) {
    const done = ctx.profile.codes['LEASEQUERY-DONE'] ?? 16;
    const data = ctx.profile.codes['LEASEQUERY-DATA'] ?? 17;
    const reported = new Set<string>();
    return {
      'message:udp': (r) => {
        if (r.message.format !== 'relay') return;
        // The innermost message and the innermost relay (as correlate/udp-message unwrap finds them).
        let relay: Dhcpv6Message = r.message;
        let inner: Dhcpv6Message | undefined = r.message;
        while (inner.format === 'relay') {
          relay = inner;
          inner = optionOf(inner, OPTION_RELAY_MSG)?.message;
          if (inner === undefined) return;
        }
        if (inner.msgType !== done && inner.msgType !== data) return;
        const peer = relay.peerAddress ?? '::';
        const key = `${inner.msgType}|${inner.xid}|${peer}`;
        if (reported.has(key)) return; // the same message one relay hop further
        reported.add(key);
        if (reported.size > 10000) reported.clear();
        ctx.report({
          messageId: 'relayed', frames: r.frames, time: r.time, xid: inner.xid, client: { address: peer },
          data: { type: inner.msgType === done ? 'LEASEQUERY-DONE' : 'LEASEQUERY-DATA' },
        });
      },
    };
  },
};
