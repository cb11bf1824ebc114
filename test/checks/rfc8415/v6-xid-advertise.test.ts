// V6-XID-ADVERTISE: an Advertise with another xid than the client's open Solicit; no Solicit captured.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, SRV_B, UdpScenario, m, opt, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-XID-ADVERTISE';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports an Advertise whose xid differs from the open Solicit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x11, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x11]]);
  });

  it('does not hold a second Advertise against a Solicit its server already advertised to', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 0.5, SRV_A, sel.advertise(0x11, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [3], 0x11]]);
  });

  it('matches a slow server\'s Advertise to the client\'s earlier Solicit after the client started a new one', () => {
    // The Solicit 0x10 is closed 2 s after its Request (sessions.answered-timeout); the client, refused
    // by A, solicits again (0x30); B's Advertise for 0x10 comes 4 s after the Solicit. Its xid is right.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    fromServer(sc, 1.06, SRV_A, m(7, 0x20, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.iaNa(1, opt.status(2, 'none'))));
    fromClient(sc, 1.5, sel.solicit(0x30));
    fromServer(sc, 4.0, SRV_B, sel.advertise(0x10, SRV_B));
    expect(run(sc)).toEqual([]);
    // Another xid than that Solicit's, while 0x30 is open, is still the server's error.
    fromServer(sc, 4.1, SRV_B, sel.advertise(0x31, SRV_B));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [5, 7], 0x31]]);
  });

  it('matches through a relay chain', () => {
    const sc = new UdpScenario();
    sc.send(0, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10)), { srcPort: 547 });
    sc.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_A)), { dstPort: 547 });
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when no Solicit of the client was captured', () => {
    const sc = new UdpScenario();
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x11, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1], 0x11]]);
  });
});
