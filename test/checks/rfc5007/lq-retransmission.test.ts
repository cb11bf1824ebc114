// LQ-RETRANSMISSION: LQ_TIMEOUT, doubling to LQ_MAX_RT, LQ_MAX_RC (6 tolerated), a missing
// transmission, a multicast copy seen on a second link with a skewed clock, and a query re-sent to
// another destination (a new exchange bare, inconclusive when only its Relay-forward shows it), and
// sends alternating between servers queried at once, judged per destination.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { REQUESTOR_ADDR, SRV_A, SRV_B, UdpScenario, lq, opt, relay, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-RETRANSMISSION';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const query = lq.query(0x40, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')));
const series = (times: number[]) => {
  const sc = new UdpScenario();
  for (const t of times) sc.add({ time: t, src: REQUESTOR_ADDR, dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: query });
  return sc;
};

describe(ID, () => {
  it('accepts five transmissions 1, 2, 4, 8 s apart, and a capped gap', () => {
    expect(run(series([0, 1, 3, 7, 15]))).toEqual([]);
    expect(run(series([0, 1.05, 3.1, 7.2, 15.4]))).toEqual([]);
  });
  it('grades a sixth transmission INFO and a seventh an error', () => {
    expect(run(series([0, 1, 3, 7, 15, 25])).map((r) => r[2])).toEqual(['info']);
    expect(run(series([0, 1, 3, 7, 15, 25, 35]))).toEqual([[ID, 'violation', 'error', [1, 6, 7], 0x40]]);
  });
  it('reports a first retransmission too early, and a timeout that does not grow', () => {
    expect(run(series([0, 0.7]))).toEqual([[ID, 'violation', 'error', [1, 2], 0x40]]);
    expect(run(series([0, 1, 2]))).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x40]]);
  });
  it('reports a gap beyond LQ_MAX_RT that no missing transmission explains', () => {
    expect(run(series([0, 1, 3, 7, 15, 29]))).toEqual([[ID, 'violation', 'info', [1, 6], 0x40], [ID, 'violation', 'error', [4, 5, 6], 0x40]]);
  });
  it('is inconclusive for a doubled gap (one transmission missing)', () => {
    expect(run(series([0, 1, 7]))).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x40]]);
  });
  it('takes a relayed copy on another link, 0.55 s late (beyond the copy window), for the same transmission', () => {
    const sc = series([0, 1.1, 3.2]);
    sc.add({ time: 0.55, src: '2001:db8:1::1', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', REQUESTOR_ADDR, query) });
    sc.datagrams.sort((a, b) => a.time - b.time);
    expect(run(sc)).toEqual([]);
  });
  it('does not time a query sent again after a LEASEQUERY-REPLY with a failing status (RFC 5007 §4.3.2)', () => {
    // NotConfigured from one server, then the same query to the next server on the requestor's list.
    const sc = new UdpScenario();
    sc.add({ time: 0, src: REQUESTOR_ADDR, dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: query });
    sc.add({ time: 0.01, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 547, message: lq.reply(0x40, SRV_A, opt.status(9, 'not configured')) });
    sc.add({ time: 0.6, src: REQUESTOR_ADDR, dst: '2001:db8::b', srcPort: 547, dstPort: 547, message: query });
    expect(run(sc)).toEqual([]);
  });
  it('is inconclusive when the gaps fit only if the first query captured was not the first sent (MID, LOSS)', () => {
    // Captured from the second transmission (2, 4 s gaps), or its first lost with the capture running.
    expect(run(series([0, 2, 6]))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x40]]);
    expect(run(series([5, 7.1, 11.3, 19.7]))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x40]]);
    // A gap that no earlier start explains is still a violation.
    expect(run(series([0, 2, 2.7]))).toEqual([[ID, 'violation', 'error', [1, 2, 3], 0x40]]);
  });
  it('starts a new count when the query names another server (RFC 5007 §4.3.1, §4.3.2)', () => {
    const named = (server: string) => lq.query(0x41, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')), opt.serverId(server));
    const sc = new UdpScenario();
    for (const t of [0, 1, 3, 7, 15]) sc.add({ time: t, src: REQUESTOR_ADDR, dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: named(SRV_A) });
    for (const t of [25, 26, 28]) sc.add({ time: t, src: REQUESTOR_ADDR, dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: named(SRV_B) });
    expect(run(sc)).toEqual([]);
  });
});

