// V6-ELAPSED-TIME: presence in Renew and co. (not Solicit/Request), 0 first, rising, agreeing with the
// clock, saturation, copies, relayed views, a capture that began after the first transmission, and clients
// counting in whole seconds.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, UdpScenario, fromClient, fromServer, m, opt, relay, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-ELAPSED-TIME';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
const renew = (e?: number) => m(5, 0x50, opt.clientId(CLIENT), opt.serverId(SRV_A), ...(e === undefined ? [] : [opt.elapsed(e)]), opt.iaNa(1));
const other = (sc: UdpScenario, t: number) => fromClient(sc, t, m(11, 0x51, opt.clientId(CLIENT), opt.elapsed(0)));
const series = (pairs: Array<[number, number | undefined]>, lead = true) => {
  const sc = new UdpScenario();
  if (lead) other(sc, 0); // the capture runs from t = 0
  for (const [t, e] of pairs) fromClient(sc, t, renew(e));
  return sc;
};

describe(ID, () => {
  it('accepts 0, then the time since the first transmission', () => {
    expect(run(series([[5, 0], [15.3, 1030], [35.5, 3050]]))).toEqual([]);
  });
  it('reports a Renew without Elapsed Time, but leaves Solicit presence to V6-SOLICIT-CONTENTS', () => {
    expect(run(series([[5, undefined]]))).toEqual([[ID, 'violation', 'error', [2], 0x50]]);
    const sc = new UdpScenario();
    fromClient(sc, 0, m(1, 0x52, opt.clientId(CLIENT), opt.iaNa(1)));
    expect(run(sc)).toEqual([]);
  });
  it('grades a first transmission with Elapsed Time > 0 INFO when the capture was running, else says nothing', () => {
    expect(run(series([[5, 100]]))).toEqual([[ID, 'violation', 'info', [2], 0x50]]);
    expect(run(series([[0.5, 100]]))).toEqual([]); // the first would have preceded the capture
    expect(run(series([[5, 500]]))).toEqual([]); // may continue an exchange the correlator closed
  });
  it('reports a value that does not rise, and a wrong saturation as a warning', () => {
    expect(run(series([[5, 0], [15, 0]]))).toEqual([[ID, 'violation', 'error', [2, 3], 0x50]]);
    expect(run(series([[5, 1500], [15, 1400]]))).toEqual([[ID, 'violation', 'error', [2, 3], 0x50]]); // claims a start before the first
    expect(run(series([[5, 65500], [100, 65500]], false))).toEqual([[ID, 'violation', 'warning', [1, 2], 0x50]]);
    expect(run(series([[5, 65535], [100, 65535]], false))).toEqual([]);
  });
  it('warns when the value disagrees with the clock by more than max(0.5 s, 10 %)', () => {
    expect(run(series([[5, 0], [15, 2000]]))).toEqual([[ID, 'violation', 'warning', [2, 3], 0x50]]);
    expect(run(series([[5, 0], [15, 1090]]))).toEqual([]);
  });
  it('compares from the first transmission captured, whatever came before', () => {
    expect(run(series([[5, 5000], [15.2, 6020]], false))).toEqual([]);
  });
  it('is inconclusive when the disagreement is seen only upstream of the client', () => {
    const sc = new UdpScenario();
    const fwd = (e: number) => relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, renew(e));
    sc.add({ time: 0, src: '2001:db8:1::1', dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: fwd(0) });
    sc.add({ time: 0.01, src: '2001:db8:1::1', dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: fwd(2030) });
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x50]]);
  });
  it('takes a copy seen late at a relay for the same transmission', () => {
    const sc = series([[5, 0], [15, 1000]]);
    sc.add({ time: 5.7, src: '2001:db8:1::1', dst: 'ff05::1:3', srcPort: 547, dstPort: 547, message: relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, renew(0)) });
    sc.datagrams.sort((a, b) => a.time - b.time);
    expect(run(sc)).toEqual([]);
  });
  it('judges Solicit values too', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x53, 0));
    fromClient(sc, 1.05, sel.solicit(0x53, 0));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x53]]);
  });
  it('says nothing of a first Request whose Elapsed Time counts from the Solicit before it (one four-message exchange)', () => {
    const exchange = (pref: number, at: number, e: number, xid = 0x54) => {
      const sc = new UdpScenario();
      other(sc, 0);
      fromClient(sc, 5, sel.solicit(xid, 0));
      fromServer(sc, 5.01, SRV_A, sel.advertise(xid, SRV_A, pref));
      fromClient(sc, at, sel.request(xid + 1, SRV_A, e));
      fromServer(sc, at + 0.01, SRV_A, sel.reply(xid + 1, SRV_A));
      return sc;
    };
    expect(run(exchange(0, 6.06, 106))).toEqual([]); // after the first RT
    expect(run(exchange(255, 5.03, 3))).toEqual([]); // at once after a preference-255 Advertise
    // Unanswered, its transaction ends long after the Solicit (here with the capture).
    const late = exchange(0, 6.06, 106, 0x58);
    late.datagrams.splice(late.datagrams.length - 1, 1);
    fromClient(late, 30, m(11, 0x57, opt.clientId(CLIENT), opt.elapsed(0)));
    expect(run(late)).toEqual([]);
    // A value that does not match the Solicit is judged as before.
    expect(run(exchange(0, 6.06, 20))).toEqual([[ID, 'violation', 'info', [4], 0x55]]);
  });
  it('is inconclusive for one step back to what a new exchange under the same xid would carry', () => {
    // A counting client began again (e.g. rebooted with the same xid sequence): 0 again, then rising.
    expect(run(series([[5, 0], [15.5, 1050], [25, 0]]))).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x50]]);
    expect(run(series([[5, 0], [15.5, 1050], [25, 0], [35.3, 1030]]))).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x50]]);
    expect(run(series([[5, 0], [15.5, 1050], [25, 200]]))).toEqual([[ID, 'inconclusive', 'error', [3, 4], 0x50]]); // its first missed
    // Back, then stuck: a second step back is no restart.
    expect(run(series([[5, 0], [15.5, 1050], [25, 0], [35.3, 0]]))).toEqual([[ID, 'violation', 'error', [4, 5], 0x50]]);
  });
  it('takes an identical message sooner than any timeout for one transmission seen twice (merged captures, skewed clocks)', () => {
    expect(run(series([[5, 0], [5.7, 0], [15, 1000], [15.7, 1000]]))).toEqual([]);
  });
  it('does not call Elapsed Time missing from a message the snaplen cut or that did not decode whole (trap TRUNC)', () => {
    const late = m(5, 0x56, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.iaNa(1, opt.iaAddr('2001:db8::1')), opt.elapsed(0));
    const sc = new UdpScenario();
    other(sc, 0);
    sc.send(5, CLIENT_ADDR, 'ff02::1:2', late, { snap: 60 });
    expect(run(sc)).toEqual([]);
  });
});

