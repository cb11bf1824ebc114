// LQ-SRV-DISCARD-INVALID: LEASEQUERY-REPLYs to queries a server must discard (RFC 5007 §4.2.1).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runChecks, runRule } from '../../kit/rule-harness.js';
import { REQUESTOR, duidLL, lq, lqExchange, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-SRV-DISCARD-INVALID';
const SRV = duidLL(0x101);
const query = opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'));
const run = (q: ReturnType<typeof m>, ...r: ReturnType<typeof m>[]) =>
  runRule(ID, scenarioEvents(lqExchange(q, ...r))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, messageIdOf(ID, f)]);
/** A reply that names no requestor (there was no Client-ID to copy). */
const bareReply = (xid: number, ...extra: ReturnType<typeof opt.status>[]) => m(15, xid, opt.serverId(SRV), ...extra);

describe(ID, () => {
  it('reports a reply to a query without a Client-ID, without LQ_QUERY, or naming another server', () => {
    expect(run(m(14, 1, query), bareReply(1, lq.clientData()))).toEqual([[ID, 'violation', 'error', [1, 2], 1, 'no-client-id']]);
    expect(run(m(14, 2, opt.clientId(REQUESTOR)), lq.reply(2, SRV, opt.status(8)))).toEqual([[ID, 'violation', 'error', [1, 2], 2, 'no-lq-query']]);
    expect(run(lq.query(3, query, opt.serverId(duidLL(0x102))), lq.reply(3, SRV, lq.clientData())))
      .toEqual([[ID, 'violation', 'error', [1, 2], 3, 'foreign-server-id']]);
  });

  it('grades an UnspecFail-only reply as a warning (RFC 8415 §16)', () => {
    expect(run(m(14, 4, opt.clientId(REQUESTOR)), lq.reply(4, SRV, opt.status(1)))).toEqual([[ID, 'violation', 'warning', [1, 2], 4, 'no-lq-query-unspecfail']]);
  });

  it('accepts replies to valid queries, one naming this very server, and silence', () => {
    expect(run(lq.query(5, query), lq.reply(5, SRV, lq.clientData()))).toEqual([]);
    expect(run(lq.query(6, query, opt.serverId(SRV)), lq.reply(6, SRV, lq.clientData()))).toEqual([]);
    expect(run(m(14, 7, query))).toEqual([]);
  });

  it('is inconclusive when a reply naming a requestor DUID was paired by address with a query without one', () => {
    expect(run(m(14, 8, query), lq.reply(8, SRV, lq.clientData()))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 8, 'other-query']]);
  });

  it('takes the defect from LQ-SRV-MALFORMED-QUERY and LQ-REPLY-VALIDATION (one defect, one finding)', () => {
    const q = lq.query(9, opt.lqQuery(1, '::'), opt.serverId(duidLL(0x102))); // also lacks its IAADDR
    const f = runChecks(scenarioEvents(lqExchange(q, m(15, 9, opt.clientId(REQUESTOR), opt.serverId(SRV), opt.status(3)))));
    expect(f.map((x) => x.ruleId).filter((r) => r.startsWith('LQ-SRV-') || r.startsWith('LQ-REPLY-'))).toEqual([ID]); // LQ-QT-ADDRESS-OPTION is the requestor's
  });

  it('over TCP, reports a REPLY serving an invalid query but accepts an error REPLY (RFC 5460 §7.2)', () => {
    const c = new BulkConversation();
    c.query(1, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.reply(1, [O.serverId(), O.clientData()]); c.done(1);
    c.query(2, [O.clientId()]); c.emptyReply(2, [O.status(8)]);
    c.query(3, [O.clientId(), O.serverId(0x02), O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.emptyReply(3);
    c.query(4, [O.clientId(), O.serverId(0x01), O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.emptyReply(4);
    const f = judge(ID, c);
    expect(f.map((x) => [x[0], x[1], x[2], x[3], x[4]])).toEqual([[ID, 'violation', 'error', [1, 2], 1], [ID, 'violation', 'error', [6, 7], 3]]);
  });
});
