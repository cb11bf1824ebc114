// ALQ-ONE-ACTIVE-PER-CONN: no second ACTIVELEASEQUERY and no LEASEQUERY while an active query is
// active on the connection, and no ACTIVELEASEQUERY while bulk queries are outstanding.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runRule } from '../../kit/rule-harness.js';

const ID = 'ALQ-ONE-ACTIVE-PER-CONN';
const ALQ = 22;
const active = (c: BulkConversation, xid: number): number => c.send(0, ALQ, xid, [O.clientId()]);
const ids = (c: BulkConversation): Array<string | undefined> => runRule(ID, c.events).map((f) => messageIdOf(ID, f));

describe(ID, () => {
  it('accepts one active query streaming, and bulk queries in parallel on their own', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.data(1); c.data(1);
    const d = new BulkConversation();
    d.query(1); d.query(2); d.reply(1); d.reply(2); d.done(1); d.done(2);
    expect(judge(ID, c)).toEqual([]);
    expect(judge(ID, d)).toEqual([]);
  });

  it('reports a second ACTIVELEASEQUERY while the first is active (a successful empty REPLY does not end it)', () => {
    const c = new BulkConversation();
    const a = active(c, 1); c.emptyReply(1); c.data(1);
    const b = active(c, 2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [a, b], 2]]);
    expect(ids(c)).toEqual(['second-active']);
  });

  it('reports a LEASEQUERY on a connection with an active query', () => {
    const c = new BulkConversation();
    const a = active(c, 1); c.reply(1); c.data(1);
    const b = c.query(2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [a, b], 2]]);
    expect(ids(c)).toEqual(['bulk-on-active']);
  });

  it('reports an ACTIVELEASEQUERY while a bulk query is outstanding', () => {
    const c = new BulkConversation();
    const q1 = c.query(1); c.reply(1);
    const b = active(c, 2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [q1, b], 2]]);
    expect(ids(c)).toEqual(['active-on-bulk']);
  });

  it('accepts requests after the active query ended: error REPLY, DONE', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1, [O.status(14)]);
    active(c, 2); c.reply(2); c.done(2, [O.status(11)]);
    c.query(3); c.emptyReply(3);
    expect(judge(ID, c)).toEqual([]);
  });

  it('accepts an ACTIVELEASEQUERY after the bulk queries completed', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1); c.query(2); c.emptyReply(2);
    active(c, 3); c.emptyReply(3);
    expect(judge(ID, c)).toEqual([]);
  });

  it('says nothing once either end closed', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.fin(1);
    c.query(2);
    expect(judge(ID, c)).toEqual([]);
  });

  it('leaves a repeated outstanding xid to BLQ-XID-UNIQUE', () => {
    const c = new BulkConversation();
    active(c, 1); active(c, 1);
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-XID-UNIQUE', c).map((f) => f[0])).toEqual(['BLQ-XID-UNIQUE']);
  });

  it('is inconclusive when bytes were lost after the active query', () => {
    const c = new BulkConversation();
    const a = active(c, 1); c.emptyReply(1); c.gap(1);
    const b = c.query(2);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [a, b], 2]]);
    expect(ids(c)).toEqual(['lost']);
  });

  it('is inconclusive when a bulk query may have ended in lost bytes', () => {
    const c = new BulkConversation();
    const q1 = c.query(1); c.reply(1); c.gap(1);
    const b = active(c, 2);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [q1, b], 2]]);
    expect(ids(c)).toEqual(['lost-bulk']);
  });

  it('mid-stream: silent without evidence, inconclusive while an unseen request is still answered', () => {
    const quiet = new BulkConversation({ syn: false });
    active(quiet, 5);
    quiet.query(6);
    const c = new BulkConversation({ syn: false });
    const d = c.data(9);
    const b = active(c, 10);
    const bulk = new BulkConversation({ syn: false });
    bulk.data(9);
    bulk.query(10);
    expect(judge(ID, quiet)).toEqual([[ID, 'violation', 'error', [1, 2], 6]]);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [d, b], 10]]);
    expect(ids(c)).toEqual(['unseen-start']);
    expect(judge(ID, bulk)).toEqual([]);
  });
});
