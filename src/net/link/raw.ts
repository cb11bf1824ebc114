// Raw IP link types: LINKTYPE_RAW (101, and the DLT values 12 / 14 some platforms write into files),
// where the version nibble says which IP; LINKTYPE_IPV4 (228) and LINKTYPE_IPV6 (229), fixed.

import { truncated, type LinkResult } from './types.js';

export function decodeRaw(data: Uint8Array, out: LinkResult): void {
  if (data.length < 1) { truncated(out); return; }
  const v = data[0] >> 4;
  out.offset = 0;
  out.anomaly = null;
  out.version = v === 4 ? 4 : v === 6 ? 6 : 0;
  if (out.version === 0) out.anomaly = 'link.bad_ip_version';
}

export function decodeIpv4Link(data: Uint8Array, out: LinkResult): void {
  if (data.length < 1) { truncated(out); return; }
  out.version = 4; out.offset = 0; out.anomaly = null;
}

export function decodeIpv6Link(data: Uint8Array, out: LinkResult): void {
  if (data.length < 1) { truncated(out); return; }
  out.version = 6; out.offset = 0; out.anomaly = null;
}
