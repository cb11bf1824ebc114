// Shared reporting of decoder anomalies for the DECODE-* rules: one finding per anomaly, capped per
// anomaly name and connection; limits are inconclusive (DESIGN.md), bulk framing is BLQ-FRAME-SIZE's.
import type { AnomalyEvent } from '../../correlate/events.js';
import type { RuleContext } from '../../engine/types.js';

export function reportAnomaly(ctx: RuleContext, a: AnomalyEvent): void {
  if (a.name.startsWith('dhcpv6.bulk.')) return; // framing of the RFC 5460 stream: BLQ-FRAME-SIZE
  const frames = a.frames.length ? a.frames : [];
  const base = {
    data: { name: a.name, detail: a.message }, frames, time: a.time,
    scopeKey: `${a.connection ?? ''}|${a.name}`,
  } as const;
  const conn = a.connection !== undefined ? { connection: a.connection } : {};
  if (a.layer === 'limit') {
    ctx.report({ messageId: 'limit', verdict: 'inconclusive', ...base, ...conn });
    return;
  }
  const xid = a.xid !== undefined ? { xid: a.xid } : {};
  let messageId = 'anomaly';
  let data: Record<string, string | number> = base.data;
  if (a.layer === 'tcp') {
    messageId = a.name === 'tcp.gap' ? 'gap' : a.name.includes('conflict') ? 'conflict' : 'anomaly';
  } else if (a.layer === 'capture' && a.offset !== undefined) {
    // Damage to the file: where it is, for a hex editor (there may be no frame to name).
    messageId = 'at';
    data = { ...data, offset: a.offset };
  }
  ctx.report({ messageId, ...base, data, ...conn, ...xid });
}
