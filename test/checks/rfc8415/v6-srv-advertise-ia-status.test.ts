// V6-SRV-ADVERTISE-IA-STATUS: IA missing, empty IA without status, NoAddrsAvail, IA_PD missing, top-level status.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, UdpScenario, fromClient, fromServer, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'V6-SRV-ADVERTISE-IA-STATUS';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);
const solicit = (...ias: Parameters<typeof opt.iaNa>[]) => m(1, 0x10, opt.clientId(CLIENT), opt.elapsed(0), ...ias.map((a) => opt.iaNa(...a)));
const adv = (...o: ReturnType<typeof opt.iaNa>[]) => m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_A), ...o);

describe(ID, () => {
  it('reports an IA_NA left out, and an empty IA without status', () => {
    const a = new UdpScenario();
    fromClient(a, 0, solicit([1], [2]));
    fromServer(a, 0.01, SRV_A, adv(opt.iaNa(1, opt.iaAddr('2001:db8::1'))));
    expect(run(a)).toEqual([[ID, 'violation', 'error', [1, 2], 0x10, 'The Advertise has no IA_NA with IAID 2, which the Solicit asked for.']]);
    const b = new UdpScenario();
    fromClient(b, 0, solicit([1]));
    fromServer(b, 0.01, SRV_A, adv(opt.iaNa(1)));
    expect(run(b).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
  });

  it('accepts leases, NoAddrsAvail in the IA, and an RFC 3315-style top-level status', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, solicit([1], [2]));
    fromServer(sc, 0.01, SRV_A, adv(opt.iaNa(1, opt.iaAddr('2001:db8::1')), opt.iaNa(2, opt.status(2))));
    fromServer(sc, 0.02, 'x', m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(2, 'none')));
    expect(run(sc)).toEqual([]);
  });

  it("judges an empty IA by its first Status Code only: Success first is no reason, a failure first is one", () => {
    const a = new UdpScenario();
    fromClient(a, 0, solicit([1]));
    fromServer(a, 0.01, SRV_A, adv(opt.iaNa(1, opt.status(0), opt.status(2))));
    expect(run(a).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
    const b = new UdpScenario();
    fromClient(b, 0, solicit([1]));
    fromServer(b, 0.01, SRV_A, adv(opt.iaNa(1, opt.status(2), opt.status(0))));
    expect(run(b)).toEqual([]);
  });

  it('is inconclusive when an IA_PD is left out (the server may not do PD)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(1, 0x10, opt.clientId(CLIENT), opt.elapsed(0), opt.iaNa(1), opt.iaPd(7)));
    fromServer(sc, 0.01, SRV_A, adv(opt.iaNa(1, opt.iaAddr('2001:db8::1'))));
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10]]);
  });
});
