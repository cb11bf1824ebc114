// ALQ-STARTTLS: STARTTLS first and without options; the server answers REPLY (no status, or
// TLSConnectionRefused); after a refusal the requestor closes (RFC 7653 §6.2.2, §8.2, §9.1).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runRule } from '../../kit/rule-harness.js';

const ID = 'ALQ-STARTTLS';
const startTls = (c: BulkConversation, xid = 1, options = [] as ReturnType<typeof O.clientId>[], dt?: number): number => c.send(0, 23, xid, options, undefined, dt);
const answer = (c: BulkConversation, xid = 1, status?: number, type = 7, dt?: number): number =>
  c.send(1, type, xid, status === undefined ? [O.serverId()] : [O.serverId(), O.status(status)], undefined, dt);
const active = (c: BulkConversation, xid: number, dt?: number): number => c.send(0, 22, xid, [O.clientId()], undefined, dt);

describe(ID, () => {
  it('accepts STARTTLS first, without options, answered by a REPLY without status (type 7 or 15) or with Success', () => {
    for (const [type, status] of [[7, undefined], [15, undefined], [7, 0], [15, 0]] as const) {
      const c = new BulkConversation();
      startTls(c); answer(c, 1, status, type); c.captureEnd(undefined, 100);
      expect(judge(ID, c)).toEqual([]);
    }
  });

  it('accepts a refusal followed by the requestor closing within the tolerance', () => {
    const c = new BulkConversation();
    startTls(c); answer(c, 1, 15); c.fin(0, undefined, 0.2); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const r = new BulkConversation();
    startTls(r); answer(r, 1, 15, 15); r.rst(0, undefined, 3); r.close('rst');
    expect(judge(ID, r)).toEqual([]);
  });

  it('reports STARTTLS after a query, citing the first query and the STARTTLS', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); startTls(c, 2); answer(c, 2);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 3], 2]]);
    expect(runRule(ID, c.events)[0].message).toBe('STARTTLS xid 2 is not the first message on the connection: another came before it (frame 1), and TLS is asked for by the very first message (RFC 7653 §8.2)');
    const same = new BulkConversation(); // pipelined in one segment with a query before it
    same.query(1); same.send(0, 23, 2, [], 1);
    expect(judge(ID, same)).toEqual([[ID, 'violation', 'error', [1], 2]]);
  });

  it('is inconclusive about a late STARTTLS when the start was not captured or octets were lost; silent when nothing came before', () => {
    const c = new BulkConversation({ syn: false });
    c.query(1); c.emptyReply(1); startTls(c, 2);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 2]]);
    const g = new BulkConversation();
    g.query(1); g.gap(1); startTls(g, 2);
    expect(judge(ID, g)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 2]]);
    const m = new BulkConversation({ syn: false });
    startTls(m); answer(m);
    expect(judge(ID, m)).toEqual([]);
  });

  it('warns about a STARTTLS carrying options', () => {
    const c = new BulkConversation();
    startTls(c, 5, [O.clientId()]); answer(c, 5);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [1], 5]]);
    const f = runRule(ID, c.events)[0];
    expect(f.level).toBe('SHOULD');
    expect(f.message).toBe('STARTTLS xid 5 carries 14 octets of options; it should carry none (RFC 7653 §6.2.2)');
  });

  it('reports an answer that is neither an accept nor TLSConnectionRefused', () => {
    const c = new BulkConversation();
    startTls(c); answer(c, 1, 10);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 2], 1]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server answered STARTTLS xid 1 with REPLY with status 10; the answer is a REPLY without a status code (TLS accepted) or with TLSConnectionRefused (RFC 7653 §8.2, §9.1)');
    const d = new BulkConversation();
    startTls(d); d.data(1);
    expect(judge(ID, d)).toEqual([[ID, 'violation', 'error', [1, 2], 1]]);
  });

  it('is inconclusive about the answer after a server-side loss, and does not judge it while earlier queries are unanswered', () => {
    const c = new BulkConversation();
    startTls(c); c.gap(1); c.data(1);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 3], 1]]);
    const q = new BulkConversation();
    q.query(1); startTls(q, 2); q.emptyReply(1);
    expect(judge(ID, q)).toEqual([[ID, 'violation', 'error', [1, 2], 2]]); // only the late STARTTLS
  });

  it('reports a requestor that queries in plaintext after a refusal, once', () => {
    const c = new BulkConversation();
    startTls(c); answer(c, 1, 15); active(c, 2, 2); c.emptyReply(2); active(c, 3); c.finish();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 2, 3], 1]]);
    const f = runRule(ID, c.events)[0];
    expect(messageIdOf(ID, f)).toBe('kept-querying');
    expect(f.message).toBe('the requestor sent ACTIVELEASEQUERY xid 2 2 s after the server refused TLS (TLSConnectionRefused) to STARTTLS xid 1, instead of closing the connection (RFC 7653 §8.2)');
  });

  it('does not count a requestor message that may have crossed the refusal (in-flight window), and then wants the close', () => {
    const c = new BulkConversation();
    startTls(c); answer(c, 1, 15); active(c, 2, 0.05); c.fin(0, undefined, 1); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const n = new BulkConversation();
    startTls(n); answer(n, 1, 15); active(n, 2, 0.05); n.fin(0, undefined, 30); n.fin(1); n.close('fin');
    expect(judge(ID, n)).toEqual([[ID, 'violation', 'error', [1, 2, 4], 1]]);
    expect(messageIdOf(ID, runRule(ID, n.events)[0])).toBe('no-close');
  });

  it('reports a late close, and traffic past the tolerance', () => {
    const c = new BulkConversation();
    startTls(c); answer(c, 1, 15); c.fin(0, undefined, 20); c.fin(1); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 2, 3], 1]]);
    const t = new BulkConversation();
    startTls(t); answer(t, 1, 15); t.data(1, undefined, undefined); t.send(1, 16, 1, [], undefined, 10); t.captureEnd();
    expect(judge(ID, t)).toEqual([[ID, 'violation', 'error', [1, 2, 4], 1]]);
  });

  it('is inconclusive when the capture ends within the tolerance, a violation after it; stands aside when the server closes first', () => {
    const c = new BulkConversation();
    startTls(c); answer(c, 1, 15); c.captureEnd(undefined, 2);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 1]]);
    expect(messageIdOf(ID, runRule(ID, c.events)[0])).toBe('capture-end');
    const e = new BulkConversation();
    startTls(e); answer(e, 1, 15); e.captureEnd(undefined, 60);
    expect(judge(ID, e)).toEqual([[ID, 'violation', 'error', [1, 2], 1]]);
    const s = new BulkConversation();
    startTls(s); answer(s, 1, 15); s.fin(1); s.fin(0, undefined, 40); s.close('fin');
    expect(judge(ID, s)).toEqual([]);
    const r = new BulkConversation();
    startTls(r); answer(r, 1, 15); r.close('reused', [0, 0], undefined, 1);
    expect(judge(ID, r)).toEqual([[ID, 'inconclusive', 'error', [1, 2, 3], 1]]);
  });

  it('takes the tolerance and the in-flight window from the config', () => {
    const c = new BulkConversation();
    startTls(c); answer(c, 1, 15); active(c, 2, 2); c.fin(0, undefined, 20); c.close('fin');
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { tolerance: 60, 'in-flight': 3 } } } } })).toEqual([]);
  });

  it('says nothing under the draft-01 profile, which predates STARTTLS', () => {
    const codes = { 'LEASEQUERY-DONE': 250, 'LEASEQUERY-DATA': 251, OPTION_RELAY_ID: 252, QueryTerminated: 253 };
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1); startTls(c, 2, [O.clientId()]); answer(c, 2, 10);
    expect(judge(ID, c, { profile: 'draft-01', config: { codes, rules: { [ID]: { enabled: true } } } })).toEqual([]);
  });
});
