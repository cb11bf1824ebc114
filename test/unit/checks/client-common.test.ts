// client-common: the session view and the server-choice judgement are computed once per session:end and
// shared by the rules (a memoized answer equals a fresh one, whatever the tolerances); an Advertise
// counts from its arrival on the client's link, not from the Relay-reply seen upstream before it.
import { describe, expect, it } from 'vitest';
import { ClientCorrelator } from '../../../src/correlate/client.js';
import type { ClientSession, ServerResponse } from '../../../src/correlate/client-events.js';
import { arrivalOf, immediate255, judgeChoice, judgeCollect, judgeRedClient, viewOf } from '../../../src/checks/client-common.js';
import { UdpScenario, duidLL, m, opt, relay } from '../../kit/udp-scenario.js';

const C = duidLL(1);
const S1 = duidLL(0x101);
const S2 = duidLL(0x102);
const CL = 'fe80::1';
const offer = (a: string) => opt.iaNa(1, opt.iaAddr(a));

/** Advertises from S1 (pref 10) and S2 (pref 200), then a Request to S1 after `at` seconds. */
function session(at: number): ClientSession {
  return sessionOf(new UdpScenario()
    .send(0, CL, 'ff02::1:2', m(1, 0xa1, opt.clientId(C), opt.elapsed(0), opt.iaNa(1)))
    .answer(0.01, 'fe80::a', CL, m(2, 0xa1, opt.clientId(C), opt.serverId(S1), opt.pref(10), offer('2001:db8::10')))
    .answer(0.02, 'fe80::b', CL, m(2, 0xa1, opt.clientId(C), opt.serverId(S2), opt.pref(200), offer('2001:db8::20')))
    .send(at, CL, 'ff02::1:2', m(3, 0xb2, opt.clientId(C), opt.serverId(S1), opt.elapsed(0), offer('2001:db8::10'))));
}

/** The first session the client correlator ends for a scenario. */
function sessionOf(sc: UdpScenario): ClientSession {
  const out: ClientSession[] = [];
  const corr = new ClientCorrelator((name, ev) => { if (name === 'session:end') out.push(ev as ClientSession); });
  const recs = sc.records();
  for (const r of recs) corr.message(r);
  corr.finish(recs[recs.length - 1].frame, recs[recs.length - 1].time);
  return out[0];
}

/** Relay R (2001:db8:1::1 next to the client, fe80::1:1 on its link) and the servers behind it (2001:db8:9::1). */
const R_GLOBAL = '2001:db8:1::1';
const R_LL = 'fe80::1:1';
const UPSTREAM = '2001:db8:9::1';
const adv = (srv: string, pref: number) => m(2, 0xa1, opt.clientId(C), opt.serverId(srv), opt.pref(pref), offer(`2001:db8::${srv.slice(-2)}`));

/**
 * The client solicits at 0 (relayed by R at once); `build` adds the answers; the client requests S1 at `at`.
 * `up` is a server's Relay-reply reaching R, `down` R's delivery on the client's link.
 */
function relayedSession(at: number, build: (up: (t: number, a: ReturnType<typeof adv>) => void, down: (t: number, a: ReturnType<typeof adv>) => void, sc: UdpScenario) => void): ClientSession {
  const solicit = m(1, 0xa1, opt.clientId(C), opt.elapsed(0), opt.iaNa(1));
  const sc = new UdpScenario().send(0, CL, 'ff02::1:2', solicit);
  sc.send(0.001, R_GLOBAL, UPSTREAM, relay(12, 0, R_GLOBAL, CL, solicit), { srcPort: 547 });
  build(
    (t, a) => { sc.answer(t, UPSTREAM, R_GLOBAL, relay(13, 0, R_GLOBAL, CL, a), { dstPort: 547 }); },
    (t, a) => { sc.answer(t, R_LL, CL, a); },
    sc,
  );
  sc.send(at, CL, 'ff02::1:2', m(3, 0xb2, opt.clientId(C), opt.serverId(S1), opt.elapsed(0), offer('2001:db8::01')));
  sc.datagrams.sort((x, y) => x.time - y.time);
  return sessionOf(sc);
}

const S3 = duidLL(0x103);
const S4 = duidLL(0x104);
const serverOf = (r: ServerResponse | undefined) => r?.server.duid;

