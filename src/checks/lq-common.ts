// Shared pieces of the RFC 5007 leasequery checks: the LQ_QUERY option of a LEASEQUERY (§4.1.2.1),
// whether it is well formed, its query type and query-options, and how a finding names the parties.
import type { Dhcpv6Message, Dhcpv6Option, MessageRecord } from '../dhcpv6/types.js';
import { bodyHex, hasOption, messageStatusCode, optionBodyLength, optionOf, optionU8, peekOption, sameBodyHex, walkOptions } from '../dhcpv6/helpers.js';
import type { Events } from '../correlate/events.js';
import type { ReportDescriptor, RuleHandlers } from '../engine/types.js';
import { partyOf } from './client-common.js';

export interface LqQuery {
  option: Dhcpv6Option;
  /** Undefined when the option is too short to hold it. */
  type?: number;
  /** The link-address is :: (unspecified). */
  linkUnspecified: boolean;
  /** option-len ≥ 17 and the query-options parsed exactly, to the last octet (RFC 5007 §4.1.2.1). */
  wellFormed: boolean;
  queryOptions: Dhcpv6Option[];
}

function anomalous(o: Dhcpv6Option): boolean {
  if (o.anomalies?.length || o.data.length !== o.length) return true;
  let bad = false;
  walkOptions(o.options ?? [], (x) => { if (x.anomalies?.length || x.data.length !== x.length) bad = true; });
  return bad;
}

/**
 * Octets at the end of an LQ_QUERY's query-options too few for an option header (1-3), which the
 * decoder reports without attaching them to any option; 0 when the query-options fill the option.
 */
export function lqQueryTrailing(o: Dhcpv6Option): number {
  if (o.data.length < 17) return 0;
  let n = 17;
  for (const s of o.options ?? []) n += 4 + s.length;
  return o.data.length > n ? o.data.length - n : 0;
}

export function lqQueryOf(m: Dhcpv6Message): LqQuery | undefined {
  const o = optionOf(m, 44);
  if (!o) return undefined;
  const wellFormed = o.length >= 17 && !anomalous(o) && lqQueryTrailing(o) === 0;
  const q: LqQuery = { option: o, linkUnspecified: true, wellFormed, queryOptions: o.options ?? [] };
  if (o.data.length >= 1) q.type = o.data[0];
  if (o.data.length >= 17) q.linkUnspecified = o.data.subarray(1, 17).every((b) => b === 0);
  return q;
}

/** The 16 link-address octets of a query, when its LQ_QUERY is long enough to hold them. */
export function lqLink(q: LqQuery): Uint8Array | undefined {
  return q.option.data.length >= 17 ? q.option.data.subarray(1, 17) : undefined;
}

/** The connection label of a TCP record, for bulk-side findings. */
export function tcpScope(r: MessageRecord): { connection?: string } {
  return r.connection ? { connection: r.connection.label } : {};
}

/** Status code at the top level of a message, undefined when absent or malformed. */
export function topStatus(m: Dhcpv6Message): number | undefined {
  return messageStatusCode(m);
}

/** The bulk-only query types (RFC 5460 §3, §5.3). */
export const BULK_ONLY_TYPES: ReadonlySet<number> = new Set([3, 4, 5]);

/**
 * Wires a judgement of one LEASEQUERY to both transports: once per UDP leasequery transaction (its
 * first transmission) and on every LEASEQUERY a requestor sends over TCP.
 */
export function onEveryQuery(
  judge: (m: Dhcpv6Message, d: Omit<ReportDescriptor, 'messageId'>) => void,
): RuleHandlers<Events> {
  return {
    'lq:transaction-end': (tx) => {
      const t = tx.requests[0];
      judge(t.message, { frames: t.frames, time: t.time, xid: tx.xid, client: partyOf(tx.client) });
    },
    'message:tcp': (r) => {
      if (r.message.msgType !== 14 || r.direction === 1) return;
      judge(r.message, { frames: r.frames, time: r.time, xid: r.message.xid, ...tcpScope(r) });
    },
  };
}

/**
 * Why a server must discard this LEASEQUERY (RFC 5007 §4.2.1), for an answer from a server with DUID
 * `server` (hex; undefined when the answer names none): it lacks the requestor's Client-ID, it lacks
 * OPTION_LQ_QUERY, or its Server-ID names another server. LQ-SRV-DISCARD-INVALID reports answers to
 * such queries; the rules about the contents of those answers stand aside.
 */
export function lqDiscardReason(
  query: Dhcpv6Message, server: string | undefined, lqQueryRequired = true,
): 'no-client-id' | 'no-lq-query' | 'foreign-server-id' | undefined {
  if (!hasOption(query, 1)) return 'no-client-id';
  if (lqQueryRequired && !hasOption(query, 44)) return 'no-lq-query';
  const named = peekOption(query, 2);
  if (named !== undefined && server !== undefined && !sameBodyHex(named, server)) return 'foreign-server-id';
  return undefined;
}

/**
 * Over TCP (RFC 5460), why a LEASEQUERY-REPLY serves a LEASEQUERY the server must discard (RFC 5007
 * §4.2.1; lqDiscardReason for the REPLY's Server-ID): undefined for a valid query, and for a REPLY with
 * a failing status, which RFC 5460 §7.2 lets a server send instead. LQ-SRV-DISCARD-INVALID reports
 * such a REPLY; BLQ-REPLY-IDS, about its contents, stands aside: the REPLY should not exist. `active`:
 * the query is an ACTIVELEASEQUERY, which needs no OPTION_LQ_QUERY.
 */
export function bulkServedInvalid(query: Dhcpv6Message, reply: Dhcpv6Message, active = false): ReturnType<typeof lqDiscardReason> {
  if (hasOption(query, 1) && hasOption(query, 44) && !hasOption(query, 2)) return undefined; // a valid query: the usual case, read in place
  const st = messageStatusCode(reply);
  if (st !== undefined && st !== 0) return undefined; // RFC 5460 §7.2: an error REPLY ends a query the server cannot serve
  const sid = peekOption(reply, 2);
  // RFC 7653 §6.2.1: an ACTIVELEASEQUERY asking for every binding update leaves OPTION_LQ_QUERY out.
  return lqDiscardReason(query, sid === undefined ? undefined : bodyHex(sid), !active);
}

/**
 * Whether the capture shows that the Server-ID of a LEASEQUERY and that of a reply name two servers
 * (lqDiscardReason's `foreign-server-id`, RFC 5007 §4.2.1). A Server-ID the snaplen cut (trap TRUNC)
 * still shows it when the two DUIDs' lengths (option-len is in the captured header) or their captured
 * octets differ; not when the cut came before the octets that tell them apart.
 */
export function foreignServerSeen(query: Dhcpv6Message, reply: Dhcpv6Message): boolean {
  const a = peekOption(query, 2);
  const b = peekOption(reply, 2);
  if (a === undefined || b === undefined) return false;
  if (a.length !== b.length) return true;
  const n = Math.min(optionBodyLength(a), optionBodyLength(b));
  for (let i = 0; i < n; i++) if (optionU8(a, i) !== optionU8(b, i)) return true;
  return false; // the same DUID, or the same as far as the capture goes
}
