// Well-formed DHCPv6 messages as octets, the seeds the decoder property tests mutate: a bulk
// LEASEQUERY-REPLY with CLIENT_DATA, a RELAY-FORW around a Solicit, a LEASEQUERY by address, and a
// Reply with DNS server, domain list, FQDN and NTP options.
import fc from 'fast-check';

/** Octets from hex text (white space ignored). */
export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));

/** Valid messages of several formats and nesting depths. */
export const SAMPLE_MESSAGES: readonly Uint8Array[] = [
  hex('0f 123456 0002 000a 0003 0001 665544332211 000d 0002 0000 002d 004f 0001 000a 0003 0001 001122334455 0005 0018 20010db8000000000000000000000005 00000e10 00001c20 001a 0019 00000e10 00001c20 38 20010db8120000000000000000000000 002e 0004 0000003c'),
  hex('0c 01 00000000000000000000000000000000 20010db8000100000000000000000001 0009 0030 0c 00 20010db8000100000000000000000001 fe80000000000000000000000000000c 0009 000a 01 abcdef 0008 0002 0000'),
  hex('0e 123456 002c 0023 05 00000000000000000000000000000000 0025 0008 00000de9 0a0b0c0d 0006 0002 002f'),
  hex('07 000001 0017 0010 20010db8000000000000000000000001 0018 000d 076578616d706c6503636f6d00 0027 0006 01 04686f7374 0038 0014 0001 0010 20010db8000000000000000000000123'),
];

/** One option as octets: code, length, body. */
export function tlv(code: number, body: readonly number[]): number[] {
  return [code >> 8, code & 0xff, body.length >> 8, body.length & 0xff, ...body];
}

/**
 * Well-formed option trees as octets, nested the way leases are (RFC 8415 §21.4, §21.6, §21.21,
 * §21.22; RFC 5007 §4.1.2.2): CLIENT_DATA holding a Client-ID, IAADDRs, IAPREFIXes, CLT_TIME and
 * IA_NA/IA_PD with their own leases and status codes. Every length is right, so a message of them
 * decodes without anomaly; which options are present (and where) varies.
 */
export function cleanOptionTrees(): fc.Arbitrary<number[]> {
  const zeros = (n: number): number[] => new Array<number>(n).fill(0);
  const status = fc.constantFrom(0, 2, 6).map((c) => tlv(13, [0, c, 0x6f, 0x6b]));
  const flat = (parts: number[][]): number[] => parts.flat();
  const iaaddr = fc.array(status, { maxLength: 1 }).map((sub) => tlv(5, [0x20, 1, 0xd, 0xb8, ...zeros(11), 5, ...zeros(8), ...flat(sub)]));
  const iaprefix = fc.array(status, { maxLength: 1 }).map((sub) => tlv(26, [...zeros(8), 56, 0x20, 1, 0xd, 0xb8, 0x12, ...zeros(11), ...flat(sub)]));
  const iaNa = fc.array(fc.oneof(iaaddr, status), { maxLength: 3 }).map((sub) => tlv(3, [0, 0, 0, 1, ...zeros(8), ...flat(sub)]));
  const iaPd = fc.array(fc.oneof(iaprefix, status), { maxLength: 3 }).map((sub) => tlv(25, [0, 0, 0, 2, ...zeros(8), ...flat(sub)]));
  const clientId = fc.constant(tlv(1, [0, 3, 0, 1, 0, 0x11, 0x22, 0x33, 0x44, 0x55]));
  const cltTime = fc.constant(tlv(46, [0, 0, 0, 60]));
  const clientData = fc.array(fc.oneof(clientId, iaaddr, iaprefix, cltTime, iaNa, iaPd, status), { maxLength: 6 }).map((sub) => tlv(45, flat(sub)));
  return fc.array(fc.oneof(clientData, clientData, iaNa, iaPd, clientId, status), { maxLength: 4 }).map(flat);
}
