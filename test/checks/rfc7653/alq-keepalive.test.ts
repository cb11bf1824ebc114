// ALQ-KEEPALIVE: an idle active connection hears from the server every ACTIVE_LQ_IDLE_TIMEOUT (RFC 7653 §8.4).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, messageIdOf, runRule } from '../../kit/rule-harness.js';

const ID = 'ALQ-KEEPALIVE';
const active = (c: BulkConversation, xid = 1): number => c.send(0, 22, xid, [O.clientId(), O.lqQuery(4)]);
/** A keep-alive: LEASEQUERY-DATA without OPTION_CLIENT_DATA, `dt` seconds after the previous frame. */
const keepalive = (c: BulkConversation, xid = 1, dt = 60): number => c.send(1, 17, xid, [], undefined, dt);

describe(ID, () => {
  it('accepts keep-alives and updates at most ACTIVE_LQ_IDLE_TIMEOUT (+ tolerance) apart, to the end of the capture', () => {
    const c = new BulkConversation();
    active(c); c.emptyReply(1); keepalive(c, 1, 60); c.send(1, 17, 1, [O.clientData(0x41)], undefined, 35); keepalive(c, 1, 69);
    c.captureEnd(undefined, 50);
    expect(judge(ID, c)).toEqual([]);
  });

  it('notes a silence between two server messages, citing the REPLY, the last message and the next', () => {
    const c = new BulkConversation();
    active(c, 7); c.emptyReply(7); keepalive(c, 7, 60); keepalive(c, 7, 125); keepalive(c, 7, 200); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [2, 3, 4], 7]]); // once per connection
    const f = runRule(ID, c.events)[0];
    expect(f.level).toBe('SHOULD');
    expect(f.message).toBe('the server sent nothing for 125 s on the active query xid 7 (after frame 3, until frame 4); while idle it should send a LEASEQUERY-DATA at least every ACTIVE_LQ_IDLE_TIMEOUT (60 s, RFC 7653 §8.4)');
  });

  it('judges the silence up to the first FIN or RST, and up to the capture end while still open', () => {
    const f = new BulkConversation();
    active(f); f.reply(1); f.fin(0, undefined, 300); f.fin(1); f.close('fin');
    expect(judge(ID, f)).toEqual([[ID, 'violation', 'info', [2, 3], 1]]);
    const r = new BulkConversation();
    active(r); r.emptyReply(1); keepalive(r); r.rst(1, undefined, 90); r.close('rst');
    expect(judge(ID, r)).toEqual([[ID, 'violation', 'info', [2, 3, 4], 1]]);
    const e = new BulkConversation();
    active(e); e.emptyReply(1); e.captureEnd(undefined, 100);
    expect(judge(ID, e)).toEqual([[ID, 'violation', 'info', [2], 1]]);
    expect(runRule(ID, e.events)[0].message).toContain('until the end of the capture (frame 2)');
    const short = new BulkConversation();
    active(short); short.emptyReply(1); short.captureEnd(undefined, 65);
    expect(judge(ID, short)).toEqual([]);
  });

  it('is inconclusive when server octets were lost during the silence', () => {
    const c = new BulkConversation();
    active(c); c.emptyReply(1); c.gap(1); keepalive(c, 1, 130); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'info', [2, 4], 1]]);
    expect(messageIdOf(ID, runRule(ID, c.events)[0])).toBe('silent-loss');
    const later = new BulkConversation(); // a loss before the last message does not taint the next silence
    active(later); later.emptyReply(1); later.gap(1); keepalive(later, 1, 30); keepalive(later, 1, 130); later.captureEnd();
    expect(judge(ID, later)).toEqual([[ID, 'violation', 'info', [2, 4, 5], 1]]);
  });

  it('does not judge past a new connection on the 4-tuple or a limit, nor after the DONE', () => {
    const u = new BulkConversation();
    active(u); u.emptyReply(1); u.close('reused', [0, 0], undefined, 500);
    expect(judge(ID, u)).toEqual([]);
    const l = new BulkConversation();
    active(l); l.emptyReply(1); l.close('limit', [0, 0], undefined, 500);
    expect(judge(ID, l)).toEqual([]);
    const d = new BulkConversation();
    active(d); d.emptyReply(1); d.done(1, [O.status(11)]); d.captureEnd(undefined, 500);
    expect(judge(ID, d)).toEqual([]);
  });

  it('watches only active queries with a successful REPLY', () => {
    const b = new BulkConversation();
    b.query(1); b.reply(1); b.captureEnd(undefined, 500);
    expect(judge(ID, b)).toEqual([]);
    const refused = new BulkConversation();
    active(refused); refused.emptyReply(1, [O.status(14)]); refused.captureEnd(undefined, 500);
    expect(judge(ID, refused)).toEqual([]);
    const unanswered = new BulkConversation();
    active(unanswered); unanswered.captureEnd(undefined, 500);
    expect(judge(ID, unanswered)).toEqual([]);
  });

  it('takes ACTIVE_LQ_IDLE_TIMEOUT and the tolerance from the config', () => {
    const c = new BulkConversation();
    active(c); c.emptyReply(1); keepalive(c, 1, 120); c.captureEnd();
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { 'idle-timeout': 120 } } } } })).toEqual([]);
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { tolerance: 0, 'idle-timeout': 30 } } } } })).toEqual([[ID, 'violation', 'info', [2, 3], 1]]);
  });
});
