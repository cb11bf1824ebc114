// DHCPv6 stage contracts: the decoded form of messages and options, and decoder anomalies.
// Decoding never throws on wire data: whatever could not be decoded is kept as bytes plus an anomaly.

/** A named problem in DHCPv6 data (DECODE-DHCPV6), e.g. `dhcpv6.option.bad_length`. */
export interface Dhcpv6Anomaly {
  name: string;
  message: string;
  /** Option code the anomaly belongs to, if any. */
  code?: number;
}

/**
 * One option as found on the wire. `data` is the option body (after code and length); structured
 * fields are decoded on demand by the option codec table (see `optionValue`), not stored here.
 */
export interface Dhcpv6Option {
  code: number;
  /** option-len as written on the wire. */
  length: number;
  /** The option body as captured (shorter than `length` only when the option overran its container). */
  data: Uint8Array;
  /** Encapsulated options, for options that hold options (IA_NA, IAADDR, CLIENT_DATA, LQ_QUERY's query-options, …). */
  options?: Dhcpv6Option[];
  /** Encapsulated DHCPv6 message: OPTION_RELAY_MSG (9) and OPTION_LQ_RELAY_DATA (47). */
  message?: Dhcpv6Message;
  /** Problems with this option (bad length, overrun, undecodable body). */
  anomalies?: Dhcpv6Anomaly[];
}

/** Header format of a message type (RFC 8415 §8, §9; RFC 7341 §6.2; RFC 8156 §5.2). */
export type MessageFormat = 'client-server' | 'relay' | 'dhcpv4-over-dhcpv6' | 'failover';

/**
 * One DHCPv6 message. Decoded messages (message.ts `DecodedMessage`) check their octets at once, so
 * `anomalies` is exact from the start (one shared, frozen empty list when there are none), but build
 * `options` only on first access and read the header fields from the octets when asked: hot paths
 * look up top-level options with `optionOf`/`hasOption` (helpers.ts), which build only the option asked for.
 * Those fields are getters, so a spread or `JSON.stringify` of a decoded message loses them: serialise
 * with the codec's `toJson`.
 */
export interface Dhcpv6Message {
  msgType: number;
  format: MessageFormat;
  /** 24-bit transaction-id (client/server and failover formats, and every bulk leasequery message). */
  xid?: number;
  /** DHCPv4-over-DHCPv6 flags (24 bits), instead of an xid. */
  flags?: number;
  /** Relay format. */
  hopCount?: number;
  linkAddress?: string;
  peerAddress?: string;
  /** Failover format (RFC 8156): sent-time. */
  sentTime?: number;
  options: Dhcpv6Option[];
  /** Problems at message level and inside any option, collected (so rules need not walk). */
  anomalies: Dhcpv6Anomaly[];
  /** Octets the message occupies. */
  length: number;
}

/** A decoded message with where and when it was seen: the output of the DHCPv6 stage. */
export interface MessageRecord {
  /** Index of the input (capture) on the command line. */
  input: number;
  /** The frame that carried the message's last octet (Wireshark's convention for TCP). */
  frame: number;
  /** All frames that carried part of it (UDP fragments, or the TCP segments), ascending; at least `frame`. */
  frames: number[];
  time: number;
  transport: 'udp' | 'tcp';
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IPv6 hop limit / IPv4 TTL of the (last) carrying packet. */
  hopLimit: number;
  message: Dhcpv6Message;
  /**
   * UDP only: the datagram's UDP length says more than was captured (snaplen), so options may be
   * missing from `message` that were sent. Absent (false) for TCP and for records made by tests.
   */
  truncated?: boolean;
  /** TCP only: the connection, and 0 when sent by its client (requestor), 1 by its server. */
  connection?: import('../net/types.js').TcpConnection;
  direction?: 0 | 1;
}

/**
 * Receives what the RFC 5460 stream decoder (src/dhcpv6/bulk-stream.ts) makes of a followed TCP
 * connection: framed messages in stream order, plus the connection's lifecycle passed through.
 */
export interface BulkStreamListener {
  open(conn: import('../net/types.js').TcpConnection, frame: number, time: number): void;
  message(record: MessageRecord): void;
  /** Bytes missing in a direction; framing resumes only where it can be found again. */
  gap(conn: import('../net/types.js').TcpConnection, dir: 0 | 1, size: number, frame: number, time: number): void;
  /** Framing lost (size < 4, an impossible frame, junk): the direction's bytes are undecodable until a resync. */
  desync(conn: import('../net/types.js').TcpConnection, dir: 0 | 1, anomaly: Dhcpv6Anomaly, frame: number, time: number): void;
  /** Framing found again after a gap, a desync or a mid-stream start, at this frame. */
  resync(conn: import('../net/types.js').TcpConnection, dir: 0 | 1, skipped: number, frame: number, time: number): void;
  /**
   * The direction's FIN came inside a message (RFC 5460 §5.1 framing broken by the sender's close):
   * `frames` carried its octets, then the FIN's `frame`; `xid` when its first 6 octets arrived. Called
   * just before `fin`, only while framing was in step (never after a gap).
   */
  cut(conn: import('../net/types.js').TcpConnection, dir: 0 | 1, anomaly: Dhcpv6Anomaly, frames: number[], xid: number | undefined, frame: number, time: number): void;
  fin(conn: import('../net/types.js').TcpConnection, dir: 0 | 1, frame: number, time: number): void;
  rst(conn: import('../net/types.js').TcpConnection, dir: 0 | 1, frame: number, time: number): void;
  /**
   * From this frame on the direction carries TLS records, not RFC 5460 frames, and is not decoded:
   * `starttls` after the server accepted a STARTTLS (RFC 7653 §8.2; both directions, at the answer's
   * frame), `records` when TLS records were recognised where a frame was expected (the capture missed
   * the STARTTLS exchange, or the requestor began its handshake before the answer was seen).
   */
  tls?(conn: import('../net/types.js').TcpConnection, dir: 0 | 1, how: 'starttls' | 'records', frame: number, time: number): void;
  /** `pending` = octets of an unfinished message left in each direction (capture ended mid-message). */
  close(conn: import('../net/types.js').TcpConnection, reason: import('../net/types.js').TcpCloseReason, frame: number, time: number, pending: [number, number]): void;
}
