// LQ-RELAY-DATA-FORMAT: OPTION_LQ_RELAY_DATA holds a peer address and the last Relay-forward chain
// received for the client, with the client's own message removed; it is sent when the query's ORO asks
// for it (RFC 5007 §4.1.2.4). Accepted at the top level of the reply or inside CLIENT_DATA (§4 Q4).
// Hot path: every bulk REPLY/DATA; messages without the option cost a top-level scan and no allocation.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message, Dhcpv6Option } from '../../dhcpv6/types.js';
import { findOption, OptionCursor } from '../../dhcpv6/helpers.js';
import type { Party, RuleModule } from '../../engine/types.js';
import { partyOf } from '../client-common.js';
import { lqQueryOf } from '../lq-common.js';

interface Where { frames: number[]; time: number; xid?: number; client?: Party; server?: Party; connection?: string }

const top = new OptionCursor();
const sub = new OptionCursor();

/** Whether a message carries OPTION_LQ_RELAY_DATA at the top level or inside a CLIENT_DATA (read in place). */
function hasRelayData(m: Dhcpv6Message): boolean {
  top.open(m);
  while (top.next()) {
    if (top.code === 47) return true;
    if (top.code === 45 && top.enter(sub)) while (sub.next()) if (sub.code === 47) return true;
  }
  return false;
}

function relayDataOptions(m: Dhcpv6Message): Dhcpv6Option[] {
  const out: Dhcpv6Option[] = [];
  for (const o of m.options) {
    if (o.code === 47) out.push(o);
    if (o.code === 45) for (const s of o.options ?? []) if (s.code === 47) out.push(s);
  }
  return out;
}

/** What is wrong with one OPTION_LQ_RELAY_DATA, or undefined. */
function defect(o: Dhcpv6Option): string | undefined {
  const inner = o.message;
  if (o.length < 16 || !inner || inner.msgType !== 12 || inner.format !== 'relay') return 'not-relay-forw';
  if (inner.anomalies.length) return 'malformed-chain';
  let m: Dhcpv6Message = inner;
  for (;;) {
    const rm = findOption(m.options, 9);
    if (!rm?.message) return undefined;
    if (rm.message.format !== 'relay') return 'client-message-kept'; // §4.1.2.4: innermost RELAY_MSG removed
    if (rm.message.msgType !== 12) return 'not-relay-forw';
    m = rm.message;
  }
}

export const lqRelayDataFormat: RuleModule<Events> = {
  create(ctx) {
    const judge = (m: Dhcpv6Message, w: Where, requested: boolean | undefined): void => {
      for (const o of relayDataOptions(m)) {
        const d = defect(o);
        if (d) { ctx.report({ ...w, messageId: d }); return; }
        if (requested === false) { ctx.report({ ...w, messageId: 'not-requested' }); return; } // SHOULD only when asked
      }
    };
    return {
      'lq:transaction-end': (tx) => {
        const q = lqQueryOf(tx.requests[0].message);
        let requested: boolean | undefined;
        if (q?.wellFormed) {
          const oro = q.queryOptions.find((o) => o.code === 6);
          requested = false;
          if (oro) for (let i = 0; i + 1 < oro.data.length; i += 2) if (((oro.data[i] << 8) | oro.data[i + 1]) === 47) requested = true;
        }
        for (const r of tx.responses) {
          judge(r.message, { frames: r.frames, time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server) }, requested);
        }
      },
      'message:tcp': (r) => {
        // Hot path (every bulk DATA): cheap tests first, the descriptor only when there is something to judge.
        const m = r.message;
        if ((m.msgType !== 15 && m.msgType !== 17) || !hasRelayData(m)) return;
        judge(m, { frames: r.frames, time: r.time, xid: m.xid, connection: r.connection?.label }, undefined);
      },
    };
  },
};
