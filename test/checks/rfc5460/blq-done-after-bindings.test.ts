// BLQ-DONE-AFTER-BINDINGS: DONE after a REPLY with bindings, even a single one; aborts graded; capture end inconclusive.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-DONE-AFTER-BINDINGS';

describe(ID, () => {
  it('accepts REPLY + DATA + DONE, and REPLY + DONE for a single binding', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1); c.query(2); c.reply(2); c.done(2); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });

  it('grades a server close right after the stream as a possible abort (warning)', () => {
    const c = new BulkConversation();
    c.query(5); c.reply(5); c.data(5); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [2, 3, 5], 5]]);
  });

  it('is an error when the server completed other queries and closed without this DONE', () => {
    const c = new BulkConversation();
    c.query(5); c.query(6); c.reply(5); c.reply(6); c.done(6); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 7], 5]]);
  });

  it('owes no DONE to an active query streaming until the close (RFC 7653 §9.3)', () => {
    const c = new BulkConversation();
    c.send(0, 22, 1, [O.clientId()]); c.reply(1); c.data(1); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    d.send(0, 22, 1, [O.clientId()]); d.reply(1); d.captureEnd(undefined, 100);
    expect(judge(ID, d)).toEqual([]);
  });

  it('reports a second DONE', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1); c.done(1);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 4], 1]]);
  });

  it('says nothing when the requestor reset the stream', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.rst(0); c.close('rst');
    expect(judge(ID, c)).toEqual([]);
  });

  it('is inconclusive at capture end and after lost bytes', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 1]]);
    const g = new BulkConversation();
    g.query(1); g.reply(1); g.gap(1); g.fin(1); g.fin(0); g.close('fin');
    expect(judge(ID, g)).toEqual([[ID, 'inconclusive', 'error', [2, 5], 1]]);
  });

  it('leaves empty replies, and DONEs after them, to other rules', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.done(1); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });

  it('is inconclusive when a new connection on the same 4-tuple ends it', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.close('reused');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('a new connection on the same addresses and ports began before the LEASEQUERY-DONE of xid 1 was seen (its REPLY returned bindings); how this connection ended was not captured');
  });

  it('says an idle timeout or a limit stopped the following, not that the capture ended', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.close('timeout');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('the connection was no longer followed (an idle timeout) before the LEASEQUERY-DONE of xid 1 (its REPLY returned bindings); how it ended was not captured');
    const d = new BulkConversation();
    d.query(1); d.reply(1); d.data(1); d.close('limit');
    expect(runRule(ID, d.events)[0].message).toBe('the connection was no longer followed (a reassembly limit) before the LEASEQUERY-DONE of xid 1 (its REPLY returned bindings); how it ended was not captured');
    const e = new BulkConversation();
    e.query(1); e.reply(1); e.data(1); e.close('capture-end');
    expect(runRule(ID, e.events)[0].message).toBe('the capture ended before the LEASEQUERY-DONE of xid 1 (its REPLY returned bindings)');
  });
});
