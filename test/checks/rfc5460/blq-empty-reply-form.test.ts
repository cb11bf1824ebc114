// BLQ-EMPTY-REPLY-FORM: an empty REPLY omits the status code (informational).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-EMPTY-REPLY-FORM';

describe(ID, () => {
  it('accepts an empty REPLY without status, and an error REPLY', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.query(2); c.emptyReply(2, [O.status(9)]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('notes an explicit Success in an empty REPLY (info)', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1, [O.status(0, 'no active leases')]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [2], 1]]);
  });

  it('leaves the REPLY opening an active query alone: RFC 7653 allows Success there', () => {
    const c = new BulkConversation();
    c.send(0, 22, 1, [O.clientId(), O.lqQuery(4, O.addr(0))]); c.emptyReply(1, [O.status(0)]); c.data(1);
    expect(judge(ID, c)).toEqual([]);
  });
});
