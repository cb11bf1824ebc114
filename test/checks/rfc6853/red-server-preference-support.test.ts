// RED-SERVER-PREFERENCE-SUPPORT: equal preferences, no primary at 255, a differentiated set.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, SRV_C, UdpScenario, fromClient, fromServer, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'RED-SERVER-PREFERENCE-SUPPORT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);
const prefs = (...p: Array<number | undefined>) => {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  [SRV_A, SRV_B, SRV_C].slice(0, p.length).forEach((s, i) => fromServer(sc, 0.01 * (i + 1), s, sel.advertise(0x10, s, p[i])));
  return sc;
};

describe(ID, () => {
  it('notes two servers with the same preference (absent counts as 0)', () => {
    expect(run(prefs(0, undefined))).toEqual([[ID, 'violation', 'info', [2, 3], 0x10, 'Two servers answered the Solicit with the same preference 0, so the choice falls to client heuristics.']]);
  });
  it('notes three servers 2/1/0 with none at 255', () => {
    expect(run(prefs(2, 1, 0))).toEqual([[ID, 'violation', 'info', [2, 3, 4], 0x10, '3 servers answered the Solicit with preferences 2/1/0 and none at 255.']]);
  });
  it('accepts a primary at 255 with distinct lower values, and a single server', () => {
    expect(run(prefs(255, 0, 7))).toEqual([]);
    expect(run(prefs(3))).toEqual([]);
  });
});
