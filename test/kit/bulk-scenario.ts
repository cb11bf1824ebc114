// A small DSL for bulk leasequery captures: requestor and server messages encoded with the project's
// own encoder, framed per RFC 5460 §5.1 and carried over a full TCP conversation (tcp-conversation.ts).
import { createCodec, type Dhcpv6Codec } from '../../src/dhcpv6/index.js';
import { encodeMessage, type OptionInput } from '../../src/dhcpv6/encode.js';
import { TcpConversation, type SendOptions } from './tcp-conversation.js';
import { writePcap, writePcapng } from './pcap-writer.js';

export const REQUESTOR = { address: '2001:db8::9', port: 40000 };
export const SERVER = { address: '2001:db8::1', port: 547 };

const duid = (last: number): string => `000300010011223344${last.toString(16).padStart(2, '0')}`;

/** Option inputs for bulk scenarios. */
export const opt = {
  clientId: (b = 0x55): OptionInput => ({ code: 1, hex: duid(b) }),
  serverId: (b = 0x01): OptionInput => ({ code: 2, hex: duid(b) }),
  status: (code: number): OptionInput => ({ code: 13, hex: code.toString(16).padStart(4, '0') }),
  lqQuery: (type: number, sub: OptionInput[] = [], link = '::'): OptionInput => ({ code: 44, value: { queryType: type, linkAddress: link }, options: sub }),
  clientData: (client: number): OptionInput => ({
    code: 45,
    options: [
      { code: 1, hex: duid(client) },
      { code: 5, hex: `20010db8000000000000000000000${client.toString(16).padStart(3, '0')}00000e1000001c20` },
      { code: 46, hex: '0000003c' },
    ],
  }),
  clientLink: (): OptionInput => ({ code: 48, hex: '20010db8000000000000000000000001' }),
  /** OPTION_RELAY_ID (53) holding a relay's DUID. */
  relayId: (b = 0x77): OptionInput => ({ code: 53, hex: duid(b) }),
  /** OPTION_REMOTE_ID (37): enterprise number then the id octets (hex). */
  remoteId: (id = '0102030405', enterprise = 4491): OptionInput => ({ code: 37, hex: enterprise.toString(16).padStart(8, '0') + id }),
  /** OPTION_STATUS_CODE with a message text. */
  statusText: (code: number, text: string): OptionInput => ({
    code: 13, hex: code.toString(16).padStart(4, '0') + Array.from(text, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join(''),
  }),
  /**
   * OPTION_CLIENT_DATA for one client with a delegated prefix instead of an address: IAPREFIX
   * 2001:db8:<client>::/56 (lifetimes 3600/7200), as a server answering one message per lease sends it.
   */
  clientDataPrefix: (client: number): OptionInput => ({
    code: 45,
    options: [
      { code: 1, hex: duid(client) },
      { code: 26, hex: `00000e1000001c203820010db800${client.toString(16).padStart(2, '0')}00000000000000000000` },
      { code: 46, hex: '0000003c' },
    ],
  }),
  /** OPTION_CLIENT_DATA for one client with its IAADDR at a chosen address (16 octets as 32 hex digits). */
  clientDataAt: (client: number, addressHex: string): OptionInput => ({
    code: 45,
    options: [
      { code: 1, hex: duid(client) },
      { code: 5, hex: `${addressHex}00000e1000001c20` },
      { code: 46, hex: '0000003c' },
    ],
  }),
};

/** Frames one message: two-octet size then the message (RFC 5460 §5.1). */
export function frame(codec: Dhcpv6Codec, msgType: number, xid: number, options: OptionInput[]): Uint8Array {
  const m = encodeMessage(codec, { msgType, xid, options });
  const out = new Uint8Array(2 + m.length);
  out[0] = m.length >> 8;
  out[1] = m.length & 0xff;
  out.set(m, 2);
  return out;
}

/** A scripted bulk leasequery connection. Each step sends its bytes (optionally segmented or batched). */
export class BulkScenario {
  readonly tcp: TcpConversation;
  readonly codec: Dhcpv6Codec;

  /**
   * `codes`: code points for the encoder (draft-01 experimental values); `handshake: false` starts with
   * no SYN; `isn`: initial sequence numbers [requestor, server] (a later connection on the same ports);
   * `requestor`: another requestor address or port than REQUESTOR's (several connections at once).
   */
  constructor(opts: {
    serverPort?: number; start?: number; codes?: Record<string, number>; handshake?: boolean; isn?: [number, number];
    requestor?: { address?: string; port?: number };
  } = {}) {
    this.codec = createCodec(opts.codes ? { codes: opts.codes } : {});
    this.tcp = new TcpConversation({
      client: { ...REQUESTOR, ...opts.requestor, isn: opts.isn?.[0] }, server: { ...SERVER, port: opts.serverPort ?? 547, isn: opts.isn?.[1] }, start: opts.start,
    });
    if (opts.handshake ?? true) this.tcp.handshake();
  }

  query(xid: number, options: OptionInput[] = [opt.clientId(), opt.lqQuery(2, [opt.clientId(0x77)])], send?: SendOptions): this {
    return this.raw('client', frame(this.codec, 14, xid, options), send);
  }
  reply(xid: number, options: OptionInput[] = [opt.serverId(), opt.clientId(), opt.clientData(0x70 + (xid & 0xf))], send?: SendOptions): this {
    return this.raw('server', frame(this.codec, 15, xid, options), send);
  }
  emptyReply(xid: number, extra: OptionInput[] = [], send?: SendOptions): this {
    return this.raw('server', frame(this.codec, 15, xid, [opt.serverId(), opt.clientId(), ...extra]), send);
  }
  data(xid: number, client: number, send?: SendOptions): this {
    return this.raw('server', frame(this.codec, this.codec.codes['LEASEQUERY-DATA'], xid, [opt.clientData(client)]), send);
  }
  done(xid: number, options: OptionInput[] = [], send?: SendOptions): this {
    return this.raw('server', frame(this.codec, this.codec.codes['LEASEQUERY-DONE'], xid, options), send);
  }
  /** Any message type from either side (a disallowed type, a wrong direction, a draft-01 code point). */
  msg(from: 'client' | 'server', msgType: number, xid: number, options: OptionInput[], send?: SendOptions): this {
    return this.raw(from, frame(this.codec, msgType, xid, options), send);
  }
  /** Several framed messages from one side in one send (e.g. pipelined queries in one segment). */
  batch(from: 'client' | 'server', frames: Uint8Array[], send?: SendOptions): this {
    const total = frames.reduce((n, f) => n + f.length, 0);
    const all = new Uint8Array(total);
    let o = 0;
    for (const f of frames) { all.set(f, o); o += f.length; }
    return this.raw(from, all, send);
  }
  raw(from: 'client' | 'server', bytes: Uint8Array, send?: SendOptions): this {
    this.tcp.send(from, bytes, send);
    return this;
  }
  /** Requestor FIN, then server FIN (the usual orderly end). */
  close(): this {
    this.tcp.fin('client');
    this.tcp.fin('server');
    return this;
  }
  /** The capture as classic pcap bytes (Ethernet). */
  pcap(): Uint8Array {
    return writePcap({ linkType: 1, records: this.tcp.packets() });
  }
  /** The capture as pcapng bytes (one Ethernet interface). */
  pcapng(): Uint8Array {
    return writePcapng({
      interfaces: [{ linkType: 1, snaplen: 65535, name: 'eth0' }],
      packets: this.tcp.packets().map((p) => ({ interfaceId: 0, tsSec: p.tsSec, tsNsec: p.tsNsec, data: p.data })),
    });
  }
}
