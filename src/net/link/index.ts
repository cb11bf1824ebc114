// The link-type table: LINKTYPE_* value → decoder. Add a link type with one file and one entry here.
// Values from the tcpdump.org LINKTYPE registry.

import type { LinkDecoder } from './types.js';
import { decodeEthernet } from './ethernet.js';
import { decodeSll } from './sll.js';
import { decodeSll2 } from './sll2.js';
import { decodeRaw, decodeIpv4Link, decodeIpv6Link } from './raw.js';
import { decodeNull, decodeLoop } from './null-loop.js';

export type { LinkDecoder, LinkResult } from './types.js';
export { newLinkResult } from './types.js';

export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LOOP = 108;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

export const LINK_DECODERS: ReadonlyMap<number, LinkDecoder> = new Map<number, LinkDecoder>([
  [LINKTYPE_NULL, decodeNull],
  [LINKTYPE_ETHERNET, decodeEthernet],
  [12, decodeRaw], // DLT_RAW as written by some BSDs
  [14, decodeRaw], // DLT_RAW on OpenBSD
  [LINKTYPE_RAW, decodeRaw],
  [LINKTYPE_LOOP, decodeLoop],
  [LINKTYPE_LINUX_SLL, decodeSll],
  [LINKTYPE_IPV4, decodeIpv4Link],
  [LINKTYPE_IPV6, decodeIpv6Link],
  [LINKTYPE_LINUX_SLL2, decodeSll2],
]);
