// DECODE-DHCPV6: turns the dhcpv6 layer's anomalies into findings (see rules/decoder/decode-dhcpv6.json for grading).
// One defect, one finding (DESIGN.md): anomalies inside a LEASEQUERY's OPTION_LQ_QUERY are
// LQ-QUERY-STRUCTURE's, and those of a Preference option in a UDP Advertise/Reply/LEASEQUERY-REPLY are
// V6-PREF-OPTION-FORMAT's; this rule stands aside for them.
// A datagram the snaplen cut is DECODE-IP's (udp.truncated): the one anomaly the cut itself makes at the
// end of the captured octets is not reported again here.
// Hot path: the `message` handler runs on every message; one without anomalies costs a length test.
import type { RuleModule } from '../../engine/types.js';
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Anomaly, Dhcpv6Option, MessageRecord } from '../../dhcpv6/types.js';
import { unwrap } from '../../correlate/udp-message.js';
import { reportAnomaly } from './anomaly.js';
import { headerLength, trailingOctets } from '../../dhcpv6/message.js';
import { lqQueryTrailing } from '../lq-common.js';

function collect(o: Dhcpv6Option, into: Dhcpv6Anomaly[]): void {
  for (const a of o.anomalies ?? []) into.push(a);
  for (const s of o.options ?? []) collect(s, into);
}

/**
 * The anomaly a snaplen cut makes in a datagram's message (record.truncated), if it made one: a header
 * shorter than the format's, the last top-level option running past the captured end (an overrun
 * option is kept as captured and not descended into, so nothing inside it is judged), or 1-3 octets of
 * a header left at that end. Anomalies before the end are in octets the capture holds: the sender's.
 */
export function cutAnomaly(record: MessageRecord): Dhcpv6Anomaly | undefined {
  const m = record.message;
  if (record.truncated !== true || m.anomalies.length === 0) return undefined;
  const header = headerLength(m.msgType);
  if (m.length < header) return m.anomalies.find((a) => a.name === 'dhcpv6.message.truncated');
  const opts = m.options;
  let used = header;
  for (const o of opts) used += 4 + o.length;
  const last = opts.length !== 0 ? opts[opts.length - 1] : undefined;
  // The last option's declared length goes past the captured end: the cut is there.
  if (last !== undefined && used > m.length) return last.anomalies?.find((a) => a.name === 'dhcpv6.option.overrun');
  const left = m.length - used;
  if (left > 0 && left < 4) {
    const text = trailingOctets(left);
    return m.anomalies.find((a) => a.name === 'dhcpv6.option.overrun' && a.message === text);
  }
  return undefined;
}

/** The anomalies of `record` that a more specific rule reports, as name|message keys. */
export function ownedAnomalies(record: MessageRecord): Set<string> | undefined {
  // Every option anomaly, nested or inside a relayed message, is also in the outer message's list.
  if (record.message.anomalies.length === 0) return undefined;
  const found: Dhcpv6Anomaly[] = [];
  const cut = cutAnomaly(record);
  if (cut) found.push(cut); // DECODE-IP's
  const inner = record.transport === 'udp' ? unwrap(record.message).inner : record.message;
  if (!inner) return undefined;
  if (inner.msgType === 14 && (record.transport === 'udp' || record.direction !== 1)) {
    for (const o of inner.options) {
      if (o.code !== 44) continue;
      collect(o, found); // LQ-QUERY-STRUCTURE
      const t = lqQueryTrailing(o); // the decoder ties octets left after its query-options to no option
      if (t > 0) found.push({ name: 'dhcpv6.option.overrun', message: trailingOctets(t) });
    }
  }
  if (record.transport === 'udp' && (inner.msgType === 2 || inner.msgType === 7 || inner.msgType === 15)) {
    for (const o of inner.options) if (o.code === 7) collect(o, found); // V6-PREF-OPTION-FORMAT
  }
  if (found.length === 0) return undefined;
  const keys = new Set<string>();
  for (const a of found) keys.add(`${a.name}|${a.message}`);
  return keys;
}

export const check: RuleModule<Events> = {
  create(ctx) {
    // The pipeline emits a record's anomalies right after its `message` event.
    let ownedFrame = 0;
    let ownedKeys: Set<string> | undefined;
    return {
      message(r) {
        if (r.message.anomalies.length === 0) {
          ownedKeys = undefined;
          return;
        }
        ownedKeys = ownedAnomalies(r);
        ownedFrame = r.frame;
      },
      anomaly(a) {
        if (a.layer !== 'dhcpv6') return;
        if (ownedKeys !== undefined && a.frames.includes(ownedFrame) && ownedKeys.has(`${a.name}|${a.message}`)) return;
        reportAnomaly(ctx, a);
      },
    };
  },
};
