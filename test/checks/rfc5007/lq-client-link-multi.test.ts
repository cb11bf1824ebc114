// LQ-CLIENT-LINK-MULTI: CLIENT_LINK with CLIENT_DATA, bad length, answering the wrong query; proper use.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { duidLL, lq, lqExchange, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-CLIENT-LINK-MULTI';
const byClient = lq.query(7, opt.lqQuery(2, '::', opt.clientId(duidLL(0x77))));
const run = (q: ReturnType<typeof lq.query>, ...extra: Parameters<typeof lq.reply>[2][]) =>
  runRule(ID, scenarioEvents(lqExchange(q, lq.reply(7, duidLL(0x101), ...extra)))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports CLIENT_LINK together with CLIENT_DATA, and a length not a multiple of 16', () => {
    expect(run(byClient, opt.clientLink('2001:db8:1::1', '2001:db8:2::1'), lq.clientData())).toEqual([[ID, 'violation', 'error', [1, 2], 7]]);
    expect(run(byClient, opt.raw(48, '20010db8'))).toEqual([[ID, 'violation', 'error', [1, 2], 7]]);
  });
  it('warns about CLIENT_LINK answering an address query', () => {
    expect(run(lq.query(7, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'))), opt.clientLink('2001:db8:1::1'))).toEqual([[ID, 'violation', 'warning', [1, 2], 7]]);
  });
  it('accepts a list of links for a client-id query with an unspecified link', () => {
    expect(run(byClient, opt.clientLink('2001:db8:1::1', '2001:db8:2::1'))).toEqual([]);
  });
});
