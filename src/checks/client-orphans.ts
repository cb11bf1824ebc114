// Judging a response that matched no captured request (V6-XID-ADVERTISE, V6-XID-REPLY,
// LQ-REPLY-VALIDATION): a violation only when the same client had a fresh exchange open that this
// response type answers (so the server used another xid); otherwise the request may precede the capture.
import type { OrphanResponse } from '../correlate/client-events.js';
import type { RuleContext } from '../engine/types.js';
import { partyOf } from './client-common.js';

export function judgeOrphan(ctx: Pick<RuleContext, 'report'>, o: OrphanResponse): void {
  if (o.late) return; // the xid of a captured Solicit, answered after the correlator closed it
  const r = o.response;
  const c = o.candidates.filter((x) => !x.firstMissed && x.time < r.time);
  const client = partyOf(o.clientDuid !== undefined ? { duid: o.clientDuid, address: o.clientAddress } : { address: o.clientAddress });
  const base = { xid: o.xid, client, server: partyOf(r.server), time: r.time };
  if (c.length > 0) {
    const open = c[c.length - 1];
    ctx.report({
      ...base, messageId: 'other-xid', frames: [open.frame, ...r.frames],
      data: { xid: o.xid, expected: open.xid },
    });
    return;
  }
  ctx.report({ ...base, messageId: 'no-request', verdict: 'inconclusive', frames: r.frames, data: { xid: o.xid } });
}
