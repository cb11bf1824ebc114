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
const solicit = (elapsed = 0, ...extra: OptionInput[]): MessageJson =>
  m(1, 0x10, opt.clientId(CLIENT), opt.elapsed(elapsed), opt.oro(82), opt.iaNa(1), ...extra);
const fwd = (inner: MessageJson) => relay(12, 0, LINK, CLIENT_ADDR, inner, opt.ifid('65746830'));
const back = (inner: MessageJson) => relay(13, 0, LINK, CLIENT_ADDR, inner, opt.ifid('65746830'));
const inforeq = m(11, 0x20, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23));
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
    const sc = forwarded(inforeq, inforeq);
    sc.answer(0.01, SERVER, LINK, back(reply(opt.raw(24, '00'))), { dstPort: 547 });
    sc.answer(0.011, RELAY_LL, CLIENT_ADDR, reply());
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.verdict, x.frames, x.message])).toEqual([['violation', [3, 4], 'A relay changed the REPLY it took from a Relay-reply and sent on towards the client (level 0): option 24 removed.']]);
    expect(f[0].server?.duid).toBe(SRV_A);
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

  it('accepts an identical relayed copy built from the shared Solicit shorthand', () => {
    const sc = forwarded(sel.solicit(0x30, 0, opt.oro(82)), sel.solicit(0x30, 0, opt.oro(82)));
    expect(run(sc)).toEqual([]);
  });
});
