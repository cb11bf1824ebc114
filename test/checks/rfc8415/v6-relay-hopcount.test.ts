// V6-RELAY-HOPCOUNT: first hop not 0, outer not inner + 1, relayed beyond HOP_COUNT_LIMIT.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { UdpScenario, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-RELAY-HOPCOUNT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);
const fwd = (sc: UdpScenario, msg: ReturnType<typeof relay>) => sc.send(0, '2001:db8:2::1', '2001:db8:9::1', msg, { srcPort: 547 });

describe(ID, () => {
  it('reports a first relay that set hop-count 1', () => {
    const sc = new UdpScenario();
    fwd(sc, relay(12, 1, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10)));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1], 0x10, "The Relay-forward around the client's message has hop-count 1; the first relay sets 0."]]);
  });
  it('reports an outer level that did not add one, and a message relayed at the limit', () => {
    const a = new UdpScenario();
    fwd(a, relay(12, 3, '::', '2001:db8:1::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10))));
    expect(run(a).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1], 0x10]]);
    let msg = relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x11));
    for (let h = 1; h <= 9; h++) msg = relay(12, h, '::', `2001:db8:${h}::1`, msg);
    const b = new UdpScenario();
    fwd(b, msg);
    expect(run(b)[0][5]).toBe('A Relay-forward with hop-count 8 (limit 8) was relayed again.');
  });
  it('accepts 0 then 1 through two relays (seen at both hops)', () => {
    const sc = new UdpScenario();
    const inner = relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10));
    sc.send(0, '2001:db8:1::1', '2001:db8:2::1', inner, { srcPort: 547 });
    sc.send(0.001, '2001:db8:2::1', '2001:db8:9::1', relay(12, 1, '::', '2001:db8:1::1', inner), { srcPort: 547 });
    expect(run(sc)).toEqual([]);
  });
});
