// BLQ-DATA-HAS-CLIENT-DATA: exactly one OPTION_CLIENT_DATA per DATA.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-DATA-HAS-CLIENT-DATA';

describe(ID, () => {
  it('accepts one CLIENT_DATA per DATA', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports DATA without and with two CLIENT_DATA', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1, []); c.data(1, [O.clientData(1), O.clientData(2)]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3], 1], [ID, 'violation', 'error', [4], 1]]);
  });

  it('does not judge misplaced DATA', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.data(1, []);
    expect(judge(ID, c)).toEqual([]);
  });
});
