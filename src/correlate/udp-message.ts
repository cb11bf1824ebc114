// Pure helpers for the client correlator: unwrapping relay chains (RFC 8415 §9, §19), comparing
// messages for copy detection, and what an Advertise offers (RFC 8415 §18.2.9, §21.8).
//
// Per-message paths (unwrap, elapsedOf, the DUID reads in client.ts) look options up with
// optionOf/hasOption, which may answer from the message's octets: they never touch `message.options`,
// so a message kept by an open transaction does not carry a built option tree. preferenceState and
// offersLeases run once per response, when its transaction closes, with OptionCursors: a response a
// session keeps for seconds builds no option objects for them either.

import type { Dhcpv6Message, Dhcpv6Option } from '../dhcpv6/types.js';
import {
  bodyHex, OptionCursor, optionBodyLength, optionOf, optionU16, sameBodyHex, sameOctets, scratchOption, statusCodeHere, transientOption,
} from '../dhcpv6/helpers.js';
import { sameBytes } from '../dhcpv6/options/primitives.js';
import type { PreferenceState, RelayHop, Sighting } from './client-events.js';
import { UPSTREAM_MULTICAST, UPSTREAM_NONE } from './client-events.js';

/** Client → server message types paired by xid (RFC 8415 §7.3; RFC 5007 LEASEQUERY). */
export const CLIENT_TYPES: ReadonlySet<number> = new Set([1, 3, 4, 5, 6, 8, 9, 11, 14]);
/** Server → client responses paired by xid: ADVERTISE, REPLY, LEASEQUERY-REPLY. */
export const RESPONSE_TYPES: ReadonlySet<number> = new Set([2, 7, 15]);
/**
 * The highest DHCPv6 message type assigned: 37, ADDR-REG-REPLY (RFC 9686; 36 and 37 are the latest, the
 * IANA registry leaves 38-255 unassigned, requirements.md §1.4). An implementation may predate a type
 * (36 and 37 are new), so only types above it are known to be unknown to every receiver (RFC 8415 §16).
 */
export const HIGHEST_ASSIGNED_MSG_TYPE = 37;

/** Whether a response of type `resp` can answer a request of type `req`. */
export function answers(req: number, resp: number): boolean {
  if (resp === 2) return req === 1;
  if (resp === 15) return req === 14;
  if (resp === 7) return req !== 14; // Reply answers every client message, Solicit only with Rapid Commit
  return false;
}

/**
 * An address as a small tag (Sighting.upstream): a 30-bit FNV-1a hash of its text, never UPSTREAM_NONE
 * or UPSTREAM_MULTICAST, or UPSTREAM_MULTICAST for a multicast address (ff00::/8). A small integer stays
 * inside the object that holds it. Two different addresses share a tag with a chance of about 1 in 10⁹,
 * which the checks that compare tags accept.
 */
export function addressTag(address: string): number {
  if (address.charCodeAt(0) === 0x66 && address.charCodeAt(1) === 0x66) return UPSTREAM_MULTICAST; // "ff"
  let h = textHash(address);
  h = (h ^ (h >>> 15)) & 0x3fffffff;
  return h <= UPSTREAM_MULTICAST ? h + 2 : h;
}

/** FNV-1a (32 bits) over a text's char codes, from its offset basis or continued from `h`. */
export function textHash(text: string, h = 0x811c9dc5): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** The relay chain of a message sent bare: shared, never written to. */
const NO_RELAYS: RelayHop[] = Object.freeze([]) as unknown as RelayHop[];

/**
 * Unwraps relay messages: the innermost message (undefined when a level lacks RELAY_MSG) and the chain,
 * outermost first. A bare message gets a shared empty chain. The answer, and its chain, are read-only;
 * read its fields at once (a bare message's answer is one object, reused for the next bare message).
 */
export function unwrap(message: Dhcpv6Message): Unwrapped {
  // The correlator and the rules on `message:udp` unwrap the same message one after the other: the
  // last answer is kept, so its relay hops and inner message are built once.
  if (message === lastIn) return lastOut!;
  const out = unwrapNew(message);
  lastIn = message;
  lastOut = out;
  return out;
}

/** What `unwrap` gives (shared between its callers: read-only). */
export interface Unwrapped { readonly inner: Dhcpv6Message | undefined; readonly relays: RelayHop[] }

let lastIn: Dhcpv6Message | undefined;
let lastOut: Unwrapped | undefined;

