// Client session and UDP leasequery events (RFC 8415 §15-§18, RFC 5007 §4, RFC 6853), produced by
// the client correlator (client.ts) from UDP messages with their relay wrappers removed.

import type { Dhcpv6Message } from '../dhcpv6/types.js';
import type { Party } from '../engine/types.js';

/**
 * One relay level a message was wrapped in (RFC 8415 §9), outermost first in a chain. Only the header
 * fields and the Interface-Id: an open transaction keeps these for every sighting, and keeping the relay
 * message itself would keep its decoded form (and the inner message's) alive with them.
 */
export interface RelayHop {
  /** 12 (RELAY-FORW) or 13 (RELAY-REPL). */
  msgType: number;
  hopCount: number;
  linkAddress: string;
  peerAddress: string;
  /** OPTION_INTERFACE_ID (18) body in lowercase hex, when present at this level. */
  interfaceId?: string;
}

/**
 * One sighting of a message: one datagram, the relay levels around the message, outermost first.
 * Where and when only, not the record: the decoded relay messages around it are not kept.
 */
export interface Sighting {
  /** The frame that carried the datagram (its last fragment) and its time. */
  frame: number;
  time: number;
  /** All frames that carried it (IPv6 fragments), ascending. */
  frames: number[];
  relays: RelayHop[];
  /**
   * For a relayed datagram, the IP address of the relay at its outermost level: the source of a
   * Relay-forward, the destination of a Relay-reply (a server answers a Relay-forward to the address it
   * came from, RFC 8415 §19.3). Undefined for a bare datagram. A reference to the record's own text.
   */
  relayPeer?: string;
  /**
   * Who is at the hop's other end, the one away from the client, as an address tag (`addressTag`,
   * udp-message.ts): the destination of a Relay-forward (UPSTREAM_MULTICAST for a group such as
   * All_DHCP_Servers), the source of a Relay-reply or of a bare response (the server, or the relay that
   * delivered it). UPSTREAM_NONE for a bare client message (Transmission.dest says how it was sent).
   * It tells a forward that went to another server from the one a Relay-reply answers (RFC 8415 §19.3:
   * a server answers to the forward's source) and a server's own second answer from a relay's copy. A
   * small integer, not the address text: open transactions keep every sighting for seconds.
   */
  upstream: number;
  /**
   * Where a LEASEQUERY's datagram went, as a number: a hash of its IPv6 destination when seen bare (the
   * requestor's choice of server, unicast or multicast, RFC 5007 §4.3.2), of the relay's source and
   * destination when relayed (the relay's next hop). 0 when not computed (other message types).
   * Equal numbers may still be different addresses (a 30-bit hash): that reads as the same destination.
   */
  to: number;
  /**
   * Set only on a copy whose message differs from the transmission's: seen one relay level apart from
   * another sighting of it, within `sessions.copy-window`, same type, xid, client (and server) and the
   * same Elapsed Time — a relay that altered what it relayed (RFC 8415 §19.2, §19.4; V6-RELAY-NO-MODIFY).
   * Says what differs (e.g. `option 37 added`). Absent on every other sighting (no cost to them).
   */
  altered?: string;
  /**
   * Set only on an altered copy whose datagram the snaplen cut (trap TRUNC): its message may differ
   * only by what the capture lost.
   */
  truncated?: true;
}

/**
 * One transmission of a client or server message. Copies of the same message seen at several relay
 * hops or towards several destinations (identical inner message, shortly after) are merged into it:
 * they are one transmission, not retransmissions. So is a copy a relay altered (see Sighting.altered):
 * the transmission keeps the message as first seen.
 */
export interface Transmission {
  /** The client/server message (relay wrappers removed). */
  message: Dhcpv6Message;
  /** Frame and time of the first sighting. */
  frame: number;
  time: number;
  /** Frames of every sighting, ascending. */
  frames: number[];
  sightings: Sighting[];
  /** Fewest relay levels it was seen under: 0 = seen bare (on the client's link or sent directly). */
  minDepth: number;
  /** OPTION_ELAPSED_TIME value (hundredths of a second), when present and well formed. */
  elapsed?: number;
  /**
   * How a client message was addressed where the capture saw it bare (not inside a Relay-forward), as
   * bits: DEST_UNICAST, DEST_MULTICAST, DEST_HOP1 (unicast with hop limit 1). 0 for responses and for
   * client messages seen only relayed. A number, not the address: open transactions keep it for seconds.
   */
  dest: number;
  /**
   * Whether the message may lack options it was sent with: `truncated` when a datagram carrying it
   * was cut by the snaplen (trap TRUNC), `malformed` when the datagram had decoder anomalies (in the
   * message or a relay wrapper around it, DECODE-DHCPV6's). Undefined when some sighting was whole
   * and clean.
   */
  damage: 'truncated' | 'malformed' | undefined;
}

