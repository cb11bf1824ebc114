// BLQ-NO-CLIENT-LINK: OPTION_LQ_CLIENT_LINK never appears in bulk answers, at any depth.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-NO-CLIENT-LINK';

describe(ID, () => {
  it('accepts answers without it', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports it at top level and inside CLIENT_DATA', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, [O.serverId(), O.clientId(), O.clientLink()]);
    c.query(2); c.reply(2); c.data(2, [O.clientData(0x78, [O.clientLink()])]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2], 1], [ID, 'violation', 'error', [5], 2]]);
  });
});
