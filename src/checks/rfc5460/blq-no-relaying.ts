// BLQ-NO-RELAYING: bulk leasequery runs over direct TCP and is never relayed (RFC 5460 §3). Flags the
// bulk-only messages (LEASEQUERY-DATA, LEASEQUERY-DONE) inside UDP relay messages. A relayed UDP
// LEASEQUERY of a bulk-only type is BLQ-QT-NOT-OVER-UDP-REQUESTOR's (one defect, the requestor's).
// Hot path (every UDP message): the format first, then the relay chain as the correlator unwraps it.
import type { Events } from '../../correlate/events.js';
import { unwrap } from '../../correlate/udp-message.js';
import type { RuleModule } from '../../engine/types.js';

export const blqNoRelaying: RuleModule<Events> = {
  create(ctx) {
    const done = ctx.profile.codes['LEASEQUERY-DONE'] ?? 16;
    const data = ctx.profile.codes['LEASEQUERY-DATA'] ?? 17;
    const reported = new Set<string>();
    return {
      'message:udp': (r) => {
        if (r.message.format !== 'relay') return;
        // The innermost message and relay (unwrap's answer is shared with the correlator: built once).
        const { inner, relays } = unwrap(r.message);
        if (inner === undefined) return;
        if (inner.msgType !== done && inner.msgType !== data) return;
        const peer = relays[relays.length - 1].peerAddress;
        const key = `${inner.msgType}|${inner.xid}|${peer}`;
        if (reported.has(key)) return; // the same message one relay hop further
        reported.add(key);
        if (reported.size > 10000) reported.clear();
        ctx.report({
          messageId: 'relayed', frames: r.frames, time: r.time, xid: inner.xid, client: { address: peer },
          data: { type: inner.msgType === done ? 'LEASEQUERY-DONE' : 'LEASEQUERY-DATA' },
        });
      },
      // The hops of one message are within one input: the next capture starts afresh.
      'capture:end': () => reported.clear(),
    };
  },
};
