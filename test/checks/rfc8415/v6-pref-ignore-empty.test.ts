// V6-PREF-IGNORE-EMPTY: a Request to a server whose Advertise offered nothing.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, UdpScenario, fromClient, fromServer, scenarioEvents, sel, m, opt, CLIENT } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-IGNORE-EMPTY';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a Request to the server of an empty pref-255 Advertise (not V6-PREF-255-IMMEDIATE)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255, false));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 4], 0x10]]);
    expect(runRule('V6-PREF-255-IMMEDIATE', scenarioEvents(sc))).toEqual([]);
  });

  it('accepts a Request to the server that offered leases', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255, false));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the Solicit asked for no IA', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(1, 0x10, opt.clientId(CLIENT), opt.elapsed(0)));
    fromServer(sc, 0.01, SRV_A, m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_A)));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
  });
});
