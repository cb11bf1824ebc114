// V6-VAL-UNKNOWN-MSGTYPE: servers discard client messages of unassigned types (RFC 8415 §16), so nothing
// comes back under their xid; answers shared with a known-type exchange of the same xid are inconclusive.
import { describe, expect, it } from 'vitest';
import { runChecks, runRule } from '../../kit/rule-harness.js';
import {
  CLIENT, CLIENT_ADDR, SRV_A, SRV_B, UdpScenario, duidLL, fromClient, fromServer, m, opt, relay, scenarioEvents, sel,
} from '../../kit/udp-scenario.js';

const ID = 'V6-VAL-UNKNOWN-MSGTYPE';
const run = (sc: UdpScenario, limits: Record<string, number> = {}) =>
  runRule(ID, scenarioEvents(sc, limits)).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
/** A client message of unassigned type `type` (default 40) carrying the client's DUID. */
const unknown = (xid: number, type = 40) => m(type, xid, opt.clientId(CLIENT), opt.elapsed(0));
/** A Reply from `server` under `xid`, echoing the client's DUID. */
const reply = (xid: number, server: string) => m(7, xid, opt.clientId(CLIENT), opt.serverId(server), opt.status(0, 'ok'));

const R1 = '2001:db8:1::1';
const SRV_GLOBAL = '2001:db8:ffff::a';

