// V6-RELAY-NO-MODIFY: a relay must not change the message it relays, in either direction.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, UdpScenario, codec, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';
import type { MessageJson, OptionInput } from '../../../src/dhcpv6/encode.js';

const ID = 'V6-RELAY-NO-MODIFY';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);
const brief = (sc: UdpScenario) => run(sc).map((r) => r.slice(0, 5));
const ids = (sc: UdpScenario) => runChecks(scenarioEvents(sc)).map((f) => f.ruleId);

const LINK = '2001:db8:1::1';
const RELAY_LL = 'fe80::1:1';
const SERVER = '2001:db8:9::1';
const SERVER_LL = 'fe80::9';
const solicit = (elapsed = 0, ...extra: OptionInput[]): MessageJson =>
  m(1, 0x10, opt.clientId(CLIENT), opt.elapsed(elapsed), opt.oro(82), opt.iaNa(1), ...extra);
const fwd = (inner: MessageJson) => relay(12, 0, LINK, CLIENT_ADDR, inner, opt.ifid('65746830'));
const back = (inner: MessageJson) => relay(13, 0, LINK, CLIENT_ADDR, inner, opt.ifid('65746830'));
const inforeq = m(11, 0x20, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23));
const advertise = (...extra: OptionInput[]) => m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_A), ...extra);
const reply = (...extra: OptionInput[]) => m(7, 0x20, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.raw(23, '20010db8ffff00000000000000000053'), ...extra);

/** The client's message on its link, then the relay's Relay-forward of `relayed`, `dt` later. */
function forwarded(sent: MessageJson, relayed: MessageJson, dt = 0.001): UdpScenario {
  const sc = new UdpScenario();
  sc.send(0, CLIENT_ADDR, 'ff02::1:2', sent);
  sc.send(dt, LINK, SERVER, fwd(relayed), { srcPort: 547 });
  return sc;
}

