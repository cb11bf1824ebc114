// V6-PREF-AFTER-FIRST-RT: Solicit again with a usable Advertise in hand; slow Request after a late Advertise.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-AFTER-FIRST-RT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

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
});