describe('client-common memos', () => {
  it('one view per session, the same facts as a fresh one', () => {
    const s = session(1.2);
    expect(viewOf(s)).toBe(viewOf(s));
    expect(viewOf({ ...s })).not.toBe(viewOf(s));
    expect(viewOf({ ...s })).toEqual(viewOf(s));
  });

  it('a memoized server-choice judgement equals a fresh one, for interleaved tolerances', () => {
    // At 0.97 s the Request is early with tolerance 0.01 (V6-PREF-COLLECT-FIRST-RT owns it), not with 0.05.
    for (const at of [0.97, 1.2]) {
      const s = session(at);
      for (const [tol, relay] of [[0.05, 0.05], [0.01, 0.01], [0.05, 0.05], [0.01, 0.25], [0.01, 0.01]]) {
        const fresh = judgeChoice(viewOf({ ...s }), tol, relay);
        expect(judgeChoice(viewOf(s), tol, relay)).toEqual(fresh);
        expect(judgeRedClient(viewOf(s), tol, 0.2, relay)).toEqual(judgeRedClient(viewOf({ ...s }), tol, 0.2, relay));
      }
    }
    expect(judgeChoice(viewOf(session(0.97)), 0.05)?.rule).toBe('V6-PREF-HIGHEST');
    expect(judgeChoice(viewOf(session(0.97)), 0.01)).toBeUndefined();
  });
});

describe('arrival on the client\'s link', () => {
  it('holds an Advertise from its arrival there: a late delivery after the Request is late, not usable', () => {
    // S1 straight to the client at 0.01 s; S2's Relay-reply at 0.3 s delivered at 0.6 s (one response, inside
    // the copy window); S3's at 0.4 s delivered at 1.2 s (a response of its own), after the Request at 1.1 s;
    // S4's at 0.5 s never delivered.
    const v = viewOf(relayedSession(1.1, (up, down, sc) => {
      sc.answer(0.01, 'fe80::a', CL, adv(S1, 10));
      up(0.3, adv(S2, 20)); down(0.6, adv(S2, 20));
      up(0.4, adv(S3, 30)); down(1.2, adv(S3, 30));
      up(0.5, adv(S4, 40));
    }));
    expect(v.usable.map(serverOf)).toEqual([S1, S2, S4]);
    expect(v.late.map(serverOf)).toEqual([S3]);
    // First sightings: S1's 3, S2's 4 (with its delivery 7), S3's 5, S4's 6, S3's delivery 9 (the Request is 8).
    const first = (srv: string) => v.advertises.find((a) => serverOf(a) === srv)!;
    const arrival = (srv: string) => {
      const g = arrivalOf(v, first(srv));
      return [Math.round((g.time - v.t0) * 1000), g.seen, g.via?.frame];
    };
    expect(arrival(S1)).toEqual([10, true, undefined]);
    expect(arrival(S2)).toEqual([600, true, undefined]);
    expect(arrival(S3)).toEqual([1200, true, 9]);
    expect(arrival(S4)).toEqual([500, false, undefined]);
  });

  it('takes the pref-255 Advertise V6-PREF-255-IMMEDIATE judges by its arrival there', () => {
    // S1 (pref 10) at 0.1 s; S2's pref-255 Relay-reply at 0.6 s, inside the collection period, delivered at
    // 1.02 s (past it, less the tolerance) or at 0.9 s (inside it).
    const at = (delivered: number) => viewOf(relayedSession(1.08, (up, down, sc) => {
      sc.answer(0.1, 'fe80::a', CL, adv(S1, 10));
      up(0.6, adv(S2, 255)); down(delivered, adv(S2, 255));
    }));
    expect(immediate255(at(1.02), 0.05)).toBeUndefined();
    expect(serverOf(immediate255(at(0.9), 0.05))).toBe(S2);
  });

  it('does not judge the collection when no Advertise reached the client\'s link before the Request', () => {
    // S1's only Advertise reaches R at 0.3 s and the client's link at 0.7 s; the Request is at 0.5 s.
    const early = (delivered: number) => judgeCollect(viewOf(relayedSession(0.5, (up, down) => { up(0.3, adv(S1, 10)); down(delivered, adv(S1, 10)); })), 0.05);
    expect(early(0.7)).toBeUndefined();
    expect(early(0.45)).toMatchObject({ messageId: 'early', verdict: 'violation', frames: [1, 2, 3, 4, 5] });
  });
});
