// BLQ-DIRECTION: LEASEQUERY from the requestor, answers from the server; inferred roles are inconclusive.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DIRECTION';

describe(ID, () => {
  it('accepts the right directions', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports answers from the requestor and queries from the server', () => {
    const c = new BulkConversation();
    c.send(0, 15, 1, []); c.send(1, 14, 2, []);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1], 1], [ID, 'violation', 'error', [2], 2]]);
  });

  it('is inconclusive when the roles were inferred', () => {
    const c = new BulkConversation({ syn: false });
    c.send(1, 14, 2, []);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1], 2]]);
  });
});
