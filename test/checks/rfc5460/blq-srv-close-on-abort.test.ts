// BLQ-SRV-CLOSE-ON-ABORT: after a REPLY with QueryTerminated the server closes its end in time and
// serves nothing else first (RFC 5460 §7.4, §5.5).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runChecks, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-SRV-CLOSE-ON-ABORT';
const QT = [O.serverId(), O.clientId(), O.status(11, 'shutting down')];

describe(ID, () => {
  it('accepts a QueryTerminated REPLY followed by the server closing (FIN or RST)', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, QT); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    d.query(1); d.reply(1, QT); d.rst(1, undefined, 4); d.close('rst');
    expect(judge(ID, d)).toEqual([]);
  });

  it('reports a server that closes only after the tolerance, or never', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, QT); c.fin(1, undefined, 30); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server did not close its end within 5 s of aborting xid 1 with QueryTerminated');
    const d = new BulkConversation();
    d.query(1); d.reply(1, QT); d.captureEnd(undefined, 60);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'error', [2], 1]]);
  });

  it('reports a server that serves another query instead of closing', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.reply(1, QT); c.emptyReply(2); c.finish();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('after aborting xid 1 with QueryTerminated the server went on serving the connection (a LEASEQUERY-REPLY for xid 2) instead of closing its end');
  });

  it('lets the server tell other queries they are cut short too before it closes', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.query(3); c.reply(2); c.reply(1, QT); c.done(2, [O.status(11)]); c.reply(3, QT);
    c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('does not judge a REPLY with another error status (a refusal, not an abort)', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, [O.serverId(), O.clientId(), O.status(10)]); c.query(2, undefined, undefined); c.emptyReply(2);
    c.captureEnd(undefined, 60);
    expect(judge(ID, c)).toEqual([]);
  });

  it('shares the aborts with BLQ-ERROR-AFTER-REPLY: the first on a connection decides (one finding for one defect)', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.reply(1); c.done(1, [O.status(11)]); c.reply(2, QT); c.captureEnd(undefined, 60);
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-ERROR-AFTER-REPLY', c)).toEqual([['BLQ-ERROR-AFTER-REPLY', 'violation', 'warning', [4, 5], 1]]);
    // The QueryTerminated REPLY came first: the error DONE for the other query is the server winding
    // up, and the close is judged here alone.
    const d = new BulkConversation();
    d.query(1); d.query(2); d.reply(2); d.reply(1, QT); d.done(2, [O.status(11)]); d.captureEnd(undefined, 60);
    const found = runChecks(d.events).filter((f) => f.ruleId === ID || f.ruleId === 'BLQ-ERROR-AFTER-REPLY').map((f) => [f.ruleId, f.frames]);
    expect(found).toEqual([[ID, [4, 5]]]); // the capture ends at frame 5, 60 s on
  });

  it('stands aside when the requestor closes or resets first, within the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, QT); c.fin(0); c.captureEnd(undefined, 60);
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-SRV-CLOSE-AFTER-PEER-CLOSE', c)).toEqual([['BLQ-SRV-CLOSE-AFTER-PEER-CLOSE', 'violation', 'error', [3], undefined]]);
    const d = new BulkConversation();
    d.query(1); d.reply(1, QT); d.rst(0); d.rst(1); d.close('rst');
    expect(judge(ID, d)).toEqual([]);
    const e = new BulkConversation();
    e.query(1); e.fin(0); e.reply(1, QT); e.captureEnd(undefined, 60);
    expect(judge(ID, e)).toEqual([]);
  });

  it('keeps a verdict reached before the requestor closed: later frames do not undo it', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, QT); c.fin(0, undefined, 30); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3], 1]]);
  });

  it('is inconclusive when the capture ends within the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, QT); c.captureEnd(undefined, 2);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2], 1]]);
  });

  it('is inconclusive after a mid-stream start or lost bytes', () => {
    const c = new BulkConversation({ syn: false });
    c.query(1); c.reply(1, QT); c.captureEnd(undefined, 60);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2], 1]]);
    expect(runRule(ID, c.events)[0].message).toContain('the start of the connection was not captured');
    const d = new BulkConversation();
    d.query(1); d.reply(1, QT); d.gap(1); d.captureEnd(undefined, 60);
    expect(judge(ID, d)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 1]]);
    expect(runRule(ID, d.events)[0].message).toContain('bytes of the connection are missing');
  });

  it('says a new connection on the same 4-tuple ended the following within the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, QT); c.close('reused', [0, 0], undefined, 1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('a new connection on the same addresses and ports began less than 5 s after the server aborted xid 1 with QueryTerminated; how the server ended this one was not captured');
  });

  it('stands aside for an active query (ALQ-DONE-TERMINATES)', () => {
    const c = new BulkConversation();
    c.send(0, 22, 1, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.reply(1, QT); c.captureEnd(undefined, 60);
    expect(judge(ID, c)).toEqual([]);
  });

  it('takes the tolerance from the config', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, QT); c.fin(1, undefined, 30); c.fin(0); c.close('fin');
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { tolerance: 60 } } } } })).toEqual([]);
  });
});
