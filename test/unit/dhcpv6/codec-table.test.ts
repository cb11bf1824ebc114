// Round trip for every codec in the option table: decode(encode(x)) = x, bytes written =
// encodingLength(x), and the walker accepts the encoded option without anomalies.

import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { OPTION_CODECS, codecFor } from '../../../src/dhcpv6/codec-table.js';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import { OPTION_NAMES } from '../../../src/dhcpv6/names.js';
import type { OptionValue } from '../../../src/dhcpv6/options/types.js';

const names = defaultCodec.names;
const duidLlt = { duidType: 1, hwType: 1, time: 473550728, linkLayer: '08:00:27:fe:8f:95', hex: '000100011c39cf88080027fe8f95' };
const duidEn = { duidType: 2, enterpriseNumber: 2495, identifier: '0102030405', hex: '0002000009bf0102030405' };
const duidLl = { duidType: 3, hwType: 1, linkLayer: '00:11:22:33:44:55', hex: '00030001001122334455' };
const duidUuid = { duidType: 4, uuid: '12345678-9abc-def0-1234-56789abcdef0', hex: '0004123456789abcdef0123456789abcdef0' };
const duidOther = { duidType: 9, identifier: 'abcdef', hex: '0009abcdef' };
const addrs = [{ addresses: ['2001:db8::1'] }, { addresses: ['2001:db8::1', 'fe80::1:2', '::ffff:192.0.2.1'] }];
const dlist = [{ domainNames: ['example.com'] }, { domainNames: ['a.example.org', 'b\\.c.example', '.'] }];
const dname = [{ domainName: 'aftr.example.com' }, { domainName: '.' }];
const u32 = (k: string) => [{ [k]: 0 }, { [k]: 4294967295 }, { [k]: 3600 }];
const u16 = (k: string) => [{ [k]: 0 }, { [k]: 65535 }];
const u8 = (k: string) => [{ [k]: 0 }, { [k]: 255 }];
const none = [undefined];

