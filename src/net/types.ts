// Network stage contracts: frames become UDP datagrams and ordered TCP byte streams.
// Every frame is classified exactly once (FrameClass), possibly later (fragments, TCP detection).

/** How a frame is counted in the report's stats (they add up to the frames read). */
export type FrameClass = 'dhcpv6' | 'other' | 'malformed' | 'dropped';

/** A named problem below DHCPv6: link, IP, fragments, UDP, TCP (DECODE-LINK/IP/TCP/LIMIT). */
export interface NetAnomaly {
  /** Dotted lower_snake name, e.g. `ipv6.frag.overlap`, `tcp.gap`, `limit.reassembly_memcap`. */
  name: string;
  message: string;
  /** Frames that show the problem. */
  frames: number[];
  time: number;
  /** `[a]:p > [b]:q` of the TCP connection, when the anomaly belongs to one. */
  connection?: string;
}

/** One UDP datagram (after IP reassembly). */
export interface UdpDatagram {
  /** The frame that completed the datagram. */
  frame: number;
  /** Every frame that carried part of it (one unless fragmented), ascending. */
  frames: number[];
  time: number;
  ipVersion: 4 | 6;
  /** Canonical text (RFC 5952 for IPv6). */
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  /** IPv6 hop limit / IPv4 TTL. */
  hopLimit: number;
  /** UDP payload (captured part): `buffer[payloadStart, payloadEnd)`, made into a view when first read. */
  readonly payload: Uint8Array;
  /** The buffer the payload lies in (the frame's data, or a reassembled datagram), never rewritten. */
  buffer: Uint8Array;
  payloadStart: number;
  payloadEnd: number;
  /** The UDP length field says more than was captured (snaplen) or than the IP packet holds. */
  truncated: boolean;
}

/** One TCP connection as the reassembler knows it. Direction 0 is from `client` (the SYN sender). */
export interface TcpConnection {
  /** Sequential id within the input, from 1. */
  id: number;
  /** `[client]:port > [server]:port`, as in reports. */
  label: string;
  client: { address: string; port: number };
  server: { address: string; port: number };
  /** The SYN was captured, so the roles are known rather than inferred. */
  synSeen: boolean;
  /** Data was seen before any SYN: the capture started mid-connection. */
  midStream: boolean;
  /** Why it is followed as bulk leasequery: a bulk port (547 or --bulk-port), or the first bytes framed plausibly. */
  detectedBy: 'port' | 'heuristic';
  /** Frame and time of the first packet seen. */
  firstFrame: number;
  firstTime: number;
  /** Frame of the server's first SYN-ACK (0: none captured yet); updated while the connection is followed. */
  synAckFrame: number;
  /** Frame and time of the client's latest SYN (a retransmitted SYN moves them; 0: no SYN captured). */
  lastSynFrame: number;
  lastSynTime: number;
}

export type TcpDirection = 0 | 1;

/**
 * Why the reassembler stopped following a connection. `reused`: a new connection (a SYN with another
 * initial sequence number) came on the same addresses and ports, so the old one ended without the
 * capture showing how.
 */
export type TcpCloseReason = 'fin' | 'rst' | 'timeout' | 'capture-end' | 'limit' | 'reused';

/** Receives reassembled TCP streams, in capture order. */
export interface TcpStreamSink {
  /** A connection starts being followed (first packet on a bulk port, or heuristic detection). */
  open(conn: TcpConnection, frame: number, time: number): void;
  /** In-order bytes of one direction; `frame` is the frame whose arrival made them in order. */
  data(conn: TcpConnection, dir: TcpDirection, bytes: Uint8Array, frame: number, time: number): void;
  /** Bytes that will never be seen (lost or not captured) precede what comes next in this direction. */
  gap(conn: TcpConnection, dir: TcpDirection, size: number, frame: number, time: number): void;
  /** A FIN from this direction was reached in sequence. */
  fin(conn: TcpConnection, dir: TcpDirection, frame: number, time: number): void;
  /** An RST was sent by this direction. */
  rst(conn: TcpConnection, dir: TcpDirection, frame: number, time: number): void;
  /** The connection is finished (both FINs, an RST, a timeout, a limit, or the end of the capture). */
  close(conn: TcpConnection, reason: TcpCloseReason, frame: number, time: number): void;
}
