// LQ-REQ-CONTENTS: a LEASEQUERY carries the requestor's Client-ID and OPTION_LQ_QUERY (RFC 5007 §4.3.1),
// over UDP (once per transaction) and over bulk leasequery TCP connections (RFC 5460 §6.2).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, runRule } from '../../kit/rule-harness.js';
import { REQUESTOR, REQUESTOR_ADDR, SRV_A, UdpScenario, lq, lqExchange, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-REQ-CONTENTS';
const fmt = (f: ReturnType<typeof runRule>) => f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid, x.message]);
const run = (sc: UdpScenario) => fmt(runRule(ID, scenarioEvents(sc)));
const byAddress = opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'));
const toServer = (sc: UdpScenario, t: number, msg: ReturnType<typeof m>, extra = {}) =>
  sc.add({ time: t, src: REQUESTOR_ADDR, dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: msg, ...extra });

describe(ID, () => {
  it('accepts a query with the requestor Client-ID and an LQ_QUERY', () => {
    expect(run(lqExchange(lq.query(1, byAddress), lq.reply(1, SRV_A)))).toEqual([]);
  });

  it('reports a query without a Client-ID once, retransmissions included', () => {
    const sc = new UdpScenario();
    toServer(sc, 0, m(14, 2, byAddress));
    toServer(sc, 1.0, m(14, 2, byAddress));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1], 2, 'The LEASEQUERY carries no Client Identifier option naming the requestor.']]);
  });

  it('reports a query without an LQ_QUERY', () => {
    expect(run(lqExchange(m(14, 3, opt.clientId(REQUESTOR))))).toEqual([[ID, 'violation', 'error', [1], 3, 'The LEASEQUERY carries no OPTION_LQ_QUERY.']]);
  });

  it('leaves a malformed LQ_QUERY to LQ-QUERY-STRUCTURE', () => {
    expect(run(lqExchange(lq.query(4, opt.raw(44, '0100000000'))))).toEqual([]);
  });

  it('is inconclusive when the query was cut by the snaplen before its LQ_QUERY', () => {
    const sc = new UdpScenario();
    toServer(sc, 0, lq.query(5, byAddress), { snap: 18 }); // header 4 + Client-ID 14
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1], 5, expect.stringContaining('cut short by the capture')]]);
  });

  it('judges LEASEQUERYs on bulk leasequery connections, each one', () => {
    const c = new BulkConversation();
    c.query(1);
    c.emptyReply(1);
    c.query(2, [O.lqQuery(2, undefined, [O.clientId(0x77)])]);
    c.emptyReply(2);
    c.query(3, [O.clientId()]);
    expect(fmt(runRule(ID, c.events))).toEqual([
      [ID, 'violation', 'error', [3], 2, 'The LEASEQUERY carries no Client Identifier option naming the requestor.'],
      [ID, 'violation', 'error', [5], 3, 'The LEASEQUERY carries no OPTION_LQ_QUERY.'],
    ]);
  });

  it('leaves a LEASEQUERY from the server end of a connection to BLQ-DIRECTION', () => {
    const c = new BulkConversation();
    c.send(1, 14, 9, [O.clientId()]);
    expect(runRule(ID, c.events)).toEqual([]);
  });
});
