// BLQ-REQ-CLOSE-ON-UNKNOWN-DONE: the requestor closes after a DONE for an xid it never asked.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-REQ-CLOSE-ON-UNKNOWN-DONE';

describe(ID, () => {
  it('accepts a requestor that closes at once', () => {
    const c = new BulkConversation();
    c.query(1); c.done(9); c.fin(0); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a requestor that keeps querying, or does not close in time', () => {
    const c = new BulkConversation();
    c.query(1); c.done(9); c.query(2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3], 9]]);
    const d = new BulkConversation();
    d.query(1); d.done(9); d.fin(0, undefined, 20);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'error', [2, 3], 9]]);
  });

  it('is inconclusive when the capture ends within the tolerance; silent for uncertain DONEs', () => {
    const c = new BulkConversation();
    c.query(1); c.done(9); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2], 9]]);
    const m = new BulkConversation({ syn: false });
    m.done(9); m.query(2);
    expect(judge(ID, m)).toEqual([]);
  });

  it('is inconclusive when a new connection on the same 4-tuple ends it, even after the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.done(9); c.close('reused', [0, 0], undefined, 30);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 9]]);
    expect(runRule(ID, c.events)[0].message).toBe('the requestor opened a new connection on the same addresses and ports after a LEASEQUERY-DONE with unknown xid 9; when it dropped this one was not captured');
  });

  it('says a limit stopped the following (even after the tolerance), not that the capture ended within it', () => {
    const c = new BulkConversation();
    c.query(1); c.done(9); c.close('limit', [0, 0], undefined, 30);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 9]]);
    expect(runRule(ID, c.events)[0].message).toBe('the connection was no longer followed (a reassembly limit) after a LEASEQUERY-DONE with unknown xid 9; when the requestor dropped it was not captured');
  });
});
