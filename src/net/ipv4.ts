// IPv4 header (RFC 791 §3.1): version, IHL (options skipped), total length, fragment fields, TTL.

import { type IpInfo, resetIpInfo, setAnomaly } from './ip-info.js';

/** Decodes the IPv4 header at `offset`. Sets `out.anomaly` (`ipv4.bad_header`, …) on broken headers. */
export function decodeIpv4(data: Uint8Array, offset: number, out: IpInfo): void {
  resetIpInfo(out, 4, offset);
  const avail = data.length - offset;
  if (avail > 0 && data[offset] >> 4 !== 4) {
    setAnomaly(out, 'ipv4.bad_version', `IP version ${data[offset] >> 4} where IPv4 was expected`);
    return;
  }
  if (avail < 20) {
    setAnomaly(out, 'ipv4.bad_header', `IPv4 header needs 20 octets, ${Math.max(0, avail)} captured`);
    return;
  }
  const ihl = (data[offset] & 0x0f) * 4;
  const total = (data[offset + 2] << 8) | data[offset + 3];
  if (ihl < 20) {
    setAnomaly(out, 'ipv4.bad_header', `IHL ${ihl / 4} is below the minimum of 5`);
    return;
  }
  if (total < ihl) {
    setAnomaly(out, 'ipv4.bad_header', `total length ${total} is shorter than the ${ihl}-octet header`);
    return;
  }
  if (avail < ihl) {
    setAnomaly(out, 'ipv4.bad_header', `IPv4 header with options needs ${ihl} octets, ${avail} captured`);
    return;
  }
  out.hopLimit = data[offset + 8];
  out.protocol = data[offset + 9];
  out.srcOffset = offset + 12;
  out.dstOffset = offset + 16;
  out.payloadStart = offset + ihl;
  let end = offset + total; // trailing octets past the total length are link padding
  if (end > data.length) { out.truncated = true; out.missing = end - data.length; end = data.length; }
  out.payloadEnd = end;
  const flagsFrag = (data[offset + 6] << 8) | data[offset + 7];
  const more = (flagsFrag & 0x2000) !== 0;
  const fragOffset = (flagsFrag & 0x1fff) * 8;
  if (more || fragOffset !== 0) {
    out.fragment = true;
    out.moreFragments = more;
    out.fragOffset = fragOffset;
    out.fragId = (data[offset + 4] << 8) | data[offset + 5];
  }
}
