// BLQ-QT-NOT-OVER-UDP-SERVER: a server that serves bulk leasequery and also UDP leasequery refuses the
// bulk-only query types over UDP with NotAllowed (RFC 5460 §4). Whether it serves bulk is learnt from
// the same capture (its TCP LEASEQUERY-REPLY/-DATA/-DONE, by address or Server-ID), so the verdict on an
// UnknownQueryType or other refusal waits for the end of the capture; data returned is always a violation.
import type { Events } from '../../correlate/events.js';
import type { Party, ReportDescriptor, RuleModule } from '../../engine/types.js';
import { optionOf, duidHex, sameBodyHex } from '../../dhcpv6/helpers.js';
import { framesOf, partyOf } from '../client-common.js';
import { BULK_ONLY_TYPES, lqDiscardReason, lqQueryOf, topStatus } from '../lq-common.js';

const MAX_PENDING = 1000;
const MAX_SERVERS = 1000;

interface Pending { d: Omit<ReportDescriptor, 'messageId' | 'verdict'>; server: Party; status: number }

export const blqQtNotOverUdpServer: RuleModule<Events> = {
  create(ctx) {
    const bulkAddresses = new Set<string>();
    const bulkDuids = new Set<string>();
    let pending: Pending[] = [];
    // Hot path (every bulk server message): the last address and Server-ID learnt are not looked up again.
    let lastSrc = '';
    let lastSid: string | undefined; // DUID text of the last Server-ID seen
    const isBulk = (p: Party): boolean => (p.address !== undefined && bulkAddresses.has(p.address)) || (p.duid !== undefined && bulkDuids.has(p.duid));
    const decide = (p: Pending): void => {
      if (isBulk(p.server)) ctx.report({ ...p.d, messageId: p.status === 7 ? 'unknown-query-type' : 'other-status' }); // RFC 5460 §4 MUST NotAllowed
      else ctx.report({ ...p.d, messageId: 'not-known-bulk' });
    };
    return {
      'message:tcp': (r) => {
        if (r.direction !== 1 || r.message.msgType < 15 || r.message.msgType > 17) return;
        if (r.src !== lastSrc) {
          lastSrc = r.src;
          if (bulkAddresses.size < MAX_SERVERS) bulkAddresses.add(r.src);
        }
        const sid = optionOf(r.message, 2);
        // Compared in place with the last DUID text: no view or copy per bulk message.
        if (sid === undefined || (lastSid !== undefined && sameBodyHex(sid, lastSid))) return;
        lastSid = duidHex(sid)!;
        if (bulkDuids.size < MAX_SERVERS) bulkDuids.add(lastSid);
      },
      'lq:transaction-end': (tx) => {
        const q = lqQueryOf(tx.requests[0].message);
        if (!q || q.type === undefined || !BULK_ONLY_TYPES.has(q.type)) return;
        for (const r of tx.responses) {
          if (lqDiscardReason(tx.requests[0].message, r.server.duid) !== undefined) continue; // LQ-SRV-DISCARD-INVALID's
          const st = topStatus(r.message);
          if (st === 10) continue;
          // A malformed LQ_QUERY (LQ-QUERY-STRUCTURE) may be refused as such before its type is read.
          if (st === 8 && !q.wellFormed) continue;
          const d = {
            frames: framesOf(tx.requests[0], r), time: r.time, xid: tx.xid, client: partyOf(tx.client), server: partyOf(r.server),
            data: { type: q.type, status: st ?? 0 },
          };
          if (r.message.options.some((o) => o.code === 45 || o.code === 48)) { ctx.report({ ...d, messageId: 'answered' }); continue; }
          const p: Pending = { d, server: r.server, status: st ?? 0 };
          if (pending.length >= MAX_PENDING) decide(pending.shift()!);
          pending.push(p);
        }
      },
      'capture:end': () => {
        for (const p of pending) decide(p);
        pending = [];
        bulkAddresses.clear();
        bulkDuids.clear();
        lastSrc = '';
        lastSid = undefined;
      },
    };
  },
};
