// V6-XID-REPLY: a Reply with another xid than the client's open Request; retransmissions share the xid.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import { CLIENT, SRV_A, UdpScenario, fromClient, fromServer, m, opt, scenarioEvents, sel } from '../../kit/udp-scenario.js';

const ID = 'V6-XID-REPLY';
const run = (sc: UdpScenario) => runRule(ID, scenarioEvents(sc)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);

describe(ID, () => {
  it('reports a Reply whose xid differs from the open Request', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromServer(sc, 0.01, SRV_A, sel.reply(0x21, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x21]]);
  });

  it('accepts Replies to each retransmission', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x20, SRV_A));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A, 105));
    fromServer(sc, 1.06, SRV_A, sel.reply(0x20, SRV_A));
    fromServer(sc, 1.07, SRV_A, sel.reply(0x20, SRV_A, { code: 23, hex: '20010db8000000000000000000000001' }));
    expect(run(sc)).toEqual([]);
  });

  it('does not take a Reply without Rapid Commit for the answer to an open Solicit (its Request was lost)', () => {
    // RFC 8415 §18.3.1: a server answers a Solicit with a Reply only with Rapid Commit. This Reply answers
    // the Request the capture point missed, not the Solicit under another xid.
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromServer(sc, 1.07, SRV_A, sel.reply(0x20, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [3], 0x20]]);
    // With Rapid Commit it could only answer the Solicit: another xid is proven.
    const rc = new UdpScenario();
    fromClient(rc, 0, sel.solicit(0x10, 0, opt.rapidCommit()));
    fromServer(rc, 0.01, SRV_A, sel.reply(0x11, SRV_A, opt.rapidCommit()));
    expect(run(rc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x11]]);
  });

  it('does not hold a Reply against an exchange its server already answered (a Decline the capture missed)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x10));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x10, SRV_A));
    fromClient(sc, 1.05, sel.request(0x20, SRV_A));
    fromServer(sc, 1.06, SRV_A, sel.reply(0x20, SRV_A));
    fromServer(sc, 2.5, SRV_A, m(7, 0x40, opt.clientId(CLIENT), opt.serverId(SRV_A)));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [5], 0x40]]);
  });

  it('is inconclusive when the request was not captured', () => {
    const sc = new UdpScenario();
    fromServer(sc, 0, SRV_A, sel.reply(0x21, SRV_A));
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1], 0x21]]);
  });
});
