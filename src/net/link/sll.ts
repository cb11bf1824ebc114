// LINKTYPE_LINUX_SLL (113): Linux "cooked" capture v1, 16-octet header with the protocol (ethertype)
// in its last two octets. A VLAN tag left in place by the kernel is skipped like on Ethernet.

import { ethertypeChain, truncated, type LinkResult } from './types.js';

export function decodeSll(data: Uint8Array, out: LinkResult): void {
  if (data.length < 16) { truncated(out); return; }
  ethertypeChain(data, 14, out);
}
