// Hand-written wire bytes (RFC 5007 / 5460 / 8415 / 7341 / 8156 formats) with their expected
// decoded JSON: leasequery options and messages, relays, 4o6, failover, malformed input, draft-01.

import { describe, expect, test } from 'vitest';
import { createCodec, defaultCodec } from '../../../src/dhcpv6/codec.js';
import { duidHex, findOption, innermostMessage, isSuccess, preferenceOf, statusOf, walkOptions } from '../../../src/dhcpv6/helpers.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const json = (s: string, codec = defaultCodec) => codec.toJson(codec.decodeMessage(hex(s)));
/** Re-encoding the JSON form gives back the same bytes. */
function roundTrip(s: string, codec = defaultCodec): void {
  const m = codec.decodeMessage(hex(s));
  expect(Buffer.from(codec.encodeMessage(codec.toJson(m))).toString('hex')).toBe(s.replace(/\s+/g, ''));
}

const CLIENTID_LL = '0001 000a 0003 0001 001122334455';
const CLIENTID_LL_JSON = { code: 1, name: 'OPTION_CLIENTID', length: 10, value: { duidType: 3, hwType: 1, linkLayer: '00:11:22:33:44:55', hex: '00030001001122334455' } };
const IAADDR = '0005 0018 20010db8000000000000000000000005 00000e10 00001c20';
const IAADDR_JSON = { code: 5, name: 'OPTION_IAADDR', length: 24, value: { address: '2001:db8::5', preferredLifetime: 3600, validLifetime: 7200 }, options: [] };
const IAPREFIX = '001a 0019 00000e10 00001c20 38 20010db8120000000000000000000000';
const IAPREFIX_JSON = { code: 26, name: 'OPTION_IAPREFIX', length: 25, value: { preferredLifetime: 3600, validLifetime: 7200, prefixLength: 56, prefix: '2001:db8:1200::' }, options: [] };
const CLT_TIME = '002e 0004 0000003c';
const CLT_TIME_JSON = { code: 46, name: 'OPTION_CLT_TIME', length: 4, value: { cltTime: 60 } };
const CLIENT_DATA = `002d 004f ${CLIENTID_LL} ${IAADDR} ${IAPREFIX} ${CLT_TIME}`;
const CLIENT_DATA_JSON = { code: 45, name: 'OPTION_CLIENT_DATA', length: 79, options: [CLIENTID_LL_JSON, IAADDR_JSON, IAPREFIX_JSON, CLT_TIME_JSON] };
const ZERO16 = '00000000000000000000000000000000';

describe('OPTION_LQ_QUERY, one case per query type (RFC 5007 §4.1.2.1, RFC 5460 §5.3)', () => {
  const lq = (body: string) => json(`0e 123456 ${body}`).options[0];
  test('QUERY_BY_ADDRESS with OPTION_IAADDR', () => {
    expect(lq(`002c 002d 01 ${ZERO16} ${IAADDR}`)).toEqual({
      code: 44, name: 'OPTION_LQ_QUERY', length: 45,
      value: { queryType: 1, queryTypeName: 'QUERY_BY_ADDRESS', linkAddress: '::' }, options: [IAADDR_JSON],
    });
  });
  test('QUERY_BY_CLIENTID with OPTION_CLIENTID', () => {
    expect(lq(`002c 001f 02 20010db8000100000000000000000000 ${CLIENTID_LL}`)).toEqual({
      code: 44, name: 'OPTION_LQ_QUERY', length: 31,
      value: { queryType: 2, queryTypeName: 'QUERY_BY_CLIENTID', linkAddress: '2001:db8:1::' }, options: [CLIENTID_LL_JSON],
    });
  });
  test('QUERY_BY_RELAY_ID with OPTION_RELAY_ID (DUID-EN)', () => {
    expect(lq(`002c 001f 03 ${ZERO16} 0035 000a 0002 000009bf 01020304`)).toEqual({
      code: 44, name: 'OPTION_LQ_QUERY', length: 31,
      value: { queryType: 3, queryTypeName: 'QUERY_BY_RELAY_ID', linkAddress: '::' },
      options: [{ code: 53, name: 'OPTION_RELAY_ID', length: 10, value: { duidType: 2, enterpriseNumber: 2495, identifier: '01020304', hex: '0002000009bf01020304' } }],
    });
  });
  test('QUERY_BY_LINK_ADDRESS without query-options', () => {
    expect(lq(`002c 0011 04 20010db8000100000000000000000000`)).toEqual({
      code: 44, name: 'OPTION_LQ_QUERY', length: 17,
      value: { queryType: 4, queryTypeName: 'QUERY_BY_LINK_ADDRESS', linkAddress: '2001:db8:1::' }, options: [],
    });
  });
  test('QUERY_BY_REMOTE_ID with OPTION_REMOTE_ID, and ORO among the query-options', () => {
    expect(lq(`002c 0023 05 ${ZERO16} 0025 0008 00000de9 0a0b0c0d 0006 0002 002f`)).toEqual({
      code: 44, name: 'OPTION_LQ_QUERY', length: 35,
      value: { queryType: 5, queryTypeName: 'QUERY_BY_REMOTE_ID', linkAddress: '::' },
      options: [
        { code: 37, name: 'OPTION_REMOTE_ID', length: 8, value: { enterpriseNumber: 3561, remoteId: '0a0b0c0d' } },
        { code: 6, name: 'OPTION_ORO', length: 2, value: { requestedOptions: [47] } },
      ],
    });
  });
});

