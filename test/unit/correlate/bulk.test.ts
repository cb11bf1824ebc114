// The bulk correlator: interleaved queries by xid (RFC 5460 §6.5.1), the §6.3.1 completion states,
// placement of every server message, xid reuse, phantoms for unmatched xids, losses, limits.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, type EventTuple } from '../../kit/rule-harness.js';

function names(events: EventTuple[], prefix = 'bulk:'): string[] {
  return events.filter(([n]) => n.startsWith(prefix) && n !== 'bulk:message').map(([n, e]) => {
    const x = e as { query?: { xid: number }; placement?: string; state?: string; kind?: string; frame: number };
    const parts = [n, String(x.frame)];
    if (x.query) parts.push(`xid${x.query.xid}`);
    if (x.placement) parts.push(x.placement);
    if (x.state) parts.push(x.state);
    if (x.kind) parts.push(x.kind);
    return parts.join(' ');
  });
}

describe('BulkCorrelator', () => {
  it('follows the RFC 5460 §6.5.1 interleaving by xid', () => {
    const c = new BulkConversation();
    c.query(3); c.query(4);          // frames 1, 2
    c.reply(3); c.reply(4);          // 3, 4
    c.data(4); c.data(3); c.data(4); // 5, 6, 7
    c.done(3); c.done(4);            // 8, 9
    c.finish();                      // 10, 11
    expect(names(c.events)).toEqual([
      'bulk:open 1',
      'bulk:query 1 xid3', 'bulk:query 2 xid4',
      'bulk:reply 3 xid3 valid', 'bulk:reply 4 xid4 valid',
      'bulk:data 5 xid4 valid', 'bulk:data 6 xid3 valid', 'bulk:data 7 xid4 valid',
      'bulk:done 8 xid3 valid', 'bulk:query-end 8 xid3 complete-done',
      'bulk:done 9 xid4 valid', 'bulk:query-end 9 xid4 complete-done',
      'bulk:fin 10', 'bulk:fin 11', 'bulk:close 11',
    ]);
    expect(c.correlator.stats()).toEqual({ bulkConnections: 1, bulkQueries: 2 });
  });

  it('ends empty and error replies at once, and places what follows them', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); c.data(1); c.done(1);
    c.query(2); c.emptyReply(2, [O.status(9)]); c.done(2);
    expect(names(c.events)).toEqual([
      'bulk:open 1', 'bulk:query 1 xid1', 'bulk:reply 2 xid1 valid', 'bulk:query-end 2 xid1 complete-empty',
      'bulk:data 3 xid1 after-empty', 'bulk:done 4 xid1 after-empty',
      'bulk:query 5 xid2', 'bulk:reply 6 xid2 valid', 'bulk:query-end 6 xid2 complete-empty', 'bulk:done 7 xid2 after-error',
    ]);
  });

  it('places second replies, early data and messages after DONE', () => {
    const c = new BulkConversation();
    c.query(1); c.data(1); c.reply(1); c.reply(1); c.done(1); c.data(1); c.done(1);
    expect(names(c.events).slice(2)).toEqual([
      'bulk:data 2 xid1 before-reply', 'bulk:reply 3 xid1 valid', 'bulk:reply 4 xid1 second',
      'bulk:done 5 xid1 valid', 'bulk:query-end 5 xid1 complete-done', 'bulk:data 6 xid1 after-done', 'bulk:done 7 xid1 second',
    ]);
  });

  it('makes a fresh query for an xid reused after completion, and flags reuse while outstanding', () => {
    const c = new BulkConversation();
    c.query(7); c.emptyReply(7); c.query(7); c.query(7); c.reply(7); c.done(7);
    const q = c.events.filter(([n]) => n === 'bulk:query').map(([, e]) => e as { reuse?: { outstanding: boolean }; tracked: boolean; query: { seq: number } });
    expect(q.map((e) => [e.query.seq, e.tracked, e.reuse?.outstanding])).toEqual([[1, true, undefined], [2, true, false], [2, false, true]]);
    expect(names(c.events).slice(-3)).toEqual(['bulk:reply 5 xid7 valid', 'bulk:done 6 xid7 valid', 'bulk:query-end 6 xid7 complete-done']);
  });

  it('reports unmatched xids once and keeps the rest of their stream quiet', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(9); c.data(9); c.done(9);
    const ev = c.events.filter(([n]) => n === 'bulk:unmatched').map(([, e]) => e as { certain: boolean; kind: string; frame: number });
    expect(ev.map((e) => [e.frame, e.kind, e.certain])).toEqual([[2, 'reply', true]]);
    expect(names(c.events)).toContain('bulk:data 3 xid9 valid');
    const mid = new BulkConversation({ syn: false });
    mid.data(5);
    expect((mid.events.find(([n]) => n === 'bulk:unmatched')![1] as { certain: boolean }).certain).toBe(false);
    const lossy = new BulkConversation();
    lossy.gap(0); lossy.done(5);
    expect((lossy.events.find(([n]) => n === 'bulk:unmatched')![1] as { certain: boolean }).certain).toBe(false);
  });

  it('ends open queries by close (seen) or as incomplete (capture end), with who closed', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.query(2); c.rst(1); c.close('rst');
    const ends = c.events.filter(([n]) => n === 'bulk:query-end').map(([, e]) => e as { state: string; close?: { by?: string; rstBy?: string }; query: { xid: number } });
    expect(ends.map((e) => [e.query.xid, e.state, e.close?.by, e.close?.rstBy])).toEqual([
      [1, 'complete-by-close', 'server', 'server'], [2, 'complete-by-close', 'server', 'server'],
    ]);
    const d = new BulkConversation();
    d.query(1); d.captureEnd();
    expect(names(d.events).slice(-2)).toEqual(['bulk:query-end 1 xid1 incomplete', 'bulk:close 1']);
  });

  describe('an RFC 7653 active query', () => {
    const active = (c: BulkConversation, xid: number): number => c.send(0, 22, xid, [O.clientId()]);
    const ends = (c: BulkConversation): Array<[number, string, number, boolean, string | undefined]> =>
      c.events.filter(([n]) => n === 'bulk:query-end').map(([, e]) => {
        const x = e as { query: { xid: number }; state: string; frame: number; certain: boolean; close?: { reason: string } };
        return [x.query.xid, x.state, x.frame, x.certain, x.close?.reason];
      });

    it('streams after a REPLY without bindings: many DATA in its sequence, then the DONE ends it (§8.4, §9.3)', () => {
      const c = new BulkConversation();
      active(c, 5); c.emptyReply(5);            // frames 1, 2
      c.data(5); c.data(5, []); c.data(5);      // 3, 4 (a keep-alive without CLIENT_DATA), 5
      c.done(5, [O.status(11)]); c.data(5);     // 6, 7
      c.finish();                               // 8, 9
      expect(names(c.events)).toEqual([
        'bulk:open 1', 'bulk:query 1 xid5', 'bulk:reply 2 xid5 valid',
        'bulk:data 3 xid5 valid', 'bulk:data 4 xid5 valid', 'bulk:data 5 xid5 valid',
        'bulk:done 6 xid5 valid', 'bulk:query-end 6 xid5 complete-done', 'bulk:data 7 xid5 after-done',
        'bulk:fin 8', 'bulk:fin 9', 'bulk:close 9',
      ]);
      const q = (c.events.find(([n]) => n === 'bulk:query-end')![1] as { query: { data: number; done?: { frame: number }; replies: number } }).query;
      expect([q.replies, q.data, q.done?.frame]).toEqual([1, 4, 6]); // the query record counts the late DATA too
      expect((c.events.at(-1)![1] as { conn: { outstanding: number } }).conn.outstanding).toBe(0);
    });

    it('keeps streaming after a REPLY with bindings, with no DONE due, until the close', () => {
      const c = new BulkConversation();
      active(c, 5); c.reply(5); c.data(5); c.data(5);
      const fin = c.fin(0);                     // frame 5: the requestor's FIN ends it (§9.5)
      c.data(5); c.fin(1); c.close('fin');      // 6: in flight after the FIN, still in its sequence
      expect(ends(c)).toEqual([[5, 'complete-by-close', fin, true, undefined]]);
      expect(names(c.events).slice(-6)).toEqual([
        'bulk:data 4 xid5 valid', 'bulk:query-end 5 xid5 complete-by-close', 'bulk:fin 5', 'bulk:data 6 xid5 valid', 'bulk:fin 7', 'bulk:close 7',
      ]);
      const f = c.events.find(([n]) => n === 'bulk:fin')![1] as { outstanding: number };
      expect(f.outstanding).toBe(0); // ended before the FIN event: nothing owed to the requestor
    });

    it('ends it once when a DONE follows the FIN that ended it', () => {
      const c = new BulkConversation();
      active(c, 6); c.reply(6); c.fin(0); c.data(6); c.done(6, [O.status(11)]); c.data(6); c.fin(1); c.close('fin');
      expect(ends(c)).toEqual([[6, 'complete-by-close', 3, true, undefined]]);
      expect(names(c.events).slice(-6)).toEqual([
        'bulk:fin 3', 'bulk:data 4 xid6 valid', 'bulk:done 5 xid6 valid', 'bulk:data 6 xid6 after-done', 'bulk:fin 7', 'bulk:close 7',
      ]);
    });

    it('ends at the server RST, and uncertainly after a loss', () => {
      const c = new BulkConversation();
      active(c, 2); c.emptyReply(2); c.gap(1); c.data(2); c.rst(1); c.close('rst');
      expect(ends(c)).toEqual([[2, 'complete-by-close', 5, false, undefined]]);
    });

    it('ends as incomplete at the capture end while still streaming', () => {
      const c = new BulkConversation();
      active(c, 2); c.emptyReply(2); c.data(2); c.captureEnd();
      expect(ends(c)).toEqual([[2, 'incomplete', 3, true, 'capture-end']]);
    });

    it('ends on an error REPLY, and places DATA and DONE after it as after-error', () => {
      const c = new BulkConversation();
      active(c, 3); c.emptyReply(3, [O.status(8)]); c.data(3); c.done(3); c.finish();
      expect(names(c.events).slice(2)).toEqual([
        'bulk:reply 2 xid3 valid', 'bulk:query-end 2 xid3 complete-empty', 'bulk:data 3 xid3 after-error', 'bulk:done 4 xid3 after-error',
        'bulk:fin 5', 'bulk:fin 6', 'bulk:close 6',
      ]);
    });

    it('goes on streaming after a DataMissing REPLY, which only ends the catch-up (§8.4.1)', () => {
      const c = new BulkConversation();
      active(c, 4); c.emptyReply(4, [O.status(12)]); c.data(4); c.done(4, [O.status(11)]);
      expect(names(c.events).slice(2)).toEqual([
        'bulk:reply 2 xid4 valid', 'bulk:data 3 xid4 valid', 'bulk:done 4 xid4 valid', 'bulk:query-end 4 xid4 complete-done',
      ]);
    });

    it('places a second REPLY as second and leaves bulk queries to RFC 5460 §6.3.1', () => {
      const c = new BulkConversation();
      active(c, 1); c.emptyReply(1); c.emptyReply(1);
      c.query(2); c.emptyReply(2); c.data(2); c.query(3); c.emptyReply(3, [O.status(12)]); c.data(3);
      expect(names(c.events).slice(2)).toEqual([
        'bulk:reply 2 xid1 valid', 'bulk:reply 3 xid1 second',
        'bulk:query 4 xid2', 'bulk:reply 5 xid2 valid', 'bulk:query-end 5 xid2 complete-empty', 'bulk:data 6 xid2 after-empty',
        'bulk:query 7 xid3', 'bulk:reply 8 xid3 valid', 'bulk:query-end 8 xid3 complete-empty', 'bulk:data 9 xid3 after-error',
      ]);
    });
  });

  it('marks evidence uncertain after a loss', () => {
    const c = new BulkConversation();
    c.query(1); c.gap(1); c.data(1);
    const e = c.events.find(([n]) => n === 'bulk:data')![1] as { certain: boolean; placement: string };
    expect([e.placement, e.certain]).toEqual(['before-reply', false]);
  });

  it('caps outstanding queries with a limit anomaly', () => {
    const c = new BulkConversation({}, { 'bulk.max-open-queries': 2 });
    c.query(1); c.query(2); c.query(3);
    const a = c.events.find(([n]) => n === 'anomaly')![1] as { layer: string; name: string; frames: number[]; xid: number };
    expect([a.layer, a.name, a.frames, a.xid]).toEqual(['limit', 'limit.bulk_open_queries', [3], 3]);
    expect(c.correlator.stats().bulkQueries).toBe(2);
  });

  it('forgets idle connections in live mode', () => {
    const c = new BulkConversation({ time0: 1000 });
    c.query(1);
    c.correlator.advance(1000 + 601);
    expect(names(c.events).slice(-2)).toEqual(['bulk:query-end 1 xid1 incomplete', 'bulk:close 1']);
  });
});
