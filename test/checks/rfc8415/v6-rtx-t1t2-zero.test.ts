// V6-RTX-T1T2-ZERO: a Renew (Rebind) sent at once for an IA whose T1 (T2) a Reply set to 0, the Replies
// that set no timers, other IAs and servers, a Reconfigure between, and the inconclusive cases.
import { describe, expect, it } from 'vitest';
import type { OptionInput } from '../../../src/dhcpv6/encode.js';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import {
  CLIENT, CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, m, opt, relay, scenarioEvents,
} from '../../kit/udp-scenario.js';

const ID = 'V6-RTX-T1T2-ZERO';
const run = (sc: UdpScenario, config?: object) =>
  runRule(ID, scenarioEvents(sc), config ? { config: { rules: { [ID]: { options: config } } } as never } : {})
    .map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, messageIdOf(ID, f)]);

const LEASE = '2001:db8::1';
const addr = (preferred = 3600, valid = 7200): OptionInput => ({ code: 5, value: { address: LEASE, preferredLifetime: preferred, validLifetime: valid } });
const prefix = (): OptionInput => ({ code: 26, value: { preferredLifetime: 3600, validLifetime: 7200, prefixLength: 56, prefix: '2001:db8:100::' } });
const na = (iaid: number, t1: number, t2: number, ...inner: OptionInput[]): OptionInput => ({ code: 3, value: { iaid, t1, t2 }, options: inner });
const pd = (iaid: number, t1: number, t2: number, ...inner: OptionInput[]): OptionInput => ({ code: 25, value: { iaid, t1, t2 }, options: inner });
const request = (xid: number, ...ias: OptionInput[]) => m(3, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(82), ...(ias.length ? ias : [na(1, 0, 0)]));
const reply = (xid: number, server: string, ...ias: OptionInput[]) => m(7, xid, opt.clientId(CLIENT), opt.serverId(server), ...ias);
const renew = (xid: number, server = SRV_A, elapsed = 0, ...ias: OptionInput[]) =>
  m(5, xid, opt.clientId(CLIENT), opt.serverId(server), opt.elapsed(elapsed), ...(ias.length ? ias : [na(1, 0, 0, addr())]));
const rebind = (xid: number, ...ias: OptionInput[]) => m(6, xid, opt.clientId(CLIENT), opt.elapsed(0), ...(ias.length ? ias : [na(1, 0, 0, addr())]));

/** Request (frame 1) and server A's Reply leaving IA_NA 1's T1/T2 to the client (frame 2). */
function replied(): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, request(0x40));
  fromServer(sc, 0.01, SRV_A, reply(0x40, SRV_A, na(1, 0, 0, addr())));
  return sc;
}

/** Request (frame 1) and server A's Reply carrying `ias` (frame 2), then `then` at `after` seconds (frame 3) and its Reply. */
function exchange(ias: OptionInput[], then = renew(0x41), after = 0.2): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, request(0x40));
  fromServer(sc, 0.01, SRV_A, reply(0x40, SRV_A, ...ias));
  fromClient(sc, 0.01 + after, then);
  fromServer(sc, 0.02 + after, SRV_A, reply(then.xid!, SRV_A, na(1, 1800, 2880, addr())));
  return sc;
}

