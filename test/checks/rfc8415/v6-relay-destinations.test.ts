// V6-RELAY-DESTINATIONS: a Relay-forward to All_DHCP_Servers with a hop limit above 8; values at or
// below 8 (routers lower it) and other destinations are not judged.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { UdpScenario, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-RELAY-DESTINATIONS';
const run = (sc: UdpScenario, options?: object) =>
  runRule(ID, scenarioEvents(sc), options ? { config: { rules: { [ID]: { options } } } as never } : {})
    .map((f) => [f.ruleId, f.verdict, f.severity, f.frames, messageIdOf(ID, f), f.message]);
const fwd = (sc: UdpScenario, t: number, src: string, dst: string, hopLimit: number, xid: number) =>
  sc.send(t, src, dst, relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(xid)), { srcPort: 547, hopLimit });

describe(ID, () => {
  it('notes a relay multicasting to ff05::1:3 with hop limit 64, once per relay', () => {
    const sc = new UdpScenario();
    fwd(sc, 0, '2001:db8:1::1', 'ff05::1:3', 64, 0x10);
    fwd(sc, 5, '2001:db8:1::1', 'ff05::1:3', 64, 0x11);
    fwd(sc, 6, '2001:db8:2::1', 'ff05::1:3', 9, 0x12);
    expect(run(sc)).toEqual([
      [ID, 'violation', 'info', [1], 'hop-limit', 'Relay 2001:db8:1::1 sent a Relay-forward to All_DHCP_Servers (ff05::1:3) with hop limit 64; a relay multicasting to servers sets it to 8, and routers on the way only lower it.'],
      [ID, 'violation', 'info', [3], 'hop-limit', 'Relay 2001:db8:2::1 sent a Relay-forward to All_DHCP_Servers (ff05::1:3) with hop limit 9; a relay multicasting to servers sets it to 8, and routers on the way only lower it.'],
    ]);
  });
  it('accepts 8, and a lower value routers may have made of 8', () => {
    const sc = new UdpScenario();
    fwd(sc, 0, '2001:db8:1::1', 'ff05::1:3', 8, 0x10);
    fwd(sc, 1, '2001:db8:2::1', 'ff05::1:3', 6, 0x11);
    fwd(sc, 2, '2001:db8:3::1', 'ff05::1:3', 1, 0x12);
    expect(run(sc)).toEqual([]);
  });
  it('leaves unicast destinations, other groups and client messages to ff05::1:3 alone', () => {
    const sc = new UdpScenario();
    fwd(sc, 0, '2001:db8:1::1', '2001:db8:ffff::1', 64, 0x10);
    fwd(sc, 1, '2001:db8:1::1', 'ff02::1:2', 64, 0x11);
    sc.send(2, '2001:db8:5::5', 'ff05::1:3', sel.solicit(0x12), { hopLimit: 64 });
    expect(run(sc)).toEqual([]);
  });
  it('says once, inconclusive, when more relays than max-relays were reported', () => {
    const sc = new UdpScenario();
    fwd(sc, 0, '2001:db8:1::1', 'ff05::1:3', 64, 0x10);
    fwd(sc, 1, '2001:db8:2::1', 'ff05::1:3', 64, 0x11);
    fwd(sc, 2, '2001:db8:3::1', 'ff05::1:3', 64, 0x12);
    expect(run(sc, { 'max-relays': 1 }).map((r) => r.slice(0, 5))).toEqual([
      [ID, 'violation', 'info', [1], 'hop-limit'],
      [ID, 'inconclusive', 'info', [2], 'limit'],
    ]);
  });
});
