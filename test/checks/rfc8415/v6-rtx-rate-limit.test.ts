// V6-RTX-RATE-LIMIT: more than 20 client messages from one client interface in any 20 s window, counting
// retransmissions once each and copies not at all; cloned DUIDs on other addresses or links apart.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, UdpScenario, duidLL, fromClient, m, opt, relay, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'V6-RTX-RATE-LIMIT';
const run = (sc: UdpScenario, options?: object) =>
  runRule(ID, scenarioEvents(sc), options ? { config: { rules: { [ID]: { options } } } as never } : {})
    .map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.client?.address, messageIdOf(ID, f)]);
const solicit = (xid: number, elapsed = 0, duid = CLIENT) => m(1, xid, opt.clientId(duid), opt.elapsed(elapsed), opt.oro(82), opt.iaNa(1));
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

/** `n` Solicits with new xids, `gap` seconds apart, from the client on its link. */
function loop(n: number, gap: number, sc = new UdpScenario(), t0 = 0, xid0 = 0x100): UdpScenario {
  for (let i = 0; i < n; i++) fromClient(sc, t0 + i * gap, solicit(xid0 + i));
  return sc;
}

describe(ID, () => {
  it('reports the 21st message within 20 s once, as a warning, with the 21 as evidence (RFC 8415 §14.1)', () => {
    expect(run(loop(21, 0.9))).toEqual([[ID, 'violation', 'warning', range(21), CLIENT_ADDR, 'burst']]);
  });

  it('accepts 20 in 20 s, and 21 spread over 20 s', () => {
    expect(run(loop(20, 0.5))).toEqual([]);
    expect(run(loop(21, 1))).toEqual([]);
  });

  it('reports a continuing burst once, and a new burst after the rate fell back', () => {
    const sc = loop(40, 0.5);
    loop(21, 0.5, sc, 60, 0x200);
    expect(run(sc)).toEqual([
      [ID, 'violation', 'warning', range(21), CLIENT_ADDR, 'burst'],
      [ID, 'violation', 'warning', range(21, 41), CLIENT_ADDR, 'burst'],
    ]);
  });

  it('counts retransmissions: one xid sent again and again', () => {
    const sc = new UdpScenario();
    for (let i = 0; i < 21; i++) fromClient(sc, i * 0.5, solicit(0x300, i * 50));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', range(21), CLIENT_ADDR, 'burst']]);
  });

  it('counts messages of unassigned types too (RFC 8415 §14.1 limits every DHCP message), retransmissions and all', () => {
    // 15 Solicits, then 6 transmissions of a type-40 message (none assigned), one xid, Elapsed Time rising,
    // all within 20 s: 21 messages. Its copy relayed moments later is one transmission, not a 22nd.
    const sc = loop(15, 0.5);
    const odd = (elapsed: number) => m(40, 0x500, opt.clientId(CLIENT), opt.elapsed(elapsed));
    for (let i = 0; i < 6; i++) {
      fromClient(sc, 8 + i, odd(i * 100));
      sc.send(8 + i + 0.001, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, odd(i * 100)), { srcPort: 547 });
    }
    const frames = [...range(15), ...range(6).map((i) => 14 + 2 * i)];
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', frames, CLIENT_ADDR, 'burst']]);
    // Five of them: 20 in all, no finding.
    const fewer = loop(15, 0.5);
    for (let i = 0; i < 5; i++) fromClient(fewer, 8 + i, odd(i * 100));
    expect(run(fewer)).toEqual([]);
  });

  it('takes the window and the count from its options', () => {
    expect(run(loop(4, 1), { window: 5, 'max-messages': 3 })).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4], CLIENT_ADDR, 'burst']]);
    expect(run(loop(4, 2), { window: 5, 'max-messages': 3 })).toEqual([]);
  });

  it('counts a transmission seen bare and relayed once', () => {
    const sc = new UdpScenario();
    for (let i = 0; i < 15; i++) {
      fromClient(sc, i, solicit(0x400 + i));
      sc.send(i + 0.001, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, solicit(0x400 + i)), { srcPort: 547 });
    }
    expect(run(sc)).toEqual([]);
  });

  it('counts once a copy from a second capture point whose clock is 0.7 s late (beyond the copy window)', () => {
    const sc = new UdpScenario();
    for (let i = 0; i < 15; i++) {
      fromClient(sc, i, solicit(0x500 + i));
      fromClient(sc, i + 0.7, solicit(0x500 + i));
    }
    expect(run(sc)).toEqual([]);
  });

  it('counts cloned DUIDs on other addresses, or behind other relays, apart', () => {
    const two = new UdpScenario();
    for (let i = 0; i < 12; i++) {
      fromClient(two, i, solicit(0x600 + i));
      two.send(i + 0.5, 'fe80::2', 'ff02::1:2', solicit(0x700 + i));
    }
    expect(run(two)).toEqual([]);
    const links = new UdpScenario();
    for (let i = 0; i < 12; i++) {
      for (const link of ['2001:db8:1::1', '2001:db8:2::1']) {
        links.send(i + (link.endsWith('2::1') ? 0.5 : 0), link, '2001:db8:ffff::a', relay(12, 0, link, CLIENT_ADDR, solicit(0x800 + i)), { srcPort: 547 });
      }
    }
    expect(run(links)).toEqual([]);
    // One of the clones in a loop is reported, on its own.
    const loops = loop(21, 0.4);
    for (let i = 0; i < 12; i++) loops.send(8.5 + i, 'fe80::2', 'ff02::1:2', solicit(0x700 + i));
    expect(run(loops)).toEqual([[ID, 'violation', 'warning', range(21), CLIENT_ADDR, 'burst']]);
  });

  it('keeps counting across the growth of its ring (thousands of clients in the window)', () => {
    const sc = new UdpScenario();
    const frames: number[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = i * 0.005;
      if (i % 100 === 0 && frames.length < 21) {
        fromClient(sc, t, solicit(0xc00 + i));
        frames.push(sc.datagrams.length);
      }
      sc.send(t + 0.001, `fe80::1:${i.toString(16)}`, 'ff02::1:2', solicit(0x10000 + i, 0, duidLL(0x1000 + i)));
    }
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', frames, CLIENT_ADDR, 'burst']]);
  });

  it('does not count leasequery requestors', () => {
    const sc = new UdpScenario();
    for (let i = 0; i < 25; i++) sc.add({ time: i * 0.1, src: '2001:db8::50', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: m(14, 0xa00 + i, opt.clientId(duidLL(0x50)), opt.lqQuery(1, '::')) });
    expect(run(sc)).toEqual([]);
  });

  it('says once when more transmissions than max-tracked are held', () => {
    const sc = new UdpScenario();
    for (let c = 0; c < 4; c++) sc.send(c * 0.1, `fe80::${c + 2}`, 'ff02::1:2', solicit(0xb00 + c, 0, duidLL(0x10 + c)));
    expect(run(sc, { 'max-tracked': 2 })).toEqual([[ID, 'inconclusive', 'warning', [3], 'fe80::4', 'limit']]);
  });
});
