// Codecs that the declarative fields cannot express: empty and opaque options, CLIENT_FQDN
// (RFC 4704 §4), VENDOR_OPTS (RFC 8415 §21.17) and NTP_SERVER with its sub-options (RFC 5908 §4).

import type { OptionCodec, OptionValue } from './types.js';
import {
  concat, fromHex, int, ipv6Bytes, ipv6Text, nameLength, put16, put32, readName, str, toHex, u16, u32, writeName,
} from './primitives.js';

/** Options without a body (RAPID_COMMIT, RECONF_ACCEPT). */
export const emptyCodec: OptionCodec = {
  kind: 'empty',
  length: { fixed: 0 },
  decode: () => undefined,
  encode: () => new Uint8Array(0),
  encodingLength: () => 0,
};

/** Unknown codes (RFC 8415 §16: keep what is not understood): no value, the bytes go out as `hex`. */
export const opaqueCodec: OptionCodec = {
  kind: 'opaque',
  length: {},
  decode: () => undefined,
  encode: () => new Uint8Array(0),
  encodingLength: () => 0,
};

/** Options that only hold options (CLIENT_DATA, RSOO, S46 containers…): no own fields. */
export const containerCodec: OptionCodec = {
  kind: 'container',
  length: {},
  body: { kind: 'options', prefix: 0 },
  decode: () => undefined,
  encode: () => new Uint8Array(0),
  encodingLength: () => 0,
};

/** OPTION_RELAY_MSG: the body is one DHCPv6 message (RFC 8415 §21.10). */
export const relayMsgCodec: OptionCodec = {
  kind: 'relay-message',
  length: {},
  body: { kind: 'message', prefix: 0 },
  decode: () => undefined,
  encode: () => new Uint8Array(0),
  encodingLength: () => 0,
};

/** OPTION_CLIENT_FQDN (RFC 4704 §4): flags(1: N O S) then a full or partial DNS name. */
export const clientFqdnCodec: OptionCodec = {
  kind: 'client-fqdn',
  length: { min: 1 },
  check(d) {
    if (d.length === 1) return undefined;
    const r = readName(d, 1, d.length);
    if (typeof r === 'string') return r;
    return r.next === d.length ? undefined : 'octets after the domain name';
  },
  decode(d) {
    const flags = d[0];
    const v: OptionValue = { flags, n: (flags & 4) !== 0, o: (flags & 2) !== 0, s: (flags & 1) !== 0, domainName: '' };
    if (d.length > 1) {
      const r = readName(d, 1, d.length);
      if (typeof r !== 'string') { v.domainName = r.name; if (!r.fqdn) v.partial = true; }
    }
    return v;
  },
  encode(v) {
    const out = new Uint8Array(this.encodingLength(v));
    out[0] = int(v?.flags, 8, 'client-fqdn.flags');
    const name = str(v?.domainName ?? '', 'client-fqdn.domainName');
    if (name !== '') writeName(out, 1, name, v?.partial !== true);
    return out;
  },
  encodingLength(v) {
    const name = str(v?.domainName ?? '', 'client-fqdn.domainName');
    return 1 + (name === '' ? 0 : nameLength(name, v?.partial !== true));
  },
};

/** Sequence of code(2) len(2) data items after `prefix` octets; problem text or undefined. */
function checkTlvs(d: Uint8Array, prefix: number): string | undefined {
  let o = prefix;
  while (o < d.length) {
    if (o + 4 > d.length) return 'sub-option header cut short';
    o += 4 + u16(d, o + 2);
    if (o > d.length) return 'sub-option runs past the end of the option';
  }
  return undefined;
}

function readTlvs(d: Uint8Array, prefix: number): { code: number; data: Uint8Array }[] {
  const out: { code: number; data: Uint8Array }[] = [];
  for (let o = prefix; o + 4 <= d.length;) {
    const n = u16(d, o + 2);
    out.push({ code: u16(d, o), data: d.subarray(o + 4, o + 4 + n) });
    o += 4 + n;
  }
  return out;
}

