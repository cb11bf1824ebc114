// V6-PREF-COLLECT-FIRST-RT through the engine: early Request, waited Request, pref-255 exit, Rapid
// Commit, first Solicit possibly before the capture, relay-side tolerance, and what the client had by its
// Request taken from the Advertises' arrival on its link when a relay delivers late.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-COLLECT-FIRST-RT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

/** Relay R (2001:db8:1::1 on the client's link, link-local fe80::1:1) and a server behind it (2001:db8:9::1). */
const R_GLOBAL = '2001:db8:1::1';
const R_LL = 'fe80::1:1';
const UPSTREAM = '2001:db8:9::1';
/**
 * A client's Solicit at 0 relayed at once; `server`'s Advertise (preference `pref`) reaches R in a
 * Relay-reply at `replied` and R delivers it on the client's link at `delivered`; the client requests
 * `to` at `requested`; `more` adds datagrams before the sort.
 */
function relayed(replied: number, delivered: number, requested: number, server = SRV_A, pref = 3, to = server, more?: (sc: UdpScenario) => void): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
  sc.answer(replied, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, server, pref)), { dstPort: 547 });
  sc.answer(delivered, R_LL, CLIENT_ADDR, sel.advertise(0x10, server, pref));
  fromClient(sc, requested, sel.request(0x20, to));
  more?.(sc);
  sc.datagrams.sort((a, b) => a.time - b.time);
  return sc;
}

describe(ID, () => {
  it('reports a Request sent milliseconds after the Solicit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.002, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 0.02, sel.request(0x20, SRV_A));
    fromServer(sc, 0.03, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x10]]);
  });

  it('accepts a Request after the first RT, and an early one after a usable pref-255 Advertise', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.solicit(0x10));
    fromServer(a, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromClient(a, 1.06, sel.request(0x20, SRV_A));
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.solicit(0x10));
    fromServer(b, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(b, 0.02, sel.request(0x20, SRV_B));
    expect(run(b)).toEqual([]);
  });

  it('does not count an empty pref-255 Advertise as the early exit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255, false));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 0.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 3, 4], 0x10]]);
  });

  it('accepts a Rapid Commit Reply ending the wait', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x10, SRV_A, { code: 14, hex: '' }));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B));
    fromClient(sc, 0.05, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([]);
  });

  it('times a relayed Rapid Commit Reply from its delivery on the client\'s link, not from the Relay-reply', () => {
    // B's Advertise reaches the client directly at 0.1 s (frame 3); A's Rapid Commit Reply reaches R at
    // 0.3 s (4) but the client's link only at 0.7 s (6), after the Request to B at 0.5 s (5): the client
    // did not hold it then as far as its link shows, yet another relay may have brought it earlier.
    const rapid = (delivered: number) => {
      const sc = new UdpScenario();
      fromClient(sc, 0, sel.solicit(0x10));
      sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
      fromServer(sc, 0.1, SRV_B, sel.advertise(0x10, SRV_B, 3));
      const reply = sel.reply(0x10, SRV_A, { code: 14, hex: '' });
      sc.answer(0.3, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, reply), { dstPort: 547 });
      sc.answer(delivered, R_LL, CLIENT_ADDR, reply);
      fromClient(sc, 0.5, sel.request(0x20, SRV_B));
      sc.datagrams.sort((a, b) => a.time - b.time);
      return runRule(ID, scenarioEvents(sc));
    };
    const late = rapid(0.7);
    expect(late.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3, 4, 5, 6], 0x10]]);
    expect(late[0].message).toContain('a Rapid Commit Reply was seen upstream before the Request but reached the client\'s link only after it');
    expect(late[0].server?.duid).toBe(SRV_A);
    // Delivered at 0.45 s, before the Request: the Rapid Commit exit, no finding.
    expect(rapid(0.45)).toEqual([]);
    // Delivered 1.2 s after the Relay-reply, beyond the copy window: its own response, found all the same.
    expect(rapid(1.5).map((x) => [x.verdict, x.frames])).toEqual([['inconclusive', [1, 2, 3, 4, 5, 6]]]);
  });

  it('is inconclusive when the first Solicit captured has Elapsed Time > 0', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10, 250));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 0.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
  });

  it('uses the looser relay tolerance when only the relay side was captured', () => {
    const sc = new UdpScenario();
    const up = (t: number, msg: ReturnType<typeof sel.solicit>) => sc.send(t, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', msg), { srcPort: 547 });
    up(0, sel.solicit(0x10));
    sc.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_A)), { dstPort: 547 });
    up(0.8, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
    up(0.9, sel.solicit(0x11));
    sc.answer(0.91, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x11, SRV_A)), { dstPort: 547 });
    up(1.0, sel.request(0x21, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [4, 5, 6], 0x11]]);
  });
  it('does not judge a Request sent before any Advertise reached the client\'s link', () => {
    // A's only Advertise reaches R at 0.3 s but the client's link at 0.7 s, after the Request at 0.5 s:
    // the Request was not based on this Solicit's Advertises, as when the Advertise itself comes late.
    expect(run(relayed(0.3, 0.7, 0.5))).toEqual([]);
    // Delivered at 0.45 s, before the Request: an early Request (Solicit 1, 2, Relay-reply 3, delivery 4, Request 5).
    expect(run(relayed(0.3, 0.45, 0.5))).toEqual([[ID, 'violation', 'error', [1, 2, 3, 4, 5], 0x10]]);
  });

  it('is inconclusive when the only pref-255 Advertise reached the client\'s link after the early Request, having been seen upstream before it', () => {
    // A's pref-3 Advertise reaches the client directly at 0.1 s (frame 3); B's pref-255 one reaches R at
    // 0.3 s (4) but the client's link at 0.7 s (6), after the Request to A at 0.5 s (5). No 255 exit as far
    // as that link shows, but B's Advertise may have come by a path the capture missed (another relay).
    const withA = (x: UdpScenario) => fromServer(x, 0.1, SRV_A, sel.advertise(0x10, SRV_A, 3));
    const f = runRule(ID, scenarioEvents(relayed(0.3, 0.7, 0.5, SRV_B, 255, SRV_A, withA)));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3, 4, 5, 6], 0x10]]);
    expect(f[0].message).toContain('reached the client\'s link only after it');
    // The same when the Request names B: it suggests the client had B's Advertise, which its link shows later.
    expect(run(relayed(0.3, 0.7, 0.5, SRV_B, 255, SRV_B, withA))).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3, 4, 5, 6], 0x10]]);
    // Delivered at 0.45 s, before the Request: the 255 exit.
    expect(run(relayed(0.3, 0.45, 0.5, SRV_B, 255, SRV_A, withA))).toEqual([]);
    // B's Advertise straight to the client at 0.7 s, nothing seen before the Request: the early Request is a violation.
    const direct = new UdpScenario();
    fromClient(direct, 0, sel.solicit(0x10));
    withA(direct);
    fromClient(direct, 0.5, sel.request(0x20, SRV_A));
    fromServer(direct, 0.7, SRV_B, sel.advertise(0x10, SRV_B, 255));
    expect(run(direct)).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x10]]);
  });
});
