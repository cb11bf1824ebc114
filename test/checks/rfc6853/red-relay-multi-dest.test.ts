// RED-RELAY-MULTI-DEST: a relay that forwarded a client's Solicit to servers A and B, then its Request
// only to A; group destinations, relays never seen forwarding to two, Renews, copies and a capture that
// ends within the window are left alone.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'RED-RELAY-MULTI-DEST';
const R1 = '2001:db8:1::1';
const R2 = '2001:db8:2::1';
const AT: Record<string, string> = { [SRV_A]: '2001:db8:ffff::a', [SRV_B]: '2001:db8:ffff::b', group: 'ff05::1:3' };
const run = (sc: UdpScenario, options?: object) =>
  runRule(ID, scenarioEvents(sc), options ? { config: { rules: { [ID]: { options } } } as never } : {})
    .map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.client?.duid, messageIdOf(ID, f)]);

/** The client's message on its link at `t`, then `relayAddr`'s Relay-forwards of it to each destination 1 ms apart. */
function relayed(sc: UdpScenario, t: number, msg: ReturnType<typeof m>, to: string[], relayAddr = R1): void {
  sc.send(t, CLIENT_ADDR, 'ff02::1:2', msg);
  to.forEach((d, i) => sc.add({
    time: t + 0.001 * (i + 1), src: relayAddr, dst: AT[d], srcPort: 547, dstPort: 547, hopLimit: d === 'group' ? 8 : 64,
    message: relay(12, 0, relayAddr, CLIENT_ADDR, msg, opt.ifid('65746830')),
  }));
}
/** A later client's message, so the clock moves past the window. */
const later = (sc: UdpScenario, t: number) => sc.send(t, 'fe80::9', 'ff02::1:2', m(11, 0x99, opt.clientId('000300010200000000ff'), opt.elapsed(0)));

describe(ID, () => {
  it('warns once about a relay that sent the Solicit to A and B and the Request only to A', () => {
    const sc = new UdpScenario();
    relayed(sc, 0, sel.solicit(0x10), [SRV_A, SRV_B]); // frames 1-3
    relayed(sc, 1.2, sel.request(0x20, SRV_A), [SRV_A]); // frames 4-5
    relayed(sc, 2.5, sel.request(0x20, SRV_A, 130), [SRV_A]); // a retransmission, same relay: once
    later(sc, 5);
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [2, 3, 5], 0x20, CLIENT, 'one-destination']]);
    expect(runRule(ID, scenarioEvents(sc))[0].message).toBe(
      `Relay ${R1} forwarded the client's REQUEST to a single destination, though it had forwarded the same client's earlier message (frame 2) to 2 destinations: in a redundant deployment every server is to receive each client message.`);
  });
  it('accepts a relay that forwards every message to both servers, or to the group', () => {
    const sc = new UdpScenario();
    relayed(sc, 0, sel.solicit(0x10), [SRV_A, SRV_B]);
    relayed(sc, 1.2, sel.request(0x20, SRV_A), [SRV_A, SRV_B]);
    relayed(sc, 3, sel.request(0x21, SRV_A), ['group']);
    later(sc, 5);
    expect(run(sc)).toEqual([]);
  });
  it('leaves a relay alone that was never seen sending this client\'s messages to two destinations', () => {
    const sc = new UdpScenario();
    relayed(sc, 0, m(1, 0x30, opt.clientId('000300010200000000aa'), opt.elapsed(0), opt.iaNa(1)), [SRV_A, SRV_B]);
    relayed(sc, 0.5, sel.solicit(0x10), [SRV_A]);
    relayed(sc, 1.7, sel.request(0x20, SRV_A), [SRV_A]);
    later(sc, 5);
    expect(run(sc)).toEqual([]);
  });
  it('leaves a Renew to the chosen server alone (it names one server)', () => {
    const sc = new UdpScenario();
    relayed(sc, 0, sel.solicit(0x10), [SRV_A, SRV_B]);
    relayed(sc, 60, m(5, 0x30, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.iaNa(1)), [SRV_A]);
    later(sc, 65);
    expect(run(sc)).toEqual([]);
  });
  it('does not take another relay\'s proof, nor one older than memory', () => {
    const a = new UdpScenario();
    relayed(a, 0, sel.solicit(0x10), [SRV_A, SRV_B], R2);
    relayed(a, 1.2, sel.request(0x20, SRV_A), [SRV_A]);
    later(a, 5);
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    relayed(b, 0, sel.solicit(0x10), [SRV_A, SRV_B]);
    relayed(b, 200, sel.request(0x20, SRV_A), [SRV_A]);
    later(b, 205);
    expect(run(b)).toEqual([]);
  });
  it('does not judge a transmission within the window of the capture\'s end (the other forward may follow)', () => {
    const sc = new UdpScenario();
    relayed(sc, 0, sel.solicit(0x10), [SRV_A, SRV_B]);
    relayed(sc, 1.2, sel.request(0x20, SRV_A), [SRV_A]);
    expect(run(sc)).toEqual([]);
    later(sc, 1.5);
    expect(run(sc)).toEqual([]);
    const whole = new UdpScenario();
    relayed(whole, 0, sel.solicit(0x10), [SRV_A, SRV_B]);
    relayed(whole, 1.2, sel.request(0x20, SRV_A), [SRV_A]);
    whole.add({ time: 1.5, src: R1, dst: AT[SRV_B], srcPort: 547, dstPort: 547, message: relay(12, 0, R1, CLIENT_ADDR, sel.request(0x20, SRV_A), opt.ifid('65746830')) });
    later(whole, 5);
    expect(run(whole)).toEqual([]);
  });
  it('counts copies from a second capture point once', () => {
    const sc = new UdpScenario();
    relayed(sc, 0, sel.solicit(0x10), [SRV_A]);
    // The same Relay-forward seen again 0.3 ms later by a second capture point on R1's uplink.
    sc.add({ time: 0.0013, src: R1, dst: AT[SRV_A], srcPort: 547, dstPort: 547, message: relay(12, 0, R1, CLIENT_ADDR, sel.solicit(0x10), opt.ifid('65746830')) });
    relayed(sc, 1.2, sel.request(0x20, SRV_A), [SRV_A]);
    later(sc, 5);
    expect(run(sc)).toEqual([]);
  });
  it('says once, inconclusive, when a proof within memory has to make room (max-clients), and forgets it', () => {
    const other = '000300010200000000aa';
    const sc = new UdpScenario();
    relayed(sc, 0, m(1, 0x30, opt.clientId(other), opt.elapsed(0), opt.iaNa(1)), [SRV_A, SRV_B]); // frames 1-3
    relayed(sc, 0.5, sel.solicit(0x10), [SRV_A, SRV_B]); // frames 4-6: the ring of one drops the first
    relayed(sc, 1.7, m(3, 0x31, opt.clientId(other), opt.serverId(SRV_A), opt.elapsed(0), opt.iaNa(1)), [SRV_A]);
    later(sc, 5);
    expect(run(sc, { 'max-clients': 1 })).toEqual([[ID, 'inconclusive', 'warning', [4], undefined, CLIENT, 'limit']]);
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [2, 3, 8], 0x31, other, 'one-destination']]);
  });
});
