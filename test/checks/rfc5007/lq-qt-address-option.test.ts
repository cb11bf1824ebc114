// LQ-QT-ADDRESS-OPTION: QUERY_BY_ADDRESS without its IAADDR, with it at the top level, with it in place.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { lq, lqExchange, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-QT-ADDRESS-OPTION';
const run = (q: ReturnType<typeof lq.query>) => runRule(ID, scenarioEvents(lqExchange(q))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);

describe(ID, () => {
  it('reports a missing IAADDR, and one placed at the top level', () => {
    expect(run(lq.query(2, opt.lqQuery(1, '::')))).toEqual([[ID, 'violation', 'error', [1], 2, 'The QUERY_BY_ADDRESS query has no OPTION_IAADDR in its query-options.']]);
    expect(run(lq.query(2, opt.lqQuery(1, '::'), opt.iaAddr('2001:db8::77')))[0][5]).toContain('at the top level');
  });
  it('stands aside for an LQ_QUERY with octets left after its query-options (LQ-QUERY-STRUCTURE)', () => {
    expect(run(lq.query(2, opt.raw(44, `01${'00'.repeat(16)}000500`)))).toEqual([]);
  });
  it('accepts an IAADDR with zero lifetimes inside the query-options', () => {
    expect(run(lq.query(2, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77', 0))))).toEqual([]);
  });
});
