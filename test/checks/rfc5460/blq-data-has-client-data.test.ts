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

  it('exempts keep-alive DATA (no CLIENT_DATA) of an active query, after an empty or a binding REPLY (RFC 7653 §8.4)', () => {
    for (const answer of [[O.serverId(), O.clientId()], [O.serverId(), O.clientId(), O.clientData(0x41)]]) {
      const c = new BulkConversation();
      c.send(0, 22, 1, [O.clientId(), O.lqQuery(4)]); c.send(1, 15, 1, answer); c.data(1, []); c.data(1); c.data(1, []);
      expect(judge(ID, c)).toEqual([]);
    }
    // the same DATA for a bulk query breaks the rule
    const b = new BulkConversation();
    b.query(1); b.reply(1); b.data(1, []);
    expect(judge(ID, b)).toEqual([[ID, 'violation', 'error', [3], 1]]);
  });

  it('is inconclusive about DATA without CLIENT_DATA when the query was not captured; two are wrong anyway', () => {
    const c = new BulkConversation({ syn: false });
    c.reply(5); c.data(5, []); c.data(5, [O.clientData(1), O.clientData(2)]);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2], 5], [ID, 'violation', 'error', [3], 5]]);
  });
});