/** Sighting.upstream of a bare client message: no address kept. */
export const UPSTREAM_NONE = 0;
/** Sighting.upstream of a Relay-forward sent to a multicast group: every server listening got it. */
export const UPSTREAM_MULTICAST = 1;

/** Transmission.dest bit: seen bare with an IPv6 unicast destination (RFC 8415 §16, §18.4). */
export const DEST_UNICAST = 1;
/** Transmission.dest bit: seen bare with an IPv6 multicast destination (ff00::/8). */
export const DEST_MULTICAST = 2;
/**
 * Transmission.dest bit: a bare unicast datagram with hop limit 1, the usual limit of link-scoped
 * multicast: perhaps a multicast datagram whose destination a virtual NIC or NAT rewrote.
 */
export const DEST_HOP1 = 4;

/** Why a Preference option is or is not usable (RFC 8415 §21.8). */
export type PreferenceState = 'absent' | 'ok' | 'malformed' | 'multiple';

/** A server's answer (Advertise, Reply, LEASEQUERY-REPLY) to a client transaction. */
export interface ServerResponse extends Transmission {
  /** Server-ID DUID (hex) and the address it came from (the server's own when seen relayed or direct). */
  server: Party;
  /** Carries a Server-ID option (RFC 8415 §16.3). */
  hasServerId: boolean;
  /**
   * The response's Client-ID against the request's: `match`; `mismatch`; `missing` (request had one,
   * response none); `unexpected` (response has one, request had none); `none` (neither has one).
   */
  clientId: 'match' | 'mismatch' | 'missing' | 'unexpected' | 'none';
  /** Valid for the client per RFC 8415 §16.3 / RFC 5007 §4.2.2: Server-ID present, Client-ID matching. */
  valid: boolean;
  /** Preference value with absent = 0 (RFC 8415 §18.2.1, V6-PREF-ABSENT-IS-ZERO); malformed also counts 0. */
  preference: number;
  preferenceState: PreferenceState;
  /** Offers at least one IAADDR in an IA_NA/IA_TA or IAPREFIX in an IA_PD, without a failing status (RFC 8415 §18.2.9). */
  offers: boolean;
  /** Carries OPTION_RAPID_COMMIT (14). */
  rapidCommit: boolean;
}

/** How a transaction or session was closed. */
export type EndReason = 'idle' | 'capture-end' | 'limit';

/**
 * A client- (or requestor-) initiated UDP exchange: one xid, all its transmissions and every server's
 * responses (RFC 8415 §15, §16.1; RFC 5007 §4.3).
 */
export interface UdpTransaction {
  /** Sequential id within the input. */
  id: number;
  /** Message type of the request (SOLICIT, REQUEST, …, LEASEQUERY). */
  msgType: number;
  xid: number;
  /** The client/requestor: Client-ID DUID (hex) and address (innermost peer-address when relayed). */
  client: Party;
  /** Transmissions of the request, in order (the first is the first one captured). */
  requests: Transmission[];
  /** Responses from every server, in order of arrival. */
  responses: ServerResponse[];
  /** The first transmission captured had Elapsed Time > 0: earlier ones may precede the capture. */
  firstMissed: boolean;
  /** A transmission was seen relayed (depth ≥ 1). */
  relayed: boolean;
  end: EndReason;
  /** Frame and time at which the correlator closed it. */
  endFrame: number;
  endTime: number;
}

/**
 * A server-selection session (RFC 8415 §18.2.1, §18.2.9): a Solicit with its Advertises (and Rapid
 * Commit Replies), then the first Request the same client sent after it, and that Request's Replies.
 */
export interface ClientSession {
  client: Party;
  solicit: UdpTransaction;
  /** The first Request from the same client after the Solicit's first transmission, if captured. */
  request?: UdpTransaction;
  end: EndReason;
  endFrame: number;
  endTime: number;
}

/** A response that matched no captured client message (RFC 8415 §16.3, §16.10; RFC 5007 §4.2.2). */
export interface OrphanResponse {
  response: ServerResponse;
  /** The response's own xid. */
  xid: number;
  /** Client-ID of the response (hex), when it had one. */
  clientDuid?: string;
  /** Where it was going: the client's address (bare destination, or innermost relay peer-address). */
  clientAddress: string;
  /**
   * Open transactions of the same client (by DUID or address) that this response could answer (a
   * Solicit only for a Reply with Rapid Commit) and that its server has not answered yet, with their
   * xids: when one exists, the server answered it with another xid.
   */
  candidates: Array<{ xid: number; msgType: number; frame: number; time: number; firstMissed: boolean }>;
  /**
   * An Advertise carrying the xid of this client's latest Solicit, which the correlator had already
   * closed (answered, or idle): a late answer with the right xid, not an orphan.
   */
  late: boolean;
  /** Any message of this client was seen earlier in the capture. */
  clientSeen: boolean;
  /**
   * Set when the response answers a client message of an unassigned type (UnknownTypeExchange): one of
   * this client with this xid, seen within `sessions.unknown-window` before it. Its type and first frame.
   * The request was captured, so the xid rules stand aside; V6-VAL-UNKNOWN-MSGTYPE judges the answer.
   */
  unknownType?: { msgType: number; frame: number };
}

