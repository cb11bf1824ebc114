// BLQ-XID-DATA: a LEASEQUERY-DATA's xid belongs to a query on the connection (all 24 bits).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-XID-DATA';

describe(ID, () => {
  it('accepts answers to the queries asked', () => {
    const c = new BulkConversation();
    c.query(0x123456); c.reply(0x123456); c.data(0x123456); c.done(0x123456);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports an xid no query has, once per xid, and not one differing only in the top 8 bits', () => {
    const c = new BulkConversation();
    c.query(0x013456); c.reply(0x013456); c.data(0x013456); c.done(0x013456);
    c.data(9); c.data(9);
    const f = judge(ID, c);
    expect(f).toEqual([[ID, 'violation', 'error', [5], 9]]);
    const d = new BulkConversation();
    d.query(0x013456); d.send(1, { reply: 15, data: 17, done: 16 }['data'], 0x003456, [O.serverId(), O.clientId(), O.clientData()]);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'error', [2], 0x3456]]);
  });

  it('is inconclusive when the connection start was not captured or requestor bytes were lost', () => {
    const c = new BulkConversation({ syn: false });
    c.data(9);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1], 9]]);
    const g = new BulkConversation();
    g.gap(0); g.data(9);
    expect(judge(ID, g)).toEqual([[ID, 'inconclusive', 'error', [2], 9]]);
  });
});
