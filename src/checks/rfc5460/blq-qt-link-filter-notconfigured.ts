// BLQ-QT-LINK-FILTER-NOTCONFIGURED: relay-id/remote-id queries limited to a link return only
// bindings that could be on it (RFC 5460 §7.2). Informational: the topology is the server's.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent, BulkQuery } from '../../correlate/bulk-events.js';
import type { Dhcpv6Option } from '../../dhcpv6/types.js';
import { at, linkText, lqQueryOf } from '../bulk-util.js';

function samePrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) {
    const m = 0x80 >> (i & 7);
    if ((a[i >> 3] & m) !== (b[i >> 3] & m)) return false;
  }
  return true;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const bits = ctx.options['prefix-length'] as number;
    const links = new WeakMap<BulkQuery, Uint8Array>();
    const reported = new WeakSet<BulkQuery>();
    let linkQueries = 0; // hot path: no look-up before any link-limited query was seen
    const judge = (e: BulkAnswerEvent): void => {
      if (linkQueries === 0 || e.placement !== 'valid') return;
      const link = links.get(e.query);
      if (!link || e.placement !== 'valid' || reported.has(e.query)) return;
      for (const cd of e.record.message.options) {
        if (cd.code !== 45 || !cd.options) continue;
        const held: Array<[Uint8Array, number]> = [];
        for (const o of cd.options as Dhcpv6Option[]) {
          if (o.code === 5 && o.data.length >= 16) held.push([o.data.subarray(0, 16), 128]);
          if (o.code === 26 && o.data.length >= 25) held.push([o.data.subarray(9, 25), o.data[8]]);
        }
        if (held.length === 0) continue;
        if (held.some(([a, len]) => samePrefix(a, link, Math.min(bits, len)))) continue;
        reported.add(e.query);
        ctx.report({ messageId: 'unrelated', data: { xid: e.query.xid, link: linkText(link) }, ...at(e.conn, [e.query.query?.frame ?? 0, e.frame], e.time, e.query.xid) });
        return;
      }
    };
    return {
      'bulk:query'(e) {
        if (!e.tracked) return;
        const q = lqQueryOf(e.record.message);
        if (q && (q.type === 3 || q.type === 5) && q.link.some((b) => b !== 0)) {
          links.set(e.query, q.link);
          linkQueries++;
        }
      },
      'bulk:reply'(e) { judge(e); },
      'bulk:data'(e) { judge(e); },
    };
  },
};
