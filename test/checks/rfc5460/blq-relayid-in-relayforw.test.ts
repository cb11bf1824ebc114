// BLQ-RELAYID-IN-RELAYFORW: the Relay-ID a relay puts in its Relay-forwards is a DUID and stays the same
// (RFC 5460 §5.4.1); several relays behind one address, link-local sources, nested relays, the limit.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { analyze } from '../../../src/index.js';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { UdpScenario, duidLL, m, opt, relay, scenarioEvents, scenarioPcapng, sel } from '../../kit/udp-scenario.js';
import type { MessageJson } from '../../../src/dhcpv6/encode.js';

const ID = 'BLQ-RELAYID-IN-RELAYFORW';
const SERVER = '2001:db8:ffff::a';
const R1 = '2001:db8:1::1';
const R2 = '2001:db8:2::1';
/** DUID-LLT (type 1, Ethernet) made at `time` from MAC 02:00:00:00:00:<mac>. */
const llt = (time: number, mac = 1): string => `00010001${time.toString(16).padStart(8, '0')}0200000000${mac.toString(16).padStart(2, '0')}`;
const EN = '0002000000090c0084d3030009'; // DUID-EN, enterprise 9 (RFC 8415 §11.3 example)

const inform = (xid: number): MessageJson => m(11, xid, opt.clientId(duidLL(1)), opt.elapsed(0));
/** R's Relay-forward of a client message, with Relay-ID `id` (none when undefined). */
const fwd = (link: string, inner: MessageJson, id?: string, extra: ReturnType<typeof opt.ifid>[] = []): MessageJson =>
  relay(12, 0, link, 'fe80::1', inner, ...extra, ...(id === undefined ? [] : [opt.relayId(id)]));

/** One relayed Information-request per entry: [source address, Relay-ID], a second apart, sent to SERVER. */
function forwards(list: Array<[string, string | undefined]>): UdpScenario {
  const sc = new UdpScenario();
  list.forEach(([src, id], i) => sc.send(i, src, SERVER, fwd(src.startsWith('fe80') ? '2001:db8:7::1' : src, inform(0x100 + i), id), { srcPort: 547 }));
  return sc;
}

const run = (sc: UdpScenario, opts: Parameters<typeof runRule>[2] = {}) => runRule(ID, scenarioEvents(sc), opts);
const brief = (sc: UdpScenario, opts: Parameters<typeof runRule>[2] = {}) =>
  run(sc, opts).map((f) => [messageIdOf(ID, f), f.verdict, f.severity, f.frames]);

