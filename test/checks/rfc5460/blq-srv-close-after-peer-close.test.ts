// BLQ-SRV-CLOSE-AFTER-PEER-CLOSE: after the requestor's FIN the server finishes its queries and closes.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runRule, runChecks, brief } from '../../kit/rule-harness.js';

const ID = 'BLQ-SRV-CLOSE-AFTER-PEER-CLOSE';

describe(ID, () => {
  it('accepts a requestor half-close right after its queries, the server finishing them and then closing', () => {
    const c = new BulkConversation();
    c.query(1); c.query(2); c.fin(0);
    c.reply(1); c.data(1); c.done(1); c.emptyReply(2);
    c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('accepts a server that closes first, or both ends closing with nothing outstanding', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    d.query(1); d.emptyReply(1); d.finish();
    expect(judge(ID, d)).toEqual([]);
  });

  it('reports a server that has not closed when the capture ends after the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); // 1
    c.fin(0); // 2
    c.reply(1); c.data(1); c.done(1); // 3..5
    c.captureEnd(6, 30);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 5, 6], undefined]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server did not close its end within 5 s after the requestor closed its side and the server finished sending its answers');
  });

  it('counts the tolerance from the FIN when nothing was outstanding, and honours the option', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.fin(0); c.captureEnd(4, 8);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 4], undefined]]);
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { tolerance: 10 } } } } })).toEqual([[ID, 'inconclusive', 'error', [3, 4], undefined]]);
  });

  it('reports a server that closes only after the tolerance', () => {
    const c = new BulkConversation();
    c.query(1); c.fin(0); c.emptyReply(1); c.fin(1, undefined, 20); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3, 4], undefined]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server closed its end only 20 s after the requestor closed its side and the server finished sending its answers (tolerance 5 s)');
  });

  it('reports a requestor reset after the tolerance as no close; a reset within it ends the wait', () => {
    const c = new BulkConversation();
    c.query(1); c.fin(0); c.emptyReply(1); c.rst(0, undefined, 30); c.close('rst');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 3, 4], undefined]]);
    const d = new BulkConversation();
    d.query(1); d.fin(0); d.emptyReply(1); d.rst(0, undefined, 1); d.close('rst');
    expect(judge(ID, d)).toEqual([]);
  });

  it('is inconclusive when the capture ends within the tolerance or before the queries complete', () => {
    const c = new BulkConversation();
    c.query(1); c.fin(0); c.emptyReply(1); c.captureEnd(4, 1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3, 4], undefined]]);
    const d = new BulkConversation();
    d.query(1); d.fin(0); d.reply(1); d.data(1); d.captureEnd(5, 30);
    expect(judge(ID, d)).toEqual([[ID, 'inconclusive', 'error', [2, 5], undefined]]);
    expect(runRule(ID, d.events)[0].message).toBe('the capture ended while the server was still answering queries outstanding when the requestor closed its side; whether it then closes was not captured');
  });

  it('is inconclusive mid-stream (outstanding set unknown), after lost bytes, and when the following stopped', () => {
    const m = new BulkConversation({ syn: false });
    m.query(1); m.fin(0); m.emptyReply(1); m.captureEnd(4, 30);
    expect(judge(ID, m)).toEqual([[ID, 'inconclusive', 'error', [2, 3, 4], undefined]]);
    const g = new BulkConversation();
    g.query(1); g.fin(0); g.gap(1); g.emptyReply(1); g.captureEnd(5, 30);
    expect(judge(ID, g)).toEqual([[ID, 'inconclusive', 'error', [2, 4, 5], undefined]]);
    const t = new BulkConversation();
    t.query(1); t.fin(0); t.emptyReply(1); t.close('timeout', [0, 0], undefined, 400);
    expect(judge(ID, t)).toEqual([[ID, 'inconclusive', 'error', [2, 3, 4], undefined]]);
    expect(runRule(ID, t.events)[0].message).toBe('the connection was no longer followed (an idle timeout) after the requestor closed its side; whether the server closed was not captured');
    // A late close after a loss is not judged either.
    const l = new BulkConversation();
    l.query(1); l.fin(0); l.gap(1); l.emptyReply(1); l.fin(1, undefined, 20); l.close('fin');
    expect(judge(ID, l)).toEqual([]);
  });

  it('reports, as info, a server that closes with an unanswered query outstanding', () => {
    const c = new BulkConversation();
    c.query(1); c.fin(0); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [2, 3], undefined]]);
    expect(runRule(ID, c.events)[0].message).toContain('with 1 query(ies) still outstanding');
  });

  it('stands aside when another rule reports what the abort cut short (one defect, one finding)', () => {
    // A stream of bindings without DONE: BLQ-DONE-AFTER-BINDINGS.
    const s = new BulkConversation();
    s.query(1); s.fin(0); s.reply(1); s.data(1); s.fin(1); s.close('fin');
    expect(judge(ID, s)).toEqual([]);
    expect(runChecks(s.events).map(brief).map((f) => f[0])).toContain('BLQ-DONE-AFTER-BINDINGS');
    // An older query left unanswered while a later one completed: BLQ-PARALLEL.
    const p = new BulkConversation();
    p.query(1); p.query(2); p.fin(0); p.emptyReply(2); p.fin(1); p.close('fin');
    expect(judge(ID, p)).toEqual([]);
    expect(runChecks(p.events).map(brief).map((f) => f[0])).toContain('BLQ-PARALLEL');
    // The server answered under another xid: BLQ-XID-REPLY.
    const x = new BulkConversation();
    x.query(0x123456); x.fin(0); x.emptyReply(0x3456); x.fin(1); x.close('fin');
    expect(judge(ID, x)).toEqual([]);
    // An invalid query (no OPTION_LQ_QUERY) may be dropped with the connection (RFC 5007 §4.2.1).
    const v = new BulkConversation();
    v.query(1, [O.clientId()]); v.fin(0); v.fin(1); v.close('fin');
    expect(judge(ID, v)).toEqual([]);
  });

  it('counts the tolerance from the server\'s last message when it kept sending after the queries completed', () => {
    // Bindings streamed for 10 s after an empty REPLY (BLQ-DATA-ONLY-AFTER-SUCCESS's), then an immediate
    // close: the server closed once it had finished sending, so this rule has nothing to add.
    const c = new BulkConversation();
    c.query(1); c.fin(0); c.emptyReply(1);
    for (let i = 0; i < 10; i++) { c.time += 1; c.data(1); }
    c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    expect(runChecks(c.events).map(brief).map((f) => f[0])).toContain('BLQ-DATA-ONLY-AFTER-SUCCESS');
    // The same after the query's DONE, and after a FIN with nothing outstanding.
    const d = new BulkConversation();
    d.query(1); d.fin(0); d.reply(1); d.data(1); d.done(1);
    for (let i = 0; i < 8; i++) { d.time += 1; d.data(1); }
    d.fin(1); d.close('fin');
    expect(judge(ID, d)).toEqual([]);
    const e = new BulkConversation();
    e.query(1); e.emptyReply(1); e.fin(0);
    for (let i = 0; i < 8; i++) { e.time += 1; e.emptyReply(0x99); }
    e.fin(1); e.close('fin');
    expect(judge(ID, e)).toEqual([]);
    // Silent for longer than the tolerance after its last message: still no close, named by that message.
    const f = new BulkConversation();
    f.query(1); f.fin(0); f.emptyReply(1); f.time += 8; f.data(1); f.captureEnd(5, 30);
    expect(judge(ID, f)).toEqual([[ID, 'violation', 'error', [2, 3, 4, 5], undefined]]);
  });

  it('does not judge a late close when the open-query limit left a query unfollowed', () => {
    // Query 2 is over bulk.max-open-queries: the server answers it 8 s after query 1 and closes at once.
    const c = new BulkConversation({}, { 'bulk.max-open-queries': 1 });
    c.query(1); c.query(2); c.fin(0); c.reply(1); c.data(1); c.done(1);
    c.time += 8; c.reply(2); c.data(2); c.done(2); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    // A close 8 s after the last answer followed: the unfollowed query may be what the server was finishing.
    const d = new BulkConversation({}, { 'bulk.max-open-queries': 1 });
    d.query(1); d.query(2); d.fin(0); d.emptyReply(1); d.time += 8; d.fin(1); d.close('fin');
    expect(judge(ID, d)).toEqual([]);
  });

  it('keeps no state for a connection once it has ended', () => {
    const c = new BulkConversation();
    c.query(1); c.fin(0); c.emptyReply(1); c.captureEnd(4, 1);
    c.query(2);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2, 3, 4], undefined]]);
  });
});
