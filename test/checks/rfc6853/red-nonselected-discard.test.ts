// RED-NONSELECTED-DISCARD: a non-selected server replying to a Request; the same host under two DUIDs;
// the named server never answering.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, UdpScenario, fromClient, fromServer, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'RED-NONSELECTED-DISCARD';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a Reply from the server the Request did not name', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x20, SRV_A));
    fromServer(sc, 0.02, SRV_B, sel.reply(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 3], 0x20]]);
  });
  it('is inconclusive when the other DUID answers from the named server\'s address', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x20, SRV_A));
    sc.answer(0.02, 'fe80::a', 'fe80::1', sel.reply(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 0x20]]);
  });
  it('notes (INFO) a Request the advertising named server never answered', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    fromClient(sc, 40, sel.solicit(0x30));
    expect(run(sc)).toEqual([[ID, 'violation', 'info', [2, 3], 0x20]]);
  });
  it('accepts only the named server replying', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
  });
});
