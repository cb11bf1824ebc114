// LQ-CLIENT-DATA-MINIMUM: CLIENT_DATA lacking parts, with nested leases, with a bad CLT_TIME; complete.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { duidLL, lq, lqExchange, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-CLIENT-DATA-MINIMUM';
const q = lq.query(6, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')));
const run = (cd: ReturnType<typeof opt.clientData>) => runRule(ID, scenarioEvents(lqExchange(q, lq.reply(6, duidLL(0x101), cd)))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);

describe(ID, () => {
  it('reports missing Client-ID and CLT_TIME in one finding', () => {
    expect(run(opt.clientData(opt.iaAddr('2001:db8::77')))).toEqual([[ID, 'violation', 'error', [2], 6, 'OPTION_CLIENT_DATA lacks OPTION_CLIENTID, OPTION_CLT_TIME.']]);
  });
  it('calls leases wrapped in an IA_NA non-standard nesting, and flags a 2-octet CLT_TIME', () => {
    expect(run(opt.clientData(opt.clientId(duidLL(0x77)), opt.iaNa(1, opt.iaAddr('2001:db8::77')), opt.cltTime(5)))[0][5]).toContain('wraps its leases');
    expect(run(opt.clientData(opt.clientId(duidLL(0x77)), opt.iaAddr('2001:db8::77'), opt.raw(46, '0005')))[0][5]).toBe('OPTION_CLT_TIME is 2 octets long instead of 4.');
  });
  it('accepts a complete CLIENT_DATA (IAPREFIX counts)', () => {
    expect(run(lq.clientData())).toEqual([]);
    expect(run(opt.clientData(opt.clientId(duidLL(0x77)), opt.iaPrefix('2001:db8:77::', 56), opt.cltTime(5)))).toEqual([]);
  });
});
