// LQ-RELAY-DATA-FORMAT: the client's message kept, not a Relay-forward, not requested; a proper one.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { duidLL, lq, lqExchange, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-RELAY-DATA-FORMAT';
const asked = lq.query(8, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'), opt.oro(47)));
const unasked = lq.query(8, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')));
const stripped = { msgType: 12, hopCount: 0, linkAddress: '2001:db8:1::1', peerAddress: 'fe80::77', options: [opt.ifid('01')] };
const kept = { ...stripped, options: [{ code: 9, message: m(3, 1, opt.clientId(duidLL(0x77))) }] };
const run = (q: ReturnType<typeof lq.query>, rd: ReturnType<typeof opt.relayData>) =>
  runRule(ID, scenarioEvents(lqExchange(q, lq.reply(8, duidLL(0x101), lq.clientData(duidLL(0x77), rd))))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);

describe(ID, () => {
  it("reports the client's own message left in the relay chain, and a non-relay message", () => {
    expect(run(asked, opt.relayData('2001:db8:1::1', kept))[0].slice(0, 5)).toEqual([ID, 'violation', 'error', [2], 8]);
    expect(run(asked, opt.relayData('2001:db8:1::1', m(3, 1)))[0][5]).toBe('OPTION_LQ_RELAY_DATA does not hold a Relay-forward chain after its peer address.');
  });
  it('warns about relay data that was not requested', () => {
    expect(run(unasked, opt.relayData('2001:db8:1::1', stripped)).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'warning', [2], 8]]);
  });
  it('accepts a stripped Relay-forward that was requested', () => {
    expect(run(asked, opt.relayData('2001:db8:1::1', stripped))).toEqual([]);
  });
});
