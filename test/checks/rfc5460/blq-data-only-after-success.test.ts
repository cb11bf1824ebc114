// BLQ-DATA-ONLY-AFTER-SUCCESS: DATA only after a successful REPLY with bindings.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DATA-ONLY-AFTER-SUCCESS';

describe(ID, () => {
  it('accepts DATA after a REPLY with bindings', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports DATA after an empty REPLY (only this rule) and after an error REPLY', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.data(1); c.query(2); c.emptyReply(2, [O.status(9)]); c.data(2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3], 1], [ID, 'violation', 'error', [5, 6], 2]]);
    expect(judge('BLQ-REPLY-FIRST-BINDING', c)).toEqual([]);
    expect(judge('BLQ-DONE-NOT-AFTER-ERROR-REPLY', c)).toEqual([]);
    expect(judge('BLQ-DATA-HAS-CLIENT-DATA', c)).toEqual([]);
  });

  it('judges an active query (RFC 7653) only after an error REPLY, which ends it', () => {
    const active = (c: BulkConversation, xid: number): number => c.send(0, 22, xid, [O.clientId(), O.lqQuery(4, O.addr(0))]);
    const ok = new BulkConversation();
    active(ok, 1); ok.emptyReply(1); ok.data(1); ok.data(1, []);
    active(ok, 2); ok.emptyReply(2, [O.status(12)]); ok.data(2); // DataMissing ends only the catch-up (§8.4.1)
    expect(judge(ID, ok)).toEqual([]);
    const refused = new BulkConversation();
    active(refused, 3); refused.emptyReply(3, [O.status(8)]); refused.data(3);
    expect(judge(ID, refused)).toEqual([[ID, 'violation', 'error', [2, 3], 3]]);
  });

  it('is inconclusive after lost bytes', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.gap(0); c.data(1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 4], 1]]);
  });
});
