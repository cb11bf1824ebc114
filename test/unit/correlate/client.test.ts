// The client correlator: transactions by (client, xid) through relays, copies vs retransmissions,
// server-selection sessions, orphans, leasequery, limits.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ClientCorrelator } from '../../../src/correlate/client.js';
import type { ClientSession, OrphanResponse, RequestSeen, ResponseSeen, UdpTransaction, UnknownRequestSeen, UnknownTypeExchange } from '../../../src/correlate/client-events.js';
import { UPSTREAM_NONE } from '../../../src/correlate/client-events.js';
import { HIGHEST_ASSIGNED_MSG_TYPE, addressTag } from '../../../src/correlate/udp-message.js';
import { MESSAGE_NAMES } from '../../../src/dhcpv6/names.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';
import { UdpScenario, duidLL, m, opt, relay } from '../../kit/udp-scenario.js';

const C = duidLL(1);
const S1 = duidLL(0x101);
const S2 = duidLL(0x102);
const CL = 'fe80::1';

function run(sc: UdpScenario, limits: Record<string, number> = {}) {
  const events: Array<[string, unknown]> = [];
  const corr = new ClientCorrelator((name, ev) => { events.push([name, ev]); }, limits);
  const recs = sc.records();
  for (const r of recs) corr.message(r);
  const last = recs[recs.length - 1];
  corr.finish(last.frame, last.time);
  const of = <T>(n: string) => events.filter(([k]) => k === n).map(([, e]) => e as T);
  return { events, of, corr };
}

const offer = (a: string) => opt.iaNa(1, opt.iaAddr(a));

