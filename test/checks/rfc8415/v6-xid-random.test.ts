// V6-XID-RANDOM: runs of new exchanges whose xids are constant or step by a small constant (modulo 2^24)
// are reported once, at info level; random xids, small samples, retransmissions, copies, clones and
// leasequery requestors are not.
import { describe, expect, it } from 'vitest';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { prng } from '../../unit/capture/collect.js';
import {
  CLIENT, CLIENT_ADDR, SRV_A, UdpScenario, duidLL, fromClient, fromServer, m, opt, relay, scenarioEvents, sel,
} from '../../kit/udp-scenario.js';

const ID = 'V6-XID-RANDOM';
const run = (sc: UdpScenario, options?: object) =>
  runRule(ID, scenarioEvents(sc), options ? { config: { rules: { [ID]: { options } } } as never } : {})
    .map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.client?.address, messageIdOf(ID, f)]);

const infoRequest = (xid: number, elapsed = 0, duid = CLIENT) => m(11, xid, opt.clientId(duid), opt.elapsed(elapsed), opt.oro(23));
const infoReply = (xid: number, duid = CLIENT) => m(7, xid, opt.clientId(duid), opt.serverId(SRV_A));
const renew = (xid: number, elapsed = 0) => m(5, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(elapsed), opt.iaNa(1));

/** A deterministic stream of 24-bit xids that look random. */
function randomXids(seed: number): () => number {
  const next = prng(seed);
  return () => Math.floor(next() * 0x1000000);
}

/**
 * Information-request exchanges with these xids, `gap` seconds apart, each answered by server A; returns
 * the frames of the requests.
 */
function exchanges(sc: UdpScenario, xids: number[], gap = 30, t0 = 0, from = CLIENT_ADDR, duid = CLIENT): number[] {
  const frames: number[] = [];
  xids.forEach((xid, i) => {
    sc.send(t0 + i * gap, from, 'ff02::1:2', infoRequest(xid, 0, duid));
    frames.push(sc.datagrams.length);
    sc.answer(t0 + i * gap + 0.01, 'fe80::a', from, infoReply(xid, duid));
  });
  return frames;
}

const seq = (n: number, from: number, step = 1) => Array.from({ length: n }, (_, i) => (from + i * step) & 0xffffff);

