// client-common memos: the session view and the server-choice judgement are computed once per
// session:end and shared by the rules; a memoized answer equals a fresh one, whatever the tolerances.
import { describe, expect, it } from 'vitest';
import { ClientCorrelator } from '../../../src/correlate/client.js';
import type { ClientSession } from '../../../src/correlate/client-events.js';
import { judgeChoice, judgeRedClient, viewOf } from '../../../src/checks/client-common.js';
import { UdpScenario, duidLL, m, opt } from '../../kit/udp-scenario.js';

const C = duidLL(1);
const S1 = duidLL(0x101);
const S2 = duidLL(0x102);
const CL = 'fe80::1';
const offer = (a: string) => opt.iaNa(1, opt.iaAddr(a));

/** Advertises from S1 (pref 10) and S2 (pref 200), then a Request to S1 after `at` seconds. */
function session(at: number): ClientSession {
  const sc = new UdpScenario()
    .send(0, CL, 'ff02::1:2', m(1, 0xa1, opt.clientId(C), opt.elapsed(0), opt.iaNa(1)))
    .answer(0.01, 'fe80::a', CL, m(2, 0xa1, opt.clientId(C), opt.serverId(S1), opt.pref(10), offer('2001:db8::10')))
    .answer(0.02, 'fe80::b', CL, m(2, 0xa1, opt.clientId(C), opt.serverId(S2), opt.pref(200), offer('2001:db8::20')))
    .send(at, CL, 'ff02::1:2', m(3, 0xb2, opt.clientId(C), opt.serverId(S1), opt.elapsed(0), offer('2001:db8::10')));
  const out: ClientSession[] = [];
  const corr = new ClientCorrelator((name, ev) => { if (name === 'session:end') out.push(ev as ClientSession); });
  const recs = sc.records();
  for (const r of recs) corr.message(r);
  corr.finish(recs[recs.length - 1].frame, recs[recs.length - 1].time);
  return out[0];
}

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
