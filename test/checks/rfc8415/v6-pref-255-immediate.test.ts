// V6-PREF-255-IMMEDIATE: wrong server, Solicit again, slow Request, crossing, not seen delivered.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-255-IMMEDIATE';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a Request to another server while a pref-255 Advertise was held (not also V6-PREF-HIGHEST)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 1));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 4], 0x10]]);
    expect(runRule('V6-PREF-HIGHEST', scenarioEvents(sc))).toEqual([]);
  });

  it('accepts a Request to either of two pref-255 servers, judging promptness from the first', () => {
    // Catalog trap: with several pref-255 servers either one is acceptable (the first received is expected).
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.010, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromServer(sc, 0.012, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 0.1, sel.request(0x20, SRV_B));
    fromServer(sc, 0.11, SRV_B, sel.reply(0x20, SRV_B));
    expect(runChecks(scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid])).toEqual([
      ['RED-SERVER-PREFERENCE-SUPPORT', 'violation', 'info', [2, 3], 0x10], // two servers at 255: undifferentiated
    ]);
    const slow = new UdpScenario();
    fromClient(slow, 0, sel.solicit(0x10));
    fromServer(slow, 0.010, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromServer(slow, 0.4, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(slow, 0.5, sel.request(0x20, SRV_B));
    expect(run(slow)).toEqual([[ID, 'violation', 'warning', [1, 2, 4], 0x10]]);
  });

  it('is inconclusive about a slow Request that may be a retransmission of one the capture missed', () => {
    // The first Request seen has Elapsed Time 1.01 s, 1.02 s after the 255 Advertise: a Request
    // retransmits after REQ_TIMEOUT ≥ 0.9 s (RFC 8415 §15), so a prompt first one may have been lost.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromClient(sc, 1.03, sel.request(0x20, SRV_A, 101));
    fromServer(sc, 1.04, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
    // Elapsed Time 0: the first transmission, so the delay is the client's.
    const first = new UdpScenario();
    fromClient(first, 0, sel.solicit(0x10));
    fromServer(first, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 255));
    fromClient(first, 1.03, sel.request(0x20, SRV_A, 0));
    expect(run(first)).toEqual([[ID, 'violation', 'warning', [1, 2, 3], 0x10]]);
  });

  it('does not take a relay-side copy under an unsynchronised clock for a Solicit retransmission', () => {
    // The relay's capture runs 0.65 s late: its Relay-forward of the Solicit (Elapsed Time 0, as sent)
    // sorts after the 255 Advertise, beyond the copy window.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.55, SRV_A, sel.advertise(0x10, SRV_A, 255));
    sc.send(0.65, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10)), { srcPort: 547 });
    fromClient(sc, 0.75, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
  });

  it('accepts an immediate Request to the pref-255 server', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 0.03, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([]);
  });

  it('reports a Solicit retransmission after the pref-255 Advertise', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 1.05, sel.solicit(0x10, 105));
    fromClient(sc, 1.1, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x10]]);
  });

  it('grades a slow Request to the right server as a warning', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(sc, 0.8, sel.request(0x20, SRV_B));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.verdict, x.severity, x.level, x.frames])).toEqual([['violation', 'warning', 'SHOULD', [1, 2, 3]]]);
  });

  it('ignores a late pref-255 Advertise that arrives after the client chose', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    fromServer(sc, 1.2, SRV_B, sel.advertise(0x10, SRV_B, 255));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the Request crossed the pref-255 Advertise, or it was seen only upstream', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.solicit(0x10));
    fromServer(a, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromServer(a, 0.5, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(a, 0.51, sel.request(0x20, SRV_A));
    expect(run(a)).toEqual([[ID, 'inconclusive', 'error', [1, 3, 4], 0x10]]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.solicit(0x10));
    b.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_B, 255)), { dstPort: 547 });
    fromServer(b, 0.02, SRV_A, sel.advertise(0x10, SRV_A, 0));
    fromClient(b, 1.05, sel.request(0x20, SRV_A));
    expect(run(b)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 4], 0x10]]);
  });
});
