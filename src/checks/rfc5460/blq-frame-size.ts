// BLQ-FRAME-SIZE: every message is framed by a two-octet size that can hold it (RFC 5460 §5.1).
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import { at } from '../bulk-util.js';

export const check: RuleModule<Events> = {
  create(ctx) {
    return {
      'bulk:loss'(e) {
        if (e.kind === 'cut' && e.frames) {
          // RFC 5460 §5.1: message-size counts the octets that follow; a FIN before they all came breaks it.
          const d = { ...at(e.conn, e.frames, e.time), scopeKey: `${e.conn.label}|${e.dir}` };
          const data = { detail: e.anomaly?.message ?? '' };
          ctx.report({ messageId: e.afterLoss ? 'cut-after-loss' : 'cut-short', verdict: e.afterLoss ? 'inconclusive' : 'violation', data, ...d });
          return;
        }
        if (e.kind !== 'desync' || !e.anomaly) return;
        const dir = e.dir === 0 ? 'requestor-to-server' : 'server-to-requestor';
        const d = { ...at(e.conn, [e.frame], e.time), scopeKey: `${e.conn.label}|${e.dir}` };
        const small = /^message-size (\d+) cannot/.exec(e.anomaly.message);
        if (e.afterLoss) ctx.report({ messageId: 'after-loss', verdict: 'inconclusive', data: { dir }, ...d });
        else if (e.anomaly.name === 'dhcpv6.bulk.bad_frame' && small) {
          // RFC 5460 §5.1: the size counts msg-type, xid and options (4 octets at least).
          ctx.report({ messageId: 'too-small', data: { dir, size: Number(small[1]) }, ...d });
        } else if (e.anomaly.name === 'dhcpv6.bulk.bad_frame') ctx.report({ messageId: 'too-big', verdict: 'inconclusive', data: { dir }, ...d });
        else ctx.report({ messageId: 'undecodable', verdict: 'inconclusive', data: { dir }, ...d });
      },
    };
  },
};