describe(ID, () => {
  it('accepts a relay that forwards and delivers the messages unchanged', () => {
    const sc = forwarded(inforeq, inforeq);
    sc.answer(0.01, SERVER, LINK, back(reply()), { dstPort: 547 });
    sc.answer(0.011, RELAY_LL, CLIENT_ADDR, reply());
    expect(run(sc)).toEqual([]);
  });

  it('reports a relay that adds an option to the client message it forwards', () => {
    const sc = forwarded(solicit(), solicit(0, opt.raw(37, '0000000901')));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x10, 'A relay changed the SOLICIT it forwarded one level further from the client (level 0): option 37 added.']]);
  });

  it('keeps the altered copy one transmission: no phantom early retransmission for the timing rules', () => {
    const sc = forwarded(solicit(), solicit(0, opt.raw(37, '0000000901')));
    const found = ids(sc);
    expect(found).toContain(ID);
    expect(found).not.toContain('V6-RTX-FIRST-RT-SOLICIT');
    expect(found).not.toContain('V6-XID-RETRANSMIT-SAME');
  });

  it('reports a relay that strips an option from the reply it delivers, and names the server', () => {
    // The relay delivers from the address the Relay-reply was sent to (also its link-address): its copy.
    const sc = forwarded(inforeq, inforeq);
    sc.answer(0.01, SERVER, LINK, back(reply(opt.raw(24, '00'))), { dstPort: 547 });
    sc.answer(0.011, LINK, CLIENT_ADDR, reply());
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.verdict, x.frames, x.message])).toEqual([['violation', [3, 4], 'A relay changed the REPLY it took from a Relay-reply and sent on towards the client (level 0): option 24 removed.']]);
    expect(f[0].server?.duid).toBe(SRV_A);
    // From an address the capture does not tie to the relay (its link-local one): the server's own answer
    // to the client's multicast, if it sits on the client's link too, would look the same.
    const ll = forwarded(inforeq, inforeq);
    ll.answer(0.01, SERVER, LINK, back(reply(opt.raw(24, '00'))), { dstPort: 547 });
    ll.answer(0.011, RELAY_LL, CLIENT_ADDR, reply());
    expect(brief(ll)).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x20]]);
  });

  it('reports a second relay that changes the reply it passes on to the first, sending from its own address', () => {
    const sc = new UdpScenario();
    const R2 = '2001:db8:2::1';
    sc.send(0, LINK, R2, fwd(inforeq), { srcPort: 547 });
    sc.send(0.001, R2, SERVER, relay(12, 1, R2, LINK, fwd(inforeq)), { srcPort: 547 });
    sc.answer(0.01, SERVER, R2, relay(13, 1, R2, LINK, back(reply(opt.raw(24, '00')))), { dstPort: 547 });
    sc.answer(0.011, R2, LINK, back(reply()), { srcPort: 547, dstPort: 547 });
    expect(brief(sc)).toEqual([[ID, 'violation', 'error', [3, 4], 0x20]]);
  });

  it('is inconclusive when the relayed copy was captured before the client sent it (skewed clocks)', () => {
    const sc = new UdpScenario();
    sc.send(0, LINK, SERVER, fwd(solicit(0, opt.raw(37, '0000000901'))), { srcPort: 547 });
    sc.send(0.2, CLIENT_ADDR, 'ff02::1:2', solicit());
    expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10]]);
  });

  it('is inconclusive when the same relay path also carried the unaltered message', () => {
    const sc = forwarded(inforeq, inforeq);
    sc.send(0.002, LINK, SERVER, fwd(m(11, 0x20, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(24))), { srcPort: 547 });
    expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 0x20]]);
  });

  it('leaves a genuine fast retransmission to the timing rules: Elapsed Time advanced by the gap', () => {
    // Seen bare only, then relayed only, 0.3 s later with Elapsed Time 30: not a copy.
    const sc = forwarded(solicit(0), solicit(30), 0.3);
    expect(run(sc)).toEqual([]);
    expect(ids(sc)).toContain('V6-RTX-FIRST-RT-SOLICIT');
  });

  it('is inconclusive when the Elapsed Times fit neither a copy nor a retransmission', () => {
    const sc = forwarded(solicit(0), solicit(500), 0.3);
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10, 'Two SOLICIT messages with the same xid, one relay level apart and close in time, differ, with Elapsed Times 0 and 500 that fit neither one relayed copy nor a retransmission.']]);
  });

  it('does not pair copies beyond the copy window, or two relay levels apart', () => {
    expect(run(forwarded(solicit(), solicit(0, opt.raw(37, '0000000901')), 0.7))).toEqual([]);
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, 'ff02::1:2', solicit());
    sc.send(0.001, '2001:db8:2::1', SERVER, relay(12, 1, '::', LINK, fwd(solicit(0, opt.raw(37, '0000000901')))), { srcPort: 547 });
    expect(run(sc)).toEqual([]);
  });

  it('judges the second relay of a chain against the first relay\'s Relay-forward', () => {
    const sc = new UdpScenario();
    sc.send(0, LINK, '2001:db8:2::1', fwd(inforeq), { srcPort: 547 });
    sc.send(0.001, '2001:db8:2::1', SERVER, relay(12, 1, '::', LINK, fwd(m(11, 0x20, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(24)))), { srcPort: 547 });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x20, 'A relay changed the INFORMATION-REQUEST it forwarded one level further from the client (level 1): option 6 changed.']]);
  });

  it('is inconclusive, not a violation, when the snaplen cut one of the two copies (trap TRUNC)', () => {
    // The Reply delivered to the client was captured without its last 8 octets: option 23 looks changed.
    const sc = forwarded(inforeq, inforeq);
    sc.answer(0.01, SERVER, LINK, back(reply()), { dstPort: 547 });
    sc.answer(0.011, RELAY_LL, CLIENT_ADDR, reply(), { snap: codec.encodeMessage(reply()).length - 8 });
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x20, 'Two copies of the REPLY one relay level apart differ (option 23 changed), but one of them was cut by the capture\'s snaplen: the difference may be what the capture lost.']]);
    // The client's Solicit cut on its link, the relay's whole copy on the uplink: an option looks added.
    const cut = new UdpScenario();
    cut.send(0, CLIENT_ADDR, 'ff02::1:2', solicit(), { snap: codec.encodeMessage(solicit()).length - 10 });
    cut.send(0.001, LINK, SERVER, fwd(solicit()), { srcPort: 547 });
    expect(brief(cut)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10]]);
  });

  it('accepts a relay that adds options only to its Relay-forward, around the unchanged message', () => {
    // Interface-Id and Remote-ID at the relay level (RFC 8415 §19.1.1, RFC 4649) change nothing inside.
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, 'ff02::1:2', solicit());
    sc.send(0.001, LINK, SERVER, relay(12, 0, LINK, CLIENT_ADDR, solicit(), opt.ifid('65746830'), opt.remoteId(9, '0102')), { srcPort: 547 });
    expect(run(sc)).toEqual([]);
  });

  describe('a server on the client\'s link that is also reached through the relay', () => {
    // It gets the client's multicast Solicit directly and the relay's copy, and answers each: one
    // Advertise sent to the client directly, one inside a Relay-reply, different (offers per link).
    const direct = advertise(opt.pref(10), opt.iaNa(1, opt.iaAddr('2001:db8:1::100')));
    const relayed = advertise(opt.pref(0), opt.iaNa(1, opt.iaAddr('2001:db8:5::100')));
    const onLink = (directFrom: string, directAt: number): UdpScenario => {
      const sc = forwarded(solicit(), solicit());
      sc.answer(0.01, SERVER, LINK, back(relayed), { dstPort: 547 });
      sc.answer(directAt, directFrom, CLIENT_ADDR, direct);
      return sc;
    };

    it('does not take its direct answer, sent from its own address, for a relay\'s altered copy', () => {
      expect(run(onLink(SERVER, 0.011))).toEqual([]);
      expect(run(onLink(SERVER, 0.009))).toEqual([]);
      // Two answers of the server, not one transmission: the relay's delivery of the relayed one is its copy.
      const sc = onLink(SERVER, 0.011);
      sc.answer(0.012, RELAY_LL, CLIENT_ADDR, relayed);
      expect(run(sc)).toEqual([]);
    });

    it('is inconclusive when the copy nearer the client came from an address that may be the server\'s', () => {
      // From a link-local address: the server's own on the client's link, or the relay's. Cannot be told.
      expect(run(onLink(SERVER_LL, 0.011))).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x10,
        'Two copies of the ADVERTISE one relay level apart differ (option 7 changed), but the one nearer the client did not come from the address the other was sent to: it may be a second answer of the server (one that got the client\'s message directly too, e.g. on the client\'s link), not a relay\'s copy.']]);
      expect(brief(onLink(SERVER_LL, 0.009))).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x10]]);
    });
  });

  it('accepts an identical relayed copy built from the shared Solicit shorthand', () => {
    const sc = forwarded(sel.solicit(0x30, 0, opt.oro(82)), sel.solicit(0x30, 0, opt.oro(82)));
    expect(run(sc)).toEqual([]);
  });
});