describe(`${ID}: a client whose Elapsed Time comes from a clock with whole-second resolution (e.g. dibbler)`, () => {
  // Such a client sends (floor(now) - floor(start)) * 100: a multiple of 100 up to 1 s off the time
  // since its first transmission, either way (RFC 8415 §21.9 asks for hundredths; the catalog's SIDE trap).
  it('accepts a value one second ahead because the second boundary ticked', () => {
    // First sent at x.95 s of the client's clock, retransmitted 1.05 s later at (x+2).00: 200, then 400.
    expect(run(series([[5.95, 0], [7, 200], [9.05, 400]]))).toEqual([]);
  });
  it('accepts 0 again on a retransmission less than a second later, once the count has been seen to move in whole seconds', () => {
    // First at x.00, again 0.95 s later at x.95 (still 0), then 200 at (x+2).95.
    expect(run(series([[5, 0], [5.95, 0], [7.95, 200]]))).toEqual([]);
  });
  it('is inconclusive for 0 repeated less than a second later when nothing shows the resolution', () => {
    expect(run(series([[5, 0], [5.95, 0]]))).toEqual([[ID, 'inconclusive', 'error', [2, 3], 0x50]]);
  });
  it('says nothing of a first Request counting from its Solicit in whole seconds (100 only 0.1 s after the Solicit)', () => {
    const sc = new UdpScenario();
    other(sc, 0);
    fromClient(sc, 5.95, sel.solicit(0x59, 0));
    fromServer(sc, 5.96, SRV_A, sel.advertise(0x59, SRV_A, 255));
    fromClient(sc, 6.05, sel.request(0x5a, SRV_A, 100));
    fromServer(sc, 6.06, SRV_A, sel.reply(0x5a, SRV_A));
    expect(run(sc)).toEqual([]);
  });
  it('still reports a coarse value that never rises, a value far off, and one not counting in whole seconds', () => {
    expect(run(series([[5, 0], [6.1, 0], [8.1, 0]]))).toEqual([[ID, 'violation', 'error', [2, 3], 0x50]]);
    expect(run(series([[5, 0], [6.05, 400]]))).toEqual([[ID, 'violation', 'warning', [2, 3], 0x50]]);
    expect(run(series([[5, 0], [5.95, 0], [8.1, 300], [9.2, 300]]))).toEqual([[ID, 'violation', 'error', [4, 5], 0x50]]);
    // A fine-grained count (150 is no whole second) gets no such allowance.
    expect(run(series([[5, 0], [5.95, 0], [7.95, 150]]))).toEqual([[ID, 'violation', 'error', [2, 3], 0x50]]);
    expect(run(series([[5.95, 0], [7, 210]]))).toEqual([[ID, 'violation', 'warning', [2, 3], 0x50]]);
  });
});
