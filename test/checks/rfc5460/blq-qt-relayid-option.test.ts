// BLQ-QT-RELAYID-OPTION: QUERY_BY_RELAY_ID carries OPTION_RELAY_ID inside OPTION_LQ_QUERY.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-QT-RELAYID-OPTION';

describe(ID, () => {
  it('accepts the option inside the query-options', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(3, undefined, [O.relayId()])]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports it missing, and misplaced at the top level', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(3)]); c.query(2, [O.clientId(), O.relayId(), O.lqQuery(3)]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1], 1], [ID, 'violation', 'error', [2], 2]]);
  });
});
