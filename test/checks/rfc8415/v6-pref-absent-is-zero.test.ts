// V6-PREF-ABSENT-IS-ZERO: an Advertise without Preference ranks 0, equal to an explicit 0.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, UdpScenario, fromClient, fromServer, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-ABSENT-IS-ZERO';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports an absent-Preference Advertise chosen over an explicit higher one (not also V6-PREF-HIGHEST)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4], 0x10]]);
    expect(runRule('V6-PREF-HIGHEST', scenarioEvents(sc))).toEqual([]);
  });

  it('treats absent and explicit 0 as equal', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([]);
    expect(runRule('V6-PREF-HIGHEST', scenarioEvents(sc))).toEqual([]);
  });

  it('is inconclusive when the first Solicit may precede the capture', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10, 100));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 4));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4], 0x10]]);
  });
});

describe(`${ID} and V6-PREF-COLLECT-FIRST-RT`, () => {
  it('stands aside when the client requested the absent-Preference server before the first RT ended', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 0.015, SRV_B, sel.advertise(0x10, SRV_B, 200));
    fromClient(sc, 0.02, sel.request(0x20, SRV_A));
    expect(runRule(ID, scenarioEvents(sc))).toEqual([]);
  });
});
