// V6-XID-RECONFIGURE: a Reconfigure carries transaction-id 0 (RFC 8415 §18.3.11), direct or relayed (§19.3).
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, UdpScenario, m, opt, relay, scenarioEvents } from '../../kit/udp-scenario.js';
import type { OptionInput } from '../../../src/dhcpv6/encode.js';

const ID = 'V6-XID-RECONFIGURE';
const run = (sc: UdpScenario, opts = {}) => runRule(ID, scenarioEvents(sc), opts).map((f) => [f.verdict, f.severity, f.frames, f.xid, f.message]);
const auth: OptionInput = { code: 11, hex: `030100${'0000000000000001'}${'00'.repeat(16)}` };
const reconf = (xid: number, rdm = 1, client = CLIENT): ReturnType<typeof m> =>
  m(10, xid, opt.serverId(SRV_A), opt.clientId(client), { code: 19, hex: '05' }, { ...auth, hex: `030100${rdm.toString(16).padStart(16, '0')}${'00'.repeat(16)}` });
const direct = (sc: UdpScenario, t: number, msg: ReturnType<typeof m>) => sc.answer(t, '2001:db8:ffff::a', '2001:db8::1', msg);

describe(ID, () => {
  it('accepts a Reconfigure with transaction-id 0, direct and relayed', () => {
    const sc = new UdpScenario();
    direct(sc, 0, reconf(0));
    sc.answer(1, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, reconf(0)));
    expect(run(sc)).toEqual([]);
  });

  it('reports a non-zero transaction-id once for the server, client and xid, retransmissions included', () => {
    const sc = new UdpScenario();
    direct(sc, 0, reconf(0x1234));
    direct(sc, 2, reconf(0x1234, 2)); // a retransmission: the replay counter moved on
    direct(sc, 6, reconf(0x1234, 3));
    expect(run(sc)).toEqual([['violation', 'error', [1], 0x1234, 'The Reconfigure carries transaction-id 0x001234; a server sets it to 0.']]);
  });

  it('judges the Relay-reply copy and the copy the relay forwards once', () => {
    const sc = new UdpScenario();
    sc.answer(0, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, reconf(0x77)));
    sc.answer(0.001, 'fe80::1:1', CLIENT_ADDR, reconf(0x77));
    expect(run(sc)).toEqual([['violation', 'error', [1], 0x77, 'The Reconfigure carries transaction-id 0x000077; a server sets it to 0.']]);
  });

  it('reports each client, and the same one again after the window', () => {
    const sc = new UdpScenario();
    direct(sc, 0, reconf(5));
    direct(sc, 1, reconf(5, 1, '000300010200000000aa'));
    direct(sc, 700, reconf(5, 9));
    expect(run(sc).map((f) => f[2])).toEqual([[1], [2], [3]]);
    expect(run(sc, { config: { rules: { [ID]: { options: { window: 1000 } } } } }).map((f) => f[2])).toEqual([[1], [2]]);
  });

  it('forgets what it reported once the window has passed (its memory is bounded by time)', async () => {
    const { v6XidReconfigure } = await import('../../../src/checks/rfc8415/v6-xid-reconfigure.js');
    const reports: number[] = [];
    const ctx = { options: { window: 10 }, report: (d: { xid?: number }) => reports.push(d.xid!) } as never;
    const h = v6XidReconfigure.create(ctx) as { 'message:udp': (r: unknown) => void };
    const sc = new UdpScenario();
    for (let i = 1; i <= 50; i++) direct(sc, i, reconf(i));
    direct(sc, 100, reconf(50)); // all 50 older than the window: forgotten, so reported again
    for (const r of sc.records()) h['message:udp'](r);
    expect(reports.length).toBe(51);
  });

  it('ignores other messages, and relayed ones that are not Reconfigures', () => {
    const sc = new UdpScenario();
    sc.answer(0, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, m(7, 0x55, opt.clientId(CLIENT), opt.serverId(SRV_A))));
    expect(run(sc)).toEqual([]);
  });
});
