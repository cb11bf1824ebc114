// V6-XID-RETRANSMIT-SAME: a retransmission keeps the transaction-id (RFC 8415 §15, §16.1). Flags a
// client message with a new xid that continues an unanswered exchange: same type and IA/ORO content,
// Elapsed Time carrying on from the previous exchange's rather than restarting at 0.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import type { Transmission } from '../../correlate/client-events.js';
import { framesOf, partyOf } from '../client-common.js';

const CONTENT = new Set([3, 4, 25, 6]);
const MAX_CLIENTS = 10000;

function sameContent(a: Dhcpv6Message, b: Dhcpv6Message): boolean {
  const pick = (m: Dhcpv6Message) => m.options.filter((o) => CONTENT.has(o.code));
  const x = pick(a);
  const y = pick(b);
  if (x.length !== y.length) return false;
  return x.every((o, i) => o.code === y[i].code && o.length === y[i].length && o.data.every((v, k) => v === y[i].data[k]));
}

interface Last { xid: number; last: Transmission; firstResponse: number }

export const v6XidRetransmitSame: RuleModule<Events> = {
  create(ctx) {
    const slack = typeof ctx.options.slack === 'number' ? ctx.options.slack : 0.1;
    const previous = new Map<string, Last>();
    return {
      'udp:transaction-end': (tx) => {
        const key = `${tx.client.duid ?? tx.client.address}|${tx.msgType}`;
        const prev = previous.get(key);
        const first = tx.requests[0];
        previous.delete(key);
        previous.set(key, { xid: tx.xid, last: tx.requests[tx.requests.length - 1], firstResponse: tx.responses[0]?.time ?? Infinity });
        if (previous.size > MAX_CLIENTS) previous.delete(previous.keys().next().value as string);
        if (!prev || prev.xid === tx.xid || prev.last.time >= first.time || prev.firstResponse <= first.time) return;
        if (first.elapsed === undefined || first.elapsed === 0 || first.elapsed === 0xffff || prev.last.elapsed === undefined) return;
        if (!sameContent(prev.last.message, first.message)) return;
        // Elapsed Time continuity (RFC 8415 §21.9): a restarted exchange would begin again near 0.
        const expected = prev.last.elapsed / 100 + (first.time - prev.last.time);
        if (Math.abs(first.elapsed / 100 - expected) > slack + 0.05 * expected) return;
        ctx.report({
          messageId: 'new-xid', frames: framesOf(prev.last, first), time: first.time, xid: tx.xid,
          client: partyOf(tx.client), data: { old: prev.xid, new: tx.xid, elapsed: first.elapsed },
        });
      },
    };
  },
};