describe(ID, () => {
  it('reports five new exchanges with xids one apart once, at info level, with their five frames (RFC 8415 §16.1)', () => {
    const sc = new UdpScenario();
    const frames = exchanges(sc, seq(5, 0x1000));
    expect(run(sc)).toEqual([[ID, 'violation', 'info', frames, 0x1004, CLIENT_ADDR, 'sequential']]);
  });

  it('reports a constant xid over Solicit, Request and answered Renews', () => {
    const sc = new UdpScenario();
    const x = 0x4242;
    fromClient(sc, 0, sel.solicit(x));
    fromServer(sc, 0.01, SRV_A, sel.advertise(x, SRV_A, 255));
    fromClient(sc, 0.02, sel.request(x, SRV_A));
    fromServer(sc, 0.03, SRV_A, sel.reply(x, SRV_A));
    for (let i = 1; i <= 3; i++) {
      fromClient(sc, i * 60, renew(x));
      fromServer(sc, i * 60 + 0.01, SRV_A, sel.reply(x, SRV_A));
    }
    expect(run(sc)).toEqual([[ID, 'violation', 'info', [1, 3, 5, 7, 9], x, CLIENT_ADDR, 'constant']]);
  });

  it('says nothing of random xids, however many exchanges', () => {
    const next = randomXids(8415);
    const sc = new UdpScenario();
    exchanges(sc, Array.from({ length: 40 }, next), 5);
    expect(run(sc)).toEqual([]);
  });

  it('says nothing of fewer than min-exchanges (small samples), and takes the count from its options', () => {
    for (const n of [3, 4]) {
      const sc = new UdpScenario();
      exchanges(sc, seq(n, 0x2000));
      expect(run(sc)).toEqual([]);
    }
    const sc = new UdpScenario();
    const frames = exchanges(sc, seq(3, 0x2000));
    expect(run(sc, { 'min-exchanges': 3 })).toEqual([[ID, 'violation', 'info', frames, 0x2002, CLIENT_ADDR, 'sequential']]);
  });

  it('reports one finding per run, a new one after the run broke', () => {
    const sc = new UdpScenario();
    const first = exchanges(sc, seq(8, 0x3000));
    const second = exchanges(sc, [0x9a0000, ...seq(6, 0x500000, -3)], 30, 300);
    expect(run(sc)).toEqual([
      [ID, 'violation', 'info', first.slice(0, 5), 0x3004, CLIENT_ADDR, 'sequential'],
      [ID, 'violation', 'info', second.slice(1, 6), 0x4ffff4, CLIENT_ADDR, 'sequential'],
    ]);
  });

  it('steps across the 2^24 wrap', () => {
    const sc = new UdpScenario();
    const frames = exchanges(sc, seq(5, 0xfffffe, 1));
    expect(run(sc)).toEqual([[ID, 'violation', 'info', frames, 0x000002, CLIENT_ADDR, 'sequential']]);
    const down = new UdpScenario();
    const framesDown = exchanges(down, seq(5, 0x000008, -4));
    expect(run(down)).toEqual([[ID, 'violation', 'info', framesDown, 0xfffff8, CLIENT_ADDR, 'sequential']]);
  });

  it('takes steps above max-step for unpredictable, up to the option', () => {
    const sc = new UdpScenario();
    const frames = exchanges(sc, seq(5, 0x6000, 17));
    expect(run(sc)).toEqual([]);
    expect(run(sc, { 'max-step': 32 })).toEqual([[ID, 'violation', 'info', frames, 0x6044, CLIENT_ADDR, 'sequential']]);
    const constant = new UdpScenario();
    exchanges(constant, seq(5, 0x6000, 1));
    expect(run(constant, { 'max-step': 0 })).toEqual([]);
  });

  it('counts a Solicit and its Request as two exchanges: a Request at the Solicit xid + 1 with random Solicit xids is no run', () => {
    const next = randomXids(16);
    const sc = new UdpScenario();
    for (let i = 0; i < 6; i++) {
      const x = next();
      fromClient(sc, i * 30, sel.solicit(x));
      fromServer(sc, i * 30 + 0.01, SRV_A, sel.advertise(x, SRV_A, 255));
      fromClient(sc, i * 30 + 0.02, sel.request((x + 1) & 0xffffff, SRV_A));
      fromServer(sc, i * 30 + 0.03, SRV_A, sel.reply((x + 1) & 0xffffff, SRV_A));
    }
    expect(run(sc)).toEqual([]);
  });

  it('does not count retransmissions: within a transaction, after the idle timeout, or without updating Elapsed Time', () => {
    const rtx = new UdpScenario();
    for (let i = 0; i < 8; i++) fromClient(rtx, i * 2, sel.solicit(0x7000, i * 200));
    expect(run(rtx)).toEqual([]);
    // Unanswered Solicits 150 s apart: each a new transaction for the correlator (idle timeout 120 s).
    const late = new UdpScenario();
    for (let i = 0; i < 8; i++) fromClient(late, i * 150, sel.solicit(0x7100, Math.min(0xffff, i * 15000)));
    expect(run(late)).toEqual([]);
    // The same, from a client that leaves Elapsed Time at 0 (V6-ELAPSED-TIME's): no Reply, so no new exchange.
    const stuck = new UdpScenario();
    for (let i = 0; i < 8; i++) fromClient(stuck, i * 150, sel.solicit(0x7200));
    expect(run(stuck)).toEqual([]);
  });

  it('does not count retransmissions under new xids (V6-XID-RETRANSMIT-SAME) nor a capture that starts mid-exchange', () => {
    const sc = new UdpScenario();
    for (let i = 0; i < 8; i++) fromClient(sc, i * 2, sel.solicit(0x7300 + i, i * 200));
    expect(run(sc)).toEqual([]);
  });

  it('counts copies from two capture points once: within the copy window; skewed beyond it, random xids stay unreported', () => {
    // Seen on the client's link and, 1 ms later, inside R1's Relay-forward: one transmission.
    const sc = new UdpScenario();
    const frames: number[] = [];
    seq(5, 0x8000).forEach((x, i) => {
      fromClient(sc, i * 30, infoRequest(x));
      frames.push(sc.datagrams.length);
      sc.send(i * 30 + 0.001, '2001:db8:1::1', '2001:db8:ffff::a', relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, infoRequest(x)), { srcPort: 547 });
      fromServer(sc, i * 30 + 0.01, SRV_A, infoReply(x));
    });
    expect(run(sc)).toEqual([[ID, 'violation', 'info', frames, 0x8004, CLIENT_ADDR, 'sequential']]);
    // A second capture point whose clock is 3 s late: every answered exchange is seen again, as a new
    // transaction with the same xid. Random xids stay unreported; sequential ones are reported once.
    for (const [xids, found] of [[Array.from({ length: 6 }, randomXids(3)), false], [seq(6, 0x8100), true]] as const) {
      const skew = new UdpScenario();
      const firsts: number[] = [];
      xids.forEach((x, i) => {
        for (const late of [0, 3]) {
          skew.send(i * 30 + late, CLIENT_ADDR, 'ff02::1:2', infoRequest(x));
          if (late === 0) firsts.push(skew.datagrams.length);
          skew.answer(i * 30 + late + 0.01, 'fe80::a', CLIENT_ADDR, infoReply(x));
        }
      });
      expect(run(skew)).toEqual(found ? [[ID, 'violation', 'info', firsts.slice(0, 5), 0x8104, CLIENT_ADDR, 'sequential']] : []);
    }
  });

  it('follows clients sharing a DUID (cloned VMs) apart, by address and by relay link', () => {
    const sc = new UdpScenario();
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < 5; i++) {
      a.push(...exchanges(sc, [0xa000 + i], 1, i * 30));
      b.push(...exchanges(sc, [0xb000 + 2 * i], 1, i * 30 + 5, 'fe80::2'));
    }
    expect(run(sc)).toEqual([
      [ID, 'violation', 'info', a, 0xa004, CLIENT_ADDR, 'sequential'],
      [ID, 'violation', 'info', b, 0xb008, 'fe80::2', 'sequential'],
    ]);
    // Interleaved, one client's constant xid and the other's random ones never make a run of either.
    const next = randomXids(7);
    const mixed = new UdpScenario();
    for (let i = 0; i < 8; i++) {
      exchanges(mixed, [0xc000], 1, i * 30);
      exchanges(mixed, [next()], 1, i * 30 + 5, 'fe80::2');
    }
    expect(run(mixed)).toEqual([[ID, 'violation', 'info', [1, 5, 9, 13, 17], 0xc000, CLIENT_ADDR, 'constant']]);
    // Relayed from two links with the same link-local address: apart.
    const links = new UdpScenario();
    const next2 = randomXids(9);
    const framesL1: number[] = [];
    for (let i = 0; i < 5; i++) {
      for (const link of ['2001:db8:1::1', '2001:db8:2::1']) {
        const x = link.endsWith('1::1') ? 0xd000 + i : next2();
        links.send(i * 30 + (link.endsWith('2::1') ? 5 : 0), link, '2001:db8:ffff::a', relay(12, 0, link, CLIENT_ADDR, infoRequest(x)), { srcPort: 547 });
        if (link.endsWith('1::1')) framesL1.push(links.datagrams.length);
      }
    }
    expect(run(links)).toEqual([[ID, 'violation', 'info', framesL1, 0xd004, CLIENT_ADDR, 'sequential']]);
  });

  it('starts afresh after a silence longer than max-gap (the client may have restarted)', () => {
    const sc = new UdpScenario();
    const frames = [...exchanges(sc, seq(3, 0xe000)), ...exchanges(sc, seq(3, 0xe003), 30, 500)];
    expect(run(sc)).toEqual([]);
    expect(run(sc, { 'max-gap': 600 })).toEqual([[ID, 'violation', 'info', frames.slice(0, 5), 0xe004, CLIENT_ADDR, 'sequential']]);
  });

  it('does not follow leasequery requestors', () => {
    const sc = new UdpScenario();
    for (let i = 0; i < 8; i++) {
      sc.add({ time: i, src: '2001:db8::50', dst: '2001:db8::a', srcPort: 547, dstPort: 547, message: m(14, 0xf00 + i, opt.clientId(duidLL(0x50)), opt.lqQuery(1, '::')) });
    }
    expect(run(sc)).toEqual([]);
  });

  it('says once when more client interfaces than max-tracked are active within max-gap', () => {
    const sc = new UdpScenario();
    for (let c = 0; c < 4; c++) sc.send(c * 0.1, `fe80::${c + 2}`, 'ff02::1:2', infoRequest(0xb00 + c, 0, duidLL(0x10 + c)));
    expect(run(sc, { 'max-tracked': 2 })).toEqual([[ID, 'inconclusive', 'info', [3], undefined, 'fe80::4', 'limit']]);
  });
});
