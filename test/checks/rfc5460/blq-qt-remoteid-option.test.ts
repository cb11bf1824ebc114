// BLQ-QT-REMOTEID-OPTION: QUERY_BY_REMOTE_ID carries a Remote-ID inside OPTION_LQ_QUERY.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-QT-REMOTEID-OPTION';

describe(ID, () => {
  it('accepts a Remote-ID in the query-options', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(5, undefined, [O.remoteId()])]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports it missing, misplaced, and too short', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(5)]);
    c.query(2, [O.clientId(), O.remoteId(), O.lqQuery(5)]);
    c.query(3, [O.clientId(), O.lqQuery(5, undefined, [O.remoteId(4)])]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1], 1], [ID, 'violation', 'error', [2], 2], [ID, 'violation', 'error', [3], 3]]);
  });
});
