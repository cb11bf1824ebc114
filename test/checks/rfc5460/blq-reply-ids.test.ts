// BLQ-REPLY-IDS: REPLY carries Server-ID and the query's Client-ID.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-REPLY-IDS';

describe(ID, () => {
  it('accepts a REPLY with both ids; DATA and DONE need none', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports missing ids and a different Client-ID', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, [O.clientData()]);
    c.query(2); c.reply(2, [O.serverId(), O.clientId(0x66), O.clientData()]);
    const f = judge(ID, c);
    expect(f).toEqual([[ID, 'violation', 'error', [1, 2], 1], [ID, 'violation', 'error', [3, 4], 2]]);
  });

  it('only needs the Server-ID when the query had no Client-ID', () => {
    const c = new BulkConversation();
    c.query(1, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.emptyReply(1);
    c.query(2, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.send(1, 15, 2, []);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 4], 2]]);
  });
});
