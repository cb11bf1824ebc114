// V6-XID-RETRANSMIT-SAME: a new xid carrying on the Elapsed Time of an unanswered exchange; a restart.
import { describe, expect, it } from 'vitest';
import { runRule, type EventTuple } from '../../kit/rule-harness.js';
import type { UdpTransaction } from '../../../src/correlate/client-events.js';
import { CLIENT, SRV_A, UdpScenario, fromClient, fromServer, m, opt, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-XID-RETRANSMIT-SAME';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a retransmission under a new xid', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x21, SRV_A, 105));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x21]]);
  });

  it('accepts a restarted exchange (Elapsed Time back to 0) and a new xid after an answer', () => {
    const a = new UdpScenario();
    fromClient(a, 0, sel.request(0x20, SRV_A, 0));
    fromClient(a, 5, sel.request(0x21, SRV_A, 0));
    expect(run(a)).toEqual([]);
    const b = new UdpScenario();
    fromClient(b, 0, sel.request(0x20, SRV_A, 0));
    fromServer(b, 0.1, SRV_A, sel.reply(0x20, SRV_A));
    fromClient(b, 1.05, sel.request(0x21, SRV_A, 105));
    expect(run(b)).toEqual([]);
  });

  it('does not flag an Elapsed Time that does not continue the previous exchange', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A, 0));
    fromClient(sc, 10, sel.request(0x21, SRV_A, 50));
    expect(run(sc)).toEqual([]);
  });

  it('compares IA and ORO content: a different IA is another exchange; content that grows is remembered whole', () => {
    // A Request for IA_NA 1 and IA_NA 2 (a longer content than the first exchange's).
    const two = (xid: number, elapsed: number) => m(3, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(elapsed), opt.iaNa(1), opt.iaNa(2));
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A, 0)); // frame 1
    fromClient(sc, 1.05, two(0x21, 105)); // frame 2: Elapsed Time continues, but the IAs differ
    fromClient(sc, 2.1, two(0x22, 210)); // frame 3: the same IAs as frame 2, continuing it
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2, 3], 0x22]]);
  });

  it('keeps each message type of a client apart: a Renew in between does not hide a Request under a new xid', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A, 0)); // frame 1
    fromClient(sc, 0.5, m(5, 0x30, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.iaNa(1))); // frame 2
    fromClient(sc, 1.05, sel.request(0x21, SRV_A, 105)); // frame 3
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 3], 0x21]]);
  });

  it('remembers at most 10 000 exchanges, forgetting the least recently active clients first', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A, 0));
    fromClient(sc, 1.05, sel.request(0x21, SRV_A, 105));
    const ends = scenarioEvents(sc).filter(([name]) => name === 'udp:transaction-end') as Array<['udp:transaction-end', UdpTransaction]>;
    expect(ends.length).toBe(2);
    const [before, after] = ends;
    const other = (i: number): ['udp:transaction-end', UdpTransaction] =>
      ['udp:transaction-end', { ...before[1], xid: 0x30, client: { duid: `0003ff${i.toString(16).padStart(8, '0')}`, address: `fe80::${i.toString(16)}` } }];
    const others = (from: number, n: number) => Array.from({ length: n }, (_, i) => other(from + i));
    const findings = (events: EventTuple[]) => runRule(ID, events).length;
    // The client's Request and 9 999 other clients' exchanges: 10 000 remembered, the retransmission is caught.
    expect(findings([before, ...others(0, 9999), after])).toBe(1);
    // One more client: the least recently active one (ours) is forgotten.
    expect(findings([before, ...others(0, 10000), after])).toBe(0);
    // Active again (a Renew) halfway: others are forgotten instead.
    const renew: ['udp:transaction-end', UdpTransaction] = ['udp:transaction-end', { ...before[1], msgType: 5, xid: 0x40 }];
    expect(findings([before, ...others(0, 5000), renew, ...others(5000, 5001), after])).toBe(1);
  });
});

