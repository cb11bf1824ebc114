// BLQ-DONE-LAST: no REPLY or DATA for the xid after its DONE.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DONE-LAST';

describe(ID, () => {
  it('accepts a DONE that ends the query, and an xid reused afterwards', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1); c.query(1); c.reply(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports DATA and REPLY after DONE', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1); c.data(1); c.reply(1);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 4], 1], [ID, 'violation', 'error', [3, 5], 1]]);
    expect(judge('BLQ-SINGLE-REPLY', c)).toEqual([]);
  });

  it('is inconclusive after lost bytes', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1); c.gap(0); c.data(1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [3, 5], 1]]);
  });
});
