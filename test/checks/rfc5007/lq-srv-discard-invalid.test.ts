// LQ-SRV-DISCARD-INVALID: LEASEQUERY-REPLYs to queries a server must discard (RFC 5007 §4.2.1).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runChecks, runRule } from '../../kit/rule-harness.js';
import { REQUESTOR, duidLL, lq, lqExchange, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';

const ID = 'LQ-SRV-DISCARD-INVALID';
const SRV = duidLL(0x101);
const query = opt.lqQuery(1, '::', opt.iaAddr('2001:db8::77'));
const run = (q: ReturnType<typeof m>, ...r: ReturnType<typeof m>[]) =>
  runRule(ID, scenarioEvents(lqExchange(q, ...r))).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid, messageIdOf(ID, f)]);
/** A reply that names no requestor (there was no Client-ID to copy). */
const bareReply = (xid: number, ...extra: ReturnType<typeof opt.status>[]) => m(15, xid, opt.serverId(SRV), ...extra);

describe(ID, () => {
  it('reports a reply to a query without a Client-ID, without LQ_QUERY, or naming another server', () => {
    expect(run(m(14, 1, query), bareReply(1, lq.clientData()))).toEqual([[ID, 'violation', 'error', [1, 2], 1, 'no-client-id']]);
    expect(run(m(14, 2, opt.clientId(REQUESTOR)), lq.reply(2, SRV, opt.status(8)))).toEqual([[ID, 'violation', 'error', [1, 2], 2, 'no-lq-query']]);
    expect(run(lq.query(3, query, opt.serverId(duidLL(0x102))), lq.reply(3, SRV, lq.clientData())))
      .toEqual([[ID, 'violation', 'error', [1, 2], 3, 'foreign-server-id']]);
  });

  it('grades an UnspecFail-only reply as a warning (RFC 8415 §16)', () => {
    expect(run(m(14, 4, opt.clientId(REQUESTOR)), lq.reply(4, SRV, opt.status(1)))).toEqual([[ID, 'violation', 'warning', [1, 2], 4, 'no-lq-query-unspecfail']]);
  });

  it('accepts replies to valid queries, one naming this very server, and silence', () => {
    expect(run(lq.query(5, query), lq.reply(5, SRV, lq.clientData()))).toEqual([]);
    expect(run(lq.query(6, query, opt.serverId(SRV)), lq.reply(6, SRV, lq.clientData()))).toEqual([]);
    expect(run(m(14, 7, query))).toEqual([]);
  });

  it('is inconclusive when a reply naming a requestor DUID was paired by address with a query without one', () => {
    expect(run(m(14, 8, query), lq.reply(8, SRV, lq.clientData()))).toEqual([[ID, 'inconclusive', 'error', [1, 2], 8, 'other-query']]);
  });

  // Encoded replies: header 4, Client-ID 14 (ends at 18), Server-ID 14 (ends at 32), then the rest.
  /** The exchange with the snaplen cutting the query (`q`) or the first reply (`r`) after that many octets. */
  const cut = (snap: { q?: number; r?: number }, q: ReturnType<typeof m>, ...r: ReturnType<typeof m>[]) => {
    const sc = lqExchange(q, ...r);
    if (snap.q !== undefined) sc.datagrams[0].snap = snap.q;
    if (snap.r !== undefined) sc.datagrams[1].snap = snap.r;
    return runRule(ID, scenarioEvents(sc)).map((f) => [f.verdict, f.severity, f.frames, messageIdOf(ID, f)]);
  };
  const noLq = (xid: number) => m(14, xid, opt.clientId(REQUESTOR));

  it('is inconclusive when the snaplen cut a reply that may be UnspecFail-only (trap TRUNC)', () => {
    // Cut inside the Status Code's text, before the Status Code, and right after an UnspecFail status.
    expect(cut({ r: 40 }, noLq(0x10), lq.reply(0x10, SRV, opt.status(1, 'no query')))).toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
    expect(cut({ r: 32 }, noLq(0x11), lq.reply(0x11, SRV, opt.status(1)))).toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
    expect(cut({ r: 38 }, noLq(0x12), lq.reply(0x12, SRV, opt.status(1), lq.clientData()))).toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
  });

  it('still reports a cut reply whose captured part is no UnspecFail-only reply', () => {
    // An OPTION_CLIENT_DATA header captured, or a first Status Code MalformedQuery.
    expect(cut({ r: 40 }, noLq(0x13), lq.reply(0x13, SRV, lq.clientData()))).toEqual([['violation', 'error', [1, 2], 'no-lq-query']]);
    expect(cut({ r: 38 }, noLq(0x14), lq.reply(0x14, SRV, opt.status(8, 'malformed')))).toEqual([['violation', 'error', [1, 2], 'no-lq-query']]);
  });

  it('is inconclusive for any cut reply to a query without a Client-ID (a lost Client-ID would pair it elsewhere)', () => {
    expect(cut({ r: 24 }, m(14, 0x15, query), bareReply(0x15, lq.clientData()))).toEqual([['inconclusive', 'error', [1, 2], 'answer-cut']]);
  });

  it('is inconclusive when the snaplen cut a Server-ID before the octets that tell the servers apart', () => {
    // The query names duidLL(0x102); the reply is from duidLL(0x101): the DUIDs differ in their last octet.
    // Query: header 4, Client-ID 14, LQ_QUERY 4+17+28 = 49 (ends at 67), Server-ID header, then 9 of its 10 octets.
    expect(cut({ q: 80 }, lq.query(0x16, query, opt.serverId(duidLL(0x102))), lq.reply(0x16, SRV, lq.clientData())))
      .toEqual([['inconclusive', 'error', [1, 2], 'server-id-cut']]);
    // The reply's Server-ID cut the same way.
    expect(cut({ r: 31 }, lq.query(0x17, query, opt.serverId(duidLL(0x102))), lq.reply(0x17, SRV, lq.clientData())))
      .toEqual([['inconclusive', 'error', [1, 2], 'server-id-cut']]);
    // Cut after an octet that differs (duidLL(0x201) against 0x101), or between DUIDs of different lengths: shown.
    expect(cut({ q: 80 }, lq.query(0x18, query, opt.serverId(duidLL(0x201))), lq.reply(0x18, SRV, lq.clientData())))
      .toEqual([['violation', 'error', [1, 2], 'foreign-server-id']]);
    expect(cut({ q: 74 }, lq.query(0x19, query, opt.serverId(`${SRV}00`)), lq.reply(0x19, SRV, lq.clientData())))
      .toEqual([['violation', 'error', [1, 2], 'foreign-server-id']]);
  });

  it('reports a cut query whose captured Server-ID already names another server', () => {
    // Header 4, Client-ID 14, Server-ID 14 (ends at 32): the LQ_QUERY after it is cut off, so its absence
    // proves nothing, but the whole Server-ID names duidLL(0x102) and the reply comes from duidLL(0x101).
    expect(cut({ q: 32 }, lq.query(0x1c, opt.serverId(duidLL(0x102)), query), lq.reply(0x1c, SRV, lq.clientData())))
      .toEqual([['violation', 'error', [1, 2], 'foreign-server-id']]);
    // Naming this very server, the cut query stays undecided.
    expect(cut({ q: 32 }, lq.query(0x1d, opt.serverId(SRV), query), lq.reply(0x1d, SRV, lq.clientData())))
      .toEqual([['inconclusive', 'error', [1, 2], 'damaged']]);
  });

  it('judges a server on its whole retransmitted reply when the first was cut', () => {
    expect(cut({ r: 34 }, noLq(0x1a), lq.reply(0x1a, SRV, opt.status(1)), lq.reply(0x1a, SRV, opt.status(1))))
      .toEqual([['violation', 'warning', [1, 3], 'no-lq-query-unspecfail']]);
  });

  it('takes the defect from LQ-SRV-MALFORMED-QUERY and LQ-REPLY-VALIDATION (one defect, one finding)', () => {
    const q = lq.query(9, opt.lqQuery(1, '::'), opt.serverId(duidLL(0x102))); // also lacks its IAADDR
    const f = runChecks(scenarioEvents(lqExchange(q, m(15, 9, opt.clientId(REQUESTOR), opt.serverId(SRV), opt.status(3)))));
    expect(f.map((x) => x.ruleId).filter((r) => r.startsWith('LQ-SRV-') || r.startsWith('LQ-REPLY-'))).toEqual([ID]); // LQ-QT-ADDRESS-OPTION is the requestor's
  });

  it('over TCP, reports a REPLY serving an invalid query but accepts an error REPLY (RFC 5460 §7.2)', () => {
    const c = new BulkConversation();
    c.query(1, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.reply(1, [O.serverId(), O.clientData()]); c.done(1);
    c.query(2, [O.clientId()]); c.emptyReply(2, [O.status(8)]);
    c.query(3, [O.clientId(), O.serverId(0x02), O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.emptyReply(3);
    c.query(4, [O.clientId(), O.serverId(0x01), O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.emptyReply(4);
    const f = judge(ID, c);
    expect(f.map((x) => [x[0], x[1], x[2], x[3], x[4]])).toEqual([[ID, 'violation', 'error', [1, 2], 1], [ID, 'violation', 'error', [6, 7], 3]]);
  });

  it('over TCP, accepts an ACTIVELEASEQUERY without OPTION_LQ_QUERY (RFC 7653 §6.2.1: it asks for every update)', () => {
    const c = new BulkConversation();
    c.send(0, 22, 1, [O.clientId()]); c.emptyReply(1); c.data(1);
    c.send(0, 22, 2, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.emptyReply(2);
    // Still judged: no Client-ID (frames 4, 5), or naming another server (frames 6, 7).
    c.send(0, 22, 3, [O.clientId(), O.serverId(0x02)]); c.emptyReply(3);
    expect(judge(ID, c).map((x) => [x[1], x[3], x[4]])).toEqual([['violation', [4, 5], 2], ['violation', [6, 7], 3]]);
  });
});
