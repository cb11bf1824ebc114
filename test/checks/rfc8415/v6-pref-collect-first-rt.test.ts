// V6-PREF-COLLECT-FIRST-RT through the engine: early Request, waited Request, pref-255 exit, Rapid
// Commit, first Solicit possibly before the capture, relay-side tolerance.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, SRV_B, UdpScenario, fromClient, fromServer, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-PREF-COLLECT-FIRST-RT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a Request sent milliseconds after the Solicit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.002, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 0.02, sel.request(0x20, SRV_A));
    fromServer(sc, 0.03, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x10]]);
  });

  it('accepts a Request after the first RT, and an early one after a usable pref-255 Advertise', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.solicit(0x10));
    fromServer(a, 0.01, SRV_A, sel.advertise(0x10, SRV_A, 3));
    fromClient(a, 1.06, sel.request(0x20, SRV_A));
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.solicit(0x10));
    fromServer(b, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255));
    fromClient(b, 0.02, sel.request(0x20, SRV_B));
    expect(run(b)).toEqual([]);
  });

  it('does not count an empty pref-255 Advertise as the early exit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_B, sel.advertise(0x10, SRV_B, 255, false));
    fromServer(sc, 0.02, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 0.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2, 3, 4], 0x10]]);
  });

  it('accepts a Rapid Commit Reply ending the wait', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x10, SRV_A, { code: 14, hex: '' }));
    fromServer(sc, 0.02, SRV_B, sel.advertise(0x10, SRV_B));
    fromClient(sc, 0.05, sel.request(0x20, SRV_B));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the first Solicit captured has Elapsed Time > 0', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10, 250));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 0.05, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x10]]);
  });

  it('uses the looser relay tolerance when only the relay side was captured', () => {
    const sc = new UdpScenario();
    const up = (t: number, msg: ReturnType<typeof sel.solicit>) => sc.send(t, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', msg), { srcPort: 547 });
    up(0, sel.solicit(0x10));
    sc.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_A)), { dstPort: 547 });
    up(0.8, sel.request(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
    up(0.9, sel.solicit(0x11));
    sc.answer(0.91, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x11, SRV_A)), { dstPort: 547 });
    up(1.0, sel.request(0x21, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [4, 5, 6], 0x11]]);
  });
});
