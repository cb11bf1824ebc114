// V6-RELAY-STRUCTURE: one Relay Message option per relay message; a Relay-reply mirrors its Relay-forward's header.
import { describe, expect, it } from 'vitest';
import { runRule, type EventTuple } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, UdpScenario, codec, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';
import type { MessageJson } from '../../../src/dhcpv6/encode.js';

const ID = 'V6-RELAY-STRUCTURE';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);
const brief = (sc: UdpScenario) => run(sc).map((r) => r.slice(0, 5));

const LINK = '2001:db8:1::1';
const LINK2 = '2001:db8:2::1';
const PEER = 'fe80::1';
const RELAY = '2001:db8:1::1';
const SERVER = '2001:db8:9::1';
const SERVER_B = '2001:db8:9::2';
const solicit = sel.solicit(0x10, 0, opt.oro(82));
const advertise = sel.advertise(0x10, SRV_A, undefined, true);

/** A Solicit relayed once and the Advertise relayed back with the given header. */
function oneHop(back: [number, string, string], fwd: [number, string, string] = [0, LINK, PEER]): UdpScenario {
  const sc = new UdpScenario();
  sc.send(0, RELAY, SERVER, relay(12, fwd[0], fwd[1], fwd[2], solicit), { srcPort: 547 });
  sc.answer(0.01, SERVER, RELAY, relay(13, back[0], back[1], back[2], advertise), { dstPort: 547 });
  return sc;
}

/** A relay message with these options only (no Relay Message option unless given). */
function bare(msgType: 12 | 13, options: MessageJson['options']): MessageJson {
  return { msgType, hopCount: 0, linkAddress: LINK, peerAddress: PEER, options } as MessageJson;
}

