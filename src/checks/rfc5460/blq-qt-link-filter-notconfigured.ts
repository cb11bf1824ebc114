// BLQ-QT-LINK-FILTER-NOTCONFIGURED: relay-id/remote-id queries limited to a link return only
// bindings that could be on it (RFC 5460 §7.2). Informational: the topology is the server's.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { BulkAnswerEvent, BulkQuery } from '../../correlate/bulk-events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import { at, linkText } from '../bulk-util.js';
import { lqLink, lqQueryOf } from '../lq-common.js';

/** The first `bits` bits (at most 128) of `a` from offset `off` equal those of `link`. */
function samePrefixAt(a: Uint8Array, off: number, link: Uint8Array, bits: number): boolean {
  const n = bits > 128 ? 128 : bits; // beyond 128 bits the original per-bit walk compared nothing
  const full = n >> 3;
  for (let i = 0; i < full; i++) if (a[off + i] !== link[i]) return false;
  const rest = n & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (a[off + full] & mask) === (link[full] & mask);
}

/**
 * Whether a message has an OPTION_CLIENT_DATA whose IAADDRs/IAPREFIXes are all off the link: none
 * shares the first `bits` bits (or the prefix's own length, if shorter) with `link` (16 octets).
 * CLIENT_DATA without any lease is not judged.
 */
export function holdsUnrelatedClient(m: Dhcpv6Message, link: Uint8Array, bits: number): boolean {
  const options = m.options;
  for (let i = 0; i < options.length; i++) {
    const cd = options[i];
    const sub = cd.options;
    if (cd.code !== 45 || sub === undefined) continue;
    let held = false;
    let related = false;
    for (let j = 0; j < sub.length && !related; j++) {
      const o = sub[j];
      const d = o.data;
      if (o.code === 5 && d.length >= 16) {
        held = true;
        related = samePrefixAt(d, 0, link, Math.min(bits, 128));
      } else if (o.code === 26 && d.length >= 25) {
        held = true;
        related = samePrefixAt(d, 9, link, Math.min(bits, d[8]));
      }
    }
    if (held && !related) return true;
  }
  return false;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    const bits = ctx.options['prefix-length'] as number;
    const links = new WeakMap<BulkQuery, Uint8Array>();
    const reported = new WeakSet<BulkQuery>();
    // Hot path (every answer): only relay-id/remote-id queries can be limited to a link; the
    // query answered last and its link are remembered (a query's DATA mostly come in a row).
    let lastQuery: BulkQuery | undefined;
    let lastLink: Uint8Array | undefined;
    const judge = (e: BulkAnswerEvent): void => {
      const q = e.query;
      if (e.placement !== 'valid' || (q.queryType !== 3 && q.queryType !== 5)) return;
      if (q !== lastQuery) {
        lastQuery = q;
        lastLink = links.get(q);
      }
      const link = lastLink;
      if (!link || reported.has(q) || !holdsUnrelatedClient(e.record.message, link, bits)) return;
      reported.add(q);
      ctx.report({ messageId: 'unrelated', data: { xid: q.xid, link: linkText(link) }, ...at(e.conn, [q.query?.frame ?? 0, e.frame], e.time, q.xid) });
    };
    return {
      'bulk:query'(e) {
        if (!e.tracked) return;
        const q = lqQueryOf(e.record.message);
        const link = q && lqLink(q);
        if (q && link && (q.type === 3 || q.type === 5) && !q.linkUnspecified) {
          links.set(e.query, link);
          if (e.query === lastQuery) lastQuery = undefined;
        }
      },
      'bulk:reply'(e) { judge(e); },
      'bulk:data'(e) { judge(e); },
    };
  },
};
