// BLQ-QT-NOT-OVER-UDP-REQUESTOR: bulk-only query types in UDP LEASEQUERYs, direct and relayed.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { UdpScenario, duidLL, lq, lqExchange, opt, relay, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'BLQ-QT-NOT-OVER-UDP-REQUESTOR';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.client]);

describe(ID, () => {
  it('reports QUERY_BY_RELAY_ID over UDP', () => {
    expect(run(lqExchange(lq.query(1, opt.lqQuery(3, '::', opt.relayId(duidLL(9))))))).toEqual([[ID, 'violation', 'error', [1], 1, { duid: duidLL(0x50), address: '2001:db8::50' }]]);
  });
  it('reports a relayed QUERY_BY_LINK_ADDRESS against the original requestor', () => {
    const sc = new UdpScenario().add({ time: 0, src: '2001:db8:1::1', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', '2001:db8:5::5', lq.query(2, opt.lqQuery(4, '2001:db8:1::')) ) });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1], 2, { duid: duidLL(0x50), address: '2001:db8:5::5' }]]);
    expect(runRule('BLQ-NO-RELAYING', scenarioEvents(sc))).toEqual([]);
  });
  it('accepts the RFC 5007 query types', () => {
    expect(run(lqExchange(lq.query(1, opt.lqQuery(2, '::', opt.clientId(duidLL(0x77))))))).toEqual([]);
  });
});
