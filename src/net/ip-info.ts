// The reused result of IPv4/IPv6 header decoding (one object per decoder, no per-packet allocation).

/** What the IP layer found in one packet. Offsets index the buffer that was decoded. */
export interface IpInfo {
  version: 4 | 6;
  /** Offset of the IP header. */
  headerStart: number;
  /** Offsets of the source and destination addresses (16 octets for IPv6, 4 for IPv4). */
  srcOffset: number;
  dstOffset: number;
  /** IPv6 hop limit / IPv4 TTL. */
  hopLimit: number;
  /** Upper-layer protocol (6 TCP, 17 UDP, 59 no next header, …); for a fragment, the protocol of the fragmentable part. */
  protocol: number;
  /** Where the upper-layer bytes (or the fragment's data) start and end (end = declared end, clipped to the captured bytes). */
  payloadStart: number;
  payloadEnd: number;
  /** The header declares more bytes than were captured. */
  truncated: boolean;
  /** How many: the declared octets past the captured end (0 unless truncated). */
  missing: number;
  /** The packet is a (non-atomic) fragment. */
  fragment: boolean;
  /** Fragment offset in octets, more-fragments flag, identification. */
  fragOffset: number;
  moreFragments: boolean;
  fragId: number;
  /** Named anomaly when the header is broken (the packet is then malformed); else null. */
  anomaly: string | null;
  /** Human sentence for the anomaly. */
  detail: string;
}

export function newIpInfo(): IpInfo {
  return {
    version: 6, headerStart: 0, srcOffset: 0, dstOffset: 0, hopLimit: 0, protocol: 0,
    payloadStart: 0, payloadEnd: 0, truncated: false, missing: 0, fragment: false, fragOffset: 0,
    moreFragments: false, fragId: 0, anomaly: null, detail: '',
  };
}

/** Starts decoding a header of `version` at `offset`: clears what the previous packet left in `out`. */
export function resetIpInfo(out: IpInfo, version: 4 | 6, offset: number): void {
  out.version = version;
  out.headerStart = offset;
  out.anomaly = null;
  out.fragment = false;
  out.truncated = false;
  out.missing = 0;
  out.moreFragments = false;
  out.fragOffset = 0;
  out.fragId = 0;
}

export function setAnomaly(out: IpInfo, name: string, detail: string): void {
  out.anomaly = name;
  out.detail = detail;
}
