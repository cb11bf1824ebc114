// Shared judgement of what a client or requestor message must carry (RFC 8415 §18.2.1, §18.2.2,
// §21.7, §21.9; RFC 5007 §4.3.1), for V6-SOLICIT-CONTENTS, V6-REQUEST-CONTENTS and LQ-REQ-CONTENTS:
// each defect is reported once per transaction (retransmissions and copies of the same message are one
// defect; a retransmission with other content may show another), and a message the capture cut short
// is never faulted for what may have been cut off.

import type { Transmission, UdpTransaction } from '../correlate/client-events.js';
import type { Dhcpv6Message } from '../dhcpv6/types.js';
import { optionBodyLength, optionU16, scratchOption, transientOption } from '../dhcpv6/helpers.js';
import type { RuleContext } from '../engine/types.js';
import { partyOf } from './client-common.js';

/**
 * Codes an Option Request option never lists (RFC 8415 §21.7; each is "No" in the Client ORO column of
 * Table 4 and of the IANA registry). Table 4 marks more codes "No", but the registry has moved since
 * (e.g. 90), so only the section's own list is judged.
 */
export const ORO_FORBIDDEN: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 14, 15, 16, 18, 19, 20, 25, 26]);

/** OPTION_SOL_MAX_RT (RFC 8415 §21.24), which a Solicit's and a Request's ORO must list (§18.2.1, §18.2.2). */
export const OPTION_SOL_MAX_RT = 82;

/** One defect of a message: a message id of the rule and its data. */
export interface Defect {
  messageId: string;
  data?: Record<string, string | number>;
  /** Something missing (an absence the capture's snaplen may explain), not something present. */
  missing: boolean;
}

/** What a message's Option Request option lists (read in place). */
export interface OroView {
  /** The codes in order (an odd trailing octet is the decoder's anomaly, not read). */
  codes: number[];
}

/** oroOf's scratch option (transientOption): the codes are read out at once. */
const oroScratch = scratchOption();

/** The ORO of a message, undefined when it has none. */
export function oroOf(m: Dhcpv6Message): OroView | undefined {
  const o = transientOption(m, 6, oroScratch);
  if (!o) return undefined;
  const n = optionBodyLength(o) >> 1;
  const codes = new Array<number>(n);
  for (let i = 0; i < n; i++) codes[i] = optionU16(o, 2 * i);
  return { codes };
}

/** Codes as text for a message: "23, 24" (none: "nothing"). */
export function codesText(codes: readonly number[]): string {
  return codes.length ? codes.join(', ') : 'nothing';
}

/**
 * The ORO defects of a Solicit or Request (RFC 8415 §18.2.1, §18.2.2, §21.7): no ORO; no SOL_MAX_RT
 * in it (the `-legacy` message ids when the rule's `legacy-sol-max-rt` option accepts RFC 3315-era
 * clients: RFC 3315 §17.1.1/§18.1.1 made the ORO a SHOULD and RFC 7083 added option 82); codes §21.7
 * forbids (`oro-forbidden-legacy` under that option: RFC 3315 forbade none).
 */
export function oroDefects(m: Dhcpv6Message, legacy: boolean, into: Defect[]): void {
  const oro = oroOf(m);
  if (!oro) {
    into.push({ messageId: legacy ? 'no-oro-legacy' : 'no-oro', missing: true });
    return;
  }
  if (!oro.codes.includes(OPTION_SOL_MAX_RT)) {
    into.push({ messageId: legacy ? 'no-sol-max-rt-legacy' : 'no-sol-max-rt', data: { codes: codesText(oro.codes) }, missing: true });
  }
  let bad: number[] | undefined;
  for (const c of oro.codes) if (ORO_FORBIDDEN.has(c) && !(bad ??= []).includes(c)) bad.push(c);
  // RFC 8415 §21.7 introduced the list; RFC 3315 §22.7 forbade no code, so a client written to it is
  // graded INFO under `legacy-sol-max-rt`.
  if (bad) into.push({ messageId: legacy ? 'oro-forbidden-legacy' : 'oro-forbidden', data: { codes: codesText(bad) }, missing: false });
}


/**
 * Judges every transmission of a client transaction with `defects` and reports each defect once
 * (by message id and data): the first transmission that shows it is the evidence. Transmissions the
 * decoder found malformed are DECODE-DHCPV6's and not judged. When no transmission was captured
 * whole (snaplen, trap TRUNC) and the cut one lacks something, one inconclusive `truncated` finding.
 */
export function judgeTransaction(
  ctx: RuleContext, tx: UdpTransaction, defects: (t: Transmission, into: Defect[]) => void,
): void {
  const client = partyOf(tx.client);
  let judged = false;
  let seen: string[] | undefined;
  const found: Defect[] = [];
  for (const t of tx.requests) {
    if (t.damage !== undefined) continue;
    judged = true;
    found.length = 0;
    defects(t, found);
    for (const d of found) {
      const key = d.data ? `${d.messageId} ${JSON.stringify(d.data)}` : d.messageId;
      if ((seen ??= []).includes(key)) continue;
      seen.push(key);
      ctx.report({ messageId: d.messageId, data: d.data, frames: t.frames, time: t.time, xid: tx.xid, client });
    }
  }
  if (judged) return;
  const cut = tx.requests.find((t) => t.damage === 'truncated');
  if (!cut) return;
  found.length = 0;
  defects(cut, found);
  if (found.some((d) => d.missing)) {
    ctx.report({ messageId: 'truncated', verdict: 'inconclusive', frames: cut.frames, time: cut.time, xid: tx.xid, client });
  }
}
