// ALQ-SINGLE-REPLY-AND-CATCHUP: one REPLY per active query; with a start time, the catch-up's end is
// marked (DataMissing REPLY, or a DATA with CatchUpComplete or DataMissing) before a DONE or the close.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runRule } from '../../kit/rule-harness.js';

const ID = 'ALQ-SINGLE-REPLY-AND-CATCHUP';
const START = O.opt(101, [0x67, 0x40, 0x37, 0xf0]);
/** An ACTIVELEASEQUERY by link-address, with OPTION_LQ_START_TIME unless told otherwise. */
const active = (c: BulkConversation, xid: number, start: 'top' | 'nested' | 'none' = 'top'): number =>
  c.send(0, 22, xid, [O.clientId(), O.lqQuery(4, O.addr(0), start === 'nested' ? [START] : []), ...(start === 'top' ? [START] : [])]);
const ids = (c: BulkConversation): Array<string | undefined> => runRule(ID, c.events).map((f) => messageIdOf(ID, f));

describe(ID, () => {
  it('accepts CatchUpComplete or DataMissing in a DATA, or DataMissing in the REPLY, then the close', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.data(1); c.data(1, [O.status(13)]); c.data(1); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    active(d, 1, 'nested'); d.reply(1); d.data(1, [O.status(12)]); d.done(1, [O.status(11)]); d.fin(1); d.close('fin');
    expect(judge(ID, d)).toEqual([]);
    const r = new BulkConversation();
    active(r, 1); r.emptyReply(1, [O.status(12)]); r.data(1); r.fin(1); r.close('fin');
    expect(judge(ID, r)).toEqual([]);
  });

  it('is a violation when a DONE without an error status comes first, citing the query, the REPLY and the DONE', () => {
    const c = new BulkConversation();
    active(c, 3); c.emptyReply(3); c.data(3); c.done(3); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 2, 4], 3]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server ended the active query xid 3, which gave OPTION_LQ_START_TIME, with a LEASEQUERY-DONE without an error status before any DATA with CatchUpComplete or DataMissing marked the end of its catch-up');
  });

  it('grades a server close before the marker as a warning, at the FIN', () => {
    const c = new BulkConversation();
    active(c, 2, 'nested'); c.reply(2); c.data(2); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [1, 2, 4], 2]]);
    expect(ids(c)).toEqual(['closed-first']);
    const r = new BulkConversation();
    active(r, 2); r.emptyReply(2); r.rst(1); r.close('rst');
    expect(judge(ID, r)).toEqual([[ID, 'violation', 'warning', [1, 2, 3], 2]]);
  });

  it('is inconclusive at the capture end, and when a timeout or a new connection ends the following', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.data(1); c.data(1); c.captureEnd(undefined, 3600);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 4], 1]]);
    expect(ids(c)).toEqual(['capture-end']);
    const t = new BulkConversation();
    active(t, 1); t.emptyReply(1); t.close('timeout', [0, 0], undefined, 700);
    expect(ids(t)).toEqual(['stopped']);
    expect(runRule(ID, t.events)[0].message).toContain('(an idle timeout)');
    const u = new BulkConversation();
    active(u, 1); u.emptyReply(1); u.close('reused');
    expect(ids(u)).toEqual(['reused']);
  });

  it('is inconclusive when the requestor closes first, after a loss, mid-stream, or after an error DONE', () => {
    const c = new BulkConversation();
    active(c, 1); c.emptyReply(1); c.data(1); c.fin(0); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 4], 1]]);
    expect(ids(c)).toEqual(['requestor-closed']);
    const h = new BulkConversation();
    active(h, 1); h.fin(0); h.emptyReply(1); h.data(1); h.fin(1); h.close('fin');
    expect(ids(h)).toEqual(['requestor-closed']);
    const g = new BulkConversation();
    active(g, 1); g.emptyReply(1); g.gap(1); g.data(1); g.fin(1); g.close('fin');
    expect(ids(g)).toEqual(['lost']);
    const m = new BulkConversation({ syn: false });
    active(m, 1); m.emptyReply(1); m.fin(1); m.close('fin');
    expect(ids(m)).toEqual(['lost']);
    const q = new BulkConversation();
    active(q, 1); q.emptyReply(1); q.data(1); q.done(1, [O.status(11)]); q.fin(1); q.close('fin');
    expect(judge(ID, q)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 4], 1]]);
    expect(ids(q)).toEqual(['terminated']);
  });

  it('does not watch a query without a start time, a refused one or a bulk one', () => {
    const c = new BulkConversation();
    active(c, 1, 'none'); c.emptyReply(1); c.data(1); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const e = new BulkConversation();
    active(e, 1); e.emptyReply(1, [O.status(14)]); e.fin(1); e.close('fin');
    expect(judge(ID, e)).toEqual([]);
    const b = new BulkConversation();
    b.query(1, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)]), START]); b.reply(1); b.done(1); b.finish();
    expect(judge(ID, b)).toEqual([]);
  });

  it('reports a second REPLY to an active query (and BLQ-SINGLE-REPLY stands aside), inconclusive after a loss', () => {
    const c = new BulkConversation();
    active(c, 5, 'none'); c.emptyReply(5); c.data(5); c.emptyReply(5); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2, 4], 5]]);
    expect(judge('BLQ-SINGLE-REPLY', c)).toEqual([]);
    const g = new BulkConversation();
    active(g, 5, 'none'); g.emptyReply(5); g.gap(0); g.emptyReply(5); g.captureEnd();
    expect(ids(g)).toEqual(['lost-reply']);
    const b = new BulkConversation();
    b.query(5); b.reply(5); b.reply(5); b.done(5);
    expect(judge(ID, b)).toEqual([]);
    expect(judge('BLQ-SINGLE-REPLY', b)).toEqual([['BLQ-SINGLE-REPLY', 'violation', 'error', [2, 3], 5]]);
  });
});
