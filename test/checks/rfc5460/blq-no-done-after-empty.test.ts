// BLQ-NO-DONE-AFTER-EMPTY: no DONE after a REPLY without CLIENT_DATA; xid reuse is a fresh query.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-NO-DONE-AFTER-EMPTY';

describe(ID, () => {
  it('accepts an empty REPLY alone, and a reused xid with its own REPLY and DONE', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.query(1); c.reply(1); c.done(1); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a DONE after an empty REPLY, and only this rule', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.done(1);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3], 1]]);
    expect(judge('BLQ-XID-DONE', c)).toEqual([]);
    expect(judge('BLQ-DONE-NOT-AFTER-ERROR-REPLY', c)).toEqual([]);
  });

  it('is inconclusive when bytes were lost in between', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.gap(0); c.done(1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 4], 1]]);
  });
});
