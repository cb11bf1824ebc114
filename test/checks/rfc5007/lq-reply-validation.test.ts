// LQ-REPLY-VALIDATION: reply without Server-ID, with another Client-ID, with another xid, unmatched,
// and a relay wrapping a LEASEQUERY-REPLY in a Relay-forward.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { analyze } from '../../../src/index.js';
import { runRule } from '../../kit/rule-harness.js';
import { REQUESTOR, REQUESTOR_ADDR, UdpScenario, duidLL, lq, lqExchange, m, opt, relay, scenarioEvents, scenarioPcapng } from '../../kit/udp-scenario.js';

const ID = 'LQ-REPLY-VALIDATION';
const q = lq.query(9, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')));
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);

describe(ID, () => {
  it('reports a reply without Server-ID and one with another Client-ID', () => {
    const sc = lqExchange(q, m(15, 9, opt.clientId(REQUESTOR)), m(15, 9, opt.clientId(duidLL(0x66)), opt.serverId(duidLL(0x102))));
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 9], [ID, 'violation', 'error', [1, 3], 9]]);
  });
  it('reports another xid while the query is open, and is inconclusive without any query', () => {
    expect(run(lqExchange(q, lq.reply(10, duidLL(0x101)))).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 10]]);
    const sc = new UdpScenario().add({ time: 0, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 547, message: lq.reply(10, duidLL(0x101)) });
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'inconclusive', 'error', [1], 10]]);
  });
  it('is inconclusive about another xid when the open query got its own answer from that server', () => {
    // Requestors may have several queries outstanding: 0x10 was sent before the capture began, and
    // the open query 0x11 is answered with its own xid right after (it was a violation).
    const sc = new UdpScenario()
      .add({ time: 0, src: REQUESTOR_ADDR, dst: '2001:db8::a', srcPort: 546, dstPort: 547, message: lq.query(0x11, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'))) })
      .add({ time: 0.001, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: lq.reply(0x10, duidLL(0x101), lq.clientData()) })
      .add({ time: 0.002, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: lq.reply(0x11, duidLL(0x101), lq.clientData()) });
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'inconclusive', 'error', [2], 0x10]]);
  });
  it('still reports another xid when the open query got no answer from that server', () => {
    const sc = new UdpScenario()
      .add({ time: 0, src: REQUESTOR_ADDR, dst: 'ff05::1:3', srcPort: 546, dstPort: 547, message: lq.query(0x11, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'))) })
      .add({ time: 0.001, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: lq.reply(0x10, duidLL(0x101), lq.clientData()) })
      .add({ time: 0.002, src: '2001:db8::b', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: lq.reply(0x11, duidLL(0x102)) });
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
  });
  it('takes a late reply to a captured query, after its transaction closed, for that query', () => {
    // Server B answers the multicast query 0x30 after 2.5 s, when the transaction had closed on A's
    // answer and the requestor had a new query open: no xid defect (it was a violation), but B's
    // missing Server-ID is still reported against the query it answers.
    const sc = new UdpScenario()
      .add({ time: 0, src: REQUESTOR_ADDR, dst: 'ff05::1:3', srcPort: 546, dstPort: 547, message: lq.query(0x30, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'))) })
      .add({ time: 0.01, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: lq.reply(0x30, duidLL(0x101), lq.clientData()) })
      .add({ time: 2.3, src: REQUESTOR_ADDR, dst: 'ff05::1:3', srcPort: 546, dstPort: 547, message: lq.query(0x31, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::78'))) })
      .add({ time: 2.5, src: '2001:db8::b', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: lq.reply(0x30, duidLL(0x102)) })
      .add({ time: 2.51, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: lq.reply(0x31, duidLL(0x101)) })
      .add({ time: 2.6, src: '2001:db8::b', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 546, message: m(15, 0x30, opt.clientId(REQUESTOR)) });
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 6], 0x30]]);
    expect(run(sc)[0][5]).toBe('The LEASEQUERY-REPLY carries no Server-ID option.');
  });
  it('reports a relay forwarding a LEASEQUERY-REPLY upstream', () => {
    const sc = new UdpScenario().add({ time: 0, src: '2001:db8:1::1', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', '2001:db8:5::5', lq.reply(11, duidLL(0x101))) });
    expect(run(sc)[0].slice(0, 5)).toEqual([ID, 'violation', 'error', [1], 11]);
  });
  it('reports the same relayed reply again in a second input of the run', async () => {
    // The replies already reported were remembered across inputs (the BLQ-NO-RELAYING defect the
    // pipeline fuzz test found, in the same form here).
    const sc = new UdpScenario().add({ time: 0, src: '2001:db8:1::1', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', '2001:db8:5::5', lq.reply(11, duidLL(0x101))) });
    const input = (name: string) => ({ stream: Readable.from([scenarioPcapng(sc)]), name });
    const report = await analyze([input('a'), input('b')]);
    expect(report.findings.filter((f) => f.ruleId === ID && f.message.startsWith('A relay')).map((f) => [f.input, f.frames, f.xid])).toEqual([[0, [1], 11], [1, [1], 11]]);
  });
  it('accepts a proper reply', () => {
    expect(run(lqExchange(q, lq.reply(9, duidLL(0x101), lq.clientData())))).toEqual([]);
  });
});