describe(`${ID}: a query re-sent to another destination (no Server-ID)`, () => {
  const to = (sc: UdpScenario, dst: string, times: number[]) => {
    for (const t of times) sc.add({ time: t, src: REQUESTOR_ADDR, dst, srcPort: 547, dstPort: 547, message: query });
    sc.datagrams.sort((a, b) => a.time - b.time);
    return sc;
  };
  it('starts a new count when the query goes to another unicast address after the first server failed (RFC 5007 §4.3.2)', () => {
    // Five transmissions to server A on schedule, then the same query (same xid) to server B.
    const sc = to(to(new UdpScenario(), '2001:db8::a', [0, 1, 3, 7, 15]), '2001:db8::b', [25, 26, 28]);
    expect(run(sc)).toEqual([]);
  });
  it('does not time a send to server B against the exchange with server A', () => {
    // A at 0 s, then B 0.6 s later (beyond the copy window), each retransmitted on its own schedule.
    expect(run(to(to(new UdpScenario(), '2001:db8::a', [0]), '2001:db8::b', [0.6]))).toEqual([]);
    expect(run(to(to(new UdpScenario(), '2001:db8::a', [0, 1, 3]), '2001:db8::b', [0.6, 1.6, 3.6]))).toEqual([]);
  });
  it('still judges each server exchange on its own', () => {
    // B retransmitted too early (0.5 s after its first send) is still a violation.
    expect(run(to(to(new UdpScenario(), '2001:db8::a', [0, 1, 3, 7, 15]), '2001:db8::b', [25, 25.7]))).toEqual([[ID, 'violation', 'error', [6, 7], 0x40]]);
    // Seven sends to the same address stay a violation.
    expect(run(to(new UdpScenario(), '2001:db8::a', [0, 1, 3, 7, 15, 25, 35]))).toEqual([[ID, 'violation', 'error', [1, 6, 7], 0x40]]);
  });
  it('takes a send to B 0.3 s after one to A (inside the copy window) for another transmission, not a copy', () => {
    // Sent to A and B at once, each retransmitted on its own schedule: without the split, A's
    // retransmission at 1 s was merged into B's first send at 0.3 s (0.3 s after A's first: too early).
    expect(run(to(to(new UdpScenario(), '2001:db8::a', [0, 1, 3]), '2001:db8::b', [0.3, 1.3, 3.3]))).toEqual([]);
    expect(run(to(to(new UdpScenario(), '2001:db8::a', [0, 1, 3]), '2001:db8::b', [0.6, 1.6, 3.6]))).toEqual([]);
  });
  it('keeps copies captured twice (two capture points, one with a skewed clock) out of the count', () => {
    // Every send to A and B seen again 20 ms later at a second bare capture point, and the sends to A
    // 0.55 s later on another link (relayed): copies, not retransmissions.
    const sc = to(to(to(new UdpScenario(), '2001:db8::a', [0, 1.1, 3.2, 7.4, 15.8]), '2001:db8::b', [25, 26, 28]), '2001:db8::a', [0.02, 1.12, 3.22, 7.42, 15.82]);
    to(sc, '2001:db8::b', [25.02, 26.02, 28.02]);
    for (const t of [0.55, 1.65, 3.75, 7.95, 16.35]) {
      sc.add({ time: t, src: '2001:db8:1::1', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', REQUESTOR_ADDR, query) });
    }
    sc.datagrams.sort((a, b) => a.time - b.time);
    expect(run(sc)).toEqual([]);
  });
  it('is inconclusive when only the Relay-forward changes server: the relay or the requestor may have chosen it', () => {
    // Seen only between relay and servers: 5 forwards to A, then 3 to B, from the same relay.
    const sc = new UdpScenario();
    const fwd = (t: number, dst: string) => sc.add({ time: t, src: '2001:db8:1::1', dst, srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', REQUESTOR_ADDR, query) });
    for (const t of [0, 1, 3, 7, 15]) fwd(t, '2001:db8::a');
    for (const t of [25, 26, 28]) fwd(t, '2001:db8::b');
    const out = run(sc);
    expect(out.length).toBeGreaterThan(0);
    expect(out.every((r) => r[1] === 'inconclusive')).toBe(true);
  });
});

describe(`${ID}: a requestor querying several servers at once under one xid (RFC 5007 §4.3.2)`, () => {
  // Each destination's transmissions are one exchange with its own §15 schedule and its own count; sends
  // to other destinations between them neither break nor restart it.
  const sends = (plan: Array<[string, number[]]>) => {
    const sc = new UdpScenario();
    for (const [dst, times] of plan) for (const t of times) sc.add({ time: t, src: REQUESTOR_ADDR, dst, srcPort: 547, dstPort: 547, message: query });
    sc.datagrams.sort((a, b) => a.time - b.time);
    return sc;
  };
  const ids = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [messageIdOf(ID, f), f.verdict, f.frames]);

  it('accepts two servers each on its own schedule, alternating A, B, A, B, …', () => {
    expect(run(sends([['2001:db8::a', [0, 1, 3, 7, 15]], ['2001:db8::b', [0.6, 1.6, 3.6, 7.6, 15.6]]]))).toEqual([]);
    // Unicast to A and multicast to All_DHCP_Servers, offset differently (A twice between two multicasts).
    expect(run(sends([['2001:db8::a', [0, 1.05, 3.1, 7.2]], ['ff05::1:3', [2.5, 3.5, 5.5, 9.5]]]))).toEqual([]);
  });
  it('reports the gap that breaks one destination\'s schedule, naming that destination\'s frames', () => {
    // A: 1, 2, then 1.2 s (must about double); B between them on schedule. Frames: A 1, 3, 5, 7; B 2, 4, 6, 8.
    expect(ids(sends([['2001:db8::a', [0, 1, 3, 4.2]], ['2001:db8::b', [0.5, 1.5, 3.5, 7.5]]]))).toEqual([['shrink', 'violation', [3, 5, 7]]]);
    // B retransmitted 0.7 s after its first send, with A's on-time retransmission between them (frames:
    // A 1, 3, 5; B 2, 4): B's frames, and its first gap judged from an unknown start.
    expect(ids(sends([['2001:db8::a', [0, 1, 3]], ['2001:db8::b', [0.5, 1.2]]]))).toEqual([['shrink', 'violation', [2, 4]]]);
  });
  it('counts LQ_MAX_RC per destination: five to each of two servers conform, seven to one do not', () => {
    expect(run(sends([['2001:db8::a', [0, 1, 3, 7, 15]], ['2001:db8::b', [0.5, 1.5, 3.5, 7.5, 15.5]]]))).toEqual([]);
    // A seven times (frames 1, 3, 5, 6, 7, 8, 9), B twice between (frames 2, 4): A's first, sixth, seventh.
    expect(ids(sends([['2001:db8::a', [0, 1, 3, 7, 15, 25, 35]], ['2001:db8::b', [0.5, 1.5]]]))).toEqual([['count', 'violation', [1, 8, 9]]]);
  });
  it('takes a return to a server after a gap beyond LQ_MAX_RT for a new exchange, not the old one\'s sixth transmission', () => {
    // A five times, B five times after A failed, then A again 35 s after its last send: a new exchange.
    expect(run(sends([['2001:db8::a', [0, 1, 3, 7, 15, 50, 51, 53]], ['2001:db8::b', [25, 26, 28, 32, 40]]]))).toEqual([]);
  });
  it('starts a new schedule for a sequential turn (A, A, A, then B, B) and after a failing LEASEQUERY-REPLY', () => {
    // B's first gap is judged from an unknown start (the exchange with A is over): 2 s fits.
    expect(run(sends([['2001:db8::a', [0, 1, 3]], ['2001:db8::b', [6, 8]]]))).toEqual([]);
    // A fails with NotConfigured between its sends: the send after it starts afresh (0.5 s is no retransmission gap).
    const sc = sends([['2001:db8::a', [0, 1, 1.5]], ['2001:db8::b', [0.5]]]);
    sc.datagrams.splice(3, 0, { time: 1.2, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 547, message: lq.reply(0x40, SRV_A, opt.status(9, 'not configured')) });
    expect(run(sc)).toEqual([]);
  });
});
