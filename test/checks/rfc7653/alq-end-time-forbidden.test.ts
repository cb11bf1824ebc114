// ALQ-END-TIME-FORBIDDEN: an ACTIVELEASEQUERY with OPTION_LQ_END_TIME (102) is a requestor violation;
// a server that serves it (REPLY without an error status) gets a warning.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runRule } from '../../kit/rule-harness.js';

const ID = 'ALQ-END-TIME-FORBIDDEN';
const ALQ = 22;
const endTime = O.opt(102, [0x67, 0x40, 0x3b, 0x00]);
const startTime = O.opt(101, [0x67, 0x40, 0x3b, 0x00]);

describe(ID, () => {
  it('accepts an active query without LQ_END_TIME, and a bulk query with it', () => {
    const c = new BulkConversation();
    c.send(0, ALQ, 1, [O.clientId(), startTime]);
    c.emptyReply(1);
    c.data(1);
    const d = new BulkConversation();
    d.query(5, [O.clientId(), O.lqQuery(4), startTime, endTime]);
    d.emptyReply(5);
    expect(judge(ID, c)).toEqual([]);
    expect(judge(ID, d)).toEqual([]);
  });

  it('reports the requestor (error) and accepts the SHOULD answer: MalformedQuery, then close', () => {
    const c = new BulkConversation();
    const f = c.send(0, ALQ, 7, [O.clientId(), endTime]);
    c.emptyReply(7, [O.status(8)]);
    c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [f], 7]]);
    expect(messageIdOf(ID, runRule(ID, c.events)[0])).toBe('end-time');
  });

  it('warns when the server serves the query with a REPLY without an error status', () => {
    const c = new BulkConversation();
    const f = c.send(0, ALQ, 7, [O.clientId(), endTime]);
    const r = c.reply(7);
    c.data(7);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [f], 7], [ID, 'violation', 'warning', [f, r], 7]]);
    expect(messageIdOf(ID, runRule(ID, c.events)[1])).toBe('served');
  });

  it('does not judge the server on other error statuses or a close without REPLY', () => {
    const c = new BulkConversation();
    const f = c.send(0, ALQ, 7, [O.clientId(), endTime]);
    c.emptyReply(7, [O.status(14)]);
    const d = new BulkConversation();
    const g = d.send(0, ALQ, 8, [O.clientId(), endTime]);
    d.fin(1); d.fin(0); d.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [f], 7]]);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'error', [g], 8]]);
  });

  it('is inconclusive for a message found by resynchronising', () => {
    const c = new BulkConversation();
    c.desync(0);
    c.resync(0);
    const f = c.send(0, ALQ, 9, [O.clientId(), endTime]);
    c.reply(9);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [f], 9]]);
  });

  it('pairs the REPLY with the query only, not with a duplicate of an outstanding xid', () => {
    const c = new BulkConversation();
    c.send(0, ALQ, 3, [O.clientId()]);
    const dup = c.send(0, ALQ, 3, [O.clientId(), endTime]);
    c.reply(3);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [dup], 3]]);
  });
});
