// LINKTYPE_LINUX_SLL2 (276): Linux cooked capture v2, 20-octet header starting with the protocol
// (ethertype), then reserved, interface index, ARPHRD type, packet type and the link address.

import { ethertypeChain, isVlanTag, fromEthertype, truncated, type LinkResult } from './types.js';

export function decodeSll2(data: Uint8Array, out: LinkResult): void {
  if (data.length < 20) { truncated(out); return; }
  const type = (data[0] << 8) | data[1];
  if (isVlanTag(type)) ethertypeChain(data, 20 + 2, out); // tag TCI sits right after the header
  else fromEthertype(type, 20, out);
}
