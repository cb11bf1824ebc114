// V6-VAL-SOLICIT: Advertises and Replies to Solicits without a Client-ID or with a Server-ID.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule, runChecks } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-VAL-SOLICIT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const noCid = (xid: number) => m(1, xid, opt.elapsed(0), opt.oro(82), opt.iaNa(1));
const withSid = (xid: number) => m(1, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(82), opt.iaNa(1));
/** An Advertise that names no client (the Solicit had no Client-ID to copy). */
const advNoCid = (xid: number, server: string) => m(2, xid, opt.serverId(server), opt.iaNa(1, opt.iaAddr('2001:db8::a')));

describe(ID, () => {
  it('reports an Advertise to a Solicit without a Client-ID (paired by address)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, noCid(0x10));
    fromServer(sc, 0.01, SRV_A, advNoCid(0x10, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
  });

  it('reports an Advertise and a Rapid Commit Reply to a Solicit carrying a Server-ID, once per server', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, withSid(0x11));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x11, SRV_A));
    fromServer(sc, 0.02, SRV_B, sel.reply(0x11, SRV_B, opt.rapidCommit()));
    fromClient(sc, 1.05, withSid(0x11)); // a retransmission (same bytes apart from nothing: merged as a new transmission)
    fromServer(sc, 1.06, SRV_A, sel.advertise(0x11, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x11], [ID, 'violation', 'error', [1, 3], 0x11]]);
  });

  it('grades an UnspecFail-only Advertise as a warning (RFC 8415 §16)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, withSid(0x12));
    fromServer(sc, 0.01, SRV_A, m(2, 0x12, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(1, 'invalid')));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2], 0x12]]);
    const sc2 = new UdpScenario();
    fromClient(sc2, 0, noCid(0x13));
    fromServer(sc2, 0.01, SRV_A, m(2, 0x13, opt.serverId(SRV_A), opt.status(1)));
    expect(run(sc2)).toEqual([[ID, 'violation', 'warning', [1, 2], 0x13]]);
  });

  // Encoded answers: header 4, Client-ID 14 (ends at 18), Server-ID 14 (ends at 32), then the rest.
  const cut = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.verdict, f.severity, f.frames, messageIdOf(ID, f)]);
  const answerCut = (solicit: ReturnType<typeof m>, answer: ReturnType<typeof m>, snap: number) => {
    const sc = new UdpScenario();
    fromClient(sc, 0, solicit);
    sc.answer(0.01, 'fe80::a', CLIENT_ADDR, answer, { snap });
    return cut(sc);
  };
  const unspecAdv = (xid: number) => m(2, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(1, 'invalid Solicit'));

  it('is inconclusive when the snaplen cut an answer that may be UnspecFail-only (trap TRUNC)', () => {
    // Cut inside the Status Code's text, and before the Status Code: the grade lies in the part lost.
    expect(answerCut(withSid(0x20), unspecAdv(0x20), 40)).toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
    expect(answerCut(withSid(0x21), unspecAdv(0x21), 32)).toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
    // Captured up to the end of the UnspecFail status: options may follow it in the part lost.
    expect(answerCut(withSid(0x22), m(2, 0x22, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(1), opt.iaNa(1, opt.iaAddr('2001:db8::a'))), 38))
      .toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
  });

  it('still reports a cut answer whose captured part is no UnspecFail-only answer', () => {
    // An IA_NA header captured (cut inside its IAADDR), or a first Status Code NoAddrsAvail.
    expect(answerCut(withSid(0x23), sel.advertise(0x23, SRV_A), 50)).toEqual([['violation', 'error', [1, 2], 'server-id']]);
    expect(answerCut(withSid(0x24), m(2, 0x24, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(2, 'no addresses')), 38))
      .toEqual([['violation', 'error', [1, 2], 'server-id']]);
  });

  it('is inconclusive for any cut answer to a Solicit without a Client-ID (a lost Client-ID would pair it elsewhere)', () => {
    // Server-ID 14 (ends at 18), then an IA_NA cut inside: no UnspecFail-only answer, but its Client-ID may follow.
    expect(answerCut(noCid(0x25), m(2, 0x25, opt.serverId(SRV_A), opt.iaNa(1, opt.iaAddr('2001:db8::a')), opt.clientId(CLIENT)), 40))
      .toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
  });

  it('judges a server on its whole retransmitted answer when the first was cut', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, withSid(0x26));
    sc.answer(0.01, 'fe80::a', CLIENT_ADDR, unspecAdv(0x26), { snap: 34 });
    fromClient(sc, 1.05, withSid(0x26));
    fromServer(sc, 1.06, SRV_A, unspecAdv(0x26));
    expect(cut(sc)).toEqual([['violation', 'warning', [1, 4], 'server-id-unspecfail']]);
  });

  it('is inconclusive when the response names a client DUID the Solicit did not carry (another Solicit missed)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, noCid(0x14));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x14, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x14]]);
  });

  it('judges relayed Solicits by their inner message', () => {
    const sc = new UdpScenario();
    sc.send(0, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, noCid(0x15)), { srcPort: 547 });
    sc.answer(0.01, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, advNoCid(0x15, SRV_A)), { dstPort: 547 });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x15]]);
  });

  it('accepts silence, and answers to a valid Solicit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, withSid(0x16));
    fromClient(sc, 0.5, noCid(0x17));
    fromClient(sc, 1, sel.solicit(0x18, 0, opt.oro(82)));
    fromServer(sc, 1.01, SRV_A, sel.advertise(0x18, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('takes the defect from V6-VAL-RESPONSE-IDS and V6-SRV-ADVERTISE-IA-STATUS (one defect, one finding)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, withSid(0x19));
    fromServer(sc, 0.01, SRV_A, m(2, 0x19, opt.serverId(SRV_A))); // no Client-ID, no IA
    const ids = runChecks(scenarioEvents(sc)).map((f) => f.ruleId).filter((r) => r.startsWith('V6-VAL') || r.startsWith('V6-SRV'));
    expect(ids).toEqual([ID]);
  });
});
