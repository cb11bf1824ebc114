// V6-PREF-AFTER-FIRST-RT: Solicit again with a usable Advertise in hand (also after a pref-255 one that
// V6-PREF-255-IMMEDIATE leaves alone); slow Request after a late Advertise; both timed from the
// Advertise's arrival on the client's link when a relay delivers it late.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-AFTER-FIRST-RT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

/** Relay R (2001:db8:1::1 on the client's link, link-local fe80::1:1) and a server behind it (2001:db8:9::1). */
const R_GLOBAL = '2001:db8:1::1';
const R_LL = 'fe80::1:1';
const UPSTREAM = '2001:db8:9::1';
/**
 * A client's Solicit at 0 relayed at once; `server`'s Advertise (preference `pref`) reaches R in a
 * Relay-reply at `replied` and R delivers it on the client's link at `delivered`; the client's Solicit
 * retransmissions (relayed at once) at `again` and its Request to `server` at `requested`; `more` adds
 * datagrams before the sort.
 */
function relayed(replied: number, delivered: number, requested: number, again: number[] = [], server = SRV_A, pref = 3, more?: (sc: UdpScenario) => void): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
  sc.answer(replied, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, server, pref)), { dstPort: 547 });
  sc.answer(delivered, R_LL, CLIENT_ADDR, sel.advertise(0x10, server, pref));
  for (const t of again) {
    fromClient(sc, t, sel.solicit(0x10, Math.round(t * 100)));
    sc.send(t + 0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10, Math.round(t * 100))), { srcPort: 547 });
  }
  fromClient(sc, requested, sel.request(0x20, server));
  more?.(sc);
  sc.datagrams.sort((a, b) => a.time - b.time);
  return sc;
}