/**
 * A client message of a type no DHCPv6 document assigns (above HIGHEST_ASSIGNED_MSG_TYPE), with what
 * servers sent its client under its xid while it was followed. Clients and servers discard message
 * types they do not know (RFC 8415 §16), so a server has nothing to send back. A message is followed
 * for `sessions.unknown-window` after its latest transmission; a response matches it by xid and client
 * (the Client-ID when the response has one, which the message must carry too; else the client's address).
 */
export interface UnknownTypeExchange {
  /** Sequential id within the input (its own count, apart from UdpTransaction ids). */
  id: number;
  msgType: number;
  xid: number;
  /** Client-ID DUID (hex) and address (innermost peer-address when relayed) of the sender. */
  client: Party;
  /** Its transmissions, copies (relay hops, capture points) merged as for UdpTransaction.requests. */
  requests: Transmission[];
  /**
   * What was sent towards the client with its xid and no open transaction of a known type took: Advertise,
   * Reply or LEASEQUERY-REPLY (then also an `udp:orphan-response`, marked `unknownType`), or any other
   * message but Reconfigure from port 547 or inside a Relay-reply. In order of arrival, copies merged.
   */
  answers: ServerResponse[];
  /**
   * Responses with its xid and client that an open transaction of a known type of the same client took
   * (they are that transaction's too): which of the two messages they answer cannot be told.
   */
  shared: ServerResponse[];
  /**
   * The first open transaction of a known type with the same client and xid seen while this message
   * was followed (open when it came, or begun after it): an answer under that xid may be that one's.
   * Also set, without a frame, by a late Advertise to the client's closed Solicit under that xid
   * (OrphanResponse.late).
   */
  known: { msgType: number; frame?: number } | undefined;
  end: EndReason;
  endFrame: number;
  endTime: number;
}

/**
 * A transmission the correlator has just added to an open transaction. The transaction goes on changing
 * after the event (more transmissions, copies' sightings, responses): what the event says about it is in
 * its own fields.
 */
export interface RequestSeen {
  tx: UdpTransaction;
  /** The new transmission: tx.requests[index] (its later copies still add sightings to it). */
  request: Transmission;
  /** 0 for the first transmission captured. */
  index: number;
}

/**
 * A transmission of a client message of an unassigned type the correlator has just added (see
 * RequestSeen): x.requests[index]. A client's messages count against its rate limit whatever their type
 * (RFC 8415 §14.1).
 */
export interface UnknownRequestSeen {
  x: UnknownTypeExchange;
  request: Transmission;
  /** 0 for the first transmission captured. */
  index: number;
}

/** A response the correlator has just added to an open transaction (see RequestSeen). */
export interface ResponseSeen {
  tx: UdpTransaction;
  /**
   * The new response: tx.responses[index]. Its `preference`, `preferenceState` and `offers` are filled
   * in only when the transaction closes; `damage` may still clear if a whole copy follows.
   */
  response: ServerResponse;
  index: number;
}

export interface ClientEvents {
  /**
   * A new transmission of a DHCP (non-leasequery) client message, when it is first seen. Copies merged
   * into an earlier transmission (another relay hop or capture point within `sessions.copy-window`, a
   * relay's altered copy) raise none, so rules that count transmissions in capture order need not tell
   * copies apart again.
   */
  'udp:request': RequestSeen;
  /** A new response (Advertise, Reply) to an open DHCP transaction, when it is first seen. Copies raise none. */
  'udp:response': ResponseSeen;
  /** A DHCP (non-leasequery) UDP transaction closed. */
  'udp:transaction-end': UdpTransaction;
  /** A UDP LEASEQUERY transaction closed (RFC 5007). */
  'lq:transaction-end': UdpTransaction;
  /** A server-selection session closed (its Solicit and Request transactions are both closed). */
  'session:end': ClientSession;
  /** An Advertise, Reply or LEASEQUERY-REPLY that matched no captured request. */
  'udp:orphan-response': OrphanResponse;
  /**
   * A new transmission of a client message of an unassigned type, when first seen (copies raise none, as
   * for `udp:request`; V6-RTX-RATE-LIMIT).
   */
  'udp:unknown-request': UnknownRequestSeen;
  /** A client message of an unassigned type stopped being followed (RFC 8415 §16; V6-VAL-UNKNOWN-MSGTYPE). */
  'udp:unknown-type-end': UnknownTypeExchange;
}
