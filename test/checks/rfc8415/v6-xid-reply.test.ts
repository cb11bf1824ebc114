// V6-XID-REPLY: a Reply with another xid than the client's open Request; retransmissions share the xid.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, UdpScenario, fromClient, fromServer, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-XID-REPLY';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a Reply whose xid differs from the open Request', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x21, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x21]]);
  });

  it('accepts Replies to each retransmission', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A, 105));
    fromServer(sc, 1.06, SRV_A, sel.reply(0x20, SRV_A));
    fromServer(sc, 1.07, SRV_A, sel.reply(0x20, SRV_A, { code: 23, hex: '20010db8000000000000000000000001' }));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the request was not captured', () => {
    const sc = new UdpScenario();
    fromServer(sc, 0, SRV_A, sel.reply(0x21, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1], 0x21]]);
  });
});