describe(ID, () => {
  it('reports a Reply under the xid of a type-40 message, with both frames, the client and the server', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40a1));
    fromServer(sc, 0.01, SRV_A, reply(0x40a1, SRV_A));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'violation', 'error', [1, 2], 0x40a1]]);
    expect(f[0].client).toEqual({ duid: CLIENT, address: CLIENT_ADDR });
    expect(f[0].server).toEqual({ duid: SRV_A, address: 'fe80::a' });
    expect(f[0].message).toBe("The server answered (REPLY) the client's message of unassigned type 40, under its xid; clients and servers discard message types they do not know (RFC 8415 §16).");
    expect(f[0].spec).toEqual({ doc: 'RFC 8415', section: '16, 19' });
  });

  it('judges a relayed message and a relayed answer, each seen on both sides of the relay as one transmission', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40a2, 200));
    sc.send(0.001, R1, SRV_GLOBAL, relay(12, 0, R1, CLIENT_ADDR, unknown(0x40a2, 200)), { srcPort: 547 });
    sc.answer(0.01, SRV_GLOBAL, R1, relay(13, 0, R1, CLIENT_ADDR, reply(0x40a2, SRV_A)), { dstPort: 547 });
    sc.answer(0.011, 'fe80::1:1', CLIENT_ADDR, reply(0x40a2, SRV_A));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.ruleId, x.verdict, x.severity, x.frames, x.xid])).toEqual([[ID, 'violation', 'error', [1, 2, 3, 4], 0x40a2]]);
    expect(f[0].server).toEqual({ duid: SRV_A, address: SRV_GLOBAL });
    expect(f[0].message).toContain('unassigned type 200');
  });

  it('takes any server message towards the client under that xid (an Advertise, a message of another unassigned type), once per server', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40a3));
    fromServer(sc, 0.01, SRV_A, m(2, 0x40a3, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.iaNa(1, opt.iaAddr('2001:db8::a'))));
    fromServer(sc, 0.02, SRV_B, m(41, 0x40a3, opt.clientId(CLIENT), opt.serverId(SRV_B)));
    fromServer(sc, 0.5, SRV_A, reply(0x40a3, SRV_A)); // A's second answer: the same defect
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.verdict, x.severity, x.frames, x.server?.duid])).toEqual([
      ['violation', 'error', [1, 2], SRV_A], ['violation', 'error', [1, 3], SRV_B],
    ]);
    expect(f.map((x) => x.message.split(')')[0])).toEqual(['The server answered (ADVERTISE', 'The server answered (message of type 41']);
  });

  it('pairs a message without Client-ID with an answer by the client address', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(99, 0x40a4, opt.elapsed(0)));
    fromServer(sc, 0.01, SRV_A, m(7, 0x40a4, opt.serverId(SRV_A)));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x40a4]]);
  });

  it('grades an UnspecFail-only answer, and an answer the snaplen cut, as warnings (RFC 8415 §16)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40a5));
    fromServer(sc, 0.01, SRV_A, m(7, 0x40a5, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.status(1, 'unknown message')));
    fromClient(sc, 10, unknown(0x40a6));
    sc.add({ time: 10.01, src: 'fe80::a', dst: CLIENT_ADDR, srcPort: 547, dstPort: 546, snap: 32, message: reply(0x40a6, SRV_A) });
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.verdict, x.severity, x.frames, x.xid, x.message.slice(0, 50)])).toEqual([
      ['violation', 'warning', [1, 2], 0x40a5, 'The server answered (REPLY with UnspecFail only) t'],
      ['violation', 'warning', [3, 4], 0x40a6, 'The server answered (REPLY) the client\'s message o'],
    ]);
  });

  it('keeps the error for a cut answer whose captured part already shows more than UnspecFail alone', () => {
    // Header 4, Client-ID 14, Server-ID 14, then the Status Code's header and its code 0 (Success): 38 octets.
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40b5));
    sc.add({ time: 0.01, src: 'fe80::a', dst: CLIENT_ADDR, srcPort: 547, dstPort: 546, snap: 38, message: reply(0x40b5, SRV_A) });
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [1, 2], 0x40b5]]);
  });

  it('cites the transmission the answer followed when the message was retransmitted', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40a7));
    fromClient(sc, 1.05, m(40, 0x40a7, opt.clientId(CLIENT), opt.elapsed(105)));
    fromServer(sc, 1.06, SRV_A, reply(0x40a7, SRV_A));
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2, 3], 0x40a7]]);
  });

  it('reports nothing for a server that stays silent, nor for answers to the same client under other xids', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40a8));
    fromClient(sc, 0.5, sel.solicit(0x1001));
    fromServer(sc, 0.51, SRV_A, sel.advertise(0x1001, SRV_A, 255));
    fromClient(sc, 0.6, sel.request(0x1002, SRV_A));
    fromServer(sc, 0.61, SRV_A, sel.reply(0x1002, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('leaves known types alone, 36 and 37 included (an implementation may predate them)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, m(36, 0x40a9, opt.clientId(CLIENT), opt.iaAddr('2001:db8::99')));
    fromServer(sc, 0.01, SRV_A, m(37, 0x40a9, opt.clientId(CLIENT), opt.serverId(SRV_A)));
    fromClient(sc, 1, m(11, 0x40aa, opt.clientId(CLIENT), opt.elapsed(0)));
    fromServer(sc, 1.01, SRV_A, reply(0x40aa, SRV_A));
    fromClient(sc, 2, m(37, 0x40ab, opt.clientId(CLIENT))); // a server type from the client's side: not unknown
    fromServer(sc, 2.01, SRV_A, reply(0x40ab, SRV_A));
    expect(run(sc)).toEqual([]);
  });

  it('takes no answer addressed to another client: another DUID, another address, or a DUID the message did not carry', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40b1));
    fromServer(sc, 0.01, SRV_A, m(7, 0x40b1, opt.clientId(duidLL(9)), opt.serverId(SRV_A))); // another client's DUID
    fromClient(sc, 1, m(40, 0x40b2, opt.elapsed(0)));
    sc.answer(1.01, 'fe80::a', 'fe80::9', m(7, 0x40b2, opt.serverId(SRV_A))); // to another address
    fromServer(sc, 1.02, SRV_A, reply(0x40b2, SRV_A)); // names a DUID the message did not carry: another message of the client's
    expect(run(sc)).toEqual([]);
  });

  it('takes no answer after sessions.unknown-window, nor a Reconfigure (the server\'s own initiative, xid 0)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40b3));
    fromServer(sc, 6, SRV_A, reply(0x40b3, SRV_A));
    fromClient(sc, 10, unknown(0));
    fromServer(sc, 10.01, SRV_A, m(10, 0, opt.clientId(CLIENT), opt.serverId(SRV_A), opt.raw(19, '05')));
    expect(run(sc)).toEqual([]);
    // A longer window takes the late Reply.
    expect(run(sc, { 'sessions.unknown-window': 10 })).toEqual([[ID, 'violation', 'error', [1, 2], 0x40b3]]);
  });

  it('is inconclusive when a known-type exchange of the client shares the xid (open before, or begun after)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x40b4));
    fromClient(sc, 0.1, unknown(0x40b4));
    fromServer(sc, 0.11, SRV_A, sel.advertise(0x40b4, SRV_A));
    fromClient(sc, 10, unknown(0x40b5));
    fromClient(sc, 10.1, m(11, 0x40b5, opt.clientId(CLIENT), opt.elapsed(0)));
    fromServer(sc, 10.11, SRV_A, reply(0x40b5, SRV_A));
    const f = runRule(ID, scenarioEvents(sc));
    expect(f.map((x) => [x.verdict, x.frames, x.xid])).toEqual([['inconclusive', [1, 2, 3], 0x40b4], ['inconclusive', [4, 5, 6], 0x40b5]]);
    expect(f[0].message).toBe("The server's ADVERTISE to the client carries the xid of the client's message of unassigned type 40, which its SOLICIT also carries: which of the two it answers cannot be told.");
    expect(f[1].message).toContain('which its INFORMATION-REQUEST also carries');
  });

  it('is inconclusive for an answer the known exchange cannot take while that exchange is open', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x40b6, SRV_A));
    fromClient(sc, 0.1, unknown(0x40b6));
    fromServer(sc, 0.11, SRV_A, sel.advertise(0x40b6, SRV_A)); // an Advertise cannot answer the Request: the unknown message's? or a confused server's
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 0x40b6]]);
  });

  it('is inconclusive for a late Advertise under the xid of the client\'s closed Solicit', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.solicit(0x40bb));
    fromServer(sc, 0.01, SRV_A, sel.advertise(0x40bb, SRV_A, 255));
    fromClient(sc, 0.02, sel.request(0x40bc, SRV_A));
    fromServer(sc, 0.03, SRV_A, sel.reply(0x40bc, SRV_A));
    fromClient(sc, 5, unknown(0x40bb)); // the Solicit's xid, after its transaction closed (sessions.answered-timeout)
    fromServer(sc, 5.01, SRV_B, sel.advertise(0x40bb, SRV_B)); // a slow server's Advertise to that Solicit, or an answer?
    expect(run(sc)).toEqual([[ID, 'inconclusive', 'error', [5, 6], 0x40bb]]);
  });

  it('is inconclusive for a message sessions.max-unknown stopped following before any answer', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, unknown(0x40b7));
    fromClient(sc, 0.1, unknown(0x40b8, 41));
    fromServer(sc, 0.2, SRV_A, reply(0x40b8, SRV_A));
    expect(run(sc, { 'sessions.max-unknown': 1 })).toEqual([[ID, 'inconclusive', 'error', [1], 0x40b7], [ID, 'violation', 'error', [2, 3], 0x40b8]]);
    expect(run(sc)).toEqual([[ID, 'violation', 'error', [2, 3], 0x40b8]]);
  });

  it('takes the defect from the xid rules: the answered message was captured (one defect, one finding)', () => {
    const sc = new UdpScenario();
    fromClient(sc, 0, sel.request(0x1003, SRV_A)); // left unanswered: V6-XID-REPLY would call the Reply its, under another xid
    fromClient(sc, 0.1, unknown(0x40b9));
    fromServer(sc, 0.11, SRV_A, reply(0x40b9, SRV_A));
    const lq = m(15, 0x40ba, opt.clientId(CLIENT), opt.serverId(SRV_A));
    fromClient(sc, 1, unknown(0x40ba, 254));
    fromServer(sc, 1.01, SRV_A, lq);
    const all = runChecks(scenarioEvents(sc)).filter((f) => f.ruleId.includes('XID') || f.ruleId.startsWith('LQ-') || f.ruleId === ID);
    expect(all.map((f) => [f.ruleId, f.verdict, f.frames])).toEqual([[ID, 'violation', [2, 3]], [ID, 'violation', [4, 5]]]);
  });
});