describe('ClientCorrelator', () => {
  it('records how each client transmission was addressed where seen bare (dest bits), merging copies', () => {
    const reb = (xid: number) => m(6, xid, opt.clientId(C), opt.elapsed(0), opt.iaNa(1));
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', reb(0xd1))
      .send(0.0001, CL, 'fe80::a', reb(0xd1), { hopLimit: 64 }) // the same transmission seen unicast: one transmission, both bits
      .send(1, CL, 'fe80::a', reb(0xd2), { hopLimit: 1 })
      .send(2, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CL, reb(0xd3)), { srcPort: 547 })
      .answer(2.01, 'fe80::a', CL, m(7, 0xd3, opt.clientId(C), opt.serverId(S1)));
    const txs = run(sc).of<UdpTransaction>('udp:transaction-end');
    expect(txs.map((t) => [t.xid, t.requests.map((r) => r.dest), t.responses.map((r) => r.dest)])).toEqual([
      [0xd1, [3], []], [0xd2, [1 | 4], []], [0xd3, [0], [0]],
    ]);
  });

  it('builds a session: Solicit retransmission, two Advertises, Request, Reply', () => {
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', m(1, 0xa1, opt.clientId(C), opt.elapsed(0), opt.iaNa(1)))
      .answer(0.01, 'fe80::a', CL, m(2, 0xa1, opt.clientId(C), opt.serverId(S1), offer('2001:db8::10')))
      .answer(0.02, 'fe80::b', CL, m(2, 0xa1, opt.clientId(C), opt.serverId(S2), opt.pref(255), offer('2001:db8::20')))
      .send(1.05, CL, 'ff02::1:2', m(1, 0xa1, opt.clientId(C), opt.elapsed(105), opt.iaNa(1)))
      .send(1.2, CL, 'ff02::1:2', m(3, 0xb2, opt.clientId(C), opt.serverId(S2), opt.elapsed(0), offer('2001:db8::20')))
      .answer(1.21, 'fe80::b', CL, m(7, 0xb2, opt.clientId(C), opt.serverId(S2), offer('2001:db8::20')));
    const { of, corr } = run(sc);
    const txs = of<UdpTransaction>('udp:transaction-end');
    expect(txs.map((t) => [t.msgType, t.xid, t.requests.length, t.responses.length, t.end])).toEqual([
      [1, 0xa1, 2, 2, 'capture-end'], [3, 0xb2, 1, 1, 'capture-end'],
    ]);
    const sol = txs[0];
    expect(sol.client).toEqual({ duid: C, address: CL });
    expect(sol.firstMissed).toBe(false);
    expect(sol.requests.map((r) => [r.frame, r.elapsed])).toEqual([[1, 0], [4, 105]]);
    expect(sol.responses.map((r) => [r.frame, r.server.duid, r.preference, r.preferenceState, r.valid, r.offers, r.clientId]))
      .toEqual([[2, S1, 0, 'absent', true, true, 'match'], [3, S2, 255, 'ok', true, true, 'match']]);
    const sessions = of<ClientSession>('session:end');
    expect(sessions).toHaveLength(1);
    expect(sessions[0].solicit.xid).toBe(0xa1);
    expect(sessions[0].request?.xid).toBe(0xb2);
    expect(sessions[0].request?.responses[0].frame).toBe(6);
    expect(corr.stats()).toEqual({ udpTransactions: 2, clientSessions: 1 });
  });

  it("keeps a relay's altered copy one level apart as a sighting of the same transmission, saying what changed", () => {
    const inner = m(11, 0x78, opt.clientId(C), opt.elapsed(0), opt.oro(23));
    const altered = m(11, 0x78, opt.clientId(C), opt.elapsed(0), opt.oro(23), opt.raw(37, '0000000901'));
    const rep = m(7, 0x78, opt.clientId(C), opt.serverId(S1), opt.raw(23, '20010db8ffff00000000000000000053'));
    const cut = m(7, 0x78, opt.clientId(C), opt.serverId(S1));
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', inner)
      .send(0.001, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', CL, altered), { srcPort: 547 })
      .answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CL, rep), { dstPort: 547 })
      .answer(0.011, 'fe80::1:1', CL, cut);
    const tx = run(sc).of<UdpTransaction>('udp:transaction-end')[0];
    expect(tx.requests).toHaveLength(1);
    expect(tx.requests[0].frames).toEqual([1, 2]);
    expect(tx.requests[0].sightings.map((x) => x.altered)).toEqual([undefined, 'option 37 added']);
    expect(tx.responses).toHaveLength(1);
    expect(tx.responses[0].sightings.map((x) => x.altered)).toEqual([undefined, 'option 23 removed']);
    // A different Elapsed Time is a retransmission's mark: not merged.
    const rtx = new UdpScenario()
      .send(0, CL, 'ff02::1:2', inner)
      .send(0.3, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', CL, m(11, 0x78, opt.clientId(C), opt.elapsed(30), opt.oro(23))), { srcPort: 547 });
    expect(run(rtx).of<UdpTransaction>('udp:transaction-end')[0].requests).toHaveLength(2);
  });

  it('raises udp:request and udp:response once per new transmission, as it is seen, not for copies or leasequery', () => {
    const inner = m(1, 0x79, opt.clientId(C), opt.elapsed(0), opt.iaNa(1));
    const adv = m(2, 0x79, opt.clientId(C), opt.serverId(S1), offer('2001:db8::10'));
    const altered = m(1, 0x79, opt.clientId(C), opt.elapsed(0), opt.iaNa(1), opt.raw(37, '0000000901'));
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', inner)
      .send(0.001, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', CL, inner), { srcPort: 547 }) // copy
      .send(0.002, '2001:db8:1::1', '2001:db8:9::2', relay(12, 0, '2001:db8:1::1', CL, altered), { srcPort: 547 }) // altered copy
      .answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CL, adv), { dstPort: 547 })
      .answer(0.011, 'fe80::1:1', CL, adv) // copy
      .send(1.05, CL, 'ff02::1:2', m(1, 0x79, opt.clientId(C), opt.elapsed(105), opt.iaNa(1))) // retransmission
      .send(2, '2001:db8::50', '2001:db8::a', m(14, 0x7a, opt.clientId(duidLL(0x50)), opt.lqQuery(1, '::')), { srcPort: 547 })
      .answer(2.01, '2001:db8::a', '2001:db8::50', m(15, 0x7a, opt.clientId(duidLL(0x50)), opt.serverId(S1)), { dstPort: 547 });
    const seen = run(sc).events.filter(([k]) => k === 'udp:request' || k === 'udp:response' || k === 'udp:transaction-end').map(([k, e]) => {
      if (k === 'udp:request') { const r = e as RequestSeen; return [k, r.tx.xid, r.request.frame, r.index, r.tx.requests[r.index] === r.request]; }
      if (k === 'udp:response') { const r = e as ResponseSeen; return [k, r.tx.xid, r.response.frame, r.index, r.tx.responses[r.index] === r.response]; }
      return [k, (e as UdpTransaction).xid];
    });
    expect(seen).toEqual([
      ['udp:request', 0x79, 1, 0, true], ['udp:response', 0x79, 4, 0, true], ['udp:request', 0x79, 6, 1, true], ['udp:transaction-end', 0x79],
    ]);
  });

  it('merges copies seen at two relay hops into one transmission; keeps the relay chain', () => {
    const inner = m(1, 0x77, opt.clientId(C), opt.elapsed(0), opt.iaNa(1));
    const adv = m(2, 0x77, opt.clientId(C), opt.serverId(S1), offer('2001:db8::10'));
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', inner)
      .send(0.001, '2001:db8:1::1', '2001:db8:9::1', relay(12, 0, '2001:db8:1::1', CL, inner, opt.ifid('0a0b')), { srcPort: 547 })
      .answer(0.01, '2001:db8:9::1', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CL, adv, opt.ifid('0a0b')), { dstPort: 547 })
      .answer(0.011, 'fe80::ff', CL, adv);
    const { of } = run(sc);
    const [tx] = of<UdpTransaction>('udp:transaction-end');
    expect(tx.requests).toHaveLength(1);
    expect(tx.requests[0].frames).toEqual([1, 2]);
    expect(tx.requests[0].minDepth).toBe(0);
    expect(tx.relayed).toBe(true);
    expect(tx.requests[0].sightings[1].relays.map((h) => [h.hopCount, h.linkAddress, h.peerAddress, h.interfaceId]))
      .toEqual([[0, '2001:db8:1::1', CL, '0a0b']]);
    expect(tx.responses).toHaveLength(1);
    expect(tx.responses[0].frames).toEqual([3, 4]);
    expect(tx.responses[0].server).toEqual({ duid: S1, address: '2001:db8:9::1' });
    // Each sighting tags the hop's end away from the client: none for the client's own multicast, the
    // Relay-forward's destination, the Relay-reply's source, the address that delivered the bare copy.
    expect(tx.requests[0].sightings.map((s) => s.upstream)).toEqual([UPSTREAM_NONE, addressTag('2001:db8:9::1')]);
    expect(tx.responses[0].sightings.map((s) => s.upstream)).toEqual([addressTag('2001:db8:9::1'), addressTag('fe80::ff')]);
  });

  it('matches a relayed-only client by DUID and xid; a relayed client keeps its peer address', () => {
    const inner = m(11, 0x55, opt.clientId(C), opt.elapsed(0));
    const sc = new UdpScenario()
      .send(0, '2001:db8:2::1', '2001:db8:9::1', relay(12, 1, '::', '2001:db8:1::1', relay(12, 0, '2001:db8:1::1', CL, inner)), { srcPort: 547 })
      .answer(0.01, '2001:db8:9::1', '2001:db8:2::1', relay(13, 1, '::', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CL, m(7, 0x55, opt.clientId(C), opt.serverId(S1)))), { dstPort: 547 });
    const [tx] = run(sc).of<UdpTransaction>('udp:transaction-end');
    expect(tx.client).toEqual({ duid: C, address: CL });
    expect(tx.requests[0].minDepth).toBe(2);
    expect(tx.responses[0].sightings[0].relays.map((h) => h.hopCount)).toEqual([1, 0]);
  });

  it('reports an Advertise with an unknown xid as an orphan, naming the open Solicit', () => {
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', m(1, 0x10, opt.clientId(C), opt.elapsed(0)))
      .answer(0.01, 'fe80::a', CL, m(2, 0x11, opt.clientId(C), opt.serverId(S1), offer('2001:db8::10')));
    const { of } = run(sc);
    const [o] = of<OrphanResponse>('udp:orphan-response');
    expect(o.xid).toBe(0x11);
    expect(o.clientSeen).toBe(true);
    expect(o.candidates.map((c) => [c.xid, c.msgType, c.frame])).toEqual([[0x10, 1, 1]]);
    expect(o.response.frames).toEqual([2]);
  });

  it('flags a Client-ID mismatch found by address, and a first transmission with Elapsed Time > 0', () => {
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', m(1, 0x10, opt.clientId(C), opt.elapsed(300)))
      .answer(0.01, 'fe80::a', CL, m(2, 0x10, opt.clientId(duidLL(9)), opt.serverId(S1), offer('2001:db8::10')));
    const [tx] = run(sc).of<UdpTransaction>('udp:transaction-end');
    expect(tx.firstMissed).toBe(true);
    expect(tx.responses[0].clientId).toBe('mismatch');
    expect(tx.responses[0].valid).toBe(false);
  });

  it('pairs a Reply to a Request that reused the Solicit xid with the Request', () => {
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', m(1, 0x10, opt.clientId(C), opt.elapsed(0)))
      .answer(0.01, 'fe80::a', CL, m(2, 0x10, opt.clientId(C), opt.serverId(S1), offer('2001:db8::10')))
      .send(1.1, CL, 'ff02::1:2', m(3, 0x10, opt.clientId(C), opt.serverId(S1), opt.elapsed(0)))
      .answer(1.11, 'fe80::a', CL, m(7, 0x10, opt.clientId(C), opt.serverId(S1)));
    const txs = run(sc).of<UdpTransaction>('udp:transaction-end');
    expect(txs.map((t) => [t.msgType, t.responses.map((r) => r.frame)])).toEqual([[1, [2]], [3, [4]]]);
  });

  it('correlates UDP leasequery separately, with replies from two servers', () => {
    const q = m(14, 0x42, opt.clientId(duidLL(0x50)), opt.lqQuery(1, '::', opt.iaAddr('2001:db8::10')));
    const sc = new UdpScenario()
      .send(0, '2001:db8::50', 'ff05::1:3', q, { srcPort: 547 })
      .answer(0.01, '2001:db8::a', '2001:db8::50', m(15, 0x42, opt.clientId(duidLL(0x50)), opt.serverId(S1)), { dstPort: 547 })
      .answer(0.02, '2001:db8::b', '2001:db8::50', m(15, 0x42, opt.clientId(duidLL(0x50)), opt.serverId(S2)), { dstPort: 547 });
    const { of } = run(sc);
    expect(of('udp:transaction-end')).toHaveLength(0);
    const [lq] = of<UdpTransaction>('lq:transaction-end');
    expect(lq.responses.map((r) => r.server.duid)).toEqual([S1, S2]);
  });

  it('closes idle transactions on the clock and bounds the open state', () => {
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', m(11, 1, opt.clientId(C), opt.elapsed(0)))
      .send(10, 'fe80::2', 'ff02::1:2', m(11, 2, opt.clientId(duidLL(2)), opt.elapsed(0)))
      .send(11, 'fe80::3', 'ff02::1:2', m(11, 3, opt.clientId(duidLL(3)), opt.elapsed(0)));
    const { of } = run(sc, { 'sessions.idle-timeout': 5, 'sessions.max-open': 1 });
    const txs = of<UdpTransaction>('udp:transaction-end');
    expect(txs.map((t) => [t.xid, t.end, t.endFrame])).toEqual([[1, 'idle', 2], [2, 'limit', 3], [3, 'capture-end', 3]]);
    const [a] = of<AnomalyEvent>('anomaly');
    expect([a.layer, a.name, a.frames]).toEqual(['limit', 'limit.open_transactions', [3]]);
  });

  it('never pairs DHCPv4-over-DHCPv6 messages and ignores Reconfigure', () => {
    const sc = new UdpScenario()
      .send(0, CL, 'ff02::1:2', { msgType: 20, flags: 5, options: [] })
      .answer(0.01, 'fe80::a', CL, { msgType: 21, flags: 5, options: [] })
      .answer(0.02, 'fe80::a', CL, m(10, 0, opt.clientId(C), opt.serverId(S1)));
    const { events } = run(sc);
    expect(events).toEqual([]);
  });

  it('tells whether an orphan\'s client was seen exactly as a map of last times per DUID and address would', () => {
    // The seen tables keep times by slot and update a transaction's client through its slots; slots
    // are freed by the prune pass and reused. Reference: last time per text, judged at the last sweep.
    // Times step by 1/32 s, so every time, difference and 1/1024-s tick is exact in binary: a random
    // double landing within a tick of the idle timeout made the reference and the ticks disagree.
    const ADDR = ['fe80::1', 'fe80::2', 'fe80::3', '2001:db8::7'];
    const step = fc.record({
      dt: fc.oneof(fc.integer({ min: 0, max: 96 }), fc.integer({ min: 128, max: 384 })).map((k) => k / 32),
      orphan: fc.boolean(), client: fc.integer({ min: 0, max: 3 }), withDuid: fc.boolean(),
      addr: fc.integer({ min: 0, max: 3 }), xid: fc.integer({ min: 1, max: 6 }),
    });
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
      const sc = new UdpScenario();
      const idle = 5;
      let t = 0;
      let lastSweep = -Infinity;
      const seen = new Map<string, number>();
      const expected: boolean[] = [];
      steps.forEach((st, i) => {
        t += st.dt;
        if (t - lastSweep >= 1) lastSweep = t;
        const duid = duidLL(st.client + 1);
        const ids = st.withDuid ? [opt.clientId(duid)] : [];
        const addr = ADDR[st.addr];
        if (st.orphan) {
          sc.answer(t, 'fe80::a', addr, m(7, 0x900000 + i, ...ids, opt.serverId(S1)));
          const was = (k: string) => { const x = seen.get(k); return x !== undefined && lastSweep - x <= idle; };
          expected.push((st.withDuid && was(duid)) || was(addr));
        } else {
          sc.send(t, addr, 'ff02::1:2', m(11, st.xid, ...ids, opt.elapsed(0)));
          if (st.withDuid) seen.set(duid, t);
          seen.set(addr, t);
        }
      });
      const { of } = run(sc, { 'sessions.idle-timeout': idle });
      expect(of<OrphanResponse>('udp:orphan-response').map((o) => o.clientSeen)).toEqual(expected);
    }), { numRuns: 300 });
  });

  it('thousands open at once, xids alike in their low bits and one shared: each answer finds its own transaction, in creation order', () => {
    // 3 000 clients; xids i * 1024 (equal low 10 bits: the worst case for a table hashed on them)
    // and one xid shared by two clients. Every Solicit is answered after all are open, newest first.
    const n = 3000;
    const xidOf = (i: number) => (i === n - 1 ? 0 : (i * 1024) & 0xffffff);
    const sc = new UdpScenario();
    for (let i = 0; i < n; i++) sc.send(i * 0.0001, `fe80::${(i + 1).toString(16)}`, 'ff02::1:2', m(1, xidOf(i), opt.clientId(duidLL(i + 1)), opt.elapsed(0)));
    for (let i = n - 1; i >= 0; i--) {
      sc.answer(0.5 + (n - i) * 0.0001, 'fe80::a', `fe80::${(i + 1).toString(16)}`, m(2, xidOf(i), opt.clientId(duidLL(i + 1)), opt.serverId(S1)));
    }
    const { of } = run(sc);
    expect(of<OrphanResponse>('udp:orphan-response')).toEqual([]);
    const txs = of<UdpTransaction>('udp:transaction-end');
    expect(txs).toHaveLength(n);
    expect(txs.map((t) => t.client.address)).toEqual(Array.from({ length: n }, (_, i) => `fe80::${(i + 1).toString(16)}`));
    for (const t of txs) {
      expect(t.responses).toHaveLength(1);
      expect(t.responses[0].clientId).toBe('match');
      expect(t.responses[0].time).toBeGreaterThan(0.5);
    }
  });

  describe('client messages of unassigned types (RFC 8415 §16)', () => {
    const unk = (type: number, xid: number, elapsed = 0) => m(type, xid, opt.clientId(C), opt.elapsed(elapsed));
    const reply = (xid: number, duid = C) => m(7, xid, opt.clientId(duid), opt.serverId(S1));

    it('takes the highest assigned type from the names registry (37, ADDR-REG-REPLY)', () => {
      expect(HIGHEST_ASSIGNED_MSG_TYPE).toBe(Math.max(...MESSAGE_NAMES.keys()));
      expect(HIGHEST_ASSIGNED_MSG_TYPE).toBe(37);
    });

    it('follows one, merging copies and retransmissions, and marks the orphan Reply that answers it', () => {
      const sc = new UdpScenario()
        .send(0, CL, 'ff02::1:2', unk(40, 0xe1))
        .send(0.001, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CL, unk(40, 0xe1)), { srcPort: 547 })
        .send(1.05, CL, 'ff02::1:2', unk(40, 0xe1, 105))
        .answer(1.06, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CL, reply(0xe1)), { dstPort: 547 })
        .answer(1.061, 'fe80::1:1', CL, reply(0xe1))
        .send(2, CL, 'ff02::1:2', unk(41, 0xe1)) // another type under the same xid: followed apart
        .send(3, CL, 'ff02::1:2', unk(40, 0xe2))
        .add({ time: 3.01, src: 'fe80::a', dst: CL, srcPort: 547, dstPort: 547, message: m(41, 0xe2, opt.clientId(C)) }) // between two 547 ports: no direction
        .answer(3.02, 'fe80::a', CL, m(10, 0xe2, opt.clientId(C), opt.serverId(S1))); // a Reconfigure never answers
      const { of } = run(sc);
      const xs = of<UnknownTypeExchange>('udp:unknown-type-end');
      expect(xs.map((x) => [x.id, x.msgType, x.xid, x.client, x.requests.map((t) => t.frames), x.answers.map((r) => r.frames), x.shared.length, x.known, x.end]))
        .toEqual([
          [1, 40, 0xe1, { duid: C, address: CL }, [[1, 2], [3]], [[4, 5]], 0, undefined, 'capture-end'],
          [2, 41, 0xe1, { duid: C, address: CL }, [[6]], [], 0, undefined, 'capture-end'],
          [3, 40, 0xe2, { duid: C, address: CL }, [[7]], [], 0, undefined, 'capture-end'],
        ]);
      expect(xs[0].answers[0].server).toEqual({ duid: S1, address: '2001:db8:ffff::a' });
      // One udp:unknown-request per transmission (the relayed copy, frame 2, raises none), each the one added.
      expect(of<UnknownRequestSeen>('udp:unknown-request').map((r) => [r.x.id, r.request.frames, r.index, r.x.requests[r.index] === r.request]))
        .toEqual([[1, [1, 2], 0, true], [1, [3], 1, true], [2, [6], 0, true], [3, [7], 0, true]]);
      const orphans = of<OrphanResponse>('udp:orphan-response');
      expect(orphans.map((o) => [o.xid, o.unknownType, o.response.frames])).toEqual([[0xe1, { msgType: 40, frame: 1 }, [4, 5]]]);
      expect(of<UdpTransaction>('udp:transaction-end')).toEqual([]);
    });

    it('closes one sessions.unknown-window after its latest transmission; a later answer is an ordinary orphan', () => {
      const sc = new UdpScenario()
        .send(0, CL, 'ff02::1:2', unk(40, 0xe3))
        .answer(5.5, 'fe80::a', CL, reply(0xe3))
        .send(7, CL, 'ff02::1:2', m(11, 0xe4, opt.clientId(C)));
      const { events } = run(sc);
      // The sweep at 5.5 s closes it before the Reply is matched.
      expect(events.map(([k, e]) => [k, (e as { xid?: number }).xid ?? (e as RequestSeen).tx?.xid ?? (e as UnknownRequestSeen).x.xid])).toEqual([
        ['udp:unknown-request', 0xe3], ['udp:unknown-type-end', 0xe3], ['udp:orphan-response', 0xe3], ['udp:request', 0xe4], ['udp:transaction-end', 0xe4],
      ]);
      const x = events[1][1] as UnknownTypeExchange;
      expect([x.end, x.endTime - sc.base, x.answers]).toEqual(['idle', 5.5, []]);
      expect((events[2][1] as OrphanResponse).unknownType).toBeUndefined();
    });

    it('records a known-type exchange of the client under the same xid, and the responses it takes', () => {
      const sc = new UdpScenario()
        .send(0, CL, 'ff02::1:2', m(1, 0xe5, opt.clientId(C), opt.elapsed(0)))
        .send(0.1, CL, 'ff02::1:2', unk(40, 0xe5))
        .answer(0.2, 'fe80::a', CL, m(2, 0xe5, opt.clientId(C), opt.serverId(S1)))
        .send(1, 'fe80::2', 'ff02::1:2', m(40, 0xe6, opt.clientId(duidLL(2))))
        .send(1.1, 'fe80::2', 'ff02::1:2', m(11, 0xe6, opt.clientId(duidLL(2))))
        .send(1.2, CL, 'ff02::1:2', m(11, 0xe6, opt.clientId(C))); // another client's exchange under that xid: no matter
      const xs = run(sc).of<UnknownTypeExchange>('udp:unknown-type-end');
      expect(xs.map((x) => [x.xid, x.known, x.answers.length, x.shared.map((r) => r.frame)])).toEqual([
        [0xe5, { msgType: 1, frame: 1 }, 0, [3]], [0xe6, { msgType: 11, frame: 5 }, 0, []],
      ]);
    });

    it('bounds what it follows (sessions.max-unknown), reported once as a limit anomaly', () => {
      const sc = new UdpScenario();
      for (let i = 0; i < 4; i++) sc.send(i * 0.1, CL, 'ff02::1:2', unk(40, 0xf0 + i));
      const { of } = run(sc, { 'sessions.max-unknown': 2 });
      expect(of<UnknownTypeExchange>('udp:unknown-type-end').map((x) => [x.xid, x.end, x.endFrame])).toEqual([
        [0xf0, 'limit', 3], [0xf1, 'limit', 4], [0xf2, 'capture-end', 4], [0xf3, 'capture-end', 4],
      ]);
      expect(of<AnomalyEvent>('anomaly').map((a) => [a.name, a.frames, a.xid])).toEqual([['limit.unknown_messages', [3], 0xf0]]);
    });

    it('keeps at most 16 transmissions of one, the first and the latest among them, however long it repeats', () => {
      const sc = new UdpScenario();
      for (let i = 0; i < 40; i++) sc.send(i * 2, CL, 'ff02::1:2', unk(40, 0xf5, i * 200));
      const [x] = run(sc).of<UnknownTypeExchange>('udp:unknown-type-end');
      expect(x.requests.map((t) => t.frame)).toEqual([...Array.from({ length: 15 }, (_, i) => i + 1), 40]);
    });
  });
});
