// LQ-QUERY-STRUCTURE: a short LQ_QUERY, query-options overrunning it, a well-formed one.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { lq, lqExchange, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-QUERY-STRUCTURE';
const run = (q: ReturnType<typeof lq.query>) => runRule(ID, scenarioEvents(lqExchange(q))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);

describe(ID, () => {
  it('reports an LQ_QUERY shorter than 17 octets', () => {
    expect(run(lq.query(1, opt.raw(44, '0100000000')))).toEqual([[ID, 'violation', 'error', [1], 1, 'OPTION_LQ_QUERY is 5 octets long, shorter than the 17 octets of query type and link-address.']]);
  });
  it('reports query-options that do not fill the option exactly', () => {
    expect(run(lq.query(1, opt.raw(44, `01${'00'.repeat(16)}00050018${'00'.repeat(10)}`))).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1], 1]]);
  });
  it('reports one to three octets left after the last query-option (too few for an option header)', () => {
    // The decoder ties such octets to no option; the query-options still end short of the option.
    expect(run(lq.query(1, opt.raw(44, `01${'00'.repeat(16)}000500`))).map((r) => r.slice(0, 6))).toEqual([
      [ID, 'violation', 'error', [1], 1, 'The query-options of OPTION_LQ_QUERY do not parse exactly to its length (20).'],
    ]);
  });
  it('accepts a well-formed query', () => {
    expect(run(lq.query(1, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'))))).toEqual([]);
  });
});
