// V6-VAL-MULTICAST-ONLY-TYPES: Solicit/Confirm/Rebind/Information-request sent by unicast and answered.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, fromServer, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-VAL-MULTICAST-ONLY-TYPES';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, messageIdOf(ID, f)]);
const A = 'fe80::a';
const unicast = (sc: UdpScenario, t: number, msg: ReturnType<typeof m>, hopLimit = 64) => sc.send(t, CLIENT_ADDR, A, msg, { hopLimit });
const rebind = (xid: number) => m(6, xid, opt.clientId(CLIENT), opt.elapsed(0), opt.iaNa(1, opt.iaAddr('2001:db8::a')));
/** OPTION_UNICAST (RFC 8415 §21.12): the server names its own address, which proves where a unicast went. */
const unicastOpt = (address: string) => ({ code: 12, value: { serverAddress: address } });
const replyA = (xid: number, ...extra: Parameters<typeof opt.status>[]) =>
  m(7, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), ...extra.map((s) => opt.status(...s)));

describe(ID, () => {
  it('reports a Reply to a Rebind and an Advertise to a Solicit sent to the server by unicast', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x20));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x20, SRV_A, unicastOpt(A)));
    unicast(sc, 1, sel.solicit(0x21, 0, opt.oro(82)));
    fromServer(sc, 1.01, SRV_A, sel.advertise(0x21, SRV_A, undefined, true, unicastOpt(A)));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x20, 'answered'], [ID, 'violation', 'error', [3, 4], 0x21, 'answered']]);
  });

  it('reports a Confirm answered, once per exchange', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, m(4, 0x22, opt.clientId(CLIENT), opt.elapsed(0), opt.iaNa(1, opt.iaAddr('2001:db8::a'))));
    fromServer(sc, 0.01, SRV_A, m(7, 0x22, opt.clientId(CLIENT), opt.serverId(SRV_A), unicastOpt(A), opt.status(0)));
    fromServer(sc, 0.9, SRV_A, replyA(0x22));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x22, 'answered']]);
  });

  it('accepts silence and a UseMulticast answer (RFC 8415 §18.4, catalog Q12)', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x23));
    fromServer(sc, 0.01, SRV_A, replyA(0x23, [5, 'use multicast']));
    unicast(sc, 1, rebind(0x24));
    expect(run(sc)).toEqual([]);
  });

  it('grades an UnspecFail-only answer as a warning', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x25));
    fromServer(sc, 0.01, SRV_A, replyA(0x25, [1]));
    // The server's own address, from its Server Unicast option in another answer.
    fromServer(sc, 5, SRV_A, sel.reply(0x1f, SRV_A, unicastOpt(A)));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2], 0x25, 'unspecfail']]);
  });

  it('leaves multicast and relayed messages alone (trap RELAY), and unicast-allowed types', () => {
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, 'ff02::1:2', rebind(0x26));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x26, SRV_A));
    // A relay unicasts its Relay-forward; the server answers with a Relay-reply.
    sc.send(1, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, rebind(0x27)), { srcPort: 547 });
    sc.answer(1.01, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, sel.reply(0x27, SRV_A)), { dstPort: 547 });
    // Renew may be unicast (RFC 8415 §18.4 with Server Unicast): not this rule's.
    unicast(sc, 2, m(5, 0x28, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.iaNa(1)));
    fromServer(sc, 2.01, SRV_A, sel.reply(0x28, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the same transmission was also seen multicast (a rewritten copy)', () => {
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, 'ff02::1:2', rebind(0x29));
    unicast(sc, 0.0001, rebind(0x29));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x29, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x29, 'also-multicast']]);
  });

  it('is inconclusive for hop limit 1, several answering servers, and an Information-request', () => {
    const hop = new UdpScenario();
    unicast(hop, 0, rebind(0x2a), 1);
    fromServer(hop, 0.01, SRV_A, sel.reply(0x2a, SRV_A, unicastOpt(A)));
    expect(run(hop)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x2a, 'hop-limit-1']]);
    const two = new UdpScenario();
    unicast(two, 0, rebind(0x2b));
    fromServer(two, 0.01, SRV_A, sel.reply(0x2b, SRV_A));
    fromServer(two, 0.02, SRV_B, sel.reply(0x2b, SRV_B));
    expect(run(two)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x2b, 'several-servers']]);
    const info = new UdpScenario();
    unicast(info, 0, m(11, 0x2c, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23)));
    fromServer(info, 0.01, SRV_A, replyA(0x2c));
    expect(run(info)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x2c, 'server-unicast']]);
  });

  // A capture on the client's link cannot tell a server from a relay agent: both answer bare, from
  // their own address, with the server's Server-ID (RFC 8415 §19.3). §16 judges the destination the
  // server received, which for a relayed message is the relay's Relay-forward, not the client's datagram.
  it('is inconclusive when nothing shows the unicast destination is the answering server (it may be a relay)', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x30));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x30, SRV_A));
    unicast(sc, 1, sel.solicit(0x31, 0, opt.oro(82)));
    fromServer(sc, 1.01, SRV_A, sel.advertise(0x31, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x30, 'destination-unproven'], [ID, 'inconclusive', 'error', [3, 4], 0x31, 'destination-unproven']]);
  });

  it('is inconclusive when the destination is seen acting as a relay, even later in the capture and despite a Server Unicast option', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x32));
    // The relay passes the server's answer on unchanged, Server Unicast option included.
    fromServer(sc, 0.01, SRV_A, sel.reply(0x32, SRV_A, unicastOpt(A)));
    // Later, the same address relays another client's Solicit upstream (RFC 8415 §19.1).
    sc.send(5, A, '2001:db8:ffff::1', relay(12, 0, '2001:db8:1::1', 'fe80::77', sel.solicit(0x33)), { srcPort: 547 });
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x32, 'relay-destination']]);
    const down = new UdpScenario();
    unicast(down, 0, rebind(0x34));
    fromServer(down, 0.01, SRV_A, sel.reply(0x34, SRV_A, unicastOpt(A)));
    // A Relay-reply sent to the address: a server answering it as a relay (RFC 8415 §19.3).
    down.answer(3, '2001:db8:ffff::1', A, relay(13, 0, '2001:db8:1::1', 'fe80::77', sel.reply(0x35, SRV_A)), { dstPort: 547 });
    expect(run(down)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x34, 'relay-destination']]);
  });

  it('reports a violation when the destination sent Relay-replies carrying the same server\'s answers (a capture on the server)', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x36));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x36, SRV_A));
    sc.send(1, '2001:db8:1::1', A, relay(12, 0, '2001:db8:1::1', 'fe80::77', sel.solicit(0x37)), { srcPort: 547 });
    sc.answer(1.01, A, '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::77', sel.advertise(0x37, SRV_A)), { dstPort: 547 });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x36, 'answered']]);
  });

  it('does not take another server\'s Server Unicast option as proof', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x38));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x38, SRV_A));
    fromServer(sc, 2, SRV_B, sel.reply(0x39, SRV_B, unicastOpt(A)));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x38, 'destination-unproven']]);
  });

  it('is inconclusive past max-tracked-addresses (nothing is proven once addresses were dropped)', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x3a));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x3a, SRV_A, unicastOpt(A)));
    sc.send(1, '2001:db8:1::1', '2001:db8:ffff::1', relay(12, 0, '2001:db8:1::1', 'fe80::77', sel.solicit(0x3b)), { srcPort: 547 });
    sc.send(2, '2001:db8:2::1', '2001:db8:ffff::1', relay(12, 0, '2001:db8:2::1', 'fe80::78', sel.solicit(0x3c)), { srcPort: 547 });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x3a, 'answered']]);
    const capped = { config: { rules: { [ID]: { options: { 'max-tracked-addresses': 1 } } } } };
    expect(runRule(ID, scenarioEvents(sc), capped).map((f) => [f.verdict, f.frames, messageIdOf(ID, f)])).toEqual([['inconclusive', [1, 2], 'destination-unproven']]);
  });

  it('is inconclusive when the only answer was cut by the snaplen (its UseMulticast status may be lost)', () => {
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, A, rebind(0x3d));
    // Reply: header 4, Client-ID 14, Server-ID 14, Server Unicast 20, then Status Code UseMulticast, cut off.
    sc.answer(0.01, A, CLIENT_ADDR, m(7, 0x3d, opt.clientId(CLIENT), opt.serverId(SRV_A), unicastOpt(A), opt.status(5, 'use multicast')), { snap: 52 });
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x3d, 'damaged-answer']]);
    // Cut after an UnspecFail status: whether it was UnspecFail alone (a warning) or more (an error) is lost too.
    const unspec = new UdpScenario();
    unspec.send(0, CLIENT_ADDR, A, rebind(0x3e));
    unspec.answer(0.01, A, CLIENT_ADDR, m(7, 0x3e, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(1, 'unicast'), unicastOpt(A)), { snap: 40 });
    expect(run(unspec)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x3e, 'damaged-answer']]);
  });

  it('reports a cut answer whose captured part shows another first status and more than a bare status', () => {
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, A, rebind(0x40));
    // Reply: header 4, Client-ID 14, Server-ID 14, Server Unicast 20, Status Code Success 6 (ends at 58), IA_NA cut.
    sc.answer(0.01, A, CLIENT_ADDR, m(7, 0x40, opt.clientId(CLIENT), opt.serverId(SRV_A), unicastOpt(A), opt.status(0), opt.iaNa(1, opt.iaAddr('2001:db8::a'))), { snap: 64 });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x40, 'answered']]);
  });

  it('counts a server whose direct answer was cut among those that answered (several servers: inconclusive)', () => {
    const sc = new UdpScenario();
    unicast(sc, 0, rebind(0x41));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x41, SRV_A, unicastOpt(A)));
    sc.answer(0.02, 'fe80::b', CLIENT_ADDR, sel.reply(0x41, SRV_B), { snap: 40 });
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x41, 'several-servers']]);
  });
});
