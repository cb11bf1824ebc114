// BLQ-XID-REPLY: a LEASEQUERY-REPLY's xid belongs to a query on the connection (all 24 bits).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-XID-REPLY';

describe(ID, () => {
  it('accepts answers to the queries asked', () => {
    const c = new BulkConversation();
    c.query(0x123456); c.reply(0x123456); c.data(0x123456); c.done(0x123456);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports an xid no query has, once per xid, and not one differing only in the top 8 bits', () => {
    const c = new BulkConversation();
    c.query(0x013456); c.reply(0x013456); c.data(0x013456); c.done(0x013456);
    c.reply(9); c.reply(9);
    const f = judge(ID, c);
    expect(f).toEqual([[ID, 'violation', 'error', [5], 9]]);
    const d = new BulkConversation();
    d.query(0x013456); d.send(1, { reply: 15, data: 17, done: 16 }['reply'], 0x003456, [O.serverId(), O.clientId(), O.clientData()]);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'error', [2], 0x3456]]);
  });

  it('is inconclusive when the connection start was not captured or requestor bytes were lost', () => {
    const c = new BulkConversation({ syn: false });
    c.reply(9);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1], 9]]);
    const g = new BulkConversation();
    g.gap(0); g.reply(9);
    expect(judge(ID, g)).toEqual([[ID, 'inconclusive', 'error', [2], 9]]);
  });

  it("stands aside for a LEASEQUERY-REPLY answering a STARTTLS (ALQ-STARTTLS's), not for a later one", () => {
    const c = new BulkConversation();
    c.send(0, 23, 1, []); c.emptyReply(1, [O.status(15)]); c.emptyReply(2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3], 2]]);
  });
});
