// Hand-made DHCPv6 traffic for the capture-format tests and fixtures: IPv6 / UDP packets (and their
// Ethernet frames) carrying short Solicit, Advertise, Request and Reply messages (RFC 8415 §7.3).
import { ethernet, ipPacket, udp } from '../../kit/packets.js';
import { writePcap, writePcapng } from '../../kit/pcap-writer.js';

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101;

/** An IPv6 packet holding UDP holding a DHCPv6 message of `msgType` with one Client Identifier option. */
export function dhcpv6Packet(msgType: number, xid: number, src: string, dst: string, srcPort: number, dstPort: number): Uint8Array {
  const duid = [0x00, 0x03, 0x00, 0x01, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
  const payload = Uint8Array.from([msgType, (xid >> 16) & 0xff, (xid >> 8) & 0xff, xid & 0xff, 0x00, 0x01, 0x00, duid.length, ...duid]);
  return ipPacket(src, dst, 17, udp({ src, dst, srcPort, dstPort, payload }), 1);
}

export interface TrafficPacket {
  tsSec: number;
  /** A multiple of 1000 so µs files hold it exactly. */
  tsNsec: number;
  /** The IPv6 packet (raw-IP link). */
  ip: Uint8Array;
  /** The same packet in an Ethernet frame. */
  eth: Uint8Array;
}

/** One Solicit / Advertise / Request / Reply exchange (xid 0x123456), 1700000000.1 s onwards. */
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
    return { tsSec: sec, tsNsec: nsec, ip, eth: ethernet({ payload: ip, src: '02:00:00:00:00:01', dst: '33:33:00:01:00:02' }) };
  });
}

/** The exchange as an Ethernet classic pcap (µs, ns and/or big-endian as asked). */
export function sameTrafficPcap(opts: { nanosecond?: boolean; bigEndian?: boolean } = {}): Uint8Array {
  return writePcap({
    linkType: LINKTYPE_ETHERNET, ...opts,
    records: sameTraffic().map((t) => ({ tsSec: t.tsSec, tsNsec: t.tsNsec, data: t.eth })),
  });
}

/** The exchange as pcapng: odd frames on interface 0 (Ethernet, if_tsresol 9), even on 1 (raw IPv6, µs). */
export function sameTrafficPcapng(opts: { bigEndian?: boolean } = {}): Uint8Array {
  return writePcapng({
    ...opts,
    interfaces: [{ linkType: LINKTYPE_ETHERNET, tsresol: 9, name: 'eth0' }, { linkType: LINKTYPE_RAW, name: 'tun0' }],
    packets: sameTraffic().map((t, i) => ({ interfaceId: i % 2, tsSec: t.tsSec, tsNsec: t.tsNsec, data: i % 2 ? t.ip : t.eth })),
  });
}