describe('leasequery options', () => {
  test('OPTION_CLIENT_DATA with CLIENTID, IAADDR, IAPREFIX, CLT_TIME', () => {
    expect(json(`0f 123456 ${CLIENT_DATA}`).options).toEqual([CLIENT_DATA_JSON]);
  });

  // RFC 5007 §4.1.2.4: the last Relay-forward chain received for the client, innermost RELAY_MSG removed
  const INNER_RELAY = `0c 00 20010db8000100000000000000000001 fe80000000000000000000000000000c 0012 0004 65746830`;
  const OUTER_RELAY = `0c 01 ${ZERO16} 20010db8000100000000000000000001 0009 002a ${INNER_RELAY}`;
  const RELAY_DATA = `002f 0060 fe800000000000000000000000000001 ${OUTER_RELAY}`;
  test('OPTION_LQ_RELAY_DATA with a nested Relay-forward, decoded as a full message', () => {
    expect(json(`0f 123456 ${RELAY_DATA}`).options[0]).toEqual({
      code: 47, name: 'OPTION_LQ_RELAY_DATA', length: 96, value: { peerAddress: 'fe80::1' },
      message: {
        msgType: 12, msgName: 'RELAY-FORW', hopCount: 1, linkAddress: '::', peerAddress: '2001:db8:1::1',
        options: [{
          code: 9, name: 'OPTION_RELAY_MSG', length: 42,
          message: {
            msgType: 12, msgName: 'RELAY-FORW', hopCount: 0, linkAddress: '2001:db8:1::1', peerAddress: 'fe80::c',
            options: [{ code: 18, name: 'OPTION_INTERFACE_ID', length: 4, value: { interfaceId: '65746830' } }],
          },
        }],
      },
    });
    roundTrip(`0f 123456 ${RELAY_DATA}`);
  });

  test('OPTION_LQ_CLIENT_LINK: a list of link addresses', () => {
    expect(json(`0f 123456 0030 0020 20010db8000100000000000000000000 20010db8000200000000000000000000`).options[0]).toEqual({
      code: 48, name: 'OPTION_LQ_CLIENT_LINK', length: 32, value: { addresses: ['2001:db8:1::', '2001:db8:2::'] },
    });
  });

  test('OPTION_RELAY_ID (DUID-LLT) and OPTION_REMOTE_ID at the top of a Relay-forward', () => {
    const m = json(`0c 00 20010db8000100000000000000000001 fe80000000000000000000000000000c 0035 000e 0001 0001 1c39cf88 080027fe8f95 0025 0006 00000009 abcd 0009 0004 01 000001`);
    expect(m.options.slice(0, 2)).toEqual([
      { code: 53, name: 'OPTION_RELAY_ID', length: 14, value: { duidType: 1, hwType: 1, time: 473550728, linkLayer: '08:00:27:fe:8f:95', hex: '000100011c39cf88080027fe8f95' } },
      { code: 37, name: 'OPTION_REMOTE_ID', length: 6, value: { enterpriseNumber: 9, remoteId: 'abcd' } },
    ]);
  });

  test('OPTION_STATUS_CODE QueryTerminated', () => {
    expect(json(`10 123456 000d 0009 000b 61626f72746564`).options[0]).toEqual({
      code: 13, name: 'OPTION_STATUS_CODE', length: 9, value: { statusCode: 11, statusName: 'QueryTerminated', statusMessage: 'aborted' },
    });
  });
});

