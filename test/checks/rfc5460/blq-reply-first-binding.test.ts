// BLQ-REPLY-FIRST-BINDING: a REPLY carries at most one client's CLIENT_DATA.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-REPLY-FIRST-BINDING';

describe(ID, () => {
  it('accepts a REPLY with the first client and DATA for the rest', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a REPLY that packs two clients', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, [O.serverId(), O.clientId(), O.clientData(1), O.clientData(2)]); c.done(1);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2], 1]]);
  });

  it('leaves an empty REPLY followed by DATA to BLQ-DATA-ONLY-AFTER-SUCCESS', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.data(1);
    expect(judge(ID, c)).toEqual([]);
  });
});
