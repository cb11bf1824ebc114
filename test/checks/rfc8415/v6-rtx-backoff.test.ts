// V6-RTX-BACKOFF: doubling timeouts, a shrinking or overgrown gap, a missing transmission, the cap, a
// server-given SOL_MAX_RT, copies, and the Request / first Solicit RT it leaves to other rules.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, SRV_ADDR, UdpScenario, fromClient, fromServer, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-RTX-BACKOFF';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const confirm = (xid: number, e: number) => m(4, xid, opt.clientId(CLIENT), opt.elapsed(e), opt.iaNa(1, opt.iaAddr('2001:db8::1')));
const renew = (xid: number, e: number) => m(5, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(e), opt.iaNa(1, opt.iaAddr('2001:db8::1')));
/** Transmissions of `make` at these times (s), Elapsed Time following the clock. */
const series = (make: (xid: number, e: number) => ReturnType<typeof m>, times: number[], xid = 0x20) => {
  const sc = new UdpScenario();
  for (const t of times) fromClient(sc, t, make(xid, Math.round((t - times[0]) * 100)));
  return sc;
};

describe(ID, () => {
  it('accepts Renew timeouts that double from REN_TIMEOUT', () => {
    expect(run(series(renew, [0, 10.5, 30.9, 71.2]))).toEqual([]);
  });
  it('accepts a Confirm capped at CNF_MAX_RT (4 s ± 10 %)', () => {
    expect(run(series(confirm, [0, 1, 3, 7, 10.8, 14.9]))).toEqual([]);
  });
  it('reports a timeout that does not grow', () => {
    expect(run(series(confirm, [0, 1, 2, 3]))).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x20]]);
  });
  it('reports a first Renew RT far from REN_TIMEOUT', () => {
    expect(run(series(renew, [0, 5]))).toEqual([[ID, 'violation', 'error', [1, 2], 0x20]]);
  });
  it('reports a gap no missing transmission explains (×3)', () => {
    expect(run(series(renew, [0, 10, 40]))).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x20]]);
  });
  it('is inconclusive for the gap of one missing transmission (RT2 + RT3)', () => {
    expect(run(series(renew, [0, 10, 70, 150]))).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x20]]);
  });
  it('reports a Confirm gap beyond the cap that no missing transmission explains', () => {
    expect(run(series(confirm, [0, 1, 3, 7, 11, 17]))).toEqual([[ID, 'violation', 'error', [4, 5, 6], 0x20]]);
  });
  it('leaves the first Solicit RT to V6-RTX-FIRST-RT-SOLICIT, and judges the rest', () => {
    const sol = (xid: number, e: number) => sel.solicit(xid, e);
    expect(run(series(sol, [0, 0.5, 1.5, 3.5]))).toEqual([]);
    expect(run(series(sol, [0, 1.05, 3.15, 4.2]))).toEqual([[ID, 'violation', 'error', [2, 3, 4], 0x20]]);
  });
  it('honours a SOL_MAX_RT option from a server, and a lower cap it may have set unseen is inconclusive', () => {
    const times = [0, 1.05, 3.15, 7.35, 15.75, 32.55, 66.15, 126.15];
    const capped = series((x, e) => sel.solicit(x, e), times);
    const withOption = series((x, e) => sel.solicit(x, e), times);
    fromServer(withOption, 0.01, SRV_A, sel.advertise(0x20, SRV_A, 0, false, { code: 82, hex: '0000003c' }));
    expect(run(withOption)).toEqual([]);
    expect(run(capped)).toEqual([[ID, 'inconclusive', 'error', [6, 7, 8], 0x20]]);
  });
  it('stands aside for Requests', () => {
    expect(run(series((x, e) => sel.request(x, SRV_A, e), [0, 1, 2, 3]))).toEqual([]);
  });
  it('takes a copy seen late at a relay (same Elapsed Time) for one transmission', () => {
    const sc = series(confirm, [0, 1, 3]);
    sc.add({ time: 1.6, src: '2001:db8:1::1', dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, confirm(0x20, 100)) });
    sc.datagrams.sort((a, b) => a.time - b.time);
    expect(run(sc)).toEqual([]);
  });
  it('starts again after Elapsed Time went back (a restart under the same xid)', () => {
    const sc = series(confirm, [0, 1, 3]);
    fromClient(sc, 3.2, confirm(0x20, 0));
    fromClient(sc, 4.2, confirm(0x20, 100));
    expect(run(sc)).toEqual([]);
  });
  it('starts again after a Reply with UseMulticast: the resend goes out at once (RFC 8415 §18.2.10)', () => {
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, SRV_ADDR[SRV_A], renew(0x21, 0));
    fromServer(sc, 0.01, SRV_A, m(7, 0x21, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(5, 'use multicast')));
    fromClient(sc, 0.03, renew(0x21, 3));
    fromClient(sc, 10.5, renew(0x21, 1050));
    expect(run(sc)).toEqual([]);
    // Without the status, a retransmission 30 ms later is still too early.
    const plain = series(renew, [0, 0.03]);
    expect(run(plain)).toEqual([[ID, 'violation', 'error', [1, 2], 0x20]]);
  });
});