/** unwrapNew's and elapsedOf's scratch options (transientOption). */
const ifidScratch = scratchOption();
const elapsedScratch = scratchOption();

/** The answer for bare messages (most of them): one object, its `inner` set per call. */
const bare: { inner: Dhcpv6Message | undefined; readonly relays: RelayHop[] } = { inner: undefined, relays: NO_RELAYS };

function unwrapNew(message: Dhcpv6Message): Unwrapped {
  if (message.format !== 'relay') {
    bare.inner = message;
    return bare;
  }
  let relays: RelayHop[] = NO_RELAYS;
  let m: Dhcpv6Message = message;
  while (m.format === 'relay') {
    const ifid = transientOption(m, 18, ifidScratch);
    const hop: RelayHop = {
      msgType: m.msgType, hopCount: m.hopCount ?? 0, linkAddress: m.linkAddress ?? '::', peerAddress: m.peerAddress ?? '::',
      interfaceId: ifid ? bodyHex(ifid) : undefined,
    };
    // Exact length for the usual one or two levels (push on a short array reserves 16 more slots).
    if (relays.length === 0) relays = [hop];
    else if (relays.length === 1) relays = [relays[0], hop];
    else relays.push(hop);
    const inner = optionOf(m, 9)?.message;
    if (!inner) return { inner: undefined, relays };
    m = inner;
  }
  return { inner: m, relays };
}

/**
 * Whether a DUID's hex text (lowercase, as duidHex writes it) and a DUID option (Client-ID,
 * Server-ID) are the same DUID; both absent counts as the same. Compares the body in place: a copy or
 * a retransmission is matched to its transaction without writing the hex text of its DUID again.
 */
export function sameDuid(hex: string | undefined, option: Dhcpv6Option | undefined): boolean {
  if (option === undefined) return hex === undefined;
  return hex !== undefined && sameBodyHex(option, hex);
}

/** Byte-identical client/server messages (type, xid and every top-level option body). */
export function sameMessage(a: Dhcpv6Message, b: Dhcpv6Message): boolean {
  // The header scalars first: only a likely copy has its options compared.
  if (a === b) return true;
  if (a.msgType !== b.msgType || a.xid !== b.xid || a.length !== b.length) return false;
  // Clean messages: the same octets are the same header and options (no option tree is built).
  const octets = sameOctets(a, b);
  if (octets !== undefined) return octets;
  const x = a.options;
  const y = b.options;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i];
    const q = y[i];
    if (p.code !== q.code || p.length !== q.length || !sameBytes(p.data, q.data)) return false;
  }
  return true;
}

/** The same relay levels (header fields and Interface-Id), level by level. */
function sameHops(a: readonly RelayHop[], ai: number, b: readonly RelayHop[], n: number): boolean {
  for (let i = 0; i < n; i++) {
    const x = a[ai + i];
    const y = b[i];
    if (x.msgType !== y.msgType || x.hopCount !== y.hopCount || x.linkAddress !== y.linkAddress
      || x.peerAddress !== y.peerAddress || x.interfaceId !== y.interfaceId) return false;
  }
  return true;
}

/** The same relay chain, level by level (header fields and Interface-Id). */
export function sameChain(a: readonly RelayHop[], b: readonly RelayHop[]): boolean {
  return a.length === b.length && sameHops(a, 0, b, b.length);
}

/**
 * Whether two relay chains are one relay level apart on one path: the longer one is the shorter one
 * wrapped once more (its levels below the outermost equal the shorter chain).
 */
export function oneLevelApart(a: readonly RelayHop[], b: readonly RelayHop[]): boolean {
  if (a.length === b.length + 1) return sameHops(a, 1, b, b.length);
  if (b.length === a.length + 1) return sameHops(b, 1, a, a.length);
  return false;
}

/**
 * Whether two sightings of a message may be one relay's two sides of it: one relay level apart on one
 * path and, for a response, not both sent from the same address. A server that got the client's message
 * both directly (on the client's link) and through a relay answers each (RFC 8415 §18.3): its two
 * answers are two transmissions even when they differ, while a relay delivers what it unwrapped from
 * its own address (RFC 8415 §19.2).
 */
export function relayApart(a: Sighting, b: Sighting, response: boolean): boolean {
  return oneLevelApart(a.relays, b.relays) && !(response && a.upstream !== UPSTREAM_NONE && a.upstream === b.upstream);
}

/**
 * What differs between two messages of one type and xid, in words (V6-RELAY-NO-MODIFY's evidence):
 * the first top-level option removed, added or changed, in wire order. Builds both option lists: for
 * the rare altered copy only.
 */
