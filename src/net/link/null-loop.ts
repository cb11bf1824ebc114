// BSD loopback: LINKTYPE_NULL (0), a 4-octet address family in the writer's byte order, and
// LINKTYPE_LOOP (108), the same in network order. AF_INET is 2; AF_INET6 differs by OS (Linux 10,
// NetBSD/OpenBSD 24, FreeBSD 28, macOS 30).

import { truncated, type LinkResult } from './types.js';

function fromFamily(af: number, out: LinkResult): void {
  out.offset = 4;
  out.anomaly = null;
  if (af === 2) out.version = 4;
  else if (af === 10 || af === 24 || af === 28 || af === 30) out.version = 6;
  else out.version = 0;
}

/** LINKTYPE_NULL: host byte order of the machine that wrote the file, so accept both orders. */
export function decodeNull(data: Uint8Array, out: LinkResult): void {
  if (data.length < 4) { truncated(out); return; }
  // Family values are small: when the first two octets are zero, the value is big-endian.
  const af = data[0] === 0 && data[1] === 0
    ? (data[2] << 8) | data[3]
    : data[0] | (data[1] << 8);
  fromFamily(af, out);
}

/** LINKTYPE_LOOP (OpenBSD): network byte order. */
export function decodeLoop(data: Uint8Array, out: LinkResult): void {
  if (data.length < 4) { truncated(out); return; }
  fromFamily(((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0, out);
}