function tlv(code: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + data.length);
  put16(out, 0, code); put16(out, 2, data.length); out.set(data, 4);
  return out;
}

function subList(v: OptionValue | undefined, what: string): OptionValue[] {
  const x = v?.subOptions;
  if (!Array.isArray(x)) throw new Error(`${what}.subOptions: expected an array`);
  return x as OptionValue[];
}

/** OPTION_VENDOR_OPTS (RFC 8415 §21.17): enterprise-number(4), then vendor-defined code(2) len(2) data. */
export const vendorOptsCodec: OptionCodec = {
  kind: 'vendor-opts',
  length: { min: 4 },
  check: (d) => checkTlvs(d, 4),
  decode: (d) => ({
    enterpriseNumber: u32(d, 0),
    subOptions: readTlvs(d, 4).map((t) => ({ code: t.code, hex: toHex(t.data) })),
  }),
  encode(v) {
    const head = new Uint8Array(4);
    put32(head, 0, int(v?.enterpriseNumber, 32, 'vendor-opts.enterpriseNumber'));
    return concat([head, ...subList(v, 'vendor-opts').map((s) => tlv(int(s.code, 16, 'vendor-opts.code'), fromHex(s.hex, 'vendor-opts.hex')))]);
  },
  encodingLength(v) {
    return 4 + subList(v, 'vendor-opts').reduce((n, s) => n + 4 + fromHex(s.hex, 'vendor-opts.hex').length, 0);
  },
};

/** NTP server sub-option types (RFC 5908 §4). */
const NTP_SUBOPTIONS: Record<number, string> = { 1: 'NTP_SUBOPTION_SRV_ADDR', 2: 'NTP_SUBOPTION_MC_ADDR', 3: 'NTP_SUBOPTION_SRV_FQDN' };

function ntpItem(code: number, data: Uint8Array): OptionValue {
  const item: OptionValue = { type: code, name: NTP_SUBOPTIONS[code] ?? `NTP_SUBOPTION_${code}` };
  if ((code === 1 || code === 2) && data.length === 16) item.address = ipv6Text(data);
  else if (code === 3) {
    const r = readName(data, 0, data.length);
    if (typeof r !== 'string' && r.fqdn && r.next === data.length) item.fqdn = r.name; else item.hex = toHex(data);
  } else item.hex = toHex(data);
  return item;
}

function ntpEncodeItem(s: OptionValue): Uint8Array {
  const type = int(s.type, 16, 'ntp-server.type');
  if (s.address !== undefined) return tlv(type, ipv6Bytes(s.address, 'ntp-server.address'));
  if (s.fqdn !== undefined) {
    const b = new Uint8Array(nameLength(s.fqdn)); writeName(b, 0, s.fqdn);
    return tlv(type, b);
  }
  return tlv(type, fromHex(s.hex ?? '', 'ntp-server.hex'));
}

/** OPTION_NTP_SERVER (RFC 5908 §4): a list of sub-options (address, multicast address, FQDN). */
export const ntpServerCodec: OptionCodec = {
  kind: 'ntp-server',
  length: { min: 4 },
  check(d) {
    const p = checkTlvs(d, 0);
    if (p) return p;
    for (const t of readTlvs(d, 0)) {
      if ((t.code === 1 || t.code === 2) && t.data.length !== 16) return `NTP sub-option ${t.code} must hold 16 octets`;
    }
    return undefined;
  },
  decode: (d) => ({ subOptions: readTlvs(d, 0).map((t) => ntpItem(t.code, t.data)) }),
  encode: (v) => concat(subList(v, 'ntp-server').map(ntpEncodeItem)),
  encodingLength: (v) => subList(v, 'ntp-server').reduce((n, s) => n + ntpEncodeItem(s).length, 0),
};