describe(ID, () => {
  it('accepts a Relay-reply that mirrors its Relay-forward, through one and two relays', () => {
    expect(run(oneHop([0, LINK, PEER]))).toEqual([]);
    const sc = new UdpScenario();
    sc.send(0, '2001:db8:5::1', SERVER, relay(12, 1, '::', RELAY, relay(12, 0, LINK, PEER, solicit)), { srcPort: 547 });
    sc.answer(0.01, SERVER, '2001:db8:5::1', relay(13, 1, '::', RELAY, relay(13, 0, LINK, PEER, advertise)), { dstPort: 547 });
    expect(run(sc)).toEqual([]);
  });

  it('reports a Relay-reply whose hop-count, link-address or peer-address differs', () => {
    expect(run(oneHop([1, LINK, PEER]))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10, 'The Relay-reply (level 0) has hop-count 1, not the 0 of the Relay-forward it answers.']]);
    expect(brief(oneHop([0, '::', PEER]))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
    expect(run(oneHop([0, LINK, 'fe80::2']))[0][5]).toBe('The Relay-reply (level 0) has peer-address fe80::2, not the fe80::1 of the Relay-forward it answers.');
  });

  it('names the level, counted from the client, in a two-relay chain', () => {
    const sc = new UdpScenario();
    sc.send(0, '2001:db8:5::1', SERVER, relay(12, 1, '::', RELAY, relay(12, 0, LINK, PEER, solicit)), { srcPort: 547 });
    sc.answer(0.01, SERVER, '2001:db8:5::1', relay(13, 0, '::', RELAY, relay(13, 0, LINK, PEER, advertise)), { dstPort: 547 });
    expect(run(sc)[0][5]).toBe('The Relay-reply (level 1) has hop-count 0, not the 1 of the Relay-forward it answers.');
  });

  it('compares a Relay-reply only with the Relay-forwards of the relay it was sent to', () => {
    // Two relays forward the Solicit; the reply goes to the first (RFC 8415 §19.3: to the forward's source).
    const sc = new UdpScenario();
    sc.send(0, RELAY, SERVER, relay(12, 0, LINK, PEER, solicit), { srcPort: 547 });
    sc.send(0.001, '2001:db8:2::1', SERVER, relay(12, 0, LINK2, PEER, solicit), { srcPort: 547 });
    sc.answer(0.01, SERVER, RELAY, relay(13, 0, '::', PEER, advertise), { dstPort: 547 });
    expect(brief(sc)).toEqual([[ID, 'violation', 'error', [1, 3], 0x10]]);
    // An asymmetric capture: the reply goes to a relay whose own forward was not captured. Not judged.
    const other = new UdpScenario();
    other.send(0, RELAY, SERVER, relay(12, 0, LINK, PEER, solicit), { srcPort: 547 });
    other.answer(0.01, SERVER, '2001:db8:2::1', relay(13, 0, LINK2, PEER, advertise), { dstPort: 547 });
    expect(run(other)).toEqual([]);
  });

  it('does not compare a Relay-reply with the forward its relay sent to another server (RFC 6853 multi-destination)', () => {
    // The relay sends the Solicit to servers A and B with a different link-address each. The capture
    // holds only the forward to B; A's Relay-reply mirrors the forward to A, which was not captured.
    const sc = new UdpScenario();
    sc.send(0, RELAY, SERVER_B, relay(12, 0, LINK2, PEER, solicit), { srcPort: 547 });
    sc.answer(0.01, SERVER, RELAY, relay(13, 0, LINK, PEER, advertise), { dstPort: 547 });
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10,
      'The Relay-reply (level 0) has link-address 2001:db8:1::1, not the 2001:db8:2::1 of a Relay-forward its relay sent to another destination; the one it answers was not captured.']]);
    // Both forwards captured: A's reply mirrors the one sent to A.
    const both = new UdpScenario();
    both.send(0, RELAY, SERVER, relay(12, 0, LINK, PEER, solicit), { srcPort: 547 });
    both.send(0.001, RELAY, SERVER_B, relay(12, 0, LINK2, PEER, solicit), { srcPort: 547 });
    both.answer(0.01, SERVER, RELAY, relay(13, 0, LINK, PEER, advertise), { dstPort: 547 });
    expect(run(both)).toEqual([]);
    // A reply that mirrors neither is judged against the forward sent to its server, not the other one.
    const bad = new UdpScenario();
    bad.send(0, RELAY, SERVER_B, relay(12, 0, LINK2, PEER, solicit), { srcPort: 547 });
    bad.send(0.001, RELAY, SERVER, relay(12, 0, LINK, PEER, solicit), { srcPort: 547 });
    bad.answer(0.01, SERVER, RELAY, relay(13, 0, '::', PEER, advertise), { dstPort: 547 });
    expect(run(bad)).toEqual([[ID, 'violation', 'error', [2, 3], 0x10, 'The Relay-reply (level 0) has link-address ::, not the 2001:db8:1::1 of the Relay-forward it answers.']]);
  });

  it('judges a Relay-reply against a forward the relay sent to the All_DHCP_Servers group (every server got it)', () => {
    const sc = new UdpScenario();
    sc.send(0, RELAY, 'ff05::1:3', relay(12, 0, LINK, PEER, solicit), { srcPort: 547 });
    sc.answer(0.01, SERVER, RELAY, relay(13, 0, '::', PEER, advertise), { dstPort: 547 });
    expect(brief(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
  });

  it('is inconclusive when one relay forwarded several chains and the reply matches none', () => {
    // A second relay forwards the Solicit as relayed by two first relays; both chains come from its address.
    const sc = new UdpScenario();
    sc.send(0, '2001:db8:5::1', SERVER, relay(12, 1, '::', RELAY, relay(12, 0, LINK, PEER, solicit)), { srcPort: 547 });
    sc.send(0.001, '2001:db8:5::1', SERVER, relay(12, 1, '::', '2001:db8:2::1', relay(12, 0, LINK2, PEER, solicit)), { srcPort: 547 });
    sc.answer(0.01, SERVER, '2001:db8:5::1', relay(13, 1, '::', RELAY, relay(13, 0, '::', PEER, advertise)), { dstPort: 547 });
    expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
    // ... and conforming when it matches one of them (the second relay's answer).
    const ok = new UdpScenario();
    ok.send(0, RELAY, SERVER, relay(12, 0, LINK, PEER, solicit), { srcPort: 547 });
    ok.send(0.001, '2001:db8:2::1', SERVER, relay(12, 0, LINK2, PEER, solicit), { srcPort: 547 });
    ok.answer(0.01, SERVER, '2001:db8:2::1', relay(13, 0, LINK2, PEER, advertise), { dstPort: 547 });
    expect(run(ok)).toEqual([]);
  });

  it('does not judge a reply seen at a depth the request was not captured at', () => {
    // The request was captured only bare; the Relay-reply has nothing of its depth to pair with.
    const sc = new UdpScenario();
    sc.send(0, PEER, 'ff02::1:2', solicit);
    sc.answer(0.01, SERVER, RELAY, relay(13, 3, '::', PEER, advertise), { dstPort: 547 });
    expect(run(sc)).toEqual([]);
  });

  it('reports a Relay-forward or Relay-reply without a Relay Message option, and one with two', () => {
    const sc = new UdpScenario();
    sc.send(0, RELAY, SERVER, bare(12, [opt.ifid('0a')]), { srcPort: 547 });
    sc.answer(0.01, SERVER, RELAY, bare(13, [opt.ifid('0a')]), { dstPort: 547 });
    sc.send(0.02, RELAY, SERVER, relay(12, 1, '::', RELAY, bare(12, [])), { srcPort: 547 });
    sc.send(0.03, RELAY, SERVER, bare(12, [{ code: 9, message: solicit }, { code: 9, message: solicit }]), { srcPort: 547 });
    expect(run(sc)).toEqual([
      [ID, 'violation', 'error', [1], undefined, 'A Relay-forward (relay level 1 from the outside) carries no Relay Message option.'],
      [ID, 'violation', 'error', [2], undefined, 'A Relay-reply (relay level 1 from the outside) carries no Relay Message option.'],
      [ID, 'violation', 'error', [3], undefined, 'A Relay-forward (relay level 2 from the outside) carries no Relay Message option.'],
      [ID, 'violation', 'error', [4], undefined, 'A Relay-forward (relay level 1 from the outside) carries 2 Relay Message options; it holds exactly one.'],
    ]);
  });

  it('stands aside when the datagram was cut by the snaplen (DECODE-IP)', () => {
    const sc = new UdpScenario();
    sc.send(0, RELAY, SERVER, bare(12, [opt.ifid('0a')]), { srcPort: 547 });
    const events = scenarioEvents(sc);
    const at = events.findIndex(([n]) => n === 'message') + 1;
    events.splice(at, 0, ['anomaly', { layer: 'ip', name: 'udp.truncated', message: 'cut', frames: [1], time: 1732262400 }]);
    expect(runRule(ID, events)).toEqual([]);
  });

  it('stands aside when an option running past the message may hide the Relay Message option (DECODE-DHCPV6)', () => {
    // A whole datagram (no snaplen cut) whose Interface-Id claims 32767 octets: the Relay Message option
    // after it is inside the claimed body, not missing.
    const sc = new UdpScenario();
    sc.send(0, RELAY, SERVER, relay(12, 0, LINK, PEER, solicit, opt.ifid('0a')), { srcPort: 547 });
    const wire = codec.encodeMessage(relay(12, 0, LINK, PEER, solicit, opt.ifid('0a')));
    expect((wire[34] << 8) | wire[35]).toBe(18); // the Interface-Id comes first
    const bad = wire.slice();
    bad[36] = 0x7f; bad[37] = 0xff;
    const events = scenarioEvents(sc).map((e) => (e[0] === 'message' ? ['message', { ...e[1], message: codec.decodeMessage(bad) }] : e)) as EventTuple[];
    expect(runRule(ID, events)).toEqual([]);
    // An option that overruns after the Relay Message option leaves the count certain.
    const two = codec.encodeMessage(bare(12, [{ code: 9, message: solicit }, { code: 9, message: solicit }, opt.ifid('0a')]));
    two[two.length - 5] = 0x7f; // the Interface-Id's option-len, high octet
    const sc2 = new UdpScenario();
    sc2.send(0, RELAY, SERVER, bare(12, [opt.ifid('0a')]), { srcPort: 547 });
    const events2 = scenarioEvents(sc2).map((e) => (e[0] === 'message' ? ['message', { ...e[1], message: codec.decodeMessage(two) }] : e)) as EventTuple[];
    expect(runRule(ID, events2).map((f) => [f.verdict, f.frames, f.message])).toEqual([['violation', [1], 'A Relay-forward (relay level 1 from the outside) carries 2 Relay Message options; it holds exactly one.']]);
  });

  it('judges only the option count of a Reconfigure sent through a relay (no Relay-forward to pair with)', () => {
    const reconf = m(10, 0, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.raw(19, '05'));
    const sc = new UdpScenario();
    sc.answer(0, SERVER, RELAY, relay(13, 0, LINK, '2001:db8:1::77', reconf), { dstPort: 547 });
    sc.answer(0.001, RELAY, '2001:db8:1::77', reconf);
    expect(run(sc)).toEqual([]);
  });
});
