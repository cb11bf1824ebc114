// V6-RTX-REQUEST-LIMITS: the count (10, 11 tolerated, 12), the first gap, doubling, the 30 s cap, a
// missing transmission, a first transmission before the capture, copies that are not retransmissions.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, SRV_ADDR, SRV_B, UdpScenario, fromClient, fromServer, m, opt, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-RTX-REQUEST-LIMITS';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const series = (times: number[], e0 = 0) => {
  const sc = new UdpScenario();
  for (const t of times) fromClient(sc, t, sel.request(0x30, SRV_A, e0 + Math.round((t - times[0]) * 100)));
  return sc;
};
/** RFC 8415 §15 with RAND = 0: 1, 2, 4, 8, 16, then 30 s. */
const times = (n: number) => {
  const out = [0];
  for (let rt = 1; out.length < n; rt = Math.min(2 * rt, 30)) out.push(out[out.length - 1] + rt);
  return out;
};

describe(ID, () => {
  it('accepts ten transmissions on the §15 schedule', () => {
    expect(run(series(times(10)))).toEqual([]);
  });
  it('grades an eleventh transmission INFO and a twelfth an error', () => {
    const eleven = runRule(ID, scenarioEvents(series(times(11))));
    expect(eleven.map((f) => [f.verdict, f.severity, f.frames])).toEqual([['violation', 'info', [1, 11]]]);
    expect(run(series(times(12)))).toEqual([[ID, 'violation', 'error', [1, 11, 12], 0x30]]);
  });
  it('reports a first retransmission outside REQ_TIMEOUT ± 10 %', () => {
    expect(run(series([0, 0.6]))).toEqual([[ID, 'violation', 'error', [1, 2], 0x30]]);
    expect(run(series([0, 1.7]))).toEqual([[ID, 'violation', 'error', [1, 2], 0x30]]);
  });
  it('reports a gap beyond REQ_MAX_RT that no missing transmission explains', () => {
    expect(run(series([...times(7), times(7)[6] + 40]))).toEqual([[ID, 'violation', 'error', [6, 7, 8], 0x30]]);
  });
  it('is inconclusive for the gap of a missing transmission', () => {
    expect(run(series([0, 1, 7, 15]))).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x30]]);
  });
  it('does not judge the first RT when the first transmission captured had Elapsed Time > 0', () => {
    expect(run(series([0, 4, 12], 300))).toEqual([]);
  });
  it('counts a copy with the same Elapsed Time seen elsewhere once', () => {
    const sc = series(times(10));
    sc.add({ time: 0.7, src: '2001:db8:1::1', dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: { msgType: 12, hopCount: 0, linkAddress: '2001:db8:1::1', peerAddress: 'fe80::1', options: [{ code: 9, message: sel.request(0x30, SRV_A, 0) }] } });
    sc.datagrams.sort((a, b) => a.time - b.time);
    expect(run(sc)).toEqual([]);
  });
  it('does not time a resend that a Reply with UseMulticast or UnspecFail asked for (RFC 8415 §18.2.10)', () => {
    // Unicast Request, Reply UseMulticast, the same Request again at once by multicast (Elapsed Time updated).
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, SRV_ADDR[SRV_A], sel.request(0x30, SRV_A, 0));
    fromServer(sc, 0.01, SRV_A, m(7, 0x30, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(5, 'use multicast')));
    fromClient(sc, 0.03, sel.request(0x30, SRV_A, 3));
    fromServer(sc, 0.05, SRV_A, sel.reply(0x30, SRV_A));
    expect(run(sc)).toEqual([]);
    // UnspecFail, then retries at a rate of the client's choosing (§14.1), not on the §15 schedule.
    const retry = new UdpScenario();
    fromClient(retry, 0, sel.request(0x31, SRV_A, 0));
    fromServer(retry, 0.01, SRV_A, m(7, 0x31, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(1, 'busy')));
    fromClient(retry, 0.5, sel.request(0x31, SRV_A, 50));
    expect(run(retry)).toEqual([]);
  });
  it('counts once a transmission that two merged captures with skewed clocks show twice at one place', () => {
    // Ten transmissions on the §15 schedule, each seen again 0.7 s later (beyond the copy window).
    const sc = series(times(10));
    for (const t of times(10)) fromClient(sc, t + 0.7, sel.request(0x30, SRV_A, Math.round(t * 100)));
    sc.datagrams.sort((a, b) => a.time - b.time);
    expect(run(sc)).toEqual([]);
  });
  it('takes a snaplen-cut sighting of a transmission (a second capture point, merged) for the same transmission', () => {
    const sc = new UdpScenario();
    for (const t of times(3)) {
      fromClient(sc, t, sel.request(0x30, SRV_A, Math.round(t * 100)));
      sc.send(t + 0.003, CLIENT_ADDR, 'ff02::1:2', sel.request(0x30, SRV_A, Math.round(t * 100)), { snap: 30 });
    }
    expect(run(sc)).toEqual([]);
  });
  it('does not time a Request re-issued without addresses after a Reply with NotOnLink in the IA (RFC 8415 §18.2.10.1)', () => {
    const withAddr = m(3, 0x32, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.iaNa(1, opt.iaAddr('2001:db8:9::1')));
    const sc = new UdpScenario();
    fromClient(sc, 0, withAddr);
    fromServer(sc, 0.01, SRV_A, m(7, 0x32, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.iaNa(1, opt.status(4, 'not on link'))));
    fromClient(sc, 0.2, sel.request(0x32, SRV_A, 20));
    fromServer(sc, 0.21, SRV_A, sel.reply(0x32, SRV_A));
    expect(run(sc)).toEqual([]);
  });
  it('starts a new count when the client turns to another server under the same xid (RFC 8415 §18.2.2)', () => {
    // Ten unanswered transmissions to server A, then the next server with the same xid, still counting.
    const sc = series(times(10));
    const end = times(10)[9] + 30;
    for (const t of [end, end + 1, end + 3]) fromClient(sc, t, sel.request(0x30, SRV_B, Math.round(t * 100)));
    expect(run(sc)).toEqual([]);
  });
});
