// BLQ-QT-LINK-FILTER-NOTCONFIGURED: a link-limited relay-id query returning a client clearly off the link (info).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-QT-LINK-FILTER-NOTCONFIGURED';
const q = [O.clientId(), O.lqQuery(3, O.addr(0), [O.relayId()])];

describe(ID, () => {
  it('accepts clients whose addresses share the link prefix, and unlimited queries', () => {
    const c = new BulkConversation();
    c.query(1, q); c.reply(1); c.data(1); c.done(1);
    c.query(2, [O.clientId(), O.lqQuery(3, undefined, [O.relayId()])]);
    c.reply(2, [O.serverId(), O.clientId(), O.opt(45, [], [O.iaaddr(1, [0x30, 0x00])])]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('notes a client whose addresses are all off the link, once per query', () => {
    const c = new BulkConversation();
    c.query(1, q); c.reply(1);
    c.data(1, [O.opt(45, [], [O.clientId(2), O.iaaddr(1, [0x30, 0x00]), O.cltTime()])]);
    c.data(1, [O.opt(45, [], [O.clientId(3), O.iaaddr(2, [0x30, 0x00]), O.cltTime()])]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [1, 3], 1]]);
  });
});
