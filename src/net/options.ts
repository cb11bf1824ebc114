// Options of the network stage: named limits with defaults (dotted config keys), bulk ports, probe.

/** Defaults of the network stage's limits, keyed by their config keys. */
export const NET_DEFAULTS = {
  /** `ip.frag-timeout`: seconds of capture time a fragmented datagram may take to complete (then `ip.frag.timeout`). */
  'ip.frag-timeout': 60,
  /** `ip.frag-memcap`: octets held over all datagrams in reassembly (then `limit.frag_memcap`). */
  'ip.frag-memcap': 32 * 1024 * 1024,
  /** `ip.frag-max-fragments`: fragments one datagram may have (then `limit.frag_max_fragments`). */
  'ip.frag-max-fragments': 128,
  /** `tcp.max-connections`: TCP connections followed at once (then `limit.tcp_connections`). */
  'tcp.max-connections': 10000,
  /** `tcp.max-light`: TCP connections tracked without reassembly: awaiting detection, rejected, recently closed (then `limit.tcp_light_connections`). */
  'tcp.max-light': 65536,
  /** `tcp.idle-timeout`: seconds of capture time without a packet before a connection is closed ('timeout'). */
  'tcp.idle-timeout': 3600,
  /** `reassembly.memcap`: out-of-order octets buffered over all connections (then `limit.reassembly_memcap`, connection closed 'limit'). */
  'reassembly.memcap': 64 * 1024 * 1024,
  /** `reassembly.conn-memcap`: out-of-order octets buffered per connection direction (then `limit.reassembly_conn_memcap` and a gap). */
  'reassembly.conn-memcap': 4 * 1024 * 1024,
  /** `reassembly.overlap-window`: delivered octets remembered per direction to detect conflicting retransmissions. */
  'reassembly.overlap-window': 8192,
  /** `dedup.window`: seconds within which an identical IP packet is a duplicate from another capture point. */
  'dedup.window': 0.005,
  /** `dedup.max-entries`: packets remembered for duplicate detection (then `limit.dedup_entries`). */
  'dedup.max-entries': 4096,
} as const;

export type NetLimitKey = keyof typeof NET_DEFAULTS;

/** Options of NetDecoder: any of the limits (dotted keys), plus bulk ports and the detection probe. */
export type NetOptions = { [K in NetLimitKey]?: number } & {
  /** TCP ports whose connections are followed at first sight; 547 is always one. */
  bulkPorts?: Iterable<number>;
  /** Says whether the first payload of a connection on another port looks like bulk leasequery (RFC 5460 framing). */
  probe?: (bytes: Uint8Array) => boolean;
};

/** The limit for `key`: the option when it is a finite non-negative number, else the default. */
export function limitOf(options: NetOptions, key: NetLimitKey): number {
  const v = options[key];
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : NET_DEFAULTS[key];
}
