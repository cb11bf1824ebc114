// BLQ-DATA-NO-REDUNDANT-OPTIONS: no top-level Server-ID, Client-ID or status in DATA.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DATA-NO-REDUNDANT-OPTIONS';

describe(ID, () => {
  it('accepts a Client-ID inside CLIENT_DATA', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('warns about top-level ids and status', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1, [O.serverId(), O.clientId(), O.status(0), O.clientData()]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [3], 1]]);
  });
});
