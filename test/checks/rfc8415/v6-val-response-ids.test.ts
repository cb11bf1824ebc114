// V6-VAL-RESPONSE-IDS: Server-ID missing, Client-ID missing / other / invented; Information-request without Client-ID.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, UdpScenario, duidLL, fromClient, fromServer, m, opt, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-VAL-RESPONSE-IDS';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);

describe(ID, () => {
  it('reports an Advertise without Server-ID and a Reply with another Client-ID', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, m(2, 0x10, opt.clientId(CLIENT), opt.iaNa(1, opt.iaAddr('2001:db8::1'))));
    fromClient(sc, 1.1, sel.request(0x20, SRV_A));
    fromServer(sc, 1.11, SRV_A, m(7, 0x20, opt.clientId(duidLL(77)), opt.serverId(SRV_A)));
    expect(run(sc)).toEqual([
      [ID, 'violation', 'error', [1, 2], 0x10, 'The Advertise carries no Server-ID option.'],
      [ID, 'violation', 'error', [3, 4], 0x20, "The Reply's Client-ID is not the one the client sent."],
    ]);
  });

  it('reports a Reply inventing a Client-ID, and accepts none for an Information-request without one', () => {
    const a = new UdpScenario();
    a.send(0, 'fe80::5', 'ff02::1:2', m(11, 0x30, opt.elapsed(0)));
    a.answer(0.01, 'fe80::a', 'fe80::5', m(7, 0x30, opt.serverId(SRV_A)));
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    b.send(0, 'fe80::5', 'ff02::1:2', m(11, 0x30, opt.elapsed(0)));
    b.answer(0.01, 'fe80::a', 'fe80::5', m(7, 0x30, opt.serverId(SRV_A), opt.clientId(CLIENT)));
    expect(run(b).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 0x30]]);
  });

  it('reports a Reply that drops the Client-ID', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, m(7, 0x20, opt.serverId(SRV_A)));
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 0x20]]);
  });
});
