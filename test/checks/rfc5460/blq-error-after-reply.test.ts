// BLQ-ERROR-AFTER-REPLY: after an error DONE the server closes and sends nothing more.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-ERROR-AFTER-REPLY';

describe(ID, () => {
  it('accepts an error DONE followed by the server closing', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1, [O.status(11)]); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a server that goes on sending, or closes late', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.reply(1); c.done(1, [O.status(1)]); c.emptyReply(2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [4, 5], 1]]);
    const d = new BulkConversation();
    d.query(1); d.reply(1); d.done(1, [O.status(1)]); d.fin(1, undefined, 30);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'warning', [3, 4], 1]]);
  });

  it('lets the server tell its other queries they are cut short before it closes (RFC 5460 §7.4)', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.query(3); c.reply(1); c.reply(2);
    c.done(1, [O.status(11)]); c.done(2, [O.status(11)]); c.emptyReply(3, [O.serverId(), O.clientId(), O.status(11)]);
    c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    // Still carrying on: a DATA for another query after the error DONE.
    const d = new BulkConversation();
    d.query(1); d.query(2); d.reply(1); d.reply(2); d.done(1, [O.status(11)]); d.data(2);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'warning', [5, 6], 1]]);
  });

  it('leaves the server\'s close to BLQ-SRV-CLOSE-AFTER-PEER-CLOSE when the requestor closes within the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1, [O.status(11)]); c.fin(0); c.captureEnd(undefined, 60);
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-SRV-CLOSE-AFTER-PEER-CLOSE', c)).toEqual([['BLQ-SRV-CLOSE-AFTER-PEER-CLOSE', 'violation', 'error', [4], undefined]]);
    // A requestor FIN after the tolerance: the server had already failed to close.
    const d = new BulkConversation();
    d.query(1); d.reply(1); d.done(1, [O.status(11)]); d.fin(0, undefined, 30); d.fin(1); d.close('fin');
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'warning', [3, 4], 1]]);
  });

  it('is inconclusive when the capture ends within the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1, [O.status(1)]); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'warning', [3], 1]]);
  });

  it('takes the tolerance from the config', () => {
    const d = new BulkConversation();
    d.query(1); d.reply(1); d.done(1, [O.status(1)]); d.fin(1, undefined, 30);
    expect(judge(ID, d, { config: { rules: { [ID]: { options: { tolerance: 60 } } } } })).toEqual([]);
  });

  it('is inconclusive when a new connection on the same 4-tuple ends it, even after the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1, [O.status(1)]); c.close('reused', [0, 0], undefined, 30);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'warning', [3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('a new connection on the same addresses and ports began after the error LEASEQUERY-DONE for xid 1 (status 1); how the server ended this one was not captured');
  });

  it('says an idle timeout stopped the following (even after the tolerance), not that the capture ended within it', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.done(1, [O.status(1)]); c.close('timeout', [0, 0], undefined, 30);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'warning', [3, 4], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('the connection was no longer followed (an idle timeout) after the error LEASEQUERY-DONE for xid 1 (status 1); whether the server closed it was not captured');
  });

  it('stands aside when a QueryTerminated REPLY came first on the connection (BLQ-SRV-CLOSE-ON-ABORT judges its close)', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.reply(1); c.reply(2, [O.serverId(), O.clientId(), O.status(11)]); c.done(1, [O.status(11)]);
    c.captureEnd(undefined, 60);
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-SRV-CLOSE-ON-ABORT', c)).toEqual([['BLQ-SRV-CLOSE-ON-ABORT', 'violation', 'error', [4, 5], 2]]);
  });
});
