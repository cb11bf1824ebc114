// Hand-made DHCPv6 traffic for the capture-format tests and fixtures: Ethernet / IPv6 / UDP frames
// carrying short Solicit, Advertise, Request and Reply messages (RFC 8415 §7.3), checksums correct.

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;

function ipv6(text: string): Uint8Array {
  // Accepts the few forms used here: "fe80::1", "ff02::1:2", "2001:db8::5".
  const [head, tail] = text.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => { const v = parseInt(g, 16); out[2 * i] = v >> 8; out[2 * i + 1] = v & 0xff; });
  return out;
}

function udpChecksum(src: Uint8Array, dst: Uint8Array, udp: Uint8Array): number {
  let sum = 0;
  const add16 = (b: Uint8Array) => { for (let i = 0; i < b.length; i += 2) sum += (b[i] << 8) | (b[i + 1] ?? 0); };
  add16(src);
  add16(dst);
  sum += udp.length;
  sum += 17;
  add16(udp);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const c = ~sum & 0xffff;
  return c === 0 ? 0xffff : c;
}

/** An IPv6 packet holding UDP holding a DHCPv6 message of `msgType` with one Client Identifier option. */
export function dhcpv6Packet(msgType: number, xid: number, src: string, dst: string, srcPort: number, dstPort: number): Uint8Array {
  const duid = [0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
  const dhcp = Uint8Array.from([msgType, (xid >> 16) & 0xff, (xid >> 8) & 0xff, xid & 0xff, 0x00, 0x01, 0x00, duid.length, ...duid]);
  const udp = new Uint8Array(8 + dhcp.length);
  udp[0] = srcPort >> 8; udp[1] = srcPort & 0xff; udp[2] = dstPort >> 8; udp[3] = dstPort & 0xff;
  udp[4] = udp.length >> 8; udp[5] = udp.length & 0xff;
  udp.set(dhcp, 8);
  const s = ipv6(src);
  const d = ipv6(dst);
  const ck = udpChecksum(s, d, udp);
  udp[6] = ck >> 8; udp[7] = ck & 0xff;
  const ip = new Uint8Array(40 + udp.length);
  ip[0] = 0x60;
  ip[4] = udp.length >> 8; ip[5] = udp.length & 0xff;
  ip[6] = 17;
  ip[7] = 1;
  ip.set(s, 8);
  ip.set(d, 24);
  ip.set(udp, 40);
  return ip;
}

/** Wraps an IPv6 packet in an Ethernet II header. */
export function ethernet(ip: Uint8Array, srcMac = 0x02, dstMac = 0x33): Uint8Array {
  const out = new Uint8Array(14 + ip.length);
  out.set([dstMac, dstMac, 0, 1, 0, 2, 0x02, 0, 0, 0, 0, srcMac, 0x86, 0xdd]);
  out.set(ip, 14);
  return out;
}

export interface TrafficPacket {
  tsSec: number;
  /** A multiple of 1000 so µs files hold it exactly. */
  tsNsec: number;
  /** The IPv6 packet (raw-IP link) */
  ip: Uint8Array;
  /** The same packet in an Ethernet frame. */
  eth: Uint8Array;
}

/** Four messages of one exchange, 1700000000.100000 s onwards. */
export function sameTraffic(): TrafficPacket[] {
  const c = 'fe80::1';
  const s = 'fe80::2';
  const spec: Array<[number, string, string, number, number, number, number]> = [
    [1, c, 'ff02::1:2', 546, 547, 1700000000, 100_000_000],
    [2, s, c, 547, 546, 1700000000, 100_250_000],
    [3, c, 'ff02::1:2', 546, 547, 1700000001, 5_000],
    [7, s, c, 547, 546, 1700000001, 999_999_000],
  ];
  return spec.map(([t, src, dst, sp, dp, sec, nsec]) => {
    const ip = dhcpv6Packet(t, 0x123456, src, dst, sp, dp);
    return { tsSec: sec, tsNsec: nsec, ip, eth: ethernet(ip) };
  });
}
