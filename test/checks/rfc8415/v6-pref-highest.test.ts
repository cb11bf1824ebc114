// V6-PREF-HIGHEST: lower preference chosen (plain and provably worse), equal values, Advertises after
// the Request, empty Advertises, nothing in the first RT, first Solicit before the capture, and the first
// RT's candidates, a pref-255 Advertise in the way and the chosen server's Advertise taken by their
// arrival on the client's link when a relay delivers late.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, SRV_C, UdpScenario, fromClient, fromServer, opt, relay, scenarioEvents, sel, m, CLIENT, CLIENT_ADDR } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-HIGHEST';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

/** Relay R (2001:db8:1::1 on the client's link, link-local fe80::1:1) and a server behind it (2001:db8:9::1). */
const R_GLOBAL = '2001:db8:1::1';
const R_LL = 'fe80::1:1';
const UPSTREAM = '2001:db8:9::1';
/**
 * A client's Solicit at 0 relayed at once; server A's pref-1 Advertise reaches the client directly at
 * 0.01 s; server B's pref-200 one reaches R in a Relay-reply at `replied` and R delivers it on the
 * client's link at `delivered` (never when undefined); the client requests A at `requested`.
 */
function relayed(replied: number, delivered: number | undefined, requested: number): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
  fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 1));
  sc.answer(replied, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 200)), { dstPort: 547 });
  if (delivered !== undefined) sc.answer(delivered, R_LL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 200));
  fromClient(sc, requested, sel.request(0x20, SRV_A));
  sc.datagrams.sort((a, b) => a.time - b.time);
  return sc;
}

describe(ID, () => {
  it('reports a lower-preference server chosen over a higher one (three servers 2/1/0)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 2));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromServer(sc, 0.03, SRV_C, sel.advertise(0x10, SRV_C, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 5], 0x10]]);
    expect(f[0].message).toContain('preference 1');
    expect(f[0].server).toEqual({ duid: SRV_B, address: 'fe80::b' });
    expect(f[0].client).toEqual({ duid: CLIENT, address: 'fe80::1' });
  });

  it('says when the chosen Advertise offered less than the best one', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.pref(9), opt.iaNa(1, opt.iaAddr('2001:db8::1'), opt.iaAddr('2001:db8::2'))));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    expect(runRule(ID, scenarioEvents(sc))[0].message).toContain('fewer leases');
  });

  it('accepts the best of equal preferences, and ignores empty and late Advertises', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 5));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 5));
    fromServer(sc, 0.03, SRV_C, sel.advertise(0x10, SRV_C, 200, false));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    fromServer(sc, 1.2, SRV_C, sel.advertise(0x10, SRV_C, 250));
    expect(run(sc)).toEqual([]);
  });

  it('stands aside when nothing usable arrived in the first RT (the first one that does wins)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromServer(sc, 1.5, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromServer(sc, 1.52, SRV_B, sel.advertise(0x10, SRV_B, 7));
    fromClient(sc, 1.53, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the first Solicit may precede the capture', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10, 300));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 7));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4], 0x10]]);
  });
});

