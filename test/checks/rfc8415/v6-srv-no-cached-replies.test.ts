// V6-SRV-NO-CACHED-REPLIES: identical Replies to a Request and its retransmission, more than 1 s apart
// (RFC 8415 §18.3.2), at info; copies, skewed capture points and cut Replies are not second Replies.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import {
  CLIENT, CLIENT_ADDR, SRV_A, UdpScenario, fromClient, fromServer, m, opt, relay, scenarioEvents, sel,
} from '../../kit/udp-scenario.js';
import type { MessageJson } from '../../../src/dhcpv6/encode.js';

const ID = 'V6-SRV-NO-CACHED-REPLIES';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.level, f.frames, f.xid]);
const reply = (valid = 3600): MessageJson =>
  m(7, 0x20, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.iaNa(1, opt.iaAddr('2001:db8::a', valid)));

describe(ID, () => {
  it('reports a Reply repeated byte for byte to the retransmitted Request, at info', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, reply()); // lost before the client, which retransmits
    fromClient(sc, 1.05, sel.request(0x20, SRV_A, 105));
    fromServer(sc, 1.06, SRV_A, reply());
    expect(run(sc)).toEqual([[ID, 'violation', 'info', 'MUST NOT', [2, 3, 4], 0x20]]);
    const [f] = runRule(ID, scenarioEvents(sc));
    expect(f.message).toBe('The server\'s Reply to the retransmitted Request (frame 4) is byte for byte its Reply of 1.05 s earlier (frame 2): possibly a cached answer. A server builds the Reply to a retransmission again (lifetimes, authentication), though one that keeps lifetimes unchanged may send the same octets honestly.');
    expect(f.server).toEqual({ duid: SRV_A, address: 'fe80::a' });
    expect(f.client).toEqual({ duid: CLIENT, address: CLIENT_ADDR });
  });

  it('reports once per transaction', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, reply());
    fromClient(sc, 1.05, sel.request(0x20, SRV_A, 105));
    fromServer(sc, 1.06, SRV_A, reply());
    fromClient(sc, 3.1, sel.request(0x20, SRV_A, 310));
    fromServer(sc, 3.11, SRV_A, reply());
    expect(run(sc)).toEqual([[ID, 'violation', 'info', 'MUST NOT', [2, 3, 4], 0x20]]);
  });

  it('accepts a Reply built again (lifetimes counted down), one within a second, and other exchanges', () => {
    const fresh = new UdpScenario();
    fromClient(fresh, 0, sel.request(0x20, SRV_A));
    fromServer(fresh, 0.01, SRV_A, reply(3600));
    fromClient(fresh, 1.05, sel.request(0x20, SRV_A, 105));
    fromServer(fresh, 1.06, SRV_A, reply(3599));
    expect(run(fresh)).toEqual([]);

    const soon = new UdpScenario();
    fromClient(soon, 0, sel.request(0x20, SRV_A));
    fromServer(soon, 0.01, SRV_A, reply());
    fromClient(soon, 0.95, sel.request(0x20, SRV_A, 95));
    fromServer(soon, 0.96, SRV_A, reply());
    expect(run(soon)).toEqual([]);

    // A Renew is not judged: the text that forbids caching is the Request's (§18.3.2).
    const renew = new UdpScenario();
    const renewMsg = (e: number) => m(5, 0x20, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(e), opt.iaNa(1, opt.iaAddr('2001:db8::a')));
    fromClient(renew, 0, renewMsg(0));
    fromServer(renew, 0.01, SRV_A, reply());
    fromClient(renew, 1.05, renewMsg(105));
    fromServer(renew, 1.06, SRV_A, reply());
    expect(run(renew)).toEqual([]);
  });

  it('needs a real retransmission between the two Replies', () => {
    // The server sends its Reply twice for one transmission (no retransmission seen in between).
    const twice = new UdpScenario();
    fromClient(twice, 0, sel.request(0x20, SRV_A));
    fromServer(twice, 0.01, SRV_A, reply());
    fromServer(twice, 1.5, SRV_A, reply());
    expect(run(twice)).toEqual([]);

    // Trap MULTI: two captures of the client's link merged, the second clock 1.5 s late: the Request's
    // copy keeps its Elapsed Time, so it is no retransmission and the Reply's copy no second Reply.
    const skew = new UdpScenario();
    fromClient(skew, 0, sel.request(0x20, SRV_A));
    fromServer(skew, 0.01, SRV_A, reply());
    fromClient(skew, 1.5, sel.request(0x20, SRV_A));
    fromServer(skew, 1.51, SRV_A, reply());
    expect(run(skew)).toEqual([]);
  });

  it("does not take a relay's late delivery of the first Reply for a second one", () => {
    const R1 = '2001:db8:1::1';
    const up = (sc: UdpScenario, t: number, msg: MessageJson) =>
      sc.add({ time: t, src: R1, dst: '2001:db8:ffff::a', srcPort: 547, dstPort: 547, message: relay(12, 0, R1, CLIENT_ADDR, msg) });
    const down = (sc: UdpScenario, t: number, msg: MessageJson) =>
      sc.add({ time: t, src: '2001:db8:ffff::a', dst: R1, srcPort: 547, dstPort: 547, message: relay(13, 0, R1, CLIENT_ADDR, msg) });
    const late = new UdpScenario();
    fromClient(late, 0, sel.request(0x20, SRV_A));
    up(late, 0.001, sel.request(0x20, SRV_A));
    down(late, 0.011, reply());
    fromClient(late, 1.05, sel.request(0x20, SRV_A, 105));
    up(late, 1.051, sel.request(0x20, SRV_A, 105));
    late.answer(1.3, 'fe80::1:1', CLIENT_ADDR, reply()); // R1, loaded, delivers the first Reply only now
    expect(run(late)).toEqual([]);

    // The server's own two Replies, both seen in Relay-replies: reported, with every sighting's frame.
    const both = new UdpScenario();
    up(both, 0, sel.request(0x20, SRV_A));
    down(both, 0.01, reply());
    up(both, 1.05, sel.request(0x20, SRV_A, 105));
    down(both, 1.06, reply());
    expect(run(both)).toEqual([[ID, 'violation', 'info', 'MUST NOT', [2, 3, 4], 0x20]]);
  });

  it('does not compare Replies the snaplen cut', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    sc.answer(0.01, 'fe80::a', CLIENT_ADDR, reply(), { snap: 30 });
    fromClient(sc, 1.05, sel.request(0x20, SRV_A, 105));
    sc.answer(1.06, 'fe80::a', CLIENT_ADDR, reply(), { snap: 30 });
    expect(run(sc)).toEqual([]);
  });
});
