// BLQ-QT-LINKADDR: QUERY_BY_LINK_ADDRESS with link-address :: is flagged (warning).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-QT-LINKADDR';

describe(ID, () => {
  it('accepts a real link-address, and :: for other query types', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(4, O.addr(0))]); c.query(2);
    expect(judge(ID, c)).toEqual([]);
  });

  it('warns about ::', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(4)]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [1], 1]]);
  });
});
