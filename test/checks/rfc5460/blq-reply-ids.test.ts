// BLQ-REPLY-IDS: REPLY carries Server-ID and the query's Client-ID.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, brief, judge, runChecks } from '../../kit/rule-harness.js';

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

  // Such a query must be discarded or refused with an error REPLY (RFC 5007 §4.2.1, RFC 5460 §7.2).
  it('only needs the Server-ID in an error REPLY when the query had no Client-ID', () => {
    const c = new BulkConversation();
    c.query(1, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.reply(1, [O.serverId(), O.status(8)]);
    c.query(2, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.reply(2, [O.status(8)]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 4], 2]]);
  });

  // One defect, one finding: a REPLY serving a query the server must discard (RFC 5007 §4.2.1) should
  // not exist, so LQ-SRV-DISCARD-INVALID reports it and its ids are not judged; an error REPLY, which
  // RFC 5460 §7.2 allows for such a query, is.
  it('stands aside for a REPLY serving an invalid query (LQ-SRV-DISCARD-INVALID), not for an error REPLY to it', () => {
    const c = new BulkConversation();
    const lqq = O.lqQuery(2, undefined, [O.clientId(0x77)]);
    c.query(1, [lqq]); c.reply(1, [O.clientData()]); c.done(1); // no Client-ID; the REPLY lacks its Server-ID
    c.query(2, [O.clientId()]); c.reply(2, [O.serverId()]); // no LQ_QUERY; the REPLY lacks the Client-ID
    c.query(3, [O.clientId(), O.serverId(0x02), lqq]); c.reply(3, [O.serverId(), O.clientId(0x66)]); // names server 0x02; Client-ID differs
    c.query(4, [lqq]); c.reply(4, [O.status(8)]); // an error REPLY without a Server-ID
    const f = runChecks(c.events).filter((x) => x.ruleId === ID || x.ruleId === 'LQ-SRV-DISCARD-INVALID').map(brief);
    expect(f).toEqual([
      ['LQ-SRV-DISCARD-INVALID', 'violation', 'error', [1, 2], 1],
      ['LQ-SRV-DISCARD-INVALID', 'violation', 'error', [4, 5], 2],
      ['LQ-SRV-DISCARD-INVALID', 'violation', 'error', [6, 7], 3],
      [ID, 'violation', 'error', [8, 9], 4],
    ]);
  });
});
