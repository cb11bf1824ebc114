// BLQ-NO-RELAYING: LEASEQUERY-DATA / -DONE inside relay messages, once per message; a relayed RFC 5007 query is fine.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { analyze } from '../../../src/index.js';
import { runRule } from '../../kit/rule-harness.js';
import { UdpScenario, duidLL, lq, m, opt, relay, scenarioEvents, scenarioPcapng } from '../../kit/udp-scenario.js';

const ID = 'BLQ-NO-RELAYING';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a LEASEQUERY-DATA carried in a Relay-reply once, though seen at two hops', () => {
    const inner = relay(13, 0, '2001:db8:1::1', '2001:db8:5::5', m(17, 4, lq.clientData()));
    const sc = new UdpScenario()
      .add({ time: 0, src: '2001:db8::a', dst: '2001:db8:2::1', srcPort: 547, dstPort: 547, message: relay(13, 1, '::', '2001:db8:1::1', inner) })
      .add({ time: 0.001, src: '2001:db8:2::1', dst: '2001:db8:1::1', srcPort: 547, dstPort: 547, message: inner });
    expect(run(sc)).toEqual([[ID, 'violation', 'warning', [1], 4]]);
  });
  it('reports the same message again in a second input of the run', async () => {
    // Found by the pipeline fuzz test: the messages already reported were remembered across inputs,
    // so the second capture of `check a.pcapng b.pcapng` lost its finding.
    const sc = new UdpScenario().add({ time: 0, src: '2001:db8:1::1', dst: '2001:db8:5::5', srcPort: 547, dstPort: 547, message: relay(13, 0, '2001:db8:1::1', '2001:db8:5::5', m(17, 4, lq.clientData())) });
    const input = (name: string) => ({ stream: Readable.from([scenarioPcapng(sc)]), name });
    const report = await analyze([input('a'), input('b')]);
    expect(report.findings.filter((f) => f.ruleId === ID).map((f) => [f.input, f.frames, f.xid])).toEqual([[0, [1], 4], [1, [1], 4]]);
  });
  it('accepts a relayed RFC 5007 LEASEQUERY', () => {
    const sc = new UdpScenario().add({ time: 0, src: '2001:db8:1::1', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', '2001:db8:5::5', lq.query(2, opt.lqQuery(2, '::', opt.clientId(duidLL(0x77))))) });
    expect(run(sc)).toEqual([]);
  });
});
