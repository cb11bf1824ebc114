// Link-layer decoder contract: one decoder per LINKTYPE, writing into a reused result object so the
// hot path allocates nothing.

/** What a link decoder found in a frame. Reused between frames: copy what you keep. */
export interface LinkResult {
  /** 4 or 6 when the frame carries an IP packet, 0 when it carries something else. */
  version: 0 | 4 | 6;
  /** Offset of the IP header in the frame (valid when version is 4 or 6). */
  offset: number;
  /** Named anomaly (`link.truncated`, …) when the link header itself is broken; else null. */
  anomaly: string | null;
}

/** Decodes one frame's link header. Never throws. */
export type LinkDecoder = (data: Uint8Array, out: LinkResult) => void;

export function newLinkResult(): LinkResult {
  return { version: 0, offset: 0, anomaly: null };
}

/** Sets the result for an ethertype found at `offset` (payload starts after it). */
export function fromEthertype(type: number, payloadOffset: number, out: LinkResult): void {
  out.offset = payloadOffset;
  out.anomaly = null;
  if (type === 0x0800) out.version = 4;
  else if (type === 0x86dd) out.version = 6;
  else out.version = 0;
}

/** 802.1Q, 802.1ad (QinQ) and the older 0x9100 QinQ tag ethertypes. */
export function isVlanTag(type: number): boolean {
  return type === 0x8100 || type === 0x88a8 || type === 0x9100;
}

/**
 * Reads the ethertype at `at`, skipping any number of VLAN tags (4 octets each: TCI then the next
 * ethertype), and fills the result. Sets `link.truncated` when a tag or the type runs past the data.
 */
export function ethertypeChain(data: Uint8Array, at: number, out: LinkResult): void {
  let pos = at;
  for (;;) {
    if (pos + 2 > data.length) {
      out.version = 0; out.offset = 0; out.anomaly = 'link.truncated';
      return;
    }
    const type = (data[pos] << 8) | data[pos + 1];
    if (!isVlanTag(type)) {
      fromEthertype(type, pos + 2, out);
      return;
    }
    pos += 4; // skip the TCI and land on the inner ethertype
  }
}

export function truncated(out: LinkResult): void {
  out.version = 0; out.offset = 0; out.anomaly = 'link.truncated';
}