describe(`${ID} and V6-PREF-COLLECT-FIRST-RT`, () => {
  it('stands aside when the Request came before the first RT ended: the early Request is the one defect', () => {
    // A client that takes the first Advertise 20 ms after its Solicit (the npm start sample, frames 7-12).
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 1));
    fromServer(sc, 0.015, SRV_B, sel.advertise(0x10, SRV_B, 200));
    fromClient(sc, 0.02, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
    expect(runChecks(scenarioEvents(sc)).filter((f) => f.ruleId.startsWith('V6-PREF') || f.ruleId === 'RED-CLIENT-PREFERENCE').map((f) => [f.ruleId, f.verdict, f.frames])).toEqual([['V6-PREF-COLLECT-FIRST-RT', 'violation', [1, 2, 3, 4]]]);
  });

  it('still judges the choice when the Request came after the first RT', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 1));
    fromServer(sc, 0.015, SRV_B, sel.advertise(0x10, SRV_B, 200));
    fromClient(sc, 1.02, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4], 0x10]]);
  });

  it('takes the first RT\'s candidates by their arrival on the client\'s link, not by the Relay-reply upstream', () => {
    // B's better Advertise reaches R at 0.8 s (or 0.5 s) but the client's link only after the first RT,
    // 0.3 s later (one response with the Relay-reply) or 0.7 s later (a response of its own), after the
    // Request at 1.05 s or just before it: not collected, so requesting A is no lower choice.
    expect(run(relayed(0.8, 1.1, 1.05))).toEqual([]);
    expect(run(relayed(0.5, 1.2, 1.05))).toEqual([]);
    expect(run(relayed(0.5, 1.2, 1.25))).toEqual([]);
  });

  it('still reports the lower choice when the relay delivered the better Advertise in the first RT', () => {
    // Solicit 1, Relay-forward 2, A's Advertise 3, B's Relay-reply 4 and its delivery 5 (0.3 s or 0.7 s
    // later, either way inside the first RT), Request 6.
    expect(run(relayed(0.2, 0.5, 1.05))).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5, 6], 0x10]]);
    expect(run(relayed(0.1, 0.8, 1.05))).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5, 6], 0x10]]);
    // Never seen on the client's link: it may not have arrived.
    expect(run(relayed(0.2, undefined, 1.05))).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4, 5], 0x10]]);
  });
  it('judges the choice when a relayed pref-255 Advertise reached the client\'s link only after the collection period', () => {
    // A (pref 3, frame 3) and C (pref 7, frame 4) reach the client directly in the first RT; B's pref-255
    // Advertise reaches R at 0.6 s (5) but the client's link only at 1.02 s (6): not one the client had
    // to act on at once (V6-PREF-255-IMMEDIATE stands aside), so requesting A (7) over C is this rule's.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
    fromServer(sc, 0.1, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromServer(sc, 0.2, SRV_C, sel.advertise(0x10, SRV_C, 7));
    sc.answer(0.6, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 255)), { dstPort: 547 });
    sc.answer(1.02, R_LL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 1.08, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 7], 0x10]]);
    expect(runRule('V6-PREF-255-IMMEDIATE', scenarioEvents(sc))).toEqual([]);
  });

  it('is inconclusive when the chosen server\'s Advertise reached the client\'s link only after the Request', () => {
    // A's pref-3 Advertise reaches the client directly at 0.1 s (3); B's pref-1 one reaches R at 0.7 s (4)
    // and the client's link at 1.15 s (5), after the Request to B at 1.05 s (6). Had the client B's
    // Advertise by a path the capture missed, the choice was a lower one; if not, it requested a server it
    // held no Advertise from: which, the capture cannot tell.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
    fromServer(sc, 0.1, SRV_A, sel.advertise(0x10, SRV_A, 3));
    sc.answer(0.7, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 1)), { dstPort: 547 });
    sc.answer(1.15, R_LL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    sc.datagrams.sort((a, b) => a.time - b.time);
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4, 5, 6], 0x10]]);
    expect(f[0].message).toContain('only after the Request');
    // B's pref-1 Advertise reached the client at 0.3 s (3), but a later one from B with preference 9 reached
    // R at 0.85 s (4) and the client's link (6) only after the Request (5): had the client that one, B
    // ranked first.
    const again = new UdpScenario();
    fromClient(again, 0, sel.solicit(0x10));
    fromServer(again, 0.1, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromServer(again, 0.3, SRV_B, sel.advertise(0x10, SRV_B, 1));
    again.answer(0.85, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 9)), { dstPort: 547 });
    fromClient(again, 1.05, sel.request(0x20, SRV_B));
    again.answer(1.15, R_LL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 9));
    expect(run(again)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3, 4, 5, 6], 0x10]]);
    // Without that later one, a lower choice.
    again.datagrams.splice(3, 1);
    again.datagrams.pop();
    expect(run(again)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4], 0x10]]);
  });
});

