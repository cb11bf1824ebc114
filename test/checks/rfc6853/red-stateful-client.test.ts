// RED-STATEFUL-CLIENT: where two servers answer, a client that only sent Information-requests or
// Solicits without IA_NA is noted (inconclusive) at the capture's end; PD-only clients, clients that
// asked for an address at any time, and single-server captures are left alone.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, duidLL, fromClient, fromServer, m, opt, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'RED-STATEFUL-CLIENT';
const OTHER = duidLL(2);
const run = (sc: UdpScenario, options?: object) =>
  runRule(ID, scenarioEvents(sc), options ? { config: { rules: { [ID]: { options } } } as never } : {})
    .map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.client?.duid, messageIdOf(ID, f)]);

const infoRequest = (xid: number, duid = OTHER) => m(11, xid, opt.clientId(duid), opt.elapsed(0), opt.oro(23));
const reply = (xid: number, server: string, duid = OTHER) => m(7, xid, opt.clientId(duid), opt.serverId(server));
/** Two servers answer CLIENT's Solicit: the deployment is redundant. */
function redundant(sc: UdpScenario): void {
  fromClient(sc, 0, sel.solicit(0x10));
  fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 255));
  fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 0));
}
const fromOther = (sc: UdpScenario, t: number, msg: ReturnType<typeof m>) => sc.send(t, 'fe80::2', 'ff02::1:2', msg);

describe(ID, () => {
  it('notes a client that only sent Information-requests, inconclusive, citing its first one', () => {
    const sc = new UdpScenario();
    redundant(sc);
    fromOther(sc, 5, infoRequest(0x20));
    sc.answer(5.01, 'fe80::a', 'fe80::2', reply(0x20, SRV_A));
    fromOther(sc, 50, infoRequest(0x21));
    sc.answer(50.01, 'fe80::b', 'fe80::2', reply(0x21, SRV_B));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'info', [4], OTHER, 'stateless-only']]);
  });
  it('notes a Solicit with only an IA_TA', () => {
    const sc = new UdpScenario();
    redundant(sc);
    fromOther(sc, 5, m(1, 0x20, opt.clientId(OTHER), opt.elapsed(0), opt.raw(4, '00000001')));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'info', [4], OTHER, 'solicit-without-ia-na']]);
  });
  it('leaves a PD-only client alone (RFC 6853 §2.1)', () => {
    const sc = new UdpScenario();
    redundant(sc);
    fromOther(sc, 5, m(1, 0x20, opt.clientId(OTHER), opt.elapsed(0), opt.iaPd(1)));
    fromOther(sc, 50, infoRequest(0x21));
    expect(run(sc)).toEqual([]);
  });
  it('leaves a client that asked for an address before or after its Information-request alone', () => {
    const sc = new UdpScenario();
    redundant(sc);
    fromClient(sc, 30, m(11, 0x30, opt.clientId(duidLL(1)), opt.elapsed(0)));
    fromOther(sc, 40, infoRequest(0x20));
    fromOther(sc, 80, m(1, 0x21, opt.clientId(OTHER), opt.elapsed(0), opt.iaNa(7)));
    expect(run(sc)).toEqual([]);
  });
  it('says nothing when only one server answered on the capture', () => {
    const sc = new UdpScenario();
    fromOther(sc, 0, infoRequest(0x20));
    sc.answer(0.01, 'fe80::a', 'fe80::2', reply(0x20, SRV_A));
    fromOther(sc, 50, infoRequest(0x21));
    sc.answer(50.01, 'fe80::a', 'fe80::2', reply(0x21, SRV_A));
    expect(run(sc)).toEqual([]);
  });
  it('does not judge a client whose only Solicit was cut by the snaplen', () => {
    const sc = new UdpScenario();
    redundant(sc);
    sc.send(5, 'fe80::2', 'ff02::1:2', m(1, 0x20, opt.clientId(OTHER), opt.elapsed(0), opt.oro(23), opt.iaNa(1)), { snap: 30 });
    expect(run(sc)).toEqual([]);
  });
  it('says once, inconclusive, when more clients than max-candidates ask for no address', () => {
    const sc = new UdpScenario();
    redundant(sc);
    fromOther(sc, 5, infoRequest(0x20));
    sc.send(6, 'fe80::3', 'ff02::1:2', infoRequest(0x21, duidLL(3)));
    sc.send(7, 'fe80::4', 'ff02::1:2', infoRequest(0x22, duidLL(4)));
    expect(run(sc, { 'max-candidates': 1 })).toEqual([
      [ID, 'inconclusive', 'info', [4], OTHER, 'stateless-only'],
      [ID, 'inconclusive', 'info', [5], duidLL(3), 'limit'],
    ]);
  });
  it('keeps the client address of an Information-request without a Client-ID', () => {
    const sc = new UdpScenario();
    redundant(sc);
    sc.send(5, 'fe80::9', 'ff02::1:2', m(11, 0x20, opt.elapsed(0)));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.frames, x.client?.address])).toEqual([[[4], 'fe80::9']]);
    expect(CLIENT_ADDR).toBe('fe80::1');
  });
});
