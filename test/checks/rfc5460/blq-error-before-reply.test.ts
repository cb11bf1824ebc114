// BLQ-ERROR-BEFORE-REPLY: a server that closes the connection without any answer to a query, instead of
// a LEASEQUERY-REPLY with an error status (RFC 5460 §7.2), is reported at INFO.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-ERROR-BEFORE-REPLY';

describe(ID, () => {
  it('reports a server that closes with a query never answered, at info, with the query and its FIN', () => {
    const c = new BulkConversation();
    c.query(3); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [1, 2], 3]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server closed the connection without any answer to xid 3: no LEASEQUERY-REPLY with an error status said why (the cause is not in the capture)');
  });

  it('leaves an ACTIVELEASEQUERY closed on to ALQ-NOT-SUPPORTED', () => {
    const c = new BulkConversation();
    c.send(0, 22, 3, [O.clientId()]); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a server reset the same way, naming the reset', () => {
    const c = new BulkConversation();
    c.query(3); c.rst(1); c.close('rst');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [1, 2], 3]]);
    expect(runRule(ID, c.events)[0].message).toContain('the server reset the connection');
  });

  it('reports each query the server left without a word', () => {
    const c = new BulkConversation();
    c.query(3); c.query(4); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [1, 3], 3], [ID, 'violation', 'info', [2, 3], 4]]);
  });

  it('accepts an error REPLY before the close, and answered queries', () => {
    const c = new BulkConversation();
    c.query(3); c.emptyReply(3, [O.status(10)]); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    d.query(3); d.emptyReply(3); d.query(4); d.reply(4); d.done(4); d.fin(1); d.fin(0); d.close('fin');
    expect(judge(ID, d)).toEqual([]);
  });

  it('stands aside when the requestor closed first (BLQ-SRV-CLOSE-AFTER-PEER-CLOSE)', () => {
    const c = new BulkConversation();
    c.query(3); c.fin(0); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('does not judge a query that came after the server had closed', () => {
    const c = new BulkConversation();
    c.fin(1); c.query(3); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('stands aside for BLQ-PARALLEL when a later query was answered', () => {
    const c = new BulkConversation();
    c.query(3); c.query(4); c.emptyReply(4); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    expect(judge('BLQ-PARALLEL', c)).toEqual([['BLQ-PARALLEL', 'violation', 'error', [1, 3, 5], 3]]);
  });

  it('does not judge a query the server may discard (no Client-ID or no OPTION_LQ_QUERY, RFC 5007 §4.2.1)', () => {
    const c = new BulkConversation();
    c.query(3, [O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.query(4, [O.clientId()]); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('is inconclusive when the query names a server, when bytes were lost, or when the server was mid-message', () => {
    const named = new BulkConversation();
    named.query(3, [O.clientId(), O.serverId(), O.lqQuery(2, undefined, [O.clientId(0x77)])]); named.fin(1); named.fin(0); named.close('fin');
    expect(judge(ID, named)).toEqual([[ID, 'inconclusive', 'info', [1, 2], 3]]);
    const lost = new BulkConversation();
    lost.query(3); lost.gap(1); lost.fin(1); lost.fin(0); lost.close('fin');
    expect(judge(ID, lost)).toEqual([[ID, 'inconclusive', 'info', [1, 3], 3]]);
    expect(runRule(ID, lost.events)[0].message).toContain('bytes of the connection are missing');
    const cut = new BulkConversation();
    cut.query(3); cut.fin(1); cut.fin(0); cut.close('fin', [0, 12]);
    expect(judge(ID, cut)).toEqual([]);
  });

  it('leaves a query the capture stopped following to BLQ-COMPLETION-STATE', () => {
    const c = new BulkConversation();
    c.query(3); c.captureEnd();
    expect(judge(ID, c)).toEqual([]);
  });
});
