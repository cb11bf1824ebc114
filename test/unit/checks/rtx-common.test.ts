// runsOf (rtx-common): how a transaction's transmissions split into retransmission runs. A LEASEQUERY
// sent alternately to two servers under one xid is one run per destination when the caller lets a
// destination resume its run (RFC 5007 §4.3.2); other message types carry no destination and do not change.
import { describe, expect, it } from 'vitest';
import { ClientCorrelator } from '../../../src/correlate/client.js';
import type { Transmission, UdpTransaction } from '../../../src/correlate/client-events.js';
import { relayRetarget, runsOf } from '../../../src/checks/rtx-common.js';
import { CLIENT, REQUESTOR_ADDR, SRV_A, UdpScenario, lq, m, opt, relay } from '../../kit/udp-scenario.js';

const query = lq.query(0x40, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77')));
const MIN_RT = 0.8;
const always = (): boolean => true;

/** The one transaction the correlator closes for these datagrams (LEASEQUERY or another type). */
function transaction(sc: UdpScenario): UdpTransaction {
  sc.datagrams.sort((a, b) => a.time - b.time);
  const out: UdpTransaction[] = [];
  const corr = new ClientCorrelator((name, ev) => { if (name === 'lq:transaction-end' || name === 'udp:transaction-end') out.push(ev as UdpTransaction); });
  const recs = sc.records();
  for (const r of recs) corr.message(r);
  corr.finish(recs[recs.length - 1].frame, recs[recs.length - 1].time);
  expect(out).toHaveLength(1);
  return out[0];
}

/** Bare LEASEQUERYs from the requestor: [destination, times] pairs. */
function sends(plan: Array<[string, number[]]>): UdpScenario {
  const sc = new UdpScenario();
  for (const [dst, times] of plan) for (const t of times) sc.add({ time: t, src: REQUESTOR_ADDR, dst, srcPort: 547, dstPort: 547, message: query });
  return sc;
}

const frames = (runs: Transmission[][]): number[][] => runs.map((r) => r.map((t) => t.frame));

describe('runsOf: a LEASEQUERY sent to several destinations under one xid', () => {
  it('groups alternating sends by destination when a destination may resume its run', () => {
    // A at 0, 1, 3 (frames 1, 3, 5), B at 0.6, 1.6, 3.6 (frames 2, 4, 6).
    const tx = transaction(sends([['2001:db8::a', [0, 1, 3]], ['2001:db8::b', [0.6, 1.6, 3.6]]]));
    expect(frames(runsOf(tx, MIN_RT, true, always))).toEqual([[1, 3, 5], [2, 4, 6]]);
    // Without `resumes`, every change of destination ends the run: six runs of one.
    expect(frames(runsOf(tx, MIN_RT))).toEqual([[1], [2], [3], [4], [5], [6]]);
  });
  it('starts a new run when the caller rejects the gap back to a destination', () => {
    const tx = transaction(sends([['2001:db8::a', [0, 1, 30]], ['2001:db8::b', [10, 11]]]));
    const within = (a: Transmission, b: Transmission): boolean => b.time - a.time <= 11;
    expect(frames(runsOf(tx, MIN_RT, true, within))).toEqual([[1, 2], [3, 4], [5]]);
  });
  it('keeps a sequential turn (A, A, A, then B, B) as two runs, B starting afresh', () => {
    const tx = transaction(sends([['2001:db8::a', [0, 1, 3]], ['2001:db8::b', [10, 11]]]));
    expect(frames(runsOf(tx, MIN_RT, true, always))).toEqual([[1, 2, 3], [4, 5]]);
  });
  it('does not resume a run across a LEASEQUERY-REPLY with a failing status', () => {
    const sc = sends([['2001:db8::a', [0, 1, 3]], ['2001:db8::b', [0.5]]]);
    sc.add({ time: 1.2, src: '2001:db8::a', dst: REQUESTOR_ADDR, srcPort: 547, dstPort: 547, message: lq.reply(0x40, SRV_A, opt.status(9)) });
    const tx = transaction(sc);
    // Frames: A 1, B 2, A 3, the reply 4, A 5: the send after the reply starts a run of its own.
    expect(frames(runsOf(tx, MIN_RT, true, always))).toEqual([[1, 3], [2], [5]]);
  });
  it('leaves copies out: a relayed copy of the send to A, seen 0.55 s later after the send to B', () => {
    const sc = sends([['2001:db8::a', [0, 1]], ['2001:db8::b', [0.3, 1.3]]]);
    sc.add({ time: 0.55, src: '2001:db8:1::1', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', REQUESTOR_ADDR, query) });
    const tx = transaction(sc);
    expect(frames(runsOf(tx, MIN_RT, true, always))).toEqual([[1, 4], [2, 5]]);
  });
  it('keeps a run whose Relay-forwards alone change server in one piece, for relayRetarget', () => {
    const sc = new UdpScenario();
    const fwd = (t: number, dst: string) => sc.add({ time: t, src: '2001:db8:1::1', dst, srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', REQUESTOR_ADDR, query) });
    for (const t of [0, 1, 3]) fwd(t, '2001:db8::a');
    for (const t of [7, 15]) fwd(t, '2001:db8::b');
    const runs = runsOf(transaction(sc), MIN_RT, true, always);
    expect(frames(runs)).toEqual([[1, 2, 3, 4, 5]]);
    expect(relayRetarget(runs[0])).toBe(2);
  });
});

describe('runsOf: other message types carry no destination', () => {
  it('keeps an Information-request sent alternately to multicast and unicast as one run', () => {
    const sc = new UdpScenario();
    const times = [0, 1, 3, 7];
    times.forEach((t, i) => sc.send(t, 'fe80::1', i % 2 ? '2001:db8::a' : 'ff02::1:2', m(11, 0x77, opt.clientId(CLIENT), opt.elapsed(t * 100))));
    const tx = transaction(sc);
    expect(tx.requests.every((r) => r.sightings.every((s) => s.to === 0))).toBe(true);
    expect(frames(runsOf(tx, MIN_RT, true, always))).toEqual([[1, 2, 3, 4]]);
    expect(frames(runsOf(tx, MIN_RT))).toEqual([[1, 2, 3, 4]]);
    expect(frames(runsOf(tx, MIN_RT, false))).toEqual([[1, 2, 3, 4]]);
  });
});
