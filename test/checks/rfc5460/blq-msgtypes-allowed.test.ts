// BLQ-MSGTYPES-ALLOWED: only types 14-17 on the connection, and RFC 7653's 22 and 23 from the requestor; a type
// found right after a resync is inconclusive.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-MSGTYPES-ALLOWED';

describe(ID, () => {
  it('accepts the four bulk message types', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('accepts the RFC 7653 ACTIVELEASEQUERY (22)', () => {
    const c = new BulkConversation();
    c.send(0, 22, 1, [O.clientId()]); c.reply(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports any other type', () => {
    const c = new BulkConversation();
    c.send(0, 11, 5, []); c.send(1, 7, 5, []);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1], 5], [ID, 'violation', 'error', [2], 5]]);
  });

  it('accepts ACTIVELEASEQUERY and STARTTLS from the requestor (RFC 7653 updates RFC 5460), never from the server', () => {
    const c = new BulkConversation();
    c.send(0, 23, 4, []); c.reply(4, []); c.send(0, 22, 5, []); c.reply(5); c.send(1, 22, 6, []); c.send(1, 23, 7, []);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [5], 6], [ID, 'violation', 'error', [6], 7]]);
  });

  it('reports them under the draft-01 profile, which predates RFC 7653', () => {
    const codes = { 'LEASEQUERY-DONE': 250, 'LEASEQUERY-DATA': 251, OPTION_RELAY_ID: 252, QueryTerminated: 253 };
    const c = new BulkConversation();
    c.send(0, 22, 5, []);
    expect(judge(ID, c, { profile: 'draft-01', config: { codes, rules: { [ID]: { enabled: true } } } })).toEqual([[ID, 'violation', 'error', [1], 5]]);
  });

  it('is inconclusive right after a resync', () => {
    const c = new BulkConversation();
    c.resync(1); c.send(1, 3, 5, []);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2], 5]]);
  });

  it('uses the draft-01 code points from the config', () => {
    const codes = { 'LEASEQUERY-DONE': 250, 'LEASEQUERY-DATA': 251, OPTION_RELAY_ID: 252, QueryTerminated: 253 };
    const c = new BulkConversation();
    c.send(1, 251, 5, []);
    expect(judge(ID, c, { profile: 'draft-01', config: { codes, rules: { [ID]: { enabled: true } } } })).toEqual([]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1], 5]]);
  });

  it("accepts the server's REPLY (type 7) answering a STARTTLS, and only that one (RFC 7653 §8.2)", () => {
    const c = new BulkConversation();
    c.send(0, 23, 1, []); c.send(1, 7, 1, [O.serverId(), O.status(15)]); c.send(1, 7, 2, [O.serverId()]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3], 2]]);
    const d = new BulkConversation();
    d.send(1, 7, 1, [O.serverId()]);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'error', [1], 1]]);
  });
});
