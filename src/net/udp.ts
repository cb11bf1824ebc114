// UDP header (RFC 768): ports and the length field, compared with the octets the IP layer holds.

/** Reused result of decoding a UDP header. */
export interface UdpHeader {
  srcPort: number;
  dstPort: number;
  payloadStart: number;
  payloadEnd: number;
  /** The length field says more than the IP packet holds or than was captured. */
  truncated: boolean;
  anomaly: string | null;
  detail: string;
}

export function newUdpHeader(): UdpHeader {
  return { srcPort: 0, dstPort: 0, payloadStart: 0, payloadEnd: 0, truncated: false, anomaly: null, detail: '' };
}

/**
 * Decodes the UDP header in data[start, end) (end = what the IP layer holds, already clipped to the
 * captured octets; `ipTruncated` = the IP layer itself lost octets to the snaplen).
 */
export function decodeUdp(data: Uint8Array, start: number, end: number, ipTruncated: boolean, out: UdpHeader): void {
  out.anomaly = null;
  out.truncated = false;
  if (end - start < 8) {
    out.anomaly = 'udp.bad_header';
    out.detail = `UDP header needs 8 octets, ${Math.max(0, end - start)} present`;
    return;
  }
  out.srcPort = (data[start] << 8) | data[start + 1];
  out.dstPort = (data[start + 2] << 8) | data[start + 3];
  const length = (data[start + 4] << 8) | data[start + 5];
  out.payloadStart = start + 8;
  if (length < 8) {
    // RFC 768: the length counts the header. (0 is a jumbogram marker under RFC 2675; treat the rest as payload.)
    if (length !== 0) {
      out.anomaly = 'udp.bad_length';
      out.detail = `UDP length ${length} is below the 8-octet header`;
      return;
    }
    out.payloadEnd = end;
    out.truncated = ipTruncated;
    return;
  }
  if (start + length <= end) {
    out.payloadEnd = start + length; // octets after the UDP length are IP padding
    return;
  }
  out.payloadEnd = end;
  out.truncated = true;
}
