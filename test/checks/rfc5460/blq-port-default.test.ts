// BLQ-PORT-DEFAULT: a bulk conversation on a port other than 547 is noted once (info).
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-PORT-DEFAULT';

describe(ID, () => {
  it('accepts port 547', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('notes another port once per connection', () => {
    const c = new BulkConversation({ serverPort: 5470 });
    c.query(1); c.emptyReply(1);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [1], undefined]]);
  });
});
