// BLQ-COMPLETION-STATE: a query unanswered when the capture stops is inconclusive; never a violation.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-COMPLETION-STATE';

describe(ID, () => {
  it('says nothing for completed queries, including by a real close', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.query(2); c.fin(0); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('is inconclusive for a query without answer at capture end', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.query(2); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'info', [3], 2]]);
  });

  it('leaves streaming queries at capture end to BLQ-DONE-AFTER-BINDINGS', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.captureEnd();
    expect(judge(ID, c)).toEqual([]);
  });

  it('stands aside for BLQ-PARALLEL when a later query was answered (one uncertainty, one finding)', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.emptyReply(2); c.captureEnd();
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-PARALLEL', c)).toEqual([['BLQ-PARALLEL', 'inconclusive', 'error', [1, 3], 1]]);
  });

  it('still reports an older unanswered query when only earlier queries were answered', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.query(2); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'info', [3], 2]]);
  });

  it('names a new connection on the same 4-tuple as the reason', () => {
    const c = new BulkConversation();
    c.query(1); c.close('reused');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'info', [1, 2], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('xid 1 had no answer when the following of the connection stopped (a new connection on the same addresses and ports; how this one ended was not captured)');
  });
});
