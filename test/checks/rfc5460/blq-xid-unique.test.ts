// BLQ-XID-UNIQUE: an xid is not reused while its query is outstanding; reuse after completion is info.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-XID-UNIQUE';

describe(ID, () => {
  it('accepts distinct xids', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.emptyReply(1); c.emptyReply(2);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports reuse while outstanding (error) and after completion (info)', () => {
    const c = new BulkConversation();
    c.query(1); c.query(1); c.emptyReply(1); c.query(1);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 2], 1], [ID, 'violation', 'info', [1, 4], 1]]);
  });

  it('is inconclusive when the completing REPLY may have been lost', () => {
    const c = new BulkConversation();
    c.query(1); c.gap(1); c.query(1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 1]]);
  });
});
