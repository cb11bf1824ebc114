// V6-PREF-HIGHEST: lower preference chosen (plain and provably worse), equal values, Advertises after
// the Request, empty Advertises, nothing in the first RT, first Solicit before the capture.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, SRV_C, UdpScenario, fromClient, fromServer, opt, scenarioEvents, sel, m, CLIENT } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-HIGHEST';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a lower-preference server chosen over a higher one (three servers 2/1/0)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromServer(sc, 0.03, SRV_C, sel.advertise(0x10, SRV_C, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 5], 0x10]]);
    expect(f[0].message).toContain('preference 1');
    expect(f[0].server).toEqual({ duid: SRV_B, address: 'fe80::b' });
    expect(f[0].client).toEqual({ duid: CLIENT, address: 'fe80::1' });
  });

  it('says when the chosen Advertise offered less than the best one', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.pref(9), opt.iaNa(1, opt.iaAddr('2001:db8::1'), opt.iaAddr('2001:db8::2'))));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    expect(runRule(ID, scenarioEvents(sc))[0].message).toContain('fewer leases');
  });

  it('accepts the best of equal preferences, and ignores empty and late Advertises', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 5));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 5));
    fromServer(sc, 0.03, SRV_C, sel.advertise(0x10, SRV_C, 200, false));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    fromServer(sc, 1.2, SRV_C, sel.advertise(0x10, SRV_C, 250));
    expect(run(sc)).toEqual([]);
  });

  it('stands aside when nothing usable arrived in the first RT (the first one that does wins)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromServer(sc, 1.5, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromServer(sc, 1.52, SRV_B, sel.advertise(0x10, SRV_B, 7));
    fromClient(sc, 1.53, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the first Solicit may precede the capture', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10, 300));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 7));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4], 0x10]]);
  });
});

describe(`${ID} and V6-PREF-COLLECT-FIRST-RT`, () => {
  it('stands aside when the Request came before the first RT ended: the early Request is the one defect', () => {
    // A client that takes the first Advertise 20 ms after its Solicit (the npm start sample, frames 7-12).
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 1));
    fromServer(sc, 0.015, SRV_B, sel.advertise(0x10, SRV_B, 200));
    fromClient(sc, 0.02, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
    expect(runChecks(scenarioEvents(sc)).filter((f) => f.ruleId.startsWith('V6-PREF') || f.ruleId === 'RED-CLIENT-PREFERENCE').map((f) => [f.ruleId, f.verdict, f.frames])).toEqual([['V6-PREF-COLLECT-FIRST-RT', 'violation', [1, 2, 3, 4]]]);
  });

  it('still judges the choice when the Request came after the first RT', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 1));
    fromServer(sc, 0.015, SRV_B, sel.advertise(0x10, SRV_B, 200));
    fromClient(sc, 1.02, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4], 0x10]]);
  });
});
