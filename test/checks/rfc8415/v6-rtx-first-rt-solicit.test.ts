// V6-RTX-FIRST-RT-SOLICIT: second Solicit too early, in range, too late, one missing, first before the capture.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { UdpScenario, fromClient, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-RTX-FIRST-RT-SOLICIT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const two = (gap: number, e0 = 0, e1 = Math.round(gap * 100)) => {
  const sc = new UdpScenario();
  fromClient(sc, 0, sel.solicit(0x10, e0));
  fromClient(sc, gap, sel.solicit(0x10, e1));
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
  it('is inconclusive when the first transmission captured has Elapsed Time > 0', () => {
    expect(run(two(0.5, 400, 450))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x10]]);
  });
});
