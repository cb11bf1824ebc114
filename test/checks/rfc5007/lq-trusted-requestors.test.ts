// LQ-TRUSTED-REQUESTORS: a relayed LEASEQUERY is noted once per relay and requestor; bare queries,
// relayed bulk-only types and relayed replies are not; the pair limit is said once.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { duidLL, lq, opt, relay, scenarioEvents, UdpScenario, REQUESTOR } from '../../kit/udp-scenario.js';

const ID = 'LQ-TRUSTED-REQUESTORS';
const SERVER = '2001:db8::a';
const R1 = '2001:db8:1::1';
const R2 = '2001:db8:2::1';
const PEER = '2001:db8:1::50';
const byAddr = (xid: number) => lq.query(xid, opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77', 0)));
const other = duidLL(0x51);
const otherQuery = (xid: number) => ({ msgType: 14, xid, options: [opt.clientId(other), opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77', 0))] });
const run = (sc: UdpScenario, config?: object) =>
  runRule(ID, scenarioEvents(sc), config ? { config: config as never } : {}).map((f) => [f.verdict, f.severity, f.frames, f.xid, f.client?.duid ?? f.client?.address, f.message]);

describe(ID, () => {
  it('notes a LEASEQUERY inside a Relay-forward, naming the relay, the link and the requestor', () => {
    const sc = new UdpScenario();
    sc.add({ time: 0, src: R1, dst: SERVER, message: relay(12, 0, '2001:db8:1::', PEER, byAddr(7)) });
    sc.add({ time: 0.01, src: SERVER, dst: R1, message: relay(13, 0, '2001:db8:1::', PEER, lq.reply(7, duidLL(0x101), lq.clientData())) });
    expect(run(sc)).toEqual([['violation', 'info', [1], 7, REQUESTOR,
      `Relay ${R1} forwarded a LEASEQUERY from ${PEER} (link 2001:db8:1::): check that this requestor is trusted, since RFC 5007 §5 wants perimeter relays to keep outside requestors' leasequeries out and lets servers refuse relayed ones.`]]);
  });
  it('notes each pair once: the next hop, a retransmission and a later query add nothing; another requestor or relay does', () => {
    const sc = new UdpScenario();
    sc.add({ time: 0, src: R1, dst: R2, message: relay(12, 0, '2001:db8:1::', PEER, byAddr(7)) });
    // R2 relays R1's Relay-forward on: the relay nearest the requestor is still R1 (the outer level's peer-address).
    sc.add({ time: 0.001, src: R2, dst: SERVER, message: relay(12, 1, '2001:db8:2::', R1, relay(12, 0, '2001:db8:1::', PEER, byAddr(7))) });
    sc.add({ time: 1, src: R1, dst: SERVER, message: relay(12, 0, '2001:db8:1::', PEER, byAddr(7)) });
    sc.add({ time: 5, src: R1, dst: SERVER, message: relay(12, 0, '2001:db8:1::', PEER, byAddr(8)) });
    sc.add({ time: 6, src: R1, dst: SERVER, message: relay(12, 0, '2001:db8:1::', '2001:db8:1::51', otherQuery(9)) });
    sc.add({ time: 7, src: R2, dst: SERVER, message: relay(12, 0, '2001:db8:2::', PEER, byAddr(10)) });
    expect(run(sc).map((f) => f.slice(0, 5))).toEqual([
      ['violation', 'info', [1], 7, REQUESTOR],
      ['violation', 'info', [5], 9, other],
      ['violation', 'info', [6], 10, REQUESTOR],
    ]);
  });
  it('leaves out bare queries, relayed bulk-only query types and LEASEQUERYs inside Relay-replies', () => {
    const sc = new UdpScenario();
    sc.add({ time: 0, src: '2001:db8::50', dst: SERVER, message: byAddr(7) });
    sc.add({ time: 1, src: R1, dst: SERVER, message: relay(12, 0, '2001:db8:1::', PEER, lq.query(8, opt.lqQuery(4, '2001:db8:1::'))) });
    sc.add({ time: 2, src: SERVER, dst: R1, message: relay(13, 0, '2001:db8:1::', PEER, byAddr(9)) });
    expect(run(sc)).toEqual([]);
  });
  it('says once, inconclusive, when more pairs come than max-pairs, and starts afresh with the next input', () => {
    const sc = new UdpScenario();
    sc.add({ time: 0, src: R1, dst: SERVER, message: relay(12, 0, '2001:db8:1::', PEER, byAddr(7)) });
    sc.add({ time: 1, src: R2, dst: SERVER, message: relay(12, 0, '2001:db8:2::', PEER, byAddr(8)) });
    sc.add({ time: 2, src: R2, dst: SERVER, message: relay(12, 0, '2001:db8:2::', '2001:db8:2::51', otherQuery(9)) });
    const cfg = { rules: { [ID]: { options: { 'max-pairs': 1 } } } };
    expect(run(sc, cfg).map((f) => f.slice(0, 4))).toEqual([['violation', 'info', [1], 7], ['inconclusive', 'info', [2], undefined]]);
    const twice = [...scenarioEvents(sc), ...scenarioEvents(sc)];
    expect(runRule(ID, twice).filter((f) => f.verdict === 'violation').map((f) => f.frames[0]).sort()).toEqual([1, 1, 2, 2, 3, 3]);
  });
});
