// V6-RELAY-LINKADDR-IFID: the first relay that can name the client's link does (RFC 8415 §19.1.1,
// §19.1.2), lightweight relays (RFC 6221) excepted; once per relay and defect.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, UdpScenario, codec, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';
import type { MessageJson } from '../../../src/dhcpv6/encode.js';

const ID = 'V6-RELAY-LINKADDR-IFID';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.level, f.frames, f.xid, f.message]);
/** A Relay-forward datagram from `src` to the server. */
const up = (sc: UdpScenario, t: number, src: string, msg: MessageJson, extra: { snap?: number } = {}) =>
  sc.add({ time: t, src, dst: '2001:db8:9::1', srcPort: 547, dstPort: 547, message: msg, ...extra });

const R1 = '2001:db8:1::1';
const LDRA_LL = 'fe80::99';
const LDRA_IFID = '706f72742d33'; // "port-3"
const UNSPEC = (relayAddr: string) => `Relay ${relayAddr} forwards the client's message with link-address :: and no Interface-Id: neither names the client's link, so the server cannot place the client by it and the answer has no stated way back.`;

describe(ID, () => {
  it('warns once about a first-hop relay that sends link-address :: without an Interface-Id', () => {
    const sc = new UdpScenario();
    up(sc, 0, R1, relay(12, 0, '::', 'fe80::1', sel.solicit(0x10)));
    up(sc, 1.05, R1, relay(12, 0, '::', 'fe80::1', sel.solicit(0x10, 105)));
    up(sc, 5, R1, relay(12, 0, '::', 'fe80::2', sel.request(0x11, SRV_A)));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', 'MUST', [1], 0x10, UNSPEC(R1)]]);
    const f = runRule(ID, scenarioEvents(sc))[0];
    expect(f.client).toEqual({ duid: '00030001020000000001', address: 'fe80::1' });
  });

  it('reports each relay on its own', () => {
    const sc = new UdpScenario();
    up(sc, 0, R1, relay(12, 0, '::', 'fe80::1', sel.solicit(0x10)));
    up(sc, 0.5, '2001:db8:3::1', relay(12, 0, '::', 'fe80::3', sel.solicit(0x12)));
    expect(run(sc).map((r) => [r[4], r[5], r[6]])).toEqual([[[1], 0x10, UNSPEC(R1)], [[2], 0x12, UNSPEC('2001:db8:3::1')]]);
  });

  it('accepts a global link-address, with or without an Interface-Id, and :: with an Interface-Id', () => {
    const sc = new UdpScenario();
    up(sc, 0, R1, relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10)));
    up(sc, 1, R1, relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x11), opt.ifid('65746830')));
    // An LDRA talking straight to a server on its uplink (RFC 6221): :: and its Interface-Id.
    up(sc, 2, LDRA_LL, relay(12, 0, '::', 'fe80::1', sel.solicit(0x12), opt.ifid(LDRA_IFID)));
    expect(run(sc)).toEqual([]);
  });

  it('judges the relay above a lightweight relay by RFC 8415 §19.1.2', () => {
    const ldra = (xid: number) => relay(12, 0, '::', 'fe80::1', sel.solicit(xid), opt.ifid(LDRA_IFID));
    const ok = new UdpScenario();
    up(ok, 0, R1, relay(12, 1, '2001:db8:1::1', LDRA_LL, ldra(0x10))); // a global address of the receiving interface
    up(ok, 1, R1, relay(12, 1, '::', LDRA_LL, ldra(0x11), opt.ifid('65746830'))); // or an Interface-Id
    up(ok, 2, R1, relay(12, 1, '::', '2001:db8:1::99', ldra(0x12))); // received from a global address: 0 is right
    // Two LDRAs chained (the outer one trusts the inner one's port), then the router relay.
    up(ok, 3, R1, relay(12, 2, '2001:db8:1::1', LDRA_LL, relay(12, 1, '::', 'fe80::98', ldra(0x13), opt.ifid('75706c696e6b'))));
    // Captured between the LDRA and its relay: nothing above the LDRA to judge.
    up(ok, 4, LDRA_LL, ldra(0x14));
    expect(run(ok)).toEqual([]);

    const bad = new UdpScenario();
    up(bad, 0, R1, relay(12, 1, '::', LDRA_LL, ldra(0x10)));
    up(bad, 1, R1, relay(12, 1, '::', LDRA_LL, ldra(0x11)));
    expect(run(bad)).toEqual([[ID, 'violation', 'warning', 'MUST', [1], 0x10,
      `Relay ${R1} forwards a lightweight relay's Relay-forward (link-address ::, with an Interface-Id) received from ${LDRA_LL}, not a global address, with link-address :: and no Interface-Id: no level names the client's link.`]]);
  });

  it('names the relay by the address the next relay recorded when it is not the outermost', () => {
    const sc = new UdpScenario();
    // R1 (first hop, ::, no Interface-Id) relayed further by R2: R1 is R2's peer-address.
    up(sc, 0, '2001:db8:2::1', relay(12, 1, '2001:db8:2::1', R1, relay(12, 0, '::', 'fe80::1', sel.solicit(0x10)), opt.ifid('657468312e3130')));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', 'MUST', [1], 0x10, UNSPEC(R1)]]);
  });

  it('reports a link-local link-address at info, once per relay and address', () => {
    const sc = new UdpScenario();
    up(sc, 0, R1, relay(12, 0, 'fe80::1:1', 'fe80::1', sel.solicit(0x10), opt.ifid('65746830')));
    up(sc, 1, R1, relay(12, 0, 'fe80::1:1', 'fe80::1', sel.solicit(0x11)));
    up(sc, 2, R1, relay(12, 0, 'fe80::2:1', 'fe80::5', sel.solicit(0x12)));
    up(sc, 3, R1, relay(12, 0, 'fe8::1', 'fe80::5', sel.solicit(0x13))); // 0fe8::1 is no link-local address
    expect(run(sc)).toEqual([
      [ID, 'violation', 'info', 'SHOULD NOT', [1], 0x10,
        `Relay ${R1} names the client's link by the link-local address fe80::1:1; a global or ULA address of the link is recommended, since a link-local one means extra configuration on the server.`],
      [ID, 'violation', 'info', 'SHOULD NOT', [3], 0x12,
        `Relay ${R1} names the client's link by the link-local address fe80::2:1; a global or ULA address of the link is recommended, since a link-local one means extra configuration on the server.`],
    ]);
  });

  it('leaves Relay-reply levels and a Relay-forward without a Relay Message alone', () => {
    const sc = new UdpScenario();
    sc.answer(0, '2001:db8:9::1', R1, relay(13, 0, '::', 'fe80::1', sel.reply(0x10, SRV_A)), { dstPort: 547 });
    up(sc, 1, R1, { msgType: 12, hopCount: 0, linkAddress: '::', peerAddress: 'fe80::1', options: [opt.ifid('65746830')] });
    up(sc, 2, R1, { msgType: 12, hopCount: 0, linkAddress: '::', peerAddress: 'fe80::1', options: [] });
    expect(run(sc)).toEqual([]);
  });

  describe('trap TRUNC: an Interface-Id after the Relay Message option may be cut off', () => {
    const inner = sel.solicit(0x10);
    const ifidLast = (xid: number, ifid = true): MessageJson => ({
      msgType: 12, hopCount: 0, linkAddress: '::', peerAddress: 'fe80::1',
      options: [{ code: 9, message: sel.solicit(xid) }, ...(ifid ? [opt.ifid('65746830')] : [])],
    });
    const snap = 34 + 4 + codec.encodeMessage(inner).length + 2; // the cut falls inside the Interface-Id

    it('is inconclusive when no whole datagram of the relay settles it', () => {
      const sc = new UdpScenario();
      up(sc, 0, R1, ifidLast(0x10), { snap });
      up(sc, 1, R1, ifidLast(0x11), { snap });
      expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', 'MUST', [1], 0x10,
        `Relay ${R1} forwards the client's message with link-address :: and no Interface-Id in the part captured, but the datagram was cut by the snaplen or malformed: an Interface-Id may have been lost.`]]);
    });

    it('gives way to what a whole datagram of the relay shows', () => {
      const added = new UdpScenario();
      up(added, 0, R1, ifidLast(0x10), { snap });
      up(added, 1, R1, ifidLast(0x11)); // whole: the relay adds its Interface-Id
      expect(run(added)).toEqual([]);
      const lacking = new UdpScenario();
      up(lacking, 0, R1, ifidLast(0x10), { snap });
      up(lacking, 1, R1, ifidLast(0x11, false)); // whole, and it has none: the defect itself
      expect(run(lacking)).toEqual([[ID, 'violation', 'warning', 'MUST', [2], 0x11, UNSPEC(R1)]]);
    });

    it('says nothing of a datagram cut inside the relay header', () => {
      const sc = new UdpScenario();
      up(sc, 0, R1, ifidLast(0x10), { snap: 20 });
      expect(run(sc)).toEqual([]);
    });
  });
});
