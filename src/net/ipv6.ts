// IPv6 fixed header and extension-header chain (RFC 8200 §3, §4): hop-by-hop (0), routing (43),
// destination options (60), fragment (44, §4.5), AH (51, RFC 4302 §2.2 length in 4-octet units), no next header (59).

import { type IpInfo, resetIpInfo, setAnomaly } from './ip-info.js';

export const IPPROTO_HOPOPTS = 0;
export const IPPROTO_ROUTING = 43;
export const IPPROTO_FRAGMENT = 44;
export const IPPROTO_AH = 51;
export const IPPROTO_NONE = 59;
export const IPPROTO_DSTOPTS = 60;

/**
 * Decodes the IPv6 header at `offset` and walks its extension headers up to the upper-layer protocol
 * or a (non-atomic) fragment header. Sets `out.anomaly` (`ipv6.bad_header`, …) on broken headers.
 */
export function decodeIpv6(data: Uint8Array, offset: number, out: IpInfo): void {
  resetIpInfo(out, 6, offset);
  if (data.length > offset && data[offset] >> 4 !== 6) {
    setAnomaly(out, 'ipv6.bad_version', `IP version ${data[offset] >> 4} where IPv6 was expected`);
    return;
  }
  if (data.length - offset < 40) {
    setAnomaly(out, 'ipv6.bad_header', `IPv6 header needs 40 octets, ${Math.max(0, data.length - offset)} captured`);
    return;
  }
  const payloadLength = (data[offset + 4] << 8) | data[offset + 5];
  out.hopLimit = data[offset + 7];
  out.srcOffset = offset + 8;
  out.dstOffset = offset + 24;
  const start = offset + 40;
  let end = start + payloadLength;
  // RFC 8200 §4.3 / RFC 2675: a zero payload length announces a jumbogram; take what was captured.
  if (payloadLength === 0 && data[offset + 6] === IPPROTO_HOPOPTS) end = data.length;
  if (end > data.length) { out.truncated = true; out.missing = end - data.length; end = data.length; }
  walkIpv6Extensions(data, start, end, data[offset + 6], out);
}

/**
 * Walks extension headers from `start` (whose type is `next`) and sets protocol/payloadStart/payloadEnd,
 * stopping at a non-atomic fragment header. Also used on a reassembled fragmentable part.
 */
export function walkIpv6Extensions(data: Uint8Array, start: number, end: number, next: number, out: IpInfo): void {
  let pos = start;
  let nh = next;
  out.payloadEnd = end;
  out.anomaly = null;
  out.fragment = false;
  for (;;) {
    if (nh === IPPROTO_HOPOPTS || nh === IPPROTO_ROUTING || nh === IPPROTO_DSTOPTS) {
      if (end - pos < 8) {
        setAnomaly(out, 'ipv6.bad_header', `extension header ${nh} needs 8 octets, ${end - pos} left`);
        return;
      }
      const len = (data[pos + 1] + 1) * 8; // RFC 8200 §4.3: Hdr Ext Len in 8-octet units, not counting the first 8
      if (pos + len > end) {
        setAnomaly(out, 'ipv6.bad_header', `extension header ${nh} is ${len} octets, ${end - pos} left`);
        return;
      }
      nh = data[pos];
      pos += len;
    } else if (nh === IPPROTO_AH) {
      if (end - pos < 8) {
        setAnomaly(out, 'ipv6.bad_header', `authentication header needs 8 octets, ${end - pos} left`);
        return;
      }
      const len = (data[pos + 1] + 2) * 4; // RFC 4302 §2.2: in 4-octet units, minus 2
      if (pos + len > end) {
        setAnomaly(out, 'ipv6.bad_header', `authentication header is ${len} octets, ${end - pos} left`);
        return;
      }
      nh = data[pos];
      pos += len;
    } else if (nh === IPPROTO_FRAGMENT) {
      if (end - pos < 8) {
        setAnomaly(out, 'ipv6.bad_header', `fragment header needs 8 octets, ${end - pos} left`);
        return;
      }
      const fragOffset = ((data[pos + 2] << 8) | data[pos + 3]) & 0xfff8;
      const more = (data[pos + 3] & 1) === 1;
      const id = ((data[pos + 4] << 24) | (data[pos + 5] << 16) | (data[pos + 6] << 8) | data[pos + 7]) >>> 0;
      nh = data[pos];
      pos += 8;
      // RFC 6946 §4: an atomic fragment (offset 0, M 0) is processed as a whole packet.
      if (fragOffset !== 0 || more) {
        out.fragment = true;
        out.fragOffset = fragOffset;
        out.moreFragments = more;
        out.fragId = id;
        out.protocol = nh;
        out.payloadStart = pos;
        return;
      }
    } else {
      out.protocol = nh;
      out.payloadStart = pos;
      return;
    }
  }
}