describe(ID, () => {
  it('reports a Renew sent at once for an IA_NA whose T1 the Reply set to 0 (RFC 8415 §14.2)', () => {
    expect(run(exchange([na(1, 0, 0, addr())]))).toEqual([[ID, 'violation', 'error', [2, 3], 0x41, 'at-once']]);
  });

  it('reports an IA_PD too, and a Rebind sent at once after T2 = 0', () => {
    expect(run(exchange([pd(7, 0, 0, prefix())], renew(0x41, SRV_A, 0, pd(7, 0, 0, prefix()))))).toEqual([[ID, 'violation', 'error', [2, 3], 0x41, 'at-once']]);
    expect(run(exchange([na(1, 0, 0, addr())], rebind(0x42), 0.5))).toEqual([[ID, 'violation', 'error', [2, 3], 0x42, 'at-once']]);
  });

  it('accepts a Renew the client sends later, at the window or beyond', () => {
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41), 30))).toEqual([]);
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41), 1))).toEqual([]);
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41), 0.5), { window: 0.4 })).toEqual([]);
  });

  it('leaves alone a Rebind after T1 = 0 with a T2 set, and a Renew after T2 = 0 with a T1 set', () => {
    expect(run(exchange([na(1, 0, 2880, addr())], rebind(0x42)))).toEqual([]);
    expect(run(exchange([na(1, 1800, 0, addr())]))).toEqual([]);
  });

  it('leaves alone a Renew of another IA (other IAID, or IA_PD with the same IAID), or naming another server', () => {
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41, SRV_A, 0, na(2, 0, 0, addr()))))).toEqual([]);
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41, SRV_A, 0, pd(1, 0, 0, prefix()))))).toEqual([]);
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41, SRV_B)))).toEqual([]);
  });

  it('judges only IAs holding leases, in Replies that set timers', () => {
    expect(run(exchange([opt.status(2, 'none'), na(1, 0, 0, addr())]))).toEqual([]); // failing top-level status
    expect(run(exchange([na(1, 0, 0, opt.status(2, 'none'))]))).toEqual([]); // NoAddrsAvail in the IA
    expect(run(exchange([na(1, 0, 0, addr(0, 0))]))).toEqual([]); // the lease is taken back
    expect(run(exchange([na(1, 0, 0, addr(1, 7200))]))).toEqual([]); // preferred 1 s: half of it is an early Renew
    const noServerId = new UdpScenario();
    fromClient(noServerId, 0, request(0x40));
    fromServer(noServerId, 0.01, SRV_A, m(7, 0x40, opt.clientId(CLIENT), na(1, 0, 0, addr())));
    fromClient(noServerId, 0.2, renew(0x41));
    expect(run(noServerId)).toEqual([]); // the client discards a Reply without Server-ID (§16.10)
    const release = new UdpScenario();
    fromClient(release, 0, m(8, 0x40, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), na(1, 0, 0, addr())));
    fromServer(release, 0.01, SRV_A, reply(0x40, SRV_A, na(1, 0, 0, addr())));
    fromClient(release, 0.2, renew(0x41));
    expect(run(release)).toEqual([]); // a Reply to a Release sets no timers (§18.2.10.2)
  });

  it('judges a Rapid Commit Reply to a Solicit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(1, 0x40, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(82), opt.rapidCommit(), na(1, 0, 0)));
    fromServer(sc, 0.01, SRV_A, reply(0x40, SRV_A, opt.rapidCommit(), na(1, 0, 0, addr())));
    fromClient(sc, 0.3, renew(0x41));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2, 3], 0x41, 'at-once']]);
  });

  it('takes the latest Reply of the server: one with T1 set replaces an earlier zero', () => {
    const sc = replied();
    fromClient(sc, 1.05, m(3, 0x40, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(105), opt.oro(82), na(1, 0, 0)));
    fromServer(sc, 1.06, SRV_A, reply(0x40, SRV_A, na(1, 1, 2, addr())));
    fromClient(sc, 1.2, renew(0x41));
    expect(run(sc)).toEqual([]);
  });

  it('judges one Reply once: a second Renew right after is not another finding', () => {
    const sc = exchange([na(1, 0, 0, addr())]);
    fromClient(sc, 0.4, renew(0x43));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2, 3], 0x41, 'at-once']]);
  });

  it('has no finding when a Reconfigure to the client came between (RFC 8415 §18.2.11)', () => {
    const sc = replied();
    fromServer(sc, 0.1, SRV_A, m(10, 0, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.raw(19, '05')));
    fromClient(sc, 0.15, renew(0x41));
    expect(run(sc)).toEqual([]);
  });

  it('merges copies seen at the relay: one finding, every sighting as evidence', () => {
    const sc = new UdpScenario();
    const fwd = (msg: ReturnType<typeof m>) => relay(12, 0, '2001:db8:1::1', CLIENT_ADDR, msg);
    const rep = (msg: ReturnType<typeof m>) => relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, msg);
    fromClient(sc, 0, request(0x40));
    sc.send(0.001, '2001:db8:1::1', '2001:db8:ffff::a', fwd(request(0x40)), { srcPort: 547 });
    sc.answer(0.01, '2001:db8:ffff::a', '2001:db8:1::1', rep(reply(0x40, SRV_A, na(1, 0, 0, addr()))), { dstPort: 547 });
    sc.answer(0.011, 'fe80::1:1', CLIENT_ADDR, reply(0x40, SRV_A, na(1, 0, 0, addr())));
    fromClient(sc, 0.2, renew(0x41));
    sc.send(0.201, '2001:db8:1::1', '2001:db8:ffff::a', fwd(renew(0x41)), { srcPort: 547 });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [3, 4, 5, 6], 0x41, 'at-once']]);
  });

  it('times the Reply from its delivery on the client\'s link, not from the Relay-reply upstream', () => {
    // A's Rapid Commit Reply reaches the relay at 0.01 s (frame 2) and the client's link only at 0.4 s
    // (frame 3, one response with it); the Renew at 1.3 s (frame 4) is 0.9 s after the client got the
    // Reply, within the window, though 1.29 s after the Relay-reply.
    const rapid = (renewAt: number) => {
      const sc = new UdpScenario();
      const rc: OptionInput = { code: 14, hex: '' };
      fromClient(sc, 0, m(1, 0x40, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(82), rc, na(1, 0, 0)));
      const rep = reply(0x40, SRV_A, rc, na(1, 0, 0, addr()));
      sc.answer(0.01, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, rep), { dstPort: 547 });
      sc.answer(0.4, 'fe80::1:1', CLIENT_ADDR, rep);
      fromClient(sc, renewAt, renew(0x41));
      return run(sc);
    };
    expect(rapid(1.3)).toEqual([[ID, 'violation', 'error', [2, 3, 4], 0x41, 'at-once']]);
    // A second after the delivery: not at once.
    expect(rapid(1.4)).toEqual([]);
  });

  it('is inconclusive when the request the Reply answered was not captured', () => {
    const sc = new UdpScenario();
    fromServer(sc, 0, SRV_A, reply(0x40, SRV_A, na(1, 0, 0, addr())));
    fromClient(sc, 0.2, renew(0x41));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 0x41, 'orphan']]);
  });

  it('says so when the Reply answered a message of an unassigned type, a request that was captured', () => {
    // Frame 1: the client's message of type 40 (none assigned, RFC 8415 §16); frame 2: A's Reply under its
    // xid leaving IA_NA 1's T1 to the client; frame 3: a Renew right after.
    const sc = new UdpScenario();
    fromClient(sc, 0, m(40, 0x40, opt.clientId(CLIENT), opt.elapsed(0), na(1, 0, 0)));
    fromServer(sc, 0.01, SRV_A, reply(0x40, SRV_A, na(1, 0, 0, addr())));
    fromClient(sc, 0.2, renew(0x41));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid, messageIdOf(ID, x)])).toEqual([[ID, 'inconclusive', 'error', [2, 3], 0x41, 'unknown-type']]);
    expect(f[0].message).toContain('answered the client\'s message of unassigned type 40 (frame 1)');
    expect(f[0].message).not.toContain('not in the capture');
  });

  it('is inconclusive when the Reply was cut by the snaplen after the IA', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, request(0x40));
    // 4 header + 14 Client-ID + 14 Server-ID + IA_NA (4 + 12 + 28 = 44), then the DNS option cut.
    sc.answer(0.01, 'fe80::a', CLIENT_ADDR, reply(0x40, SRV_A, na(1, 0, 0, addr()), opt.raw(23, '20010db8ffff00000000000000000053')), { snap: 4 + 14 + 14 + 44 + 6 });
    fromClient(sc, 0.2, renew(0x41));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 0x41, 'reply-cut']]);
  });

  it('is inconclusive when a cut Renew shows none of the IAs', () => {
    const sc = replied();
    sc.send(0.2, CLIENT_ADDR, 'ff02::1:2', renew(0x41), { snap: 4 + 14 + 14 + 6 + 2 });
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 0x41, 'renew-cut']]);
  });

  it('is inconclusive when the Renew comes from another address (link-local changed, RFC 8415 §18.2.4)', () => {
    const sc = replied();
    sc.send(0.2, 'fe80::2', 'ff02::1:2', renew(0x41));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 0x41, 'address-changed']]);
  });

  it("is inconclusive when the Renew's Elapsed Time says it began before the Reply", () => {
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41, SRV_A, 50)))).toEqual([[ID, 'inconclusive', 'error', [2, 3], 0x41, 'started-before']]);
    expect(run(exchange([na(1, 0, 0, addr())], renew(0x41, SRV_A, 25)))).toEqual([[ID, 'violation', 'error', [2, 3], 0x41, 'at-once']]);
  });

  it('is inconclusive when the Reply and the Renew were seen at different capture points', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, request(0x40));
    sc.answer(0.01, '2001:db8:ffff::a', '2001:db8:1::1', relay(13, 0, '2001:db8:1::1', CLIENT_ADDR, reply(0x40, SRV_A, na(1, 0, 0, addr()))), { dstPort: 547 });
    fromClient(sc, 0.2, renew(0x41));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 0x41, 'other-place']]);
  });

  it('says once when more zero-timer Replies than max-pending are held', () => {
    const sc = new UdpScenario();
    for (let c = 0; c < 3; c++) {
      const duid = `00030001020000000${c + 2}00`;
      sc.send(c * 0.01, `fe80::${c + 2}`, 'ff02::1:2', m(3, 0x50 + c, opt.clientId(duid), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(82), na(1, 0, 0)));
      sc.answer(c * 0.01 + 0.005, 'fe80::a', `fe80::${c + 2}`, m(7, 0x50 + c, opt.clientId(duid), opt.serverId(SRV_A), na(1, 0, 0, addr())));
    }
    expect(run(sc, { 'max-pending': 1 })).toEqual([[ID, 'inconclusive', 'error', [2], 0x50, 'limit']]);
  });
});
