// V6-RTX-FIRST-RT-SOLICIT: second Solicit too early, in range, too late, one missing, first before the capture,
// and a relay's copy forwarded later than the copy window (one transmission, not a second).
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT_ADDR, UdpScenario, fromClient, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-RTX-FIRST-RT-SOLICIT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const two = (gap: number, e0 = 0, e1 = Math.round(gap * 100)) => {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10, e0));
  fromClient(sc, gap, sel.solicit(0x10, e1));
  return sc;
};
/** A relay's Relay-forward of the client's Solicit (Elapsed Time `e`), sent on at `t`. */
const forwarded = (sc: UdpScenario, t: number, e: number) => {
  sc.add({ time: t, src: '2001:db8:1::1', dst: '2001:db8:ffff::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, sel.solicit(0x10, e)) });
  sc.datagrams.sort((a, b) => a.time - b.time);
  return sc;
};

describe(ID, () => {
  it('reports a second transmission before 1 s', () => {
    expect(run(two(0.8))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
  });
  it('accepts a gap in (1.0, 1.1]', () => {
    expect(run(two(1.05))).toEqual([]);
  });
  it('grades a gap beyond 1.1 s as a warning', () => {
    expect(run(two(1.6))).toEqual([[ID, 'violation', 'warning', [1, 2], 0x10]]);
  });
  it('is inconclusive for the gap of one missing transmission, or when Elapsed Time disagrees', () => {
    expect(run(two(3.1))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10]]);
    expect(run(two(0.002, 0, 2030))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10]]);
  });
  it('takes the copy a relay forwarded later than the copy window for the same transmission, not a second one', () => {
    // A loaded relay passing the Solicit on 0.6 s late: seen at another hop with the same Elapsed Time.
    const late = new UdpScenario();
    fromClient(late, 0, sel.solicit(0x10, 0));
    expect(run(forwarded(late, 0.6, 0))).toEqual([]);
    // Held even longer, past the real retransmission: the gap judged is still the client's own.
    expect(run(forwarded(forwarded(two(1.05), 1.3, 0), 1.301, 105))).toEqual([]);
  });
  it('still judges the retransmission that follows such a copy', () => {
    expect(run(forwarded(two(0.8), 0.6, 0))).toEqual([[ID, 'violation', 'error', [1, 3], 0x10]]);
    expect(run(forwarded(two(1.6), 0.6, 0))).toEqual([[ID, 'violation', 'warning', [1, 3], 0x10]]);
  });
  it('is inconclusive when the first transmission captured has Elapsed Time > 0', () => {
    expect(run(two(0.5, 400, 450))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10]]);
  });
});
