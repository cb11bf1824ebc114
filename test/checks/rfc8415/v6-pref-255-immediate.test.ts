// V6-PREF-255-IMMEDIATE: wrong server, Solicit again, slow Request, crossing, not seen delivered, and
// promptness and the collection period counted from a relay's (late) delivery on the client's link.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import { CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-255-IMMEDIATE';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

/** Relay R (2001:db8:1::1 on the client's link, link-local fe80::1:1) and a server behind it (2001:db8:9::1). */
const R_GLOBAL = '2001:db8:1::1';
const R_LL = 'fe80::1:1';
const UPSTREAM = '2001:db8:9::1';
/**
 * A client's Solicit at 0 relayed at once; server B's pref-255 Advertise reaches R in a Relay-reply at
 * `replied` and R delivers it on the client's link at `delivered` (`advert` differs from the relayed one
 * when given); the client's Solicit retransmissions at `again` and its Request to B at `requested`.
 */
function relayed(replied: number, delivered: number, requested: number, again: number[] = [], advert?: ReturnType<typeof sel.advertise>): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
  sc.answer(replied, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 255)), { dstPort: 547 });
  sc.answer(delivered, R_LL, CLIENT_ADDR, advert ?? sel.advertise(0x10, SRV_B, 255));
  for (const t of again) {
    fromClient(sc, t, sel.solicit(0x10, Math.round(t * 100)));
    sc.send(t + 0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10, Math.round(t * 100))), { srcPort: 547 });
  }
  fromClient(sc, requested, sel.request(0x20, SRV_B));
  sc.datagrams.sort((a, b) => a.time - b.time);
  return sc;
}

/**
 * Server A's pref-3 Advertise reaches the client directly at `direct`; B's pref-255 one reaches R in a
 * Relay-reply at `replied` and R delivers it on the client's link at `delivered`; the client requests A
 * at `requested`.
 */
function besideA(direct: number, replied: number, delivered: number, requested: number): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
  fromServer(sc, direct, SRV_A, sel.advertise(0x10, SRV_A, 3));
  sc.answer(replied, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 255)), { dstPort: 547 });
  sc.answer(delivered, R_LL, CLIENT_ADDR, sel.advertise(0x10, SRV_B, 255));
  fromClient(sc, requested, sel.request(0x20, SRV_A));
  sc.datagrams.sort((a, b) => a.time - b.time);
  return sc;
}

