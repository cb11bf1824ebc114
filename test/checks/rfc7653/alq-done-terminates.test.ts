// ALQ-DONE-TERMINATES: the DONE that ends an active query should carry an error status, is the last
// server message on the connection, and is followed by the server's close within the tolerance.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runRule } from '../../kit/rule-harness.js';

const ID = 'ALQ-DONE-TERMINATES';
const BASE_TIME = O.opt(100, [0x67, 0x40, 0x38, 0x00]);
const active = (c: BulkConversation, xid: number): number => c.send(0, 22, xid, [O.clientId(), O.lqQuery(4, O.addr(0))]);
const ids = (c: BulkConversation): Array<string | undefined> => runRule(ID, c.events).map((f) => messageIdOf(ID, f));

describe(ID, () => {
  it('accepts a QueryTerminated DONE followed by the server closing, by FIN or RST', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.data(1); c.done(1, [O.status(11), BASE_TIME]); c.fin(1, undefined, 1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const r = new BulkConversation();
    active(r, 1); r.reply(1); r.done(1, [O.status(1)]); r.rst(1); r.close('rst');
    expect(judge(ID, r)).toEqual([]);
  });

  it('warns on a DONE without an error status (none, Success, CatchUpComplete), with the query and the DONE', () => {
    for (const extra of [[], [O.status(0)], [O.status(13)]]) {
      const c = new BulkConversation();
      active(c, 2); c.emptyReply(2); c.done(2, extra); c.fin(1); c.close('fin');
      expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [1, 3], 2]]);
      expect(ids(c)).toEqual(['no-error']);
    }
    const g = new BulkConversation();
    active(g, 2); g.emptyReply(2); g.gap(1); g.done(2); g.fin(1); g.close('fin');
    expect(judge(ID, g)).toEqual([[ID, 'inconclusive', 'warning', [1, 4], 2]]);
    expect(ids(g)).toEqual(['lost-status']);
  });

  it('reports a server message of another query after the DONE, once', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]);
    active(c, 2); c.emptyReply(2); c.data(2); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 3, 5], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server sent a LEASEQUERY-REPLY after the LEASEQUERY-DONE that ended the active query xid 1: that DONE must be the last message on the connection');
  });

  it("leaves the same query's later messages to BLQ-DONE-LAST and BLQ-DONE-AFTER-BINDINGS", () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]); c.data(1); c.done(1, [O.status(11)]); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-DONE-LAST', c)).toEqual([['BLQ-DONE-LAST', 'violation', 'error', [3, 4], 1]]);
    const r = new BulkConversation();
    active(r, 1); r.emptyReply(1); r.done(1, [O.status(11)]); active(r, 1); r.emptyReply(1); r.fin(1); r.close('fin');
    expect(judge(ID, r)).toEqual([[ID, 'violation', 'error', [1, 3, 5], 1]]); // a new query's REPLY after the DONE
  });

  it('is inconclusive for a message found by resynchronising after the DONE', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]); c.desync(1); c.resync(1);
    const f = c.send(1, 17, 9, [O.clientData()]);
    c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3, f], 1]]);
  });

  it('reports a server close later than the tolerance, requestor traffic past it, or the capture ending after it', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]); c.fin(1, undefined, 30); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server did not close the connection within 5 s of the LEASEQUERY-DONE that ended the active query xid 1');
    const q = new BulkConversation();
    active(q, 1); q.emptyReply(1); q.done(1, [O.status(11)]); q.send(0, 22, 2, [O.clientId()], undefined, 10); q.captureEnd();
    expect(judge(ID, q)).toEqual([[ID, 'violation', 'error', [1, 3, 4], 1]]);
    const e = new BulkConversation();
    active(e, 1); e.emptyReply(1); e.done(1, [O.status(11)]); e.captureEnd(undefined, 30);
    expect(judge(ID, e)).toEqual([[ID, 'violation', 'error', [1, 3], 1]]);
  });

  it('takes the tolerance from the config', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]); c.fin(1, undefined, 30); c.close('fin');
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { tolerance: 60 } } } } })).toEqual([]);
  });

  it('is inconclusive when the capture ends within the tolerance, after a loss, or when the following stops', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]); c.captureEnd(undefined, 1);
    expect(ids(c)).toEqual(['capture-end']);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 1]]);
    const g = new BulkConversation();
    active(g, 1); g.emptyReply(1); g.done(1, [O.status(11)]); g.gap(1); g.captureEnd(undefined, 30);
    expect(ids(g)).toEqual(['lost']);
    const t = new BulkConversation();
    active(t, 1); t.emptyReply(1); t.done(1, [O.status(11)]); t.close('timeout', [0, 0], undefined, 700);
    expect(ids(t)).toEqual(['stopped']);
  });

  it('stands aside when the requestor closes within the tolerance (BLQ-SRV-CLOSE-AFTER-PEER-CLOSE judges the server then)', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]); c.fin(0); c.captureEnd(undefined, 30);
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-SRV-CLOSE-AFTER-PEER-CLOSE', c).map((f) => f[1])).toEqual(['violation']);
  });

  it('takes the place of BLQ-ERROR-AFTER-REPLY for active queries, and ignores bulk DONEs', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.done(1, [O.status(11)]); c.fin(1, undefined, 30); c.close('fin');
    expect(judge('BLQ-ERROR-AFTER-REPLY', c)).toEqual([]);
    const b = new BulkConversation();
    b.query(1); b.reply(1); b.done(1); b.query(2); b.reply(2); b.done(2, [O.status(11)]); b.captureEnd(undefined, 30);
    expect(judge(ID, b)).toEqual([]);
    expect(judge('BLQ-ERROR-AFTER-REPLY', b).map((f) => f[0])).toEqual(['BLQ-ERROR-AFTER-REPLY']);
  });
});
