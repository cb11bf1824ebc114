// LQ-QT-CLIENTID-OPTION: the requestor's own Client-ID does not stand for the DUID asked about.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { duidLL, lq, lqExchange, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-QT-CLIENTID-OPTION';
const run = (q: ReturnType<typeof lq.query>) => runRule(ID, scenarioEvents(lqExchange(q))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a QUERY_BY_CLIENTID with only the top-level Client-ID', () => {
    expect(run(lq.query(3, opt.lqQuery(2, '::')))).toEqual([[ID, 'violation', 'error', [1], 3]]);
  });
  it('accepts the DUID inside the query-options', () => {
    expect(run(lq.query(3, opt.lqQuery(2, '::', opt.clientId(duidLL(0x77)))))).toEqual([]);
  });
});
