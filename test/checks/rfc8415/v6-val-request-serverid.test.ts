// V6-VAL-REQUEST-SERVERID: Request without Server-ID (client, and the server answering it), Renew
// naming another server answered; a Request naming another server is RED-NONSELECTED-DISCARD's.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, SRV_B, UdpScenario, fromClient, fromServer, m, opt, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-VAL-REQUEST-SERVERID';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, f.message]);

describe(ID, () => {
  it('reports the Request without Server-ID and the server that answered it', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, undefined));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([
      [ID, 'violation', 'error', [1], 0x20, 'The Request carries no Server-ID option.'],
      [ID, 'violation', 'error', [1, 2], 0x20, 'The server replied to a Request that carried no Server-ID; it must discard it.'],
    ]);
  });

  it('reports a Reply to a Renew naming another server, and leaves Requests to RED-NONSELECTED-DISCARD', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(5, 0x30, opt.clientId(CLIENT), opt.serverId(SRV_B), opt.elapsed(0)));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x30, SRV_A));
    fromClient(sc, 1, sel.request(0x31, SRV_B));
    fromServer(sc, 1.01, SRV_A, sel.reply(0x31, SRV_A));
    expect(run(sc).map((r) => r.slice(0, 5))).toEqual([[ID, 'violation', 'error', [1, 2], 0x30]]);
  });

  it('accepts a Request naming the server that answers', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('is inconclusive when the Request was cut by the snaplen before any Server-ID', () => {
    // Header, Client-ID and Elapsed Time are the first 24 octets; the Server-ID after them is cut off,
    // or (32 octets) cut inside: its part would read as another server's DUID.
    for (const snap of [24, 32]) {
      const sc = new UdpScenario();
      sc.send(0, 'fe80::1', 'ff02::1:2', m(5, 0x21, opt.clientId(CLIENT), opt.elapsed(0), opt.serverId(SRV_A), opt.oro(23, 82)), { snap });
      fromServer(sc, 0.01, SRV_A, sel.reply(0x21, SRV_A));
      expect(run(sc), `snap ${snap}`).toEqual([[ID, 'inconclusive', 'error', [1], 0x21, 'The Renew was cut by the capture or is damaged, and its captured part has no Server-ID: the option may have been lost to that.']]);
    }
    const req = new UdpScenario();
    req.send(0, 'fe80::1', 'ff02::1:2', m(3, 0x22, opt.clientId(CLIENT), opt.elapsed(0), opt.serverId(SRV_A), opt.oro(23, 82)), { snap: 24 });
    expect(run(req).map((r) => r.slice(0, 5))).toEqual([[ID, 'inconclusive', 'error', [1], 0x22]]);
  });
});
