// V6-RELAY-NO-MODIFY: a relay must not change the message it relays, in either direction.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, codec, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';
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
        'Two copies of the ADVERTISE one relay level apart differ (option 7 changed), but nothing in the capture ties the address the one nearer the client came from to the relay (not the address the Relay-reply went to, not its link-address, and not seen delivering that relay\'s unaltered answers): it may be a second answer of the server (one that got the client\'s message directly too, e.g. on the client\'s link), not a relay\'s copy.']]);
      expect(brief(onLink(SERVER_LL, 0.009))).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x10]]);
    });
  });

  it('accepts an identical relayed copy built from the shared Solicit shorthand', () => {
    const sc = forwarded(sel.solicit(0x30, 0, opt.oro(82)), sel.solicit(0x30, 0, opt.oro(82)));
    expect(run(sc)).toEqual([]);
  });
  describe('a relay delivering from its link-local address (RFC 8415 §19.2)', () => {
    const LINK2 = '2001:db8:3::1';
    const ir = (xid: number) => m(11, xid, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23));
    const rp = (xid: number, ...extra: OptionInput[]) => m(7, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.raw(23, '20010db8ffff00000000000000000053'), ...extra);
    const cut = (xid: number) => rp(xid, opt.raw(24, '00')); // what the server sent; the relay drops option 24
    type Sent = [at: number, from: string, message: MessageJson];
    /**
     * One Information-request through the relay at `relayAddr` (also its link-address), from t0: the
     * client's message, the Relay-forward, the server's Relay-reply around `answer` at +0.01, and the
     * copies sent to the client (`sent`: time offset, source, message), all in time order.
     */
    const through = (sc: UdpScenario, t0: number, xid: number, answer: MessageJson, sent: Sent[], relayAddr = LINK): UdpScenario => {
      sc.send(t0, CLIENT_ADDR, 'ff02::1:2', ir(xid));
      sc.send(t0 + 0.001, relayAddr, SERVER, relay(12, 0, relayAddr, CLIENT_ADDR, ir(xid)), { srcPort: 547 });
      const all: Sent[] = [...sent, [0.01, '', answer] as Sent].sort((a, b) => a[0] - b[0]);
      for (const [at, from, msg] of all) {
        if (from === '') sc.answer(t0 + at, SERVER, relayAddr, relay(13, 0, relayAddr, CLIENT_ADDR, answer), { dstPort: 547 });
        else sc.answer(t0 + at, from, CLIENT_ADDR, msg);
      }
      return sc;
    };
    const PROVEN = 'A relay changed the REPLY it took from a Relay-reply and sent on towards the client (level 0): option 24 removed. It sent it from the address it delivered its unaltered answers from (frame 4).';

    it('reports the change once an earlier unaltered delivery from the same address ties it to the relay', () => {
      const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.011, RELAY_LL, rp(0x21)]]);
      through(sc, 5, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]);
      const f = runRule(ID, scenarioEvents(sc));
      expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid, x.message])).toEqual([[ID, 'violation', 'error', [4, 7, 8], 0x22, PROVEN]]);
      expect(f[0].server?.duid).toBe(SRV_A);
      // The same capture without the earlier exchange: nothing ties the address to the relay.
      expect(brief(through(new UdpScenario(), 5, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]))).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x22]]);
    });

    it('takes the proof from the same transaction, and from one that comes after the altered copy', () => {
      // One Solicit, two servers' Advertises through the relay: it delivers A's unaltered, B's without its Preference.
      const sol = new UdpScenario();
      sol.send(0, CLIENT_ADDR, 'ff02::1:2', solicit());
      sol.send(0.001, LINK, SERVER, fwd(solicit()), { srcPort: 547 });
      const advA = advertise(opt.pref(5));
      const advB = m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_B), opt.pref(9));
      sol.answer(0.01, SERVER, LINK, back(advA), { dstPort: 547 });
      sol.answer(0.011, RELAY_LL, CLIENT_ADDR, advA);
      sol.answer(0.02, '2001:db8:9::2', LINK, back(advB), { dstPort: 547 });
      sol.answer(0.021, RELAY_LL, CLIENT_ADDR, m(2, 0x10, opt.clientId(CLIENT), opt.serverId(SRV_B)));
      expect(run(sol)).toEqual([[ID, 'violation', 'error', [4, 5, 6], 0x10, 'A relay changed the ADVERTISE it took from a Relay-reply and sent on towards the client (level 0): option 7 removed. It sent it from the address it delivered its unaltered answers from (frame 4).']]);
      // The altered Reply first, the proving exchange 5 s later: judged when the evidence is in.
      const later = through(new UdpScenario(), 0, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]);
      through(later, 5, 0x21, rp(0x21), [[0.011, RELAY_LL, rp(0x21)]]);
      expect(brief(later)).toEqual([[ID, 'violation', 'error', [3, 4, 8], 0x22]]);
      // ... but not beyond relay-timeout: the judgement waits 1 s after the altered copy only.
      const config = { rules: { [ID]: { options: { 'relay-timeout': 1 } } } };
      expect(runRule(ID, scenarioEvents(later), { config }).map((x) => [x.verdict, x.frames, x.xid])).toEqual([['inconclusive', [3, 4], 0x22]]);
    });

    it('does not take a copy sent before the Relay-reply reached the relay as the relay\'s', () => {
      const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.009, RELAY_LL, rp(0x21)]]);
      through(sc, 5, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]);
      expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [7, 8], 0x22]]);
    });

    it('does not take a delivery by another relay (another Relay-reply destination) as proof', () => {
      const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.011, RELAY_LL, rp(0x21)]], LINK2);
      through(sc, 5, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]);
      expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [7, 8], 0x22]]);
    });

    it('proves nothing when two relays on the client\'s link both delivered one answer', () => {
      // R (LINK) and R3 (LINK2) both relay the multicast and the server answers each; `senders` deliver.
      const twoRelays = (senders: string[]): UdpScenario => {
        const sc = new UdpScenario();
        sc.send(0, CLIENT_ADDR, 'ff02::1:2', ir(0x21));
        sc.send(0.001, LINK, SERVER, fwd(ir(0x21)), { srcPort: 547 });
        sc.send(0.002, LINK2, SERVER, relay(12, 0, LINK2, CLIENT_ADDR, ir(0x21)), { srcPort: 547 });
        sc.answer(0.01, SERVER, LINK, back(rp(0x21)), { dstPort: 547 });
        sc.answer(0.011, SERVER, LINK2, relay(13, 0, LINK2, CLIENT_ADDR, rp(0x21)), { dstPort: 547 });
        senders.forEach((from, i) => sc.answer(0.012 + i / 1000, from, CLIENT_ADDR, rp(0x21)));
        return through(sc, 5, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]);
      };
      const sc = twoRelays([RELAY_LL, 'fe80::3:1']);
      expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [10, 11], 0x22]]);
      // One delivery for the two relays' Relay-replies: whose it was cannot be told either.
      expect(brief(twoRelays([RELAY_LL]))).toEqual([[ID, 'inconclusive', 'error', [9, 10], 0x22]]);
      // Once R alone delivers one, its address is proven.
      through(sc, 10, 0x23, rp(0x23), [[0.011, RELAY_LL, rp(0x23)]]);
      expect(brief(sc)).toEqual([[ID, 'violation', 'error', [10, 11, 15], 0x22]]);
    });

    it('is inconclusive when one relay was seen delivering from two addresses', () => {
      const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.011, RELAY_LL, rp(0x21)]]);
      through(sc, 5, 0x23, rp(0x23), [[0.011, 'fe80::1:2', rp(0x23)]]);
      through(sc, 10, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]);
      expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [11, 12], 0x22, 'Two copies of the REPLY one relay level apart differ (option 24 removed), but the capture shows more than one address sending copies of that relay\'s answers on towards the client (a server on the client\'s link answering directly too?): which address is the relay\'s cannot be told.']]);
    });

    it('is inconclusive past max-tracked-relays, and says so', () => {
      const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.011, RELAY_LL, rp(0x21)]]);
      through(sc, 5, 0x22, cut(0x22), [[0.011, 'fe80::3:1', rp(0x22)]], LINK2);
      const config = { rules: { [ID]: { options: { 'max-tracked-relays': 1 } } } };
      expect(runRule(ID, scenarioEvents(sc), { config }).map((x) => [x.verdict, x.frames, x.xid, x.message])).toEqual([['inconclusive', [7, 8], 0x22,
        'Two copies of the REPLY one relay level apart differ (option 24 removed), but more relays were seen than the rule keeps (option max-tracked-relays): whether the copy nearer the client came from the relay cannot be told.']]);
      expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [7, 8], 0x22]]); // the default cap: another relay, unproven
    });

    describe('a server on the client\'s link that also answers through the relay', () => {
      it('never takes its direct answers for the relay\'s copies, equal or not', () => {
        // Exchange 1: the server answers the multicast itself (from its link-local address) and through
        // the relay, the same Reply; the relay delivers too. Two senders for one relay: contested.
        const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.005, SERVER_LL, rp(0x21)], [0.011, RELAY_LL, rp(0x21)]]);
        // Exchange 2: its direct answer differs from the relayed one; the relay's delivery was not captured.
        through(sc, 5, 0x22, cut(0x22), [[0.012, SERVER_LL, rp(0x22)]]);
        expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [8, 9], 0x22]]);
        expect(run(sc)[0][5]).toMatch(/more than one address sending copies/);
      });

      it('is inconclusive when its address looked proven, once the capture shows the relay delivering too', () => {
        // Exchange 1: only its direct, equal answer was captured; exchange 2: its differing one (the
        // relay's deliveries lost both times); exchange 3, later: both deliver the same Reply.
        const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.012, SERVER_LL, rp(0x21)]]);
        through(sc, 5, 0x22, cut(0x22), [[0.012, SERVER_LL, rp(0x22)]]);
        const early = runRule(ID, scenarioEvents(sc));
        expect(early.map((x) => [x.verdict, x.frames, x.xid])).toEqual([['violation', [4, 7, 8], 0x22]]); // what a capture this thin shows
        through(sc, 10, 0x23, rp(0x23), [[0.005, SERVER_LL, rp(0x23)], [0.011, RELAY_LL, rp(0x23)]]);
        expect(brief(sc)).toEqual([[ID, 'inconclusive', 'error', [7, 8], 0x22]]);
      });

      it('proves the relay\'s address when the server answers directly from the Relay-reply\'s source', () => {
        // Its own address is known as the server's: its equal answer from there is no second sender.
        const sc = through(new UdpScenario(), 0, 0x21, rp(0x21), [[0.005, SERVER, rp(0x21)], [0.011, RELAY_LL, rp(0x21)]]);
        through(sc, 5, 0x22, cut(0x22), [[0.011, RELAY_LL, rp(0x22)]]);
        expect(brief(sc)).toEqual([[ID, 'violation', 'error', [5, 8, 9], 0x22]]);
      });
    });
  });
});
