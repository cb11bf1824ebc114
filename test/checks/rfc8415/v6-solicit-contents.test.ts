// V6-SOLICIT-CONTENTS: what a Solicit must carry (RFC 8415 §18.2.1, §21.7, §21.9), judged once per transaction.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, UdpScenario, fromClient, m, opt, relay, scenarioEvents } from '../../kit/udp-scenario.js';
import type { OptionInput } from '../../../src/dhcpv6/encode.js';

const ID = 'V6-SOLICIT-CONTENTS';
const legacy = { config: { rules: { [ID]: { options: { 'legacy-sol-max-rt': true } } } } };
const findings = (sc: UdpScenario, opts = {}) => runRule(ID, scenarioEvents(sc), opts);
const run = (sc: UdpScenario, opts = {}) => findings(sc, opts).map((f) => [f.verdict, f.severity, f.frames, f.xid, f.message]);
const sol = (xid: number, ...options: OptionInput[]) => m(1, xid, ...options);
const good = (xid: number, elapsed = 0, ...extra: OptionInput[]) => sol(xid, opt.clientId(CLIENT), opt.elapsed(elapsed), opt.oro(23, 24, 82), opt.iaNa(1), ...extra);

describe(ID, () => {
  it('accepts a Solicit with Client-ID, Elapsed Time and an ORO listing SOL_MAX_RT, and its retransmissions', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, good(0x10));
    fromClient(sc, 1.05, good(0x10, 105));
    fromClient(sc, 1.1, good(0x11, 0, opt.rapidCommit(), { code: 20, hex: '' }));
    expect(run(sc)).toEqual([]);
  });

  it('reports an ORO without SOL_MAX_RT once per transaction, retransmissions included', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sol(0x10, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23, 24), opt.iaNa(1)));
    fromClient(sc, 1.05, sol(0x10, opt.clientId(CLIENT), opt.elapsed(105), opt.oro(23, 24), opt.iaNa(1)));
    fromClient(sc, 3.2, sol(0x10, opt.clientId(CLIENT), opt.elapsed(320), opt.oro(23, 24), opt.iaNa(1)));
    expect(run(sc)).toEqual([['violation', 'error', [1], 0x10, "The Solicit's Option Request option requests 23, 24 but not SOL_MAX_RT (82)."]]);
  });

  it('grades a missing SOL_MAX_RT INFO, and a missing ORO WARN, with legacy-sol-max-rt', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sol(0x10, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23), opt.iaNa(1)));
    fromClient(sc, 0.5, sol(0x11, opt.clientId(CLIENT), opt.elapsed(0), opt.iaNa(1)));
    const f = findings(sc, legacy);
    expect(f.map((x) => [x.verdict, x.severity, x.level, x.frames])).toEqual([
      ['violation', 'info', 'INFO', [1]],
      ['violation', 'warning', 'SHOULD', [2]],
    ]);
    expect(run(sc).map((x) => x[1])).toEqual(['error', 'error']);
  });

  it('reports a missing Client-ID, Elapsed Time and ORO, each once', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sol(0x20, opt.iaNa(1)));
    fromClient(sc, 1.05, sol(0x20, opt.iaNa(1)));
    expect(run(sc)).toEqual([
      ['violation', 'error', [1], 0x20, 'The Solicit carries no Client Identifier option.'],
      ['violation', 'error', [1], 0x20, 'The Solicit carries no Elapsed Time option.'],
      ['violation', 'error', [1], 0x20, 'The Solicit carries no Option Request option, so it does not request SOL_MAX_RT (82).'],
    ]);
  });

  it('reports a Server-ID in the Solicit (the client side; answering it is V6-VAL-SOLICIT)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, good(0x30, 0, opt.serverId(SRV_A)));
    expect(run(sc)).toEqual([['violation', 'error', [1], 0x30, `The Solicit carries a Server Identifier option (${SRV_A}); a client names no server in a Solicit.`]]);
  });

  it('reports ORO codes RFC 8415 §21.7 forbids, and again when a retransmission lists others', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sol(0x40, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(1, 23, 82, 16, 1), opt.iaNa(1)));
    fromClient(sc, 1.05, sol(0x40, opt.clientId(CLIENT), opt.elapsed(105), opt.oro(1, 23, 82, 16, 1), opt.iaNa(1)));
    fromClient(sc, 3.1, sol(0x40, opt.clientId(CLIENT), opt.elapsed(310), opt.oro(23, 82, 7), opt.iaNa(1)));
    expect(run(sc)).toEqual([
      ['violation', 'error', [1], 0x40, "The Solicit's Option Request option lists 1, 16, which a client never requests."],
      ['violation', 'error', [3], 0x40, "The Solicit's Option Request option lists 7, which a client never requests."],
    ]);
  });

  // dibbler, Windows and other RFC 3315-era clients list Server Unicast (12), Status Code (13) or
  // Preference (7): RFC 3315 §22.7 forbade no code, so with legacy-sol-max-rt that is INFO, not an error.
  it('grades forbidden ORO codes INFO with legacy-sol-max-rt', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sol(0x42, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(13, 12, 23, 24, 7, 82), opt.iaNa(1)));
    expect(findings(sc, legacy).map((f) => [f.verdict, f.severity, f.level, f.frames, f.message])).toEqual([
      ['violation', 'info', 'INFO', [1], "The Solicit's Option Request option lists 13, 12, 7, which RFC 8415 §21.7 forbids a client to request; RFC 3315, which the option legacy-sol-max-rt accepts, forbade none."],
    ]);
  });

  it('accepts ORO codes the IANA registry allows (17, 39, 83, unassigned ones)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sol(0x41, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(17, 23, 39, 82, 83, 254), opt.iaNa(1)));
    expect(run(sc)).toEqual([]);
  });

  it('judges a Solicit seen bare and again inside a Relay-forward once, with the frames of both', () => {
    const sc = new UdpScenario();
    const s = sol(0x50, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23), opt.iaNa(1));
    fromClient(sc, 0, s);
    sc.send(0.001, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, s));
    expect(run(sc)).toEqual([['violation', 'error', [1, 2], 0x50, "The Solicit's Option Request option requests 23 but not SOL_MAX_RT (82)."]]);
  });

  it('is inconclusive when the only Solicit captured was cut by the snaplen before a required option', () => {
    const sc = new UdpScenario();
    // Header 4 + Client-ID 14 + Elapsed Time 6: the ORO and IA_NA were cut off.
    sc.send(0, CLIENT_ADDR, 'ff02::1:2', good(0x60), { snap: 24 });
    expect(run(sc)).toEqual([['inconclusive', 'error', [1], 0x60, expect.stringContaining('cut short by the capture')]]);
  });

  it('judges the whole copy when a cut one was also captured', () => {
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, 'ff02::1:2', good(0x61), { snap: 24 });
    fromClient(sc, 0.001, good(0x61));
    expect(run(sc)).toEqual([]);
  });

  it('leaves a malformed Solicit to DECODE-DHCPV6', () => {
    const sc = new UdpScenario();
    // An ORO of odd length: the decoder flags it, and what follows cannot be trusted.
    fromClient(sc, 0, sol(0x70, opt.clientId(CLIENT), opt.raw(6, '001700')));
    expect(run(sc)).toEqual([]);
  });
});