/** Representative values per code (undefined = the option has no fields of its own). */
const SAMPLES: Record<number, (OptionValue | undefined)[]> = {
  1: [duidLlt, duidEn, duidLl, duidUuid, duidOther],
  2: [duidLlt, duidLl],
  3: [{ iaid: 1, t1: 1800, t2: 2880 }],
  4: [{ iaid: 0xdeadbeef }],
  5: [{ address: '2001:db8::100', preferredLifetime: 3600, validLifetime: 7200 }],
  6: [{ requestedOptions: [] }, { requestedOptions: [23, 24, 56] }],
  7: u8('preference'),
  8: u16('elapsedTime'),
  9: none,
  11: [{ protocol: 3, algorithm: 1, rdm: 0, replayDetection: '0000000000000001', authInfo: '' }, { protocol: 2, algorithm: 1, rdm: 0, replayDetection: 'ffffffffffffffff', authInfo: '0102' }],
  12: [{ serverAddress: '2001:db8::53' }],
  13: [{ statusCode: 11, statusMessage: 'bye', statusName: 'QueryTerminated' }, { statusCode: 0, statusMessage: '', statusName: 'Success' }, { statusCode: 99, statusMessage: 'déjà vu', statusName: 'Status_99' }],
  14: none,
  15: [{ classes: [] }, { classes: ['6162', ''] }],
  16: [{ enterpriseNumber: 311, classes: ['4d53465420352e30'] }],
  17: [{ enterpriseNumber: 4491, subOptions: [] }, { enterpriseNumber: 4491, subOptions: [{ code: 32, hex: '010203' }, { code: 1, hex: '' }] }],
  18: [{ interfaceId: '65746830' }],
  19: [{ msgType: 5, msgName: 'RENEW' }, { msgType: 11, msgName: 'INFORMATION-REQUEST' }],
  20: none,
  21: dlist, 22: addrs, 23: addrs, 24: dlist,
  25: [{ iaid: 7, t1: 0, t2: 0 }],
  26: [{ preferredLifetime: 100, validLifetime: 200, prefixLength: 56, prefix: '2001:db8:1200::' }],
  27: addrs, 28: addrs, 29: dname, 30: dname, 31: addrs,
  32: u32('informationRefreshTime'),
  33: dlist, 34: addrs,
  36: [{ what: 1, countryCode: '5553', civicAddress: '0102' }],
  37: [{ enterpriseNumber: 9, remoteId: '01' }, { enterpriseNumber: 3561, remoteId: '0a0b0c0d0e0f' }],
  38: [{ subscriberId: '737562' }],
  39: [{ flags: 1, n: false, o: false, s: true, domainName: 'host.example.com' }, { flags: 4, n: true, o: false, s: false, domainName: 'host', partial: true }, { flags: 0, n: false, o: false, s: false, domainName: '' }],
  40: addrs, 41: [{ timezone: 'EST5EDT4,M3.2.0/02:00,M11.1.0/02:00' }], 42: [{ timezone: 'Europe/Zurich' }],
  43: [{ requestedOptions: [18, 37] }],
  44: [1, 2, 3, 4, 5, 9].map((t) => ({ queryType: t, linkAddress: t === 4 ? '2001:db8:1::' : '::', queryTypeName: names.queryTypeName(t) })),
  45: none,
  46: u32('cltTime'),
  47: [{ peerAddress: 'fe80::1' }],
  48: addrs,
  49: [{ idType: 1, domainName: 'home.example' }],
  50: none, 51: dname, 52: addrs,
  53: [duidLl, duidEn],
  56: [{ subOptions: [{ type: 1, name: 'NTP_SUBOPTION_SRV_ADDR', address: '2001:db8::123' }, { type: 2, name: 'NTP_SUBOPTION_MC_ADDR', address: 'ff05::101' }, { type: 3, name: 'NTP_SUBOPTION_SRV_FQDN', fqdn: 'ntp.example.com' }, { type: 7, name: 'NTP_SUBOPTION_7', hex: 'ab' }] }],
  57: dname, 58: dlist,
  59: [{ url: 'tftp://[2001:db8::1]/boot.efi' }],
  60: [{ params: ['726f6f74', ''] }],
  61: [{ archTypes: [7, 9] }],
  62: [{ type: 1, major: 3, minor: 16 }],
  64: dname, 65: dname, 66: none,
  67: [{ prefixLength: 60, subnetId: '01' }, { prefixLength: 128, subnetId: '00112233445566778899aabbccddeeff' }],
  68: [{ type: 1, info: '0102' }, { type: 255, info: '' }],
  69: none, 70: none,
  71: [{ prefixLength: 64, prefix: '2001:db8:1::' }],
  72: [{ homeAgentAddress: '2001:db8::ha' .replace('ha', 'aa') }],
  73: dname,
  74: [{ dnsServer: '2001:db8::53', flags: 0x18, domainsAndNetworks: ['example.com'] }],
  79: [{ linkLayerType: 1, linkLayer: '00:11:22:33:44:55' }],
  80: [{ linkAddress: '2001:db8:1::1' }],
  82: u32('solMaxRt'), 83: u32('infMaxRt'), 86: addrs,
  87: [{ dhcpv4Message: '0101060012345678' }],
  88: addrs,
  89: [{ flags: 1, eaLength: 16, prefix4Length: 24, ipv4Prefix: '192.0.2.0', prefix6Length: 40, ipv6Prefix: '2001:db8:ff00::' }, { flags: 0, eaLength: 0, prefix4Length: 0, ipv4Prefix: '0.0.0.0', prefix6Length: 0, ipv6Prefix: '::' }],
  90: [{ brAddress: '2001:db8::br'.replace('br', 'b') }],
  91: [{ prefix6Length: 64, ipv6Prefix: '2001:db8:1:2::' }, { prefix6Length: 33, ipv6Prefix: '2001:db8:8000::' }],
  92: [{ ipv4Address: '198.51.100.7', prefix6Length: 56, ipv6Prefix: '2001:db8:1:200::' }],
  93: [{ offset: 6, psidLength: 8, psid: 0x3400 }],
  94: none, 95: none, 96: none, 97: none,
  100: u32('baseTime'), 101: u32('startTime'), 102: u32('endTime'),
  103: [{ uri: 'https://portal.example/' }],
  105: u16('accessTechnologyType'), 106: [{ networkName: 'campus' }], 107: [{ apName: 'ap-7' }],
  108: [{ bssid: '00:11:22:33:44:55' }],
  110: dname, 111: [{ mechanisms: [94, 95, 96] }],
  112: [{ url: 'https://mud.example.com/device' }],
  114: u8('bindingStatus'), 115: u16('flags'), 116: none, 117: dname, 118: dname, 119: u16('flags'),
  120: u32('expirationTime'), 121: u32('maxUnackedBndupd'), 122: u32('mclt'), 123: u32('partnerLifetime'),
  124: u32('partnerLifetimeSent'), 125: u32('partnerDownTime'), 126: u32('partnerRawCltTime'),
  127: [{ major: 1, minor: 0 }], 128: u32('keepaliveTime'),
  129: [{ reconfigureTime: 5, reconfigureKey: '00112233445566778899aabbccddeeff' }],
  130: dname, 131: u8('flags'), 132: u8('serverState'), 133: u32('startTimeOfState'), 134: u32('stateExpirationTime'),
  135: u16('downstreamSourcePort'),
  137: [{ prefix6Length: 48, ipv6Prefix: '2001:db8:7::' }],
  142: addrs, 143: addrs,
};

