// IaLeases: the leases of an IA_NA / IA_PD read in place (RFC 8415 §21.4, §21.21), its status, a malformed
// lease; the same answers from a message read in place and from a built option tree.
import { describe, expect, it } from 'vitest';
import { IaLeases, OptionCursor } from '../../../src/dhcpv6/helpers.js';
import type { OptionInput } from '../../../src/dhcpv6/encode.js';
import { decoded, m, opt } from '../../kit/udp-scenario.js';

const addr = (a: string, preferred: number, valid: number): OptionInput => ({ code: 5, value: { address: a, preferredLifetime: preferred, validLifetime: valid } });

/** [preferred, valid, whole] of each lease of each IA of the message, then whether the IA failed. */
function read(message: ReturnType<typeof decoded>): Array<[number, Array<[number, number, boolean]>, boolean]> {
  const top = new OptionCursor();
  const leases = new IaLeases();
  const out: Array<[number, Array<[number, number, boolean]>, boolean]> = [];
  top.open(message);
  while (top.next()) {
    if (top.code !== 3 && top.code !== 25) continue;
    const seen: Array<[number, number, boolean]> = [];
    if (leases.open(top, top.code)) while (leases.next()) seen.push([leases.preferred, leases.valid, leases.whole]);
    out.push([top.code, seen, leases.failed]);
  }
  return out;
}

describe('IaLeases', () => {
  const reply = m(7, 1, opt.clientId('00030001020000000001'),
    { code: 3, value: { iaid: 1, t1: 0, t2: 0 }, options: [addr('2001:db8::1', 3600, 7200), addr('2001:db8::2', 0, 0)] },
    { code: 25, value: { iaid: 2, t1: 0, t2: 0 }, options: [{ code: 26, value: { preferredLifetime: 100, validLifetime: 200, prefixLength: 56, prefix: '2001:db8:100::' } }] },
    { code: 3, value: { iaid: 3, t1: 0, t2: 0 }, options: [opt.status(2, 'none')] },
    { code: 3, value: { iaid: 4, t1: 0, t2: 0 }, options: [addr('2001:db8::4', 60, 120), opt.status(0)] });
  const expected = [
    [3, [[3600, 7200, true], [0, 0, true]], false],
    [25, [[100, 200, true]], false],
    [3, [], true],
    [3, [[60, 120, true]], false],
  ];

  it('reads each lease and the IA status in place and from a built tree', () => {
    const message = decoded(reply);
    expect(read(message)).toEqual(expected);
    expect(read({ ...message, options: message.options })).toEqual(expected);
  });

  it('says a malformed lease (an IAADDR too short for its lifetimes) is not whole', () => {
    const short = opt.raw(5, '20010db8000000000000000000000001' + '00000e10');
    expect(read(decoded(m(7, 1, { code: 3, value: { iaid: 1, t1: 0, t2: 0 }, options: [short] })))).toEqual([[3, [[0, 0, false]], false]]);
  });
});
