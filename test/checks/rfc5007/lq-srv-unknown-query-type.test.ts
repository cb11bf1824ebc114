// LQ-SRV-UNKNOWN-QUERY-TYPE: query type 9 answered with another status or with data; UnknownQueryType.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { lq, lqExchange, opt, scenarioEvents, duidLL } from '../../kit/udp-scenario.js';

const ID = 'LQ-SRV-UNKNOWN-QUERY-TYPE';
const q = lq.query(4, opt.lqQuery(9, '::'));
const run = (...r: ReturnType<typeof lq.reply>[]) => runRule(ID, scenarioEvents(lqExchange(q, ...r))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('warns about UnspecFail and about returned data', () => {
    expect(run(lq.reply(4, duidLL(0x101), opt.status(1)), lq.reply(4, duidLL(0x102), lq.clientData())))
      .toEqual([[ID, 'violation', 'warning', [1, 2], 4], [ID, 'violation', 'warning', [1, 3], 4]]);
  });
  it('accepts MalformedQuery for a malformed LQ_QUERY, not for a well-formed one', () => {
    const short = lq.query(4, opt.raw(44, '09000000'));
    expect(runRule(ID, scenarioEvents(lqExchange(short, lq.reply(4, duidLL(0x101), opt.status(8)))))).toEqual([]);
    expect(run(lq.reply(4, duidLL(0x101), opt.status(8)))).toEqual([[ID, 'violation', 'warning', [1, 2], 4]]);
  });
  it('accepts UnknownQueryType and NotAllowed', () => {
    expect(run(lq.reply(4, duidLL(0x101), opt.status(7)), lq.reply(4, duidLL(0x102), opt.status(10)))).toEqual([]);
  });
});
