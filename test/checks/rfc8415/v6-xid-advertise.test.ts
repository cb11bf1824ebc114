// V6-XID-ADVERTISE: an Advertise with another xid than the client's open Solicit; no Solicit captured.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-XID-ADVERTISE';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports an Advertise whose xid differs from the open Solicit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x11, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x11]]);
  });

  it('does not hold a second Advertise against a Solicit its server already advertised to', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 0.5, SRV_A, sel.advertise(0x11, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [3], 0x11]]);
  });

  it('matches through a relay chain', () => {
    const sc = new UdpScenario();
    sc.send(0, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10)), { srcPort: 547 });
    sc.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_A)), { dstPort: 547 });
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when no Solicit of the client was captured', () => {
    const sc = new UdpScenario();
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x11, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1], 0x11]]);
  });
});
