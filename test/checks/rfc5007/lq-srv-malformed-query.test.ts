// LQ-SRV-MALFORMED-QUERY: a query lacking its query-option answered without MalformedQuery.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { duidLL, lq, lqExchange, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-SRV-MALFORMED-QUERY';
const q = lq.query(5, opt.lqQuery(1, '::'));
const run = (...r: ReturnType<typeof lq.reply>[]) => runRule(ID, scenarioEvents(lqExchange(q, ...r))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('warns about a reply without MalformedQuery', () => {
    expect(run(lq.reply(5, duidLL(0x101), opt.status(3)))).toEqual([[ID, 'violation', 'warning', [1, 2], 5]]);
    expect(run(lq.reply(5, duidLL(0x101)))).toEqual([[ID, 'violation', 'warning', [1, 2], 5]]);
  });
  it('accepts UnknownQueryType: the server need not support the query type at all', () => {
    expect(run(lq.reply(5, duidLL(0x101), opt.status(7, 'unknown query type')))).toEqual([]);
  });
  it('accepts NotConfigured for a query naming an unknown link-address, not for one with ::', () => {
    const linked = lq.query(5, opt.lqQuery(1, '2001:db8:9::'));
    expect(runRule(ID, scenarioEvents(lqExchange(linked, lq.reply(5, duidLL(0x101), opt.status(9)))))).toEqual([]);
    expect(run(lq.reply(5, duidLL(0x101), opt.status(9)))).toEqual([[ID, 'violation', 'warning', [1, 2], 5]]);
  });
  it('accepts MalformedQuery (8) and a well-formed query answered normally', () => {
    expect(run(lq.reply(5, duidLL(0x101), opt.status(8)))).toEqual([]);
    const ok = lq.query(5, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')));
    expect(runRule(ID, scenarioEvents(lqExchange(ok, lq.reply(5, duidLL(0x101), lq.clientData()))))).toEqual([]);
  });
});
