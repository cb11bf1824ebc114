// LQ-TRUSTED-REQUESTORS: leasequery is for trusted requestors (RFC 5007 §5): a perimeter relay should
// not pass on LEASEQUERYs from outside, and a server may refuse relayed ones. Whether a requestor is
// trusted is the deployment's knowledge, not the capture's, so a LEASEQUERY seen inside a Relay-forward
// is noted (info) once per relay and requestor per input, for the operator to check.
// Hot path (every UDP message): bare messages leave at the first test; a relay chain is unwrapped once,
// shared with the correlator (udp-message.ts unwrap).
import type { Events } from '../../correlate/events.js';
import { unwrap } from '../../correlate/udp-message.js';
import { bodyHex, optionU8, peekOption } from '../../dhcpv6/helpers.js';
import type { RuleModule } from '../../engine/types.js';
import { BULK_ONLY_TYPES } from '../lq-common.js';

const LEASEQUERY = 14;
const RELAY_FORW = 12;
const OPTION_CLIENTID = 1;
const OPTION_LQ_QUERY = 44;

export const lqTrustedRequestors: RuleModule<Events> = {
  create(ctx) {
    const maxPairs = ctx.options['max-pairs'] as number;
    /** `relay|requestor` pairs already noted in this input. */
    const seen = new Set<string>();
    let limitReported = false;
    return {
      'message:udp': (r) => {
        if (r.message.format !== 'relay' || r.message.msgType !== RELAY_FORW) return;
        const { inner, relays } = unwrap(r.message);
        if (inner === undefined || inner.msgType !== LEASEQUERY) return;
        for (const hop of relays) if (hop.msgType !== RELAY_FORW) return; // a LEASEQUERY going the wrong way is not a relayed query
        // A relayed bulk-only query type is BLQ-QT-NOT-OVER-UDP-REQUESTOR's (one defect, one finding).
        const lq = peekOption(inner, OPTION_LQ_QUERY);
        const type = lq === undefined ? undefined : optionU8(lq, 0);
        if (type !== undefined && BULK_ONLY_TYPES.has(type)) return;
        const innermost = relays[relays.length - 1];
        // The relay nearest the requestor (RFC 8415 §19.1.2): it built the innermost level, and the
        // level around it carries its address as peer-address; with one level, the datagram's source.
        const relay = relays.length >= 2 ? relays[relays.length - 2].peerAddress : r.src;
        const cid = peekOption(inner, OPTION_CLIENTID);
        const duid = cid === undefined ? undefined : bodyHex(cid);
        const requestor = duid ?? innermost.peerAddress;
        const key = `${relay}|${requestor}`;
        if (seen.has(key)) return; // the same pair again, or the same query one relay hop further
        if (seen.size >= maxPairs) {
          if (!limitReported) {
            limitReported = true;
            ctx.report({
              messageId: 'limit', verdict: 'inconclusive', scopeKey: 'limit', frames: r.frames, time: r.time,
              data: { max: maxPairs },
            });
          }
          return;
        }
        seen.add(key);
        ctx.report({
          messageId: 'relayed', frames: r.frames, time: r.time, xid: inner.xid,
          client: duid === undefined ? { address: innermost.peerAddress } : { duid, address: innermost.peerAddress },
          data: { relay, link: innermost.linkAddress, requestor: innermost.peerAddress },
        });
      },
      // Pairs are noted per input: the next capture starts afresh.
      'capture:end': () => { seen.clear(); limitReported = false; },
    };
  },
};
