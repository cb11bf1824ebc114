// BLQ-SINGLE-REPLY: one REPLY per query.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-SINGLE-REPLY';

describe(ID, () => {
  it('accepts one REPLY per query, also for a reused xid', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.query(1); c.emptyReply(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a second REPLY', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.reply(1);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 4], 1]]);
  });

  it('is inconclusive after lost bytes', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.gap(0); c.emptyReply(1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 4], 1]]);
  });
});
