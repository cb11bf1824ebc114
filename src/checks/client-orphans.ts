// Judging a response that matched no captured request (V6-XID-ADVERTISE, V6-XID-REPLY,
// LQ-REPLY-VALIDATION): a violation only when the same client had a fresh exchange open that this
// response type answers (so the server used another xid); otherwise the request may precede the capture.
// A response that answers a captured client message of an unassigned type is V6-VAL-UNKNOWN-MSGTYPE's.
import type { OrphanResponse } from '../correlate/client-events.js';
import type { RuleContext } from '../engine/types.js';
import { partyOf } from './client-common.js';

export function judgeOrphan(ctx: Pick<RuleContext, 'report'>, o: OrphanResponse): void {
  if (o.late) return; // the xid of a captured Solicit, answered after the correlator closed it
  if (o.unknownType) return; // it answers a captured message of an unassigned type: V6-VAL-UNKNOWN-MSGTYPE's
  const c = freshCandidates(o);
  reportOrphan(ctx, o, c.length > 0 ? c[c.length - 1] : undefined);
}

/** The open exchanges of the response's client whose first transmission was captured, sent before it. */
export function freshCandidates(o: OrphanResponse): OrphanResponse['candidates'] {
  return o.candidates.filter((x) => !x.firstMissed && x.time < o.response.time);
}

/**
 * Reports an orphan response: `other-xid` against `open`, the exchange it should have answered, or
 * inconclusive `no-request` when there is none (the request may precede the capture).
 */
export function reportOrphan(ctx: Pick<RuleContext, 'report'>, o: OrphanResponse, open: { xid: number; frame: number } | undefined): void {
  const r = o.response;
  const client = partyOf(o.clientDuid !== undefined ? { duid: o.clientDuid, address: o.clientAddress } : { address: o.clientAddress });
  const base = { xid: o.xid, client, server: partyOf(r.server), time: r.time };
  if (open) {
    ctx.report({
      ...base, messageId: 'other-xid', frames: [open.frame, ...r.frames],
      data: { xid: o.xid, expected: open.xid },
    });
    return;
  }
  ctx.report({ ...base, messageId: 'no-request', verdict: 'inconclusive', frames: r.frames, data: { xid: o.xid } });
}