describe(ID, () => {
  it('reports a Solicit retransmission after a usable Advertise arrived', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromClient(sc, 1.2, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3], 0x10]]);
  });

  it('accepts retransmissions after an empty Advertise and a prompt Request after the first usable one', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 3, false));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromServer(sc, 1.5, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromClient(sc, 1.55, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('grades a slow Request after a late first Advertise as INFO', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromServer(sc, 1.5, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromClient(sc, 2.5, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'info', [3, 4], 0x10]]);
  });

  it('is inconclusive about a slow Request that may be a retransmission of one the capture missed', () => {
    // Elapsed Time 1.01 s on the first Request seen, 1.02 s after the Advertise: the first Request
    // (REQ_TIMEOUT ≥ 0.9 s earlier, RFC 8415 §15) may have been lost before the capture point.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromServer(sc, 1.5, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 2.52, sel.request(0x20, SRV_A, 101));
    fromServer(sc, 2.53, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [3, 4], 0x10]]);
    // Sooner than a Request timeout, it cannot be a retransmission: slow whatever its Elapsed Time says.
    const soon = new UdpScenario();
    fromClient(soon, 0, sel.solicit(0x10));
    fromClient(soon, 1.05, sel.solicit(0x10, 105));
    fromServer(soon, 1.5, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(soon, 2.0, sel.request(0x20, SRV_A, 200));
    expect(run(soon)).toEqual([[ID, 'violation', 'info', [3, 4], 0x10]]);
  });

  it('does not take a relay-side copy under an unsynchronised clock for a retransmission', () => {
    // Merged captures: the relay's capture runs 0.6 s late, beyond the copy window. Its Relay-forward
    // holds the Solicit byte for byte (Elapsed Time 0): a retransmission would carry a later Elapsed Time.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    sc.send(0.6, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10)), { srcPort: 547 });
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3], 0x10]]);
    // The client's own retransmission with Elapsed Time carried on is still one.
    fromClient(sc, 0.9, sel.solicit(0x10, 90));
    sc.datagrams.sort((a, b) => a.time - b.time);
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 4], 0x10]]);
  });

  it('is inconclusive when the Advertise was only seen upstream of the client', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    sc.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_A, 3)), { dstPort: 547 });
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'warning', [2, 3], 0x10]]);
  });

  it('does not time a slow Request from an Advertise seen only upstream, when the client\'s link was captured', () => {
    // Solicit 1 and its retransmission 2 on the client's link; the Relay-reply 3 at 1.3 s is never seen
    // delivered (lost from the capture, or held by the relay): the Request 4 at 1.8 s may have followed
    // its delivery at once.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    sc.answer(1.3, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_A, 3)), { dstPort: 547 });
    fromClient(sc, 1.8, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
    // Captured on the relay's uplink only (no client link), the upstream times are all there is to time by.
    const up = new UdpScenario();
    up.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
    up.send(1.051, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10, 105)), { srcPort: 547 });
    up.answer(1.3, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, sel.advertise(0x10, SRV_A, 3)), { dstPort: 547 });
    up.send(1.801, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.request(0x20, SRV_A)), { srcPort: 547 });
    expect(run(up)).toEqual([[ID, 'violation', 'info', [3, 4], 0x10]]);
  });

  it('times the client from the relay\'s delivery on its link, not from the Relay-reply upstream', () => {
    // R gets the Advertise at 0.9 s and delivers it 0.3 s later (one response with the Relay-reply,
    // inside the copy window) or 0.7 s later (a response of its own): the retransmission at 1.05 s
    // was sent with nothing received, and the Request follows the delivery by 1 ms.
    expect(run(relayed(0.9, 1.2, 1.201, [1.05]))).toEqual([]);
    expect(run(relayed(0.9, 1.6, 1.601, [1.05]))).toEqual([]);
    // After the first RT: R gets the Advertise at 1.3 s and delivers it 0.3 s or 0.7 s later; the
    // Request 1 ms after the delivery is prompt.
    expect(run(relayed(1.3, 1.6, 1.601, [1.05]))).toEqual([]);
    expect(run(relayed(1.3, 2.0, 2.001, [1.05]))).toEqual([]);
  });

  it('still reports a retransmission or a slow Request counted from that delivery', () => {
    // Solicit 1, Relay-forward 2, Relay-reply 3, delivery 4 (0.3 s later), retransmission 5 and its
    // Relay-forward 6, Request 7.
    expect(run(relayed(0.3, 0.6, 1.2, [1.05]))).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5, 6], 0x10]]);
    // Delivered 0.7 s after the Relay-reply (frame 4, a response of its own), still before the retransmission.
    expect(run(relayed(0.2, 0.9, 1.5, [1.05]))).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 4, 5, 6], 0x10]]);
    // After the first RT (retransmission 3, 4): the Relay-reply 5 at 1.3 s, delivered at 2.0 s (frame 6),
    // the Request (7) 0.5 s after the delivery.
    expect(run(relayed(1.3, 2.0, 2.5, [1.05]))).toEqual([[ID, 'violation', 'info', [5, 6, 7], 0x10]]);
  });

  it('judges a retransmission sent before a relayed pref-255 Advertise reached the client, with another one in hand', () => {
    // Server A's pref-3 Advertise reaches the client directly at 0.3 s; B's pref-255 one reaches R at
    // 0.9 s but the client only at 1.5 s. The retransmission at 1.05 s, A's Advertise in hand after the
    // first RT, is this rule's (V6-PREF-255-IMMEDIATE counts from 1.5 s).
    const sc = relayed(0.9, 1.5, 1.501, [1.05], SRV_B, 255, (x) => fromServer(x, 0.3, SRV_A, sel.advertise(0x10, SRV_A, 3)));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 5, 6], 0x10]]);
    expect(runRule('V6-PREF-255-IMMEDIATE', scenarioEvents(sc))).toEqual([]);
  });
  it('judges a retransmission after a pref-255 Advertise that V6-PREF-255-IMMEDIATE leaves alone', () => {
    // A's pref-3 Advertise reaches the client directly at 0.1 s (frame 3); B's pref-255 one reaches R at
    // 0.6 s (4) but the client's link only at 0.98 s (5), past the collection period less the tolerance,
    // A's Advertise in hand: not V6-PREF-255-IMMEDIATE's. The client solicits again at 1.05 s (6, relayed
    // 7) though it held A's Advertise (RFC 8415 §18.2.1): reported here.
    const sc = relayed(0.6, 0.98, 1.3, [1.05], SRV_B, 255, (x) => fromServer(x, 0.1, SRV_A, sel.advertise(0x10, SRV_A, 3)));
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1, 2, 3, 6, 7], 0x10]]);
    expect(runRule('V6-PREF-255-IMMEDIATE', scenarioEvents(sc))).toEqual([]);
    // The same with B's Advertise sent straight to the client at 0.98 s (A's 2, B's 3, the retransmission 4).
    const direct = new UdpScenario();
    fromClient(direct, 0, sel.solicit(0x10));
    fromServer(direct, 0.1, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromServer(direct, 0.98, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(direct, 1.05, sel.solicit(0x10, 105));
    fromClient(direct, 1.3, sel.request(0x20, SRV_B));
    expect(run(direct)).toEqual([[ID, 'violation', 'warning', [1, 2, 4], 0x10]]);
    expect(runRule('V6-PREF-255-IMMEDIATE', scenarioEvents(direct))).toEqual([]);
  });

  it('does not time the Request from an Advertise that reached the client\'s link only after it', () => {
    // After the first RT (retransmission 3, 4) A's Advertise reaches R at 1.3 s (5) but the client's link
    // at 2.0 s (7, a response of its own), after the Request at 1.9 s (6): the client did not take 600 ms
    // over an Advertise it held; it held none as far as its link shows.
    expect(run(relayed(1.3, 2.0, 1.9, [1.05]))).toEqual([]);
  });
});

