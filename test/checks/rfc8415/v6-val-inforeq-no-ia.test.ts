// V6-VAL-INFOREQ-NO-IA: Replies to Information-requests with an IA or another server's Server-ID.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'V6-VAL-INFOREQ-NO-IA';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const reply = (xid: number) => m(7, xid, opt.clientId(CLIENT), opt.serverId(SRV_A));

describe(ID, () => {
  it('reports a Reply to an Information-request carrying an IA_NA', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(11, 0x40, opt.clientId(CLIENT), opt.elapsed(0), opt.iaNa(1)));
    fromServer(sc, 0.01, SRV_A, reply(0x40));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x40]]);
  });
  it('reports a Reply to an Information-request naming another server', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(11, 0x40, opt.clientId(CLIENT), opt.serverId(SRV_B), opt.elapsed(0)));
    fromServer(sc, 0.01, SRV_A, reply(0x40));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x40]]);
  });
  it('accepts a Reply to a plain Information-request', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(11, 0x40, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23)));
    fromServer(sc, 0.01, SRV_A, reply(0x40));
    expect(run(sc)).toEqual([]);
  });
});