describe('leasequery messages', () => {
  test('LEASEQUERY', () => {
    const s = `0e 123456 ${CLIENTID_LL} 002c 0011 04 20010db8000100000000000000000000`;
    expect(json(s)).toEqual({
      msgType: 14, msgName: 'LEASEQUERY', xid: 0x123456,
      options: [CLIENTID_LL_JSON, { code: 44, name: 'OPTION_LQ_QUERY', length: 17, value: { queryType: 4, queryTypeName: 'QUERY_BY_LINK_ADDRESS', linkAddress: '2001:db8:1::' }, options: [] }],
    });
    roundTrip(s);
  });
  test('LEASEQUERY-REPLY with server id, status Success and CLIENT_DATA', () => {
    const s = `0f abcdef 0002 000a 0003 0001 665544332211 000d 0002 0000 ${CLIENT_DATA}`;
    const j = json(s);
    expect(j.msgName).toBe('LEASEQUERY-REPLY');
    expect(j.xid).toBe(0xabcdef);
    expect(j.options[1]).toEqual({ code: 13, name: 'OPTION_STATUS_CODE', length: 2, value: { statusCode: 0, statusName: 'Success', statusMessage: '' } });
    expect(j.options[2]).toEqual(CLIENT_DATA_JSON);
    expect(j.anomalies).toBeUndefined();
    const m = defaultCodec.decodeMessage(hex(s));
    expect(statusOf(m.options)).toEqual({ code: 0, text: '' });
    expect(isSuccess(m.options)).toBe(true);
    expect(duidHex(findOption(m.options, 2))).toBe('00030001665544332211');
    roundTrip(s);
  });
  test('LEASEQUERY-DATA', () => {
    const j = json(`11 123456 ${CLIENT_DATA}`);
    expect(j).toEqual({ msgType: 17, msgName: 'LEASEQUERY-DATA', xid: 0x123456, options: [CLIENT_DATA_JSON] });
  });
  test('LEASEQUERY-DONE without options is legal, not malformed', () => {
    const m = defaultCodec.decodeMessage(hex('10 123456'));
    expect(m.anomalies).toEqual([]);
    expect(defaultCodec.toJson(m)).toEqual({ msgType: 16, msgName: 'LEASEQUERY-DONE', xid: 0x123456, options: [] });
    expect(statusOf(m.options)).toBeUndefined();
    expect(isSuccess(m.options)).toBe(true);
  });
});

