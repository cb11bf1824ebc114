// V6-PREF-OPTION-FORMAT: wrong length, repeated, in a Reply; one finding for relayed copies.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, UdpScenario, fromClient, fromServer, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-OPTION-FORMAT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a two-octet Preference once although seen at two relay hops', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    const adv = sel.advertise(0x10, SRV_A, undefined, true, opt.prefHex('00ff'));
    sc.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', adv), { dstPort: 547 });
    sc.answer(0.011, 'fe80::ff', 'fe80::1', adv);
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2, 3], 0x10]]);
  });

  it('reports a repeated Preference option, and grades one in a Reply as INFO', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 5, true, opt.pref(6)));
    fromClient(sc, 1.1, sel.request(0x20, SRV_A));
    fromServer(sc, 1.11, SRV_A, sel.reply(0x20, SRV_A, opt.pref(5)));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2], 0x10], [ID, 'violation', 'info', [4], 0x20]]);
  });

  it('accepts one one-octet Preference in an Advertise', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 255));
    expect(run(sc)).toEqual([]);
  });
});
