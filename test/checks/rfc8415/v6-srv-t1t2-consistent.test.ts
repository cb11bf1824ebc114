// V6-SRV-T1T2-CONSISTENT: T1/T2 across the IA_NA/IA_PD options of one Reply.
import { describe, expect, it } from 'vitest';
import type { OptionInput } from '../../../src/dhcpv6/encode.js';
import { messageIdOf, runRule } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'V6-SRV-T1T2-CONSISTENT';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, messageIdOf(ID, f)]);
const na = (iaid: number, t1: number, t2: number, ...inner: OptionInput[]): OptionInput => ({ code: 3, value: { iaid, t1, t2 }, options: inner });
const pd = (iaid: number, t1: number, t2: number, ...inner: OptionInput[]): OptionInput => ({ code: 25, value: { iaid, t1, t2 }, options: inner });
const addr = (valid = 3600, a = '2001:db8::a'): OptionInput => ({ code: 5, value: { address: a, preferredLifetime: valid, validLifetime: valid } });
const prefix = (valid = 3600): OptionInput => ({ code: 26, value: { preferredLifetime: valid, validLifetime: valid, prefixLength: 56, prefix: '2001:db8:100::' } });
const request = (xid: number) => m(3, xid, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(82), opt.iaNa(1), opt.iaPd(2));
const reply = (xid: number, server: string, ...ias: OptionInput[]) => m(7, xid, opt.clientId(CLIENT), opt.serverId(server), ...ias);

function exchange(...ias: OptionInput[]): UdpScenario {
  const sc = new UdpScenario();
  fromClient(sc, 0, request(0x30));
  fromServer(sc, 0.01, SRV_A, reply(0x30, SRV_A, ...ias));
  return sc;
}

describe(ID, () => {
  it('reports an IA_NA and an IA_PD with different T1/T2 in one Reply', () => {
    expect(run(exchange(na(1, 1800, 2880, addr()), pd(2, 900, 1440, prefix())))).toEqual([[ID, 'violation', 'error', [2], 0x30, 'differ']]);
  });

  it('reports T1 above a non-zero T2 (RFC 8415 §21.4), even in a lone IA', () => {
    expect(run(exchange(na(1, 3000, 2000, addr())))).toEqual([[ID, 'violation', 'error', [2], 0x30, 't1-above-t2']]);
  });

  it('accepts equal timers, T2 = 0, and a lone IA', () => {
    expect(run(exchange(na(1, 1800, 2880, addr()), pd(2, 1800, 2880, prefix())))).toEqual([]);
    expect(run(exchange(na(1, 1800, 0, addr())))).toEqual([]);
    expect(run(exchange(pd(2, 1000, 1600, prefix())))).toEqual([]);
  });

  it('leaves out IAs that assign nothing: a failing status, no lease, or only expired leases', () => {
    expect(run(exchange(na(1, 1800, 2880, addr()), pd(2, 0, 0, opt.status(6, 'no prefix'))))).toEqual([]);
    expect(run(exchange(na(1, 1800, 2880, addr()), na(3, 0, 0)))).toEqual([]);
    expect(run(exchange(na(1, 1800, 2880, addr()), na(3, 100, 200, addr(0, '2001:db8::b'))))).toEqual([]);
  });

  it('leaves out an IA whose leases are not extended (T1 = T2 = their valid lifetime, RFC 8415 §18.3.4)', () => {
    expect(run(exchange(na(1, 1800, 2880, addr()), na(3, 700, 700, addr(700, '2001:db8::b'))))).toEqual([]);
  });

  it('ignores IA_TA (no timers), Replies with a failing top-level status, and Advertises', () => {
    const ta: OptionInput = { code: 4, value: { iaid: 9 }, options: [addr(3600, '2001:db8::c')] };
    expect(run(exchange(na(1, 1800, 2880, addr()), ta))).toEqual([]);
    expect(run(exchange(opt.status(1), na(1, 1800, 2880, addr()), pd(2, 10, 20, prefix())))).toEqual([]);
    const sc = new UdpScenario();
    fromClient(sc, 0, m(1, 0x31, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(82), opt.iaNa(1), opt.iaPd(2)));
    fromServer(sc, 0.01, SRV_A, m(2, 0x31, opt.clientId(CLIENT), opt.serverId(SRV_A), na(1, 1800, 2880, addr()), pd(2, 10, 20, prefix())));
    expect(run(sc)).toEqual([]);
  });

  it('judges each Reply transmission once: copies are merged, retransmitted answers of one server reported once', () => {
    const sc = new UdpScenario();
    const bad = reply(0x32, SRV_A, na(1, 1800, 2880, addr()), pd(2, 900, 1440, prefix()));
    fromClient(sc, 0, request(0x32));
    sc.answer(0.01, 'fe80::a', 'fe80::1', bad, { duplicateAfter: 0.00002 });
    fromClient(sc, 1.1, m(3, 0x32, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(110), opt.oro(82), opt.iaNa(1), opt.iaPd(2)));
    fromServer(sc, 1.11, SRV_A, bad);
    fromServer(sc, 1.12, SRV_B, reply(0x32, SRV_B, na(1, 100, 160, addr()), pd(2, 100, 200, prefix())));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2], 0x32, 'differ'], [ID, 'violation', 'error', [6], 0x32, 'differ']]);
  });

  it('judges a Reply whose request the capture missed', () => {
    const sc = new UdpScenario();
    fromServer(sc, 0, SRV_A, reply(0x33, SRV_A, na(1, 1800, 2880, addr()), pd(2, 900, 1440, prefix())));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1], 0x33, 'differ']]);
  });

  // RFC 8415 §18.3.2, §18.3.4, §18.3.5 ask for the same timers in a Reply that assigns or extends leases;
  // a server that echoes the client's IAs in its Reply to a Release or Decline assigns nothing.
  it('does not judge the IAs of a Reply to a Release or a Decline', () => {
    for (const type of [8, 9]) {
      const sc = new UdpScenario();
      fromClient(sc, 0, m(type, 0x31, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), na(1, 1800, 2880, addr()), pd(2, 900, 1440, prefix())));
      fromServer(sc, 0.01, SRV_A, reply(0x31, SRV_A, opt.status(0), na(1, 1800, 2880, addr()), pd(2, 3000, 1440, prefix())));
      expect(run(sc)).toEqual([]);
    }
  });

  it('does not compare an IA the capture cut short (snaplen): its status or leases may be in the part lost', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, request(0x32));
    // Reply: header 4, Client-ID 14, Server-ID 14, IA_NA 1800/2880 with an address (4 + 12 + 28 = 44),
    // then an IA_PD 900/1440 cut after its header and part of its prefix.
    sc.answer(0.01, 'fe80::a', 'fe80::1', reply(0x32, SRV_A, na(1, 1800, 2880, addr()), pd(2, 900, 1440, prefix())), { snap: 4 + 14 + 14 + 44 + 16 + 10 });
    expect(run(sc)).toEqual([]);
  });
});