export function describeDifference(original: Dhcpv6Message, copy: Dhcpv6Message): string {
  const a = original.options;
  const b = copy.options;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const p = a[i];
    const q = b[i];
    if (p && q && p.code === q.code && p.length === q.length && sameBytes(p.data, q.data)) continue;
    if (p && !b.some((o) => o.code === p.code)) return `option ${p.code} removed`;
    if (q && !a.some((o) => o.code === q.code)) return `option ${q.code} added`;
    if (p && q && p.code !== q.code) return `options reordered (option ${p.code} now option ${q.code})`;
    return `option ${(p ?? q)!.code} changed`;
  }
  return 'message header changed';
}

/** Elapsed Time in hundredths of a second, when present and well formed (RFC 8415 §21.9). */
export function elapsedOf(m: Dhcpv6Message): number | undefined {
  const o = transientOption(m, 8, elapsedScratch);
  if (!o || o.length !== 2 || optionBodyLength(o) !== 2 || o.anomalies?.length) return undefined;
  return optionU16(o, 0);
}

/** Preference with absent = 0 (RFC 8415 §18.2.1) and the state of the option (RFC 8415 §21.8). */
export function preferenceState(m: Dhcpv6Message): { preference: number; state: PreferenceState } {
  // Read in place (most responses carry none): no option tree.
  const c = prefCursor;
  c.open(m);
  let count = 0;
  let value = -1; // the first one's, or -1 when it is malformed
  while (c.next()) {
    if (c.code !== 7 || count++ > 0) continue;
    value = c.length === 1 && c.end - c.start === 1 && c.ok ? c.u8(0) : -1;
  }
  if (count === 0) return ABSENT;
  if (count > 1) return MULTIPLE;
  if (value < 0) return MALFORMED;
  return PREFERENCES[value];
}

const ABSENT: { preference: number; state: PreferenceState } = Object.freeze({ preference: 0, state: 'absent' });
const MULTIPLE: { preference: number; state: PreferenceState } = Object.freeze({ preference: 0, state: 'multiple' });
const MALFORMED: { preference: number; state: PreferenceState } = Object.freeze({ preference: 0, state: 'malformed' });
/** The answer for each well-formed value, made once. */
const PREFERENCES: ReadonlyArray<{ preference: number; state: PreferenceState }> = Array.from({ length: 256 }, (_, v) => Object.freeze({ preference: v, state: 'ok' as const }));
const prefCursor = new OptionCursor();

/** The lease option an IA of this code holds: IAADDR in IA_NA/IA_TA, IAPREFIX in IA_PD; 0 for other codes. */
function leaseCode(code: number): number {
  return code === 3 || code === 4 ? 5 : code === 25 ? 26 : 0;
}

/** A Status Code option the cursor is on that tells a failure: well formed (statusOf) and not Success. */
function failing(c: OptionCursor): boolean {
  const code = statusCodeHere(c);
  return code !== undefined && code !== 0;
}

const offerTop = new OptionCursor();
const offerIa = new OptionCursor();

/** Whether the IA the cursor is on offers `inner` (IAADDR or IAPREFIX) without a failing status of its own. */
function iaOffers(ia: OptionCursor, inner: number): boolean {
  const c = offerIa;
  if (!ia.enter(c)) return false;
  let statusSeen = false;
  let lease = false;
  while (c.next()) {
    if (c.code === 13 && !statusSeen) {
      statusSeen = true; // only the IA's first Status Code counts (statusOf)
      if (failing(c)) return false;
    } else if (c.code === inner && c.ok) {
      lease = true;
    }
  }
  return lease;
}

/**
 * Whether a response offers addresses or prefixes (RFC 8415 §18.2.9): an IAADDR inside an IA_NA or
 * IA_TA, or an IAPREFIX inside an IA_PD, in an IA without a failing status, and no failing top-level
 * status. Read with cursors: a response kept by a session builds no option objects for it.
 */
export function offersLeases(m: Dhcpv6Message): boolean {
  const c = offerTop;
  c.open(m);
  let statusSeen = false;
  let offers = false;
  while (c.next()) {
    const code = c.code;
    if (code === 13 && !statusSeen) {
      statusSeen = true; // only the first top-level Status Code counts
      if (failing(c)) return false;
    } else if (!offers) {
      const inner = leaseCode(code);
      if (inner !== 0 && iaOffers(c, inner)) offers = true;
    }
  }
  return offers;
}
