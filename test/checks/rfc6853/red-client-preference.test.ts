// RED-CLIENT-PREFERENCE: a Request to a server that never advertised while ranked servers did; silent
// whenever a V6-PREF-* rule already judges the session.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, SRV_C, UdpScenario, duidLL, fromClient, fromServer, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'RED-CLIENT-PREFERENCE';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
/** The pref-1 and pref-2 Advertises of A and B (frames 2, 3) to the Solicit at 0 (frame 1), on the client's link. */
function ranked(): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
  fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
  return sc;
}
/** C's Advertise carrying another client's Client-ID: invalid for this client (RFC 8415 §16.3). */
const foreign = () => m(2, 0x10, opt.clientId(duidLL(0x99)), opt.serverId(SRV_C), opt.pref(3), opt.iaNa(1, opt.iaAddr('2001:db8::3')));

describe(ID, () => {
  it('reports a Request to an unadvertised server while servers with preferences 2 and 1 advertised', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_C));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4], 0x10]]);
  });

  it('stays silent when a V6-PREF rule reports the session, and when the client chose well', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.solicit(0x10));
    fromServer(a, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(a, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(a, 0.05, sel.request(0x20, SRV_C));
    expect(runRule('V6-PREF-COLLECT-FIRST-RT', scenarioEvents(a))).toHaveLength(1);
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.solicit(0x10));
    fromServer(b, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(b, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(b, 1.05, sel.request(0x20, SRV_A));
    expect(run(b)).toEqual([]);
  });

  it('reports a Request to a server whose only Advertise came after the Request (RFC 8415 §18.2.1)', () => {
    // Before, any Advertise of the chosen server, however late, made the rule stand aside.
    const sc = ranked();
    fromClient(sc, 1.05, sel.request(0x20, SRV_C));
    fromServer(sc, 1.2, SRV_C, sel.advertise(0x10, SRV_C, 3));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5], 0x10]]);
    expect(f[0].message).toContain('first Advertise came only 150 ms after the Request');
    // Judged as the capture cut after the Request judges it (then unadvertised): same rule, xid, no server.
    expect(f[0].server).toBeUndefined();
  });

  it('reports a Request to a server whose Advertise was invalid for the client (RFC 8415 §16.3)', () => {
    const sc = ranked();
    fromServer(sc, 0.03, SRV_C, foreign());
    fromClient(sc, 1.05, sel.request(0x20, SRV_C));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5], 0x10]]);
    expect(f[0].message).toContain('were all invalid for it');
    // The V6-PREF rules leave this choice alone: one finding.
    for (const id of ['V6-PREF-HIGHEST', 'V6-PREF-IGNORE-EMPTY', 'V6-PREF-COLLECT-FIRST-RT', 'V6-PREF-AFTER-FIRST-RT']) expect(runRule(id, scenarioEvents(sc))).toEqual([]);
  });

  it('is inconclusive when the chosen server\'s invalid Advertise was seen only upstream, or cut by the snaplen', () => {
    const up = ranked();
    up.answer(0.03, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', foreign()), { dstPort: 547 });
    fromClient(up, 1.05, sel.request(0x20, SRV_C));
    expect(run(up)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4, 5], 0x10]]);
    // An Advertise first seen upstream only after the Request reached the client later still: decided.
    const late = ranked();
    fromClient(late, 1.05, sel.request(0x20, SRV_C));
    late.answer(1.2, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_C, 3)), { dstPort: 547 });
    expect(run(late)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5], 0x10]]);
    // No Client-ID in the 23 octets captured (header, Server-ID, Preference; the IA cut): one may have
    // followed in the part lost. A captured Client-ID naming another client decides, cut or not.
    const noId = m(2, 0x10, opt.serverId(SRV_C), opt.pref(3), opt.iaNa(1, opt.iaAddr('2001:db8::3')), opt.clientId(duidLL(1)));
    const cut = ranked();
    cut.answer(0.03, 'fe80::c', 'fe80::1', noId, { snap: 23 });
    fromClient(cut, 1.05, sel.request(0x20, SRV_C));
    expect(run(cut)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4, 5], 0x10]]);
    const cutForeign = ranked();
    cutForeign.answer(0.03, 'fe80::c', 'fe80::1', foreign(), { snap: 4 + 14 + 14 + 5 });
    fromClient(cutForeign, 1.05, sel.request(0x20, SRV_C));
    expect(run(cutForeign)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5], 0x10]]);
  });

  it('stays silent when the chosen server advertised validly before the Request: ranking it is V6-PREF-HIGHEST\'s', () => {
    const sc = ranked();
    fromServer(sc, 0.5, SRV_C, sel.advertise(0x10, SRV_C, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_C));
    expect(run(sc)).toEqual([]);
    expect(runRule('V6-PREF-HIGHEST', scenarioEvents(sc))).toHaveLength(1);
  });

  it('is inconclusive when the Advertises were seen only upstream', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    for (const [t, s, p] of [[0.01, SRV_A, 2], [0.02, SRV_B, 1]] as const) {
      sc.answer(t, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, s, p)), { dstPort: 547 });
    }
    fromClient(sc, 1.05, sel.request(0x20, SRV_C));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4], 0x10]]);
  });
});
