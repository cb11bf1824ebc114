// BLQ-PARALLEL: every pipelined query gets answered; one left without answer while later ones were answered is a violation.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-PARALLEL';

describe(ID, () => {
  it('accepts interleaved answers in any order', () => {
    const c = new BulkConversation();
    c.query(3); c.query(4); c.reply(4); c.reply(3); c.done(3); c.done(4); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a query never answered while a later one was', () => {
    const c = new BulkConversation();
    c.query(3); c.query(4); c.reply(4); c.done(4); c.fin(0); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 3, 6], 3]]);
  });

  it('does not judge an invalid query (it may be dropped silently)', () => {
    const c = new BulkConversation();
    c.query(3, [O.clientId()]); c.query(4); c.emptyReply(4); c.fin(0); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('is inconclusive at capture end, after a requestor reset and after loss', () => {
    const c = new BulkConversation();
    c.query(3); c.query(4); c.emptyReply(4); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 3]]);
    const r = new BulkConversation();
    r.query(3); r.query(4); r.emptyReply(4); r.rst(0); r.close('rst');
    expect(judge(ID, r)).toEqual([[ID, 'inconclusive', 'error', [1, 3, 4], 3]]);
  });

  it('is inconclusive when a new connection on the same 4-tuple ends it', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.emptyReply(2); c.close('reused');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('xid 1 had no answer when a new connection on the same addresses and ports began, although a later query (xid 2) was answered; how this connection ended was not captured');
  });

  it('says an idle timeout stopped the following, not that the capture ended', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.emptyReply(2); c.close('timeout');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('xid 1 had no answer when the connection was no longer followed (an idle timeout), although a later query (xid 2) was answered; how it ended was not captured');
  });
});
