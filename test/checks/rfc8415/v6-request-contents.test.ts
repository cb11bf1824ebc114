// V6-REQUEST-CONTENTS: what a Request must carry (RFC 8415 §18.2.2, §21.7, §21.9), judged once per transaction.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import { CLIENT, CLIENT_ADDR, SRV_A, UdpScenario, fromClient, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';
import type { OptionInput } from '../../../src/dhcpv6/encode.js';

const ID = 'V6-REQUEST-CONTENTS';
const legacy = { config: { rules: { [ID]: { options: { 'legacy-sol-max-rt': true } } } } };
const run = (sc: UdpScenario, opts = {}) => runRule(ID, scenarioEvents(sc), opts).map((f) => [f.verdict, f.severity, f.frames, f.xid, f.message]);
const req = (xid: number, ...options: OptionInput[]) => m(3, xid, ...options);

describe(ID, () => {
  it('accepts a Request with Server-ID, Client-ID, Elapsed Time and an ORO listing SOL_MAX_RT', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, req(0x10, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(23, 82), opt.iaNa(1)));
    fromClient(sc, 1.0, req(0x10, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(100), opt.oro(23, 82), opt.iaNa(1)));
    expect(run(sc)).toEqual([]);
  });

  it('reports an ORO without SOL_MAX_RT once per transaction; INFO with legacy-sol-max-rt', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, req(0x11, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(23, 24), opt.iaNa(1)));
    fromClient(sc, 1.0, req(0x11, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(100), opt.oro(23, 24), opt.iaNa(1)));
    expect(run(sc)).toEqual([['violation', 'error', [1], 0x11, "The Request's Option Request option requests 23, 24 but not SOL_MAX_RT (82)."]]);
    expect(run(sc, legacy).map((f) => f.slice(0, 4))).toEqual([['violation', 'info', [1], 0x11]]);
  });

  it('reports a missing Client-ID, Elapsed Time and ORO, and forbidden ORO codes', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, req(0x12, opt.serverId(SRV_A), opt.iaNa(1)));
    fromClient(sc, 0.5, req(0x13, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(82, 8, 25), opt.iaNa(1)));
    expect(run(sc)).toEqual([
      ['violation', 'error', [1], 0x12, 'The Request carries no Client Identifier option.'],
      ['violation', 'error', [1], 0x12, 'The Request carries no Elapsed Time option.'],
      ['violation', 'error', [1], 0x12, 'The Request carries no Option Request option, so it does not request SOL_MAX_RT (82).'],
      ['violation', 'error', [2], 0x13, "The Request's Option Request option lists 8, 25, which a client never requests."],
    ]);
    // RFC 3315 §22.7 forbade no ORO code: under legacy-sol-max-rt the list of RFC 8415 §21.7 grades INFO.
    expect(run(sc, legacy).filter((f) => f[3] === 0x13).map((f) => f.slice(0, 4))).toEqual([['violation', 'info', [2], 0x13]]);
  });

  it('stands aside for a missing Server-ID: V6-VAL-REQUEST-SERVERID reports it, once', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, req(0x14, opt.clientId(CLIENT), opt.elapsed(0), opt.oro(23, 82), opt.iaNa(1)));
    expect(run(sc)).toEqual([]);
    const all = runChecks(scenarioEvents(sc)).map((f) => [f.ruleId, f.frames]);
    expect(all).toEqual([['V6-VAL-REQUEST-SERVERID', [1]]]);
  });

  it('is inconclusive when the only Request captured was cut by the snaplen', () => {
    const sc = new UdpScenario();
    sc.send(0, CLIENT_ADDR, 'ff02::1:2', req(0x15, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.elapsed(0), opt.oro(23, 82), opt.iaNa(1)), { snap: 32 });
    expect(run(sc)).toEqual([['inconclusive', 'error', [1], 0x15, expect.stringContaining('cut short by the capture')]]);
  });
});
