// RED-CLIENT-PREFERENCE: a Request to a server that never advertised while ranked servers did; silent
// whenever a V6-PREF-* rule already judges the session.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, SRV_C, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'RED-CLIENT-PREFERENCE';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a Request to an unadvertised server while servers with preferences 2 and 1 advertised', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_C));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4], 0x10]]);
  });

  it('stays silent when a V6-PREF rule reports the session, and when the client chose well', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.solicit(0x10));
    fromServer(a, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(a, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(a, 0.05, sel.request(0x20, SRV_C));
    expect(runRule('V6-PREF-COLLECT-FIRST-RT', scenarioEvents(a))).toHaveLength(1);
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.solicit(0x10));
    fromServer(b, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(b, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(b, 1.05, sel.request(0x20, SRV_A));
    expect(run(b)).toEqual([]);
  });

  it('is inconclusive when the Advertises were seen only upstream', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    for (const [t, s, p] of [[0.01, SRV_A, 2], [0.02, SRV_B, 1]] as const) {
      sc.answer(t, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, s, p)), { dstPort: 547 });
    }
    fromClient(sc, 1.05, sel.request(0x20, SRV_C));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4], 0x10]]);
  });
});