describe('other header formats', () => {
  const SOLICIT = '01 abcdef 0008 0002 0000';
  const INNER = `0c 00 20010db8000100000000000000000001 fe80000000000000000000000000000c 0009 000a ${SOLICIT}`;
  const OUTER = `0c 01 ${ZERO16} 20010db8000100000000000000000001 0009 0030 ${INNER}`;
  test('relay messages two hops deep', () => {
    expect(json(OUTER)).toEqual({
      msgType: 12, msgName: 'RELAY-FORW', hopCount: 1, linkAddress: '::', peerAddress: '2001:db8:1::1',
      options: [{
        code: 9, name: 'OPTION_RELAY_MSG', length: 48,
        message: {
          msgType: 12, msgName: 'RELAY-FORW', hopCount: 0, linkAddress: '2001:db8:1::1', peerAddress: 'fe80::c',
          options: [{
            code: 9, name: 'OPTION_RELAY_MSG', length: 10,
            message: { msgType: 1, msgName: 'SOLICIT', xid: 0xabcdef, options: [{ code: 8, name: 'OPTION_ELAPSED_TIME', length: 2, value: { elapsedTime: 0 } }] },
          }],
        },
      }],
    });
    const { message, relays } = innermostMessage(defaultCodec.decodeMessage(hex(OUTER)));
    expect(message.msgType).toBe(1);
    expect(relays.map((r) => r.hopCount)).toEqual([1, 0]);
    roundTrip(OUTER);
  });
  test('DHCPv4-over-DHCPv6 has flags and no xid (RFC 7341 §6.2)', () => {
    expect(json('14 800000 0057 0004 01010600')).toEqual({
      msgType: 20, msgName: 'DHCPV4-QUERY', flags: 0x800000,
      options: [{ code: 87, name: 'OPTION_DHCPV4_MSG', length: 4, value: { dhcpv4Message: '01010600' } }],
    });
    roundTrip('14 800000 0057 0004 01010600');
  });
  test('failover has sent-time (RFC 8156 §5.2)', () => {
    expect(json('18 000102 5f5e1000 007a 0004 00000e10')).toEqual({
      msgType: 24, msgName: 'BNDUPD', xid: 0x102, sentTime: 0x5f5e1000,
      options: [{ code: 122, name: 'OPTION_F_MCLT', length: 4, value: { mclt: 3600 } }],
    });
  });
  test('preferenceOf and walkOptions', () => {
    const m = defaultCodec.decodeMessage(hex(`02 000001 0007 0001 ff ${CLIENT_DATA}`));
    expect(preferenceOf(m)).toBe(255);
    expect(preferenceOf(defaultCodec.decodeMessage(hex('02 000001')))).toBeUndefined();
    const seen: string[] = [];
    walkOptions(m.options, (o, parents) => seen.push(`${parents.map((p) => p.code).join('/')}:${o.code}`));
    expect(seen).toEqual([':7', ':45', '45:1', '45:5', '45:26', '45:46']);
    const deep: number[] = [];
    walkOptions(defaultCodec.decodeMessage(hex(OUTER)).options, (o) => deep.push(o.code));
    expect(deep).toEqual([9]);
    walkOptions(defaultCodec.decodeMessage(hex(OUTER)).options, (o) => deep.push(o.code), { messages: true });
    expect(deep).toEqual([9, 9, 9, 8]);
  });
});

describe('malformed input: anomalies, and the rest still decoded', () => {
  test('bad option length', () => {
    const j = json('07 000001 0007 0002 0a0b 0008 0002 0064');
    expect(j.options).toEqual([
      { code: 7, name: 'OPTION_PREFERENCE', length: 2, hex: '0a0b' },
      { code: 8, name: 'OPTION_ELAPSED_TIME', length: 2, value: { elapsedTime: 100 } },
    ]);
    expect(j.anomalies).toEqual([{ name: 'dhcpv6.option.bad_length', message: 'length 2, expected 1', code: 7 }]);
    roundTrip('07 000001 0007 0002 0a0b 0008 0002 0064');
  });
  test('overrun keeps the captured bytes and stops that level', () => {
    const s = `0f 000001 0008 0002 0000 0001 0020 00030001`;
    const j = json(s);
    expect(j.options).toEqual([
      { code: 8, name: 'OPTION_ELAPSED_TIME', length: 2, value: { elapsedTime: 0 } },
      { code: 1, name: 'OPTION_CLIENTID', length: 32, hex: '00030001' },
    ]);
    expect(j.anomalies).toEqual([{ name: 'dhcpv6.option.overrun', message: 'option-len 32 runs 28 octet(s) past its container', code: 1 }]);
    roundTrip(s);
  });
  test('overrun inside CLIENT_DATA: siblings before it and the outer level survive', () => {
    const j = json(`11 000001 002d 000e 0001 0004 00030001 002e 0004 0000 0007 0001 05`);
    expect(j.options[0].options).toEqual([
      { code: 1, name: 'OPTION_CLIENTID', length: 4, value: { duidType: 3, hwType: 1, linkLayer: '', hex: '00030001' } },
      { code: 46, name: 'OPTION_CLT_TIME', length: 4, hex: '0000' },
    ]);
    expect(j.options[1]).toEqual({ code: 7, name: 'OPTION_PREFERENCE', length: 1, value: { preference: 5 } });
    expect(j.anomalies?.map((a) => [a.name, a.code])).toEqual([['dhcpv6.option.overrun', 46]]);
  });
  test('undecodable domain name keeps hex', () => {
    const j = json('07 000001 0018 0005 c00c 000000 0017 0010 20010db8000000000000000000000001');
    expect(j.options[0]).toEqual({ code: 24, name: 'OPTION_DOMAIN_LIST', length: 5, hex: 'c00c000000' });
    expect(j.anomalies?.[0]).toMatchObject({ name: 'dhcpv6.option.undecodable', code: 24 });
    expect(j.options[1].value).toEqual({ addresses: ['2001:db8::1'] });
  });
  test('truncated header returns what there is', () => {
    const j = json('0c 02 20010db8000100000000000000000001 0000');
    expect(j).toEqual({
      msgType: 12, msgName: 'RELAY-FORW', hopCount: 2, linkAddress: '2001:db8:1::1', options: [],
      anomalies: [{ name: 'dhcpv6.message.truncated', message: '20 octets, shorter than the 34-octet relay header' }],
    });
    expect(json('01 12')).toEqual({
      msgType: 1, msgName: 'SOLICIT', options: [],
      anomalies: [{ name: 'dhcpv6.message.truncated', message: '2 octets, shorter than the 4-octet client-server header' }],
    });
  });
  test('relay depth limit (dhcpv6.max-relay-depth)', () => {
    let m: Record<string, unknown> = { msgType: 1, xid: 7, options: [] };
    for (let i = 0; i < 40; i++) m = { msgType: 12, hopCount: i % 256, linkAddress: '::', peerAddress: '::', options: [{ code: 9, message: m }, { code: 18, value: { interfaceId: '01' } }] };
    const bytes = defaultCodec.encodeMessage(m);
    const msg = defaultCodec.decodeMessage(bytes);
    expect(msg.anomalies.map((a) => a.name)).toEqual(['dhcpv6.relay.too_deep']);
    // depth 32 holds a message; the 33rd level is kept as bytes, its sibling option still decoded
    let cur = msg;
    for (let i = 0; i < 32; i++) cur = findOption(cur.options, 9)!.message!;
    const stuck = findOption(cur.options, 9)!;
    expect(stuck.message).toBeUndefined();
    expect(stuck.anomalies?.[0].name).toBe('dhcpv6.relay.too_deep');
    expect(defaultCodec.optionValue(findOption(cur.options, 18)!)).toEqual({ interfaceId: '01' });
    const shallow = createCodec({ maxRelayDepth: 1 });
    const two = shallow.decodeMessage(hex(OUTER_TWO));
    expect(two.anomalies).toEqual([{ name: 'dhcpv6.relay.too_deep', message: 'messages nested deeper than dhcpv6.max-relay-depth (1)', code: 9 }]);
  });
});
const OUTER_TWO = `0c 01 ${'00'.repeat(16)} 20010db8000100000000000000000001 0009 0030 0c 00 20010db8000100000000000000000001 fe80000000000000000000000000000c 0009 000a 01 abcdef 0008 0002 0000`;

