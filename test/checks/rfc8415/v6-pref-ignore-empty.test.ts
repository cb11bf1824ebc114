// V6-PREF-IGNORE-EMPTY: a Request to a server whose Advertise offered nothing; what the client held from
// that server taken from the arrival on its link when a relay delivers late.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel, m, opt, CLIENT } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-IGNORE-EMPTY';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

/** Relay R (2001:db8:1::1 on the client's link, link-local fe80::1:1) and a server behind it (2001:db8:9::1). */
const R_GLOBAL = '2001:db8:1::1';
const R_LL = 'fe80::1:1';
const UPSTREAM = '2001:db8:9::1';
/**
 * A client's Solicit at 0 relayed at once; A's pref-0 Advertise reaches the client directly at 0.2 s;
 * B's Advertise `adv` reaches R in a Relay-reply at `replied` and the client's link at `delivered`; the
 * client requests B at 1.05 s; `more` adds datagrams before the sort.
 */
function relayed(adv: ReturnType<typeof sel.advertise>, replied: number, delivered: number, more?: (sc: UdpScenario) => void): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10));
  sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CLIENT_ADDR, sel.solicit(0x10)), { srcPort: 547 });
  fromServer(sc, 0.2, SRV_A, sel.advertise(0x10, SRV_A, 0));
  sc.answer(replied, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CLIENT_ADDR, adv), { dstPort: 547 });
  sc.answer(delivered, R_LL, CLIENT_ADDR, adv);
  fromClient(sc, 1.05, sel.request(0x20, SRV_B));
  more?.(sc);
  sc.datagrams.sort((a, b) => a.time - b.time);
  return sc;
}

describe(ID, () => {
  it('reports a Request to the server of an empty pref-255 Advertise (not V6-PREF-255-IMMEDIATE)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255, false));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 4], 0x10]]);
    expect(runRule('V6-PREF-255-IMMEDIATE', scenarioEvents(sc))).toEqual([]);
  });

  it('accepts a Request to the server that offered leases', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255, false));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the Solicit asked for no IA', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(1, 0x10, opt.clientId(CLIENT), opt.elapsed(0)));
    fromServer(sc, 0.01, SRV_A, m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_A)));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
  });
  it('reports an empty Advertise that a relay delivered before the Request', () => {
    // Solicit 1, 2; A's 3; B's empty Advertise reaches R at 0.7 s (4) and the client's link at 1.0 s (5); Request 6.
    expect(run(relayed(sel.advertise(0x10, SRV_B, 0, false), 0.7, 1.0))).toEqual([[ID, 'violation', 'error', [1, 2, 4, 5, 6], 0x10]]);
  });

  it('is inconclusive when an Advertise from the chosen server reached the client\'s link only after the Request', () => {
    // B's empty Advertise reaches R at 0.7 s (4) but the client's link at 1.15 s (6), after the Request
    // (5): the client held nothing from B as far as its link shows, yet it named B; it may have had that
    // Advertise by a path the capture missed.
    expect(run(relayed(sel.advertise(0x10, SRV_B, 0, false), 0.7, 1.15))).toEqual([[ID, 'inconclusive', 'error', [1, 2, 4, 5, 6], 0x10]]);
    // B's empty Advertise reaches the client directly at 0.1 s (3); B's later one offering a lease
    // reaches R at 0.7 s (5) and the client's link at 1.3 s (7), after the Request (6). Had the client
    // that one, requesting B was no empty choice.
    const mixed = relayed(sel.advertise(0x10, SRV_B, 5), 0.7, 1.3, (x) => fromServer(x, 0.1, SRV_B, sel.advertise(0x10, SRV_B, 0, false)));
    expect(run(mixed)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3, 5, 6, 7], 0x10]]);
  });
});
