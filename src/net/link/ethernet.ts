// LINKTYPE_ETHERNET (1): Ethernet II with any depth of 802.1Q (0x8100) / QinQ (0x88a8, 0x9100) tags.
// 802.3 frames (type field < 0x0600, LLC) are not IP for our purposes.

import { ethertypeChain, truncated, type LinkResult } from './types.js';

export function decodeEthernet(data: Uint8Array, out: LinkResult): void {
  if (data.length < 14) { truncated(out); return; }
  ethertypeChain(data, 12, out);
}
