// The shipped decode-line schema accepts what toJson produces (plus the decode command's fields)
// and rejects lines that break the contract.

import { describe, expect, test } from 'vitest';
import { assertValidDecodeLine } from '../../kit/schemas.js';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';

const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const head = { input: 0, frame: 12, time: 1732262400.123456, src: '2001:db8::1', dst: '2001:db8::2', srcPort: 547, dstPort: 40123, transport: 'tcp' };
const line = (s: string) => ({ ...head, ...defaultCodec.toJson(defaultCodec.decodeMessage(hex(s))) });

describe('decode.schema.json', () => {
  test('accepts decoded messages of every format, nested and malformed', () => {
    assertValidDecodeLine(line('11 123456 002d 000e 0001 000a 0003 0001 001122334455'));
    assertValidDecodeLine(line('0f 123456 002f 0036 fe800000000000000000000000000001 0c 00 20010db8000100000000000000000001 fe80000000000000000000000000000c 0012 0000'));
    assertValidDecodeLine(line('14 800000 0057 0004 01010600'));
    assertValidDecodeLine(line('18 000102 5f5e1000'));
    assertValidDecodeLine(line('07 000001 0007 0002 0a0b 0001 0020 0003'));
    assertValidDecodeLine(line('0c 02 2001'));
    assertValidDecodeLine(line('10 123456'));
  });
  test('rejects lines that break the contract', () => {
    const good = line('10 123456');
    expect(() => assertValidDecodeLine({ ...good, frame: 0 })).toThrow();
    expect(() => assertValidDecodeLine({ ...good, transport: 'sctp' })).toThrow();
    expect(() => assertValidDecodeLine({ ...good, extra: 1 })).toThrow();
    expect(() => assertValidDecodeLine({ ...good, options: [{ code: 1, name: 'OPTION_CLIENTID' }] })).toThrow();
    expect(() => assertValidDecodeLine({ ...good, options: [{ code: 1, name: 'OPTION_CLIENTID', length: 2, hex: '00', value: {} }] })).toThrow();
    expect(() => assertValidDecodeLine({ ...good, hopCount: 1 })).toThrow();
    const { input: _i, ...noInput } = good;
    expect(() => assertValidDecodeLine(noInput)).toThrow();
  });
});
