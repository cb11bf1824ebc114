// ALQ-BASE-TIME-EVERY-REPLY: a query that asks for OPTION_LQ_BASE_TIME gets it in every REPLY, DATA and DONE.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runRule } from '../../kit/rule-harness.js';
import { asksBaseTime } from '../../../src/checks/rfc7653/alq-base-time-every-reply.js';

const ID = 'ALQ-BASE-TIME-EVERY-REPLY';
const oro = (...codes: number[]) => O.opt(6, codes.flatMap((c) => [c >> 8, c & 0xff]));
const bt = (t = 0x2f000000) => O.opt(100, [t >>> 24, (t >> 16) & 0xff, (t >> 8) & 0xff, t & 0xff]);
/** A bulk LEASEQUERY by client-id with an ORO at the top level (or inside OPTION_LQ_QUERY). */
const asking = (inside = false) => inside
  ? [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77), oro(100)])]
  : [O.clientId(), oro(23, 100), O.lqQuery(2, undefined, [O.clientId(0x77)])];
const reply = (...extra: ReturnType<typeof bt>[]) => [O.serverId(), O.clientId(), O.clientData(), ...extra];

describe(ID, () => {
  it('finds the ORO at the top level or inside OPTION_LQ_QUERY, and nothing else', () => {
    const c = new BulkConversation();
    c.send(0, 14, 1, asking()); c.send(0, 14, 2, asking(true)); c.query(3); c.send(0, 14, 4, [O.clientId(), oro(23, 24)]);
    const m = c.events.filter(([k]) => k === 'message').map(([, r]) => asksBaseTime((r as { message: Parameters<typeof asksBaseTime>[0] }).message));
    expect(m).toEqual([true, true, false, false]);
  });

  it('accepts every answer carrying the option, either ORO place', () => {
    for (const inside of [false, true]) {
      const c = new BulkConversation();
      c.send(0, 14, 1, asking(inside)); c.reply(1, reply(bt())); c.data(1, [O.clientData(0x78), bt()]); c.done(1, [bt()]); c.finish();
      expect(judge(ID, c)).toEqual([]);
    }
  });

  it('reports the first answer without it once, with the query frame', () => {
    const c = new BulkConversation();
    c.send(0, 14, 7, asking(true)); c.reply(7, reply(bt())); c.data(7); c.data(7); c.done(7); c.finish();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 3], 7]]);
    expect(runRule(ID, c.events)[0].message).toBe('the LEASEQUERY with xid 7 asked for OPTION_LQ_BASE_TIME in its ORO, but the server\'s LEASEQUERY-DATA for it does not carry the option');
  });

  it('holds an error REPLY to it too when the server shows it implements RFC 7653', () => {
    // The server sent the option on the connection before (xid 1), then an error REPLY without it (xid 2).
    const c = new BulkConversation();
    c.send(0, 14, 1, asking()); c.emptyReply(1, [bt()]);
    c.send(0, 14, 2, asking()); c.emptyReply(2, [O.status(9)]); c.finish();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [3, 4], 2]]);
  });

  it('reports an accepted active query whose answers lack it', () => {
    const c = new BulkConversation();
    c.send(0, 22, 5, [O.clientId(), oro(100)]); c.reply(5, reply()); c.data(5); c.captureEnd();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1, 2], 5]]);
  });

  it('is inconclusive when the server never sent the option (it may not implement RFC 7653)', () => {
    const c = new BulkConversation();
    c.send(0, 14, 1, asking()); c.reply(1); c.data(1); c.done(1); c.finish();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 2], 1]]);
  });

  it('leaves a NotSupported REPLY to an active query to ALQ-NOT-SUPPORTED', () => {
    const c = new BulkConversation();
    c.send(0, 14, 1, asking()); c.emptyReply(1, [bt()]);
    c.send(0, 22, 2, [O.clientId(), oro(100)]); c.emptyReply(2, [O.status(14)]); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('is inconclusive after a loss (the answer may be another query\'s) or for a damaged answer', () => {
    const c = new BulkConversation();
    c.send(0, 14, 1, asking()); c.reply(1, reply(bt())); c.gap(0); c.data(1); c.done(1, [bt()]); c.finish();
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [1, 4], 1]]);
  });

  it('does not look at queries that did not ask', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1); c.data(1); c.done(1); c.send(0, 14, 2, [O.clientId(), oro(23)]); c.emptyReply(2); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });
});