describe(ID, () => {
  it('reports a Request to another server while a pref-255 Advertise was held (not also V6-PREF-HIGHEST)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 4], 0x10]]);
    expect(runRule('V6-PREF-HIGHEST', scenarioEvents(sc))).toEqual([]);
  });

  it('accepts a Request to either of two pref-255 servers, judging promptness from the first', () => {
    // Catalog trap: with several pref-255 servers either one is acceptable (the first received is expected).
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.010, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromServer(sc, 0.012, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 0.1, sel.request(0x20, SRV_B));
    fromServer(sc, 0.11, SRV_B, sel.reply(0x20, SRV_B));
    expect(runChecks(scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid])).toEqual([
      ['RED-SERVER-PREFERENCE-SUPPORT', 'violation', 'info', [2, 3], 0x10], // two servers at 255: undifferentiated
    ]);
    const slow = new UdpScenario();
    fromClient(slow, 0, sel.solicit(0x10));
    fromServer(slow, 0.010, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromServer(slow, 0.4, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(slow, 0.5, sel.request(0x20, SRV_B));
    expect(run(slow)).toEqual([[ID, 'violation', 'warning', [1, 2, 4], 0x10]]);
  });

  it('is inconclusive about a slow Request that may be a retransmission of one the capture missed', () => {
    // The first Request seen has Elapsed Time 1.01 s, 1.02 s after the 255 Advertise: a Request
    // retransmits after REQ_TIMEOUT ≥ 0.9 s (RFC 8415 §15), so a prompt first one may have been lost.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromClient(sc, 1.03, sel.request(0x20, SRV_A, 101));
    fromServer(sc, 1.04, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
    // Elapsed Time 0: the first transmission, so the delay is the client's.
    const first = new UdpScenario();
    fromClient(first, 0, sel.solicit(0x10));
    fromServer(first, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromClient(first, 1.03, sel.request(0x20, SRV_A, 0));
    expect(run(first)).toEqual([[ID, 'violation', 'warning', [1, 2, 3], 0x10]]);
  });

  it('does not take a relay-side copy under an unsynchronised clock for a Solicit retransmission', () => {
    // The relay's capture runs 0.65 s late: its Relay-forward of the Solicit (Elapsed Time 0, as sent)
    // sorts after the 255 Advertise, beyond the copy window.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.55, SRV_A, sel.advertise(0x10, SRV_A, 255));
    sc.send(0.65, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10)), { srcPort: 547 });
    fromClient(sc, 0.75, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
  });

  it('accepts an immediate Request to the pref-255 server', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 0.03, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([]);
  });

  it('reports a Solicit retransmission after the pref-255 Advertise', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromClient(sc, 1.1, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x10]]);
  });

  it('grades a slow Request to the right server as a warning', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 0.8, sel.request(0x20, SRV_B));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.verdict, x.severity, x.level, x.frames])).toEqual([['violation', 'warning', 'SHOULD', [1, 2, 3]]]);
  });

  it('ignores a late pref-255 Advertise that arrives after the client chose', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    fromServer(sc, 1.2, SRV_B, sel.advertise(0x10, SRV_B, 255));
    expect(run(sc)).toEqual([]);
  });

  it('counts promptness from the relay\'s delivery on the client\'s link, not from the Relay-reply upstream', () => {
    // A loaded relay delivers 0.3 s after the Relay-reply (one sighting with it, inside the copy window)
    // or 0.7 s after (a response of its own); the client requests 1 ms after it got the Advertise.
    expect(run(relayed(0.002, 0.302, 0.303))).toEqual([]);
    expect(run(relayed(0.002, 0.702, 0.703))).toEqual([]);
    // The Advertise reaches R at 0.9 s but the client only at 1.5 s: its retransmission at 1.05 s
    // (nothing received yet) is no Solicit sent again after the 255 Advertise.
    expect(run(relayed(0.9, 1.5, 1.501, [1.05]))).toEqual([]);
  });

  it('still judges the client from that delivery: slow, retransmitted, or not delivered when the copy differs', () => {
    // Solicit 1 and its Relay-forward 2, Relay-reply 3, delivery 4 (0.7 s later), Request 5 0.5 s after it.
    expect(run(relayed(0.002, 0.702, 1.202))).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5], 0x10]]);
    // Delivered at 0.3 s, the Solicit sent again at 1.05 s (frames 5, 6) before the Request.
    expect(run(relayed(0.002, 0.302, 1.2, [1.05]))).toEqual([[ID, 'violation', 'error', [1, 2, 3, 4, 5, 6], 0x10]]);
    // What reached the client's link 0.7 s later (frame 4) is not the Advertise R got (an option more):
    // no proof that that one was delivered.
    expect(run(relayed(0.002, 0.702, 0.703, [], sel.advertise(0x10, SRV_B, 255, true, opt.ifid('00'))))).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3, 5], 0x10]]);
  });

  it('is inconclusive when the Request crossed the pref-255 Advertise, or it was seen only upstream', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.solicit(0x10));
    fromServer(a, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromServer(a, 0.5, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(a, 0.51, sel.request(0x20, SRV_A));
    expect(run(a)).toEqual([[ID, 'inconclusive', 'error', [1, 3, 4], 0x10]]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.solicit(0x10));
    b.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_B, 255)), { dstPort: 547 });
    fromServer(b, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(b, 1.05, sel.request(0x20, SRV_A));
    expect(run(b)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 4], 0x10]]);
  });
  it('takes the collection period and the first Advertise by the arrival on the client\'s link, not by the Relay-reply upstream', () => {
    // RFC 8415 §18.2.1: a pref-255 Advertise received while collecting ends the collection. B's reaches R
    // at 0.6 s, inside the first RT, but the client's link only at 1.02 s (one response with the
    // Relay-reply, 0.42 s later), past the collection period less the tolerance: with A's Advertise in
    // hand the client may have ended its first RT (over 1 s) before it, so its Request to A at 1.08 s
    // is no violation here, as when B's Advertise comes straight to the client at 1.02 s.
    expect(run(besideA(0.1, 0.6, 1.02, 1.08))).toEqual([]);
    // Delivered at 1.25 s, after the Request to A at 1.06 s: not held, so no crossing either.
    expect(run(besideA(0.1, 0.8, 1.25, 1.06))).toEqual([]);
    // B's Relay-reply (0.5 s) came before A's Advertise (0.6 s) but its delivery (0.97 s) after it: the
    // first usable Advertise to reach the client was A's, so B's was not one it had to act on either way.
    expect(run(besideA(0.6, 0.5, 0.97, 1.06))).toEqual([]);
  });

  it('still reports another server chosen when the relay delivered the pref-255 Advertise inside the collection period', () => {
    // Solicit 1 and its Relay-forward 2, A's Advertise 3, B's Relay-reply 4 and its delivery 5 at 0.9 s, Request 6.
    expect(run(besideA(0.1, 0.6, 0.9, 1.08))).toEqual([[ID, 'violation', 'error', [1, 2, 4, 5, 6], 0x10]]);
    // B's Relay-reply 3 came first and A's Advertise 4 reached the client's link first, but B's delivery 5
    // at 0.8 s is inside the collection period.
    expect(run(besideA(0.6, 0.5, 0.8, 1.06))).toEqual([[ID, 'violation', 'error', [1, 2, 3, 5, 6], 0x10]]);
  });
  it('does not take a pref-255 Advertise for the first to arrive when a late one may have come before it', () => {
    // A's Advertise reaches R at 0.1 s (frame 3) but the client's link only at 1.2 s (6), after the Request
    // to A at 1.1 s (5); B's pref-255 Advertise reaches the client directly at 1.04 s (4), after the
    // collection period less the tolerance. As the client's link shows, B's came first and the client had to
    // act on it; but A's may have come by a path the capture missed at 0.1 s, and then the client rightly
    // requested A once its first RT was over.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
    sc.answer(0.1, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_A, 3)), { dstPort: 547 });
    fromServer(sc, 1.04, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 1.1, sel.request(0x20, SRV_A));
    sc.answer(1.2, R_LL, CLIENT_ADDR, sel.advertise(0x10, SRV_A, 3));
    expect(run(sc)).toEqual([]);
    // Without A's Relay-reply, B's pref-255 Advertise was the first the client got: requesting A is a violation.
    sc.datagrams.splice(2, 1);
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 3, 4], 0x10]]);
  });
});
