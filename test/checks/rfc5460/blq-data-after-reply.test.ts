// BLQ-DATA-AFTER-REPLY: DATA/DONE never before the query's REPLY; interleaving by xid is fine.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DATA-AFTER-REPLY';

describe(ID, () => {
  it('accepts interleaved answers matched by xid', () => {
    const c = new BulkConversation();
    c.query(3); c.query(4); c.reply(4); c.data(4); c.reply(3); c.data(3); c.done(4); c.done(3);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports DATA and DONE before the REPLY', () => {
    const c = new BulkConversation();
    c.query(1); c.data(1); c.reply(1); c.query(2); c.done(2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 2], 1], [ID, 'violation', 'error', [4, 5], 2]]);
  });

  it('is inconclusive when a gap may have hidden the REPLY', () => {
    const c = new BulkConversation();
    c.query(1); c.gap(1); c.data(1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 1]]);
  });
});