describe('draft-01 code points', () => {
  const draft = createCodec({ codes: { 'LEASEQUERY-DONE': 250, 'LEASEQUERY-DATA': 251, OPTION_RELAY_ID: 65000, QueryTerminated: 200 } });
  test('moved numbers are named and decoded as their RFC 5460 counterparts', () => {
    expect(json('fa 000009 000d 0002 00c8', draft)).toEqual({
      msgType: 250, msgName: 'LEASEQUERY-DONE', xid: 9,
      options: [{ code: 13, name: 'OPTION_STATUS_CODE', length: 2, value: { statusCode: 200, statusName: 'QueryTerminated', statusMessage: '' } }],
    });
    expect(json('fb 000009', draft).msgName).toBe('LEASEQUERY-DATA');
    expect(json('0e 000009 fde8 000a 0003 0001 001122334455', draft).options[0]).toEqual({
      code: 65000, name: 'OPTION_RELAY_ID', length: 10, value: { duidType: 3, hwType: 1, linkLayer: '00:11:22:33:44:55', hex: '00030001001122334455' },
    });
    // the default codec does not know 65000
    expect(json('0e 000009 fde8 000a 0003 0001 001122334455').options[0]).toEqual({ code: 65000, name: 'OPTION_65000', length: 10, hex: '00030001001122334455' });
    expect(draft.encodeMessage({ msgName: 'LEASEQUERY-DONE', xid: 1, options: [{ name: 'OPTION_RELAYID', value: { duidType: 3, hwType: 1, linkLayer: '00:01' } }] }))
      .toEqual(hex('fa 000001 fde8 0006 0003 0001 0001'));
  });
  test('unknown code point names are refused', () => {
    expect(() => createCodec({ codes: { 'LEASEQUERY-FOO': 1 } })).toThrow(/unknown code point name/);
  });
});
