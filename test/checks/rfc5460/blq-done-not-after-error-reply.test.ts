// BLQ-DONE-NOT-AFTER-ERROR-REPLY: no DONE after an error REPLY; Success counts as success.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DONE-NOT-AFTER-ERROR-REPLY';

describe(ID, () => {
  it('accepts an error REPLY alone, and a Success status with bindings then DONE', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1, [O.status(9)]);
    c.query(2); c.reply(2, [O.serverId(), O.clientId(), O.status(0), O.clientData()]); c.done(2); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a DONE after an error REPLY, and no other DONE rule', () => {
    const c = new BulkConversation();
    c.query(4); c.emptyReply(4, [O.status(8)]); c.done(4);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3], 4]]);
    expect(judge('BLQ-NO-DONE-AFTER-EMPTY', c)).toEqual([]);
    expect(judge('BLQ-XID-DONE', c)).toEqual([]);
  });

  it('is inconclusive after lost bytes', () => {
    const c = new BulkConversation();
    c.query(4); c.emptyReply(4, [O.status(8)]); c.gap(1); c.done(4);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 4], 4]]);
  });
});