describe(ID, () => {
  it('accepts a relay that keeps its Relay-ID, and relays that send none', () => {
    expect(run(forwards([[R1, llt(1000)], [R2, EN], [R1, llt(1000)], [R2, undefined], [R1, llt(1000)], [R2, EN]]))).toEqual([]);
    expect(run(forwards([[R1, undefined], [R1, undefined]]))).toEqual([]);
  });

  it('is inconclusive, once, at the end of the capture, when a relay changes its DUID: one relay or a failover?', () => {
    const f = run(forwards([[R1, EN], [R1, EN], [R2, llt(5)], [R1, duidLL(0x99)], [R1, duidLL(0x99)]]));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.level, x.frames])).toEqual([[ID, 'inconclusive', 'warning', 'SHOULD', [2, 4]]]);
    expect(f[0].message).toBe(`Relay ${R1} changed the DUID in its Relay-ID from ${EN} to ${duidLL(0x99)}: either the relay made a new DUID, where it should keep its DUID in stable storage so that servers can go on answering QUERY_BY_RELAY_ID for its bindings, or several relays share this address (a VRRP or anycast failover), which the capture cannot tell apart.`);
    expect(f[0].spec).toEqual({ doc: 'RFC 5460', section: '5.4.1' });
  });

  it('counts several changes that never come back (inconclusive too)', () => {
    expect(brief(forwards([[R1, EN], [R1, duidLL(0x98)], [R1, duidLL(0x99)]]))).toEqual([['changed-often', 'inconclusive', 'warning', [1, 2, 3]]]);
  });

  it('names the same device when both DUIDs come from one link-layer address (a regenerated DUID-LLT)', () => {
    expect(brief(forwards([[R1, llt(1000)], [R1, llt(1000)], [R1, llt(2000)]]))).toEqual([['same-device', 'violation', 'warning', [2, 3]]]);
    // DUID-LL and DUID-LLT of the same MAC are one device too; another MAC is not.
    expect(brief(forwards([[R1, '000300010200000000' + '01'], [R1, llt(7)]]))).toEqual([['same-device', 'violation', 'warning', [1, 2]]]);
    expect(brief(forwards([[R1, llt(1000, 1)], [R1, llt(2000, 2)]]))).toEqual([['changed', 'inconclusive', 'warning', [1, 2]]]);
  });

  it('keeps the same device a warning when its old DUID comes back: later frames do not undo it', () => {
    // Found by the pipeline fuzz test's prefix check: what the first frames decide, the whole capture decides too.
    const first = brief(forwards([[R1, llt(1000)], [R1, llt(2000)]]));
    expect(first).toEqual([['same-device', 'violation', 'warning', [1, 2]]]);
    expect(brief(forwards([[R1, llt(1000)], [R1, llt(2000)], [R1, llt(1000)]]))).toEqual(first);
  });

  it('is inconclusive when a replaced DUID comes back: several relays behind one address (anycast, VRRP)', () => {
    expect(brief(forwards([[R1, EN], [R1, duidLL(0x99)], [R1, duidLL(0x99)], [R1, EN], [R1, duidLL(0x99)]])))
      .toEqual([['several', 'inconclusive', 'warning', [1, 2, 4]]]);
    // Three relays in turn: the first value returning is recognised too.
    expect(brief(forwards([[R1, EN], [R1, duidLL(0x98)], [R1, duidLL(0x99)], [R1, EN]]))).toEqual([['several', 'inconclusive', 'warning', [1, 2, 4]]]);
  });

  it('is inconclusive for a change from a link-local source (the link is not in the capture)', () => {
    expect(brief(forwards([['fe80::5', EN], ['fe80::5', duidLL(0x99)]]))).toEqual([['link-local', 'inconclusive', 'warning', [1, 2]]]);
    // Unless both DUIDs name one device.
    expect(brief(forwards([['fe80::5', llt(1)], ['fe80::5', llt(2)]]))).toEqual([['same-device', 'violation', 'warning', [1, 2]]]);
  });

  it('reports a Relay-ID that is not laid out as a DUID, once per relay and value', () => {
    const shortLlt = '000100010000000a'; // type 1 with hardware type and time but no link-layer address
    const f = run(forwards([[R1, shortLlt], [R1, shortLlt], [R2, '0004' + '00'.repeat(15)], [R2, '0004' + '00'.repeat(15)]]));
    expect(f.map((x) => [messageIdOf(ID, x), x.verdict, x.severity, x.frames])).toEqual([
      ['not-a-duid', 'violation', 'warning', [1]],
      ['not-a-duid', 'violation', 'warning', [3]],
    ]);
    expect(f[0].message).toBe(`Relay ${R1} sent Relay-ID ${shortLlt}, which is not a DUID: a DUID-LLT needs a hardware type, a time and a link-layer address (at least 9 octets), this one has 8 (RFC 8415 §11).`);
    // Short DUID-EN and DUID-LL; unknown types are opaque; a long UUID is wrong too.
    expect(brief(forwards([[R1, '0002000000090a']]))).toEqual([]);
    expect(brief(forwards([[R1, '000200000009']]))).toEqual([['not-a-duid', 'violation', 'warning', [1]]]);
    expect(brief(forwards([[R1, '00030001']]))).toEqual([['not-a-duid', 'violation', 'warning', [1]]]);
    expect(brief(forwards([[R1, '00ff01']]))).toEqual([]);
    expect(brief(forwards([[R1, '0004' + '00'.repeat(17)]]))).toEqual([['not-a-duid', 'violation', 'warning', [1]]]);
  });

  it('stands aside for a Relay-ID of a bad length, which DECODE-DHCPV6 reports (one defect, one finding)', async () => {
    const sc = forwards([[R1, '0001'], [R1, EN]]);
    expect(run(sc)).toEqual([]);
    const report = await analyze([{ stream: Readable.from([scenarioPcapng(sc)]), name: 'bad-length' }]);
    expect(report.findings.map((f) => [f.ruleId, f.frames])).toEqual([['DECODE-DHCPV6', [1]]]);
  });

  it('keys each relay level on the relay that built it: an inner level by the peer-address around it', () => {
    // R1's Relay-forward captured on its way to R2, then R2's around it on its way to the server: R1's
    // Relay-ID is at level 0 of the first and level 1 of the second, R2's at level 0 of the second.
    const sc = new UdpScenario();
    for (let i = 0; i < 3; i++) {
      const r1 = fwd(R1, inform(0x200 + i), EN);
      sc.send(i, R1, R2, r1, { srcPort: 547 });
      sc.send(i + 0.001, R2, SERVER, relay(12, 1, '::', R1, r1, opt.relayId(llt(9))), { srcPort: 547 });
    }
    expect(run(sc)).toEqual([]);
    // R1 then changes its Relay-ID, seen only inside R2's forwards: R1's change, not R2's.
    sc.send(5, R2, SERVER, relay(12, 1, '::', R1, fwd(R1, inform(0x210), duidLL(0x42)), opt.relayId(llt(9))), { srcPort: 547 });
    const f = run(sc);
    expect(f.map((x) => [messageIdOf(ID, x), x.verdict, x.frames])).toEqual([['changed', 'inconclusive', [6, 7]]]);
    expect(f[0].message).toContain(`Relay ${R1} changed`);
  });

  it('scopes a link-local inner relay by the link the outer level names', () => {
    // Two first-hop relays both at fe80::1, on two links of R2 (link-address set, RFC 8415 §19.1.2).
    const sc = new UdpScenario();
    const via = (t: number, link: string, id: string) =>
      sc.send(t, R2, SERVER, relay(12, 1, link, 'fe80::1', fwd('2001:db8:5::1', inform(0x300 + t), id), opt.relayId(llt(9))), { srcPort: 547 });
    via(0, '2001:db8:2:1::1', EN); via(1, '2001:db8:2:2::1', duidLL(0x99)); via(2, '2001:db8:2:1::1', EN); via(3, '2001:db8:2:2::1', duidLL(0x99));
    expect(run(sc)).toEqual([]);
    // With neither link-address nor Interface-Id, fe80::1 cannot be placed: a change is inconclusive.
    const bare = new UdpScenario();
    bare.send(0, R2, SERVER, relay(12, 1, '::', 'fe80::1', fwd('2001:db8:5::1', inform(1), EN)), { srcPort: 547 });
    bare.send(1, R2, SERVER, relay(12, 1, '::', 'fe80::1', fwd('2001:db8:5::1', inform(2), duidLL(0x99))), { srcPort: 547 });
    const f = run(bare);
    expect(f.map((x) => [messageIdOf(ID, x), x.verdict, x.frames])).toEqual([['link-local', 'inconclusive', [1, 2]]]);
    expect(f[0].message).toContain(`fe80::1 (behind ${R2})`);
    // Named by an Interface-Id instead, each is its own relay.
    const ifid = new UdpScenario();
    ifid.send(0, R2, SERVER, relay(12, 1, '::', 'fe80::1', fwd('2001:db8:5::1', inform(1), EN), opt.ifid('01')), { srcPort: 547 });
    ifid.send(1, R2, SERVER, relay(12, 1, '::', 'fe80::1', fwd('2001:db8:5::1', inform(2), duidLL(0x99)), opt.ifid('02')), { srcPort: 547 });
    expect(run(ifid)).toEqual([]);
  });

  it('judges Relay-forwards only, not Relay-replies or client messages', () => {
    const sc = new UdpScenario();
    sc.send(0, R1, SERVER, fwd(R1, sel.solicit(0x10), EN), { srcPort: 547 });
    sc.answer(0.01, SERVER, R1, relay(13, 0, R1, 'fe80::1', sel.advertise(0x10, duidLL(0x101)), opt.relayId(duidLL(0x99))), { dstPort: 547 });
    sc.send(0.02, 'fe80::1', 'ff02::1:2', m(11, 0x11, opt.clientId(duidLL(1)), opt.relayId(duidLL(0x98))));
    expect(run(sc)).toEqual([]);
  });

  it('follows at most max-relays relays and says so once (inconclusive); the rest are judged for layout only', () => {
    const sc = forwards([[R1, EN], [R2, EN], ['2001:db8:3::1', '000200000009'], [R2, duidLL(0x99)], [R1, EN]]);
    const cfg = { rules: { [ID]: { options: { 'max-relays': 1 } } } };
    expect(brief(sc, { config: cfg })).toEqual([
      ['limit', 'inconclusive', 'warning', [2]],
      ['not-a-duid', 'violation', 'warning', [3]],
    ]);
    expect(brief(sc)).toEqual([['changed', 'inconclusive', 'warning', [2, 4]], ['not-a-duid', 'violation', 'warning', [3]]]);
  });

  it('reads OPTION_RELAY_ID at the code a draft-01 configuration gives it', () => {
    const id250 = (id: string) => ({ code: 250, hex: id });
    const sc = new UdpScenario();
    sc.send(0, R1, SERVER, relay(12, 0, R1, 'fe80::1', inform(1), id250(EN)), { srcPort: 547 });
    sc.send(1, R1, SERVER, relay(12, 0, R1, 'fe80::1', inform(2), id250(duidLL(0x99))), { srcPort: 547 });
    const config = { codes: { 'LEASEQUERY-DONE': 246, 'LEASEQUERY-DATA': 247, OPTION_RELAY_ID: 250, QueryTerminated: 240 } };
    expect(brief(sc, { profile: 'draft-01', config })).toEqual([['changed', 'inconclusive', 'warning', [1, 2]]]);
    expect(brief(sc)).toEqual([]);
  });
});
