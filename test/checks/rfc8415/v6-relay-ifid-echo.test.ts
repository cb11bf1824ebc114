// V6-RELAY-IFID-ECHO: Interface-Id dropped or changed in the Relay-reply; in a client/server message.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { SRV_A, UdpScenario, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-RELAY-IFID-ECHO';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);
const exchange = (back: string | undefined, advExtra: ReturnType<typeof opt.ifid>[] = []) => {
  const sc = new UdpScenario();
  sc.send(0, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', 'fe80::1', sel.solicit(0x10), opt.ifid('0a0b')), { srcPort: 547 });
  const extra = back === undefined ? [] : [opt.ifid(back)];
  sc.answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', 'fe80::1', sel.advertise(0x10, SRV_A, undefined, true, ...advExtra), ...extra), { dstPort: 547 });
  return sc;
};

describe(ID, () => {
  it('reports a Relay-reply without the Interface-Id', () => {
    expect(run(exchange(undefined))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10, 'The Relay-reply (level 0) lacks the Interface-Id 0a0b the Relay-forward carried.']]);
  });
  it('reports a changed Interface-Id, and one inside the Advertise itself', () => {
    expect(run(exchange('0c0d')).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 0x10]]);
    expect(run(exchange('0a0b', [opt.ifid('0a0b')]))[0][5]).toBe('An Interface-Id option appears in a server message; it belongs only in relay messages.');
  });
  it('accepts an echoed Interface-Id', () => {
    expect(run(exchange('0a0b'))).toEqual([]);
  });
});