describe('option codec table', () => {
  test('every codec has samples, and every sample a codec', () => {
    expect([...OPTION_CODECS.keys()].filter((c) => !(c in SAMPLES))).toEqual([]);
    expect(Object.keys(SAMPLES).map(Number).filter((c) => !OPTION_CODECS.has(c))).toEqual([]);
  });

  test('every table code has an IANA name', () => {
    expect([...OPTION_CODECS.keys()].filter((c) => !OPTION_NAMES.has(c))).toEqual([]);
  });

  for (const [code, samples] of Object.entries(SAMPLES)) {
    test(`round trip ${code} ${OPTION_NAMES.get(Number(code))}`, () => {
      const codec = codecFor(Number(code));
      for (const value of samples) {
        const bytes = codec.encode(value);
        expect(bytes.length).toBe(codec.encodingLength(value));
        expect(codec.decode(bytes, names)).toEqual(value);
        // the walker accepts it: encode the option inside a message and decode it back
        // (options that carry a message get a minimal SOLICIT after their own fields)
        const inner = codec.body?.kind === 'message' ? { msgType: 1, xid: 2, options: [] } : undefined;
        const msg = defaultCodec.decodeMessage(defaultCodec.encodeMessage({ msgType: 1, xid: 1, options: [{ code: Number(code), value, message: inner }] }));
        expect(msg.anomalies).toEqual([]);
        expect(msg.options[0].length).toBe(bytes.length + (inner ? 4 : 0));
        if (inner) expect(msg.options[0].message).toMatchObject({ msgType: 1, xid: 2, options: [] });
        expect(defaultCodec.optionValue(msg.options[0])).toEqual(value);
      }
    });
  }
});

describe('property round trips', () => {
  const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => defaultCodec.decodeMessage(Uint8Array.from([12, 0, ...b, ...b])).linkAddress!);
  const label = fc.stringMatching(/^[a-z0-9-]{1,20}$/);
  const name = fc.array(label, { minLength: 1, maxLength: 5 }).map((l) => l.join('.'));
  const hex = fc.uint8Array({ maxLength: 20 }).map((b) => Buffer.from(b).toString('hex'));

  const cases: [number, fc.Arbitrary<OptionValue>][] = [
    [3, fc.record({ iaid: fc.nat({ max: 0xffffffff }), t1: fc.nat({ max: 0xffffffff }), t2: fc.nat({ max: 0xffffffff }) })],
    [5, fc.record({ address: ipv6, preferredLifetime: fc.nat({ max: 0xffffffff }), validLifetime: fc.nat({ max: 0xffffffff }) })],
    [23, fc.record({ addresses: fc.array(ipv6, { maxLength: 5 }) })],
    [24, fc.record({ domainNames: fc.array(name, { maxLength: 4 }) })],
    [37, fc.record({ enterpriseNumber: fc.nat({ max: 0xffffffff }), remoteId: fc.uint8Array({ minLength: 1, maxLength: 10 }).map((b) => Buffer.from(b).toString('hex')) })],
    [44, fc.record({ queryType: fc.integer({ min: 1, max: 5 }), linkAddress: ipv6 }).map((v) => ({ ...v, queryTypeName: names.queryTypeName(v.queryType) }))],
    [13, fc.record({ statusCode: fc.integer({ min: 0, max: 22 }), statusMessage: fc.string({ maxLength: 20 }) }).map((v) => ({ ...v, statusName: names.statusName(v.statusCode) }))],
    [1, fc.record({ hwType: fc.nat({ max: 0xffff }), mac: fc.uint8Array({ minLength: 1, maxLength: 16 }) }).map(({ hwType, mac }) => {
      const hexBody = '0003' + hwType.toString(16).padStart(4, '0') + Buffer.from(mac).toString('hex');
      return { duidType: 3, hwType, linkLayer: [...mac].map((x) => x.toString(16).padStart(2, '0')).join(':'), hex: hexBody };
    })],
    [15, fc.record({ classes: fc.array(hex, { maxLength: 4 }) })],
  ];
  for (const [code, arb] of cases) {
    test(`option ${code}`, () => {
      const codec = codecFor(code);
      fc.assert(fc.property(arb, (value) => {
        const bytes = codec.encode(value);
        expect(bytes.length).toBe(codec.encodingLength(value));
        expect(codec.decode(bytes, names)).toEqual(value);
      }), { numRuns: 200 });
    });
  }
});
