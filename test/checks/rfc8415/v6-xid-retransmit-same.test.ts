// V6-XID-RETRANSMIT-SAME: a new xid carrying on the Elapsed Time of an unanswered exchange; a restart.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, UdpScenario, fromClient, fromServer, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-XID-RETRANSMIT-SAME';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a retransmission under a new xid', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x21, SRV_A, 105));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x21]]);
  });

  it('accepts a restarted exchange (Elapsed Time back to 0) and a new xid after an answer', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.request(0x20, SRV_A, 0));
    fromClient(a, 5, sel.request(0x21, SRV_A, 0));
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.request(0x20, SRV_A, 0));
    fromServer(b, 0.1, SRV_A, sel.reply(0x20, SRV_A));
    fromClient(b, 1.05, sel.request(0x21, SRV_A, 105));
    expect(run(b)).toEqual([]);
  });

  it('does not flag an Elapsed Time that does not continue the previous exchange', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A, 0));
    fromClient(sc, 10, sel.request(0x21, SRV_A, 50));
    expect(run(sc)).toEqual([]);
  });
});
