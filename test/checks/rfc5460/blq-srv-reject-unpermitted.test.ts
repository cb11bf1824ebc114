// BLQ-SRV-REJECT-UNPERMITTED: a connection the server closes at once before any message is noted as a
// rejection; a NotAllowed after which the connection stays open while the requestor goes on, never
// answered otherwise, is inconclusive (RFC 5460 §7.1).
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runChecks, runRule } from '../../kit/rule-harness.js';

const ID = 'BLQ-SRV-REJECT-UNPERMITTED';
const NOT_ALLOWED = [O.serverId(), O.clientId(), O.status(10)];

describe(ID, () => {
  it('notes a connection the server closes or resets right after accepting it, before any message', () => {
    const c = new BulkConversation();
    c.fin(1, 2, 0.02); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [1, 2], undefined]]);
    expect(runRule(ID, c.events)[0].message).toBe("the server closed the connection 0.02 s after the requestor's SYN, before either end sent a message: rejected at accept time (a requestor not permitted, RFC 5460 §7.1, or a connection limit)");
    const d = new BulkConversation();
    d.rst(1, 2); d.close('rst');
    expect(runRule(ID, d.events).map((f) => [f.ruleId, f.severity, f.frames])).toEqual([[ID, 'info', [1, 2]]]);
    expect(runRule(ID, d.events)[0].message).toContain('the server reset the connection');
  });

  it('decides at the server close: a query sent after it changes nothing', () => {
    const c = new BulkConversation();
    c.fin(1, 2); c.query(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'info', [1, 2], undefined]]);
    expect(judge('BLQ-ERROR-BEFORE-REPLY', c)).toEqual([]);
  });

  it('leaves a close on an unanswered query to BLQ-ERROR-BEFORE-REPLY (one defect, one finding)', () => {
    const c = new BulkConversation();
    c.query(1); c.fin(1); c.fin(0); c.close('fin');
    const found = runChecks(c.events).map((f) => f.ruleId);
    expect(found).toContain('BLQ-ERROR-BEFORE-REPLY');
    expect(found).not.toContain(ID);
  });

  it('does not judge a silent connection closed later (an idle close), nor one the requestor leaves first', () => {
    const c = new BulkConversation();
    c.fin(1, 2, 30); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { 'accept-window': 60 } } } } })).toEqual([[ID, 'violation', 'info', [1, 2], undefined]]);
    const d = new BulkConversation();
    d.fin(0, 2); d.fin(1); d.close('fin');
    expect(judge(ID, d)).toEqual([]);
  });

  it('does not judge a connection whose start was not captured, or that lost octets', () => {
    const c = new BulkConversation({ syn: false });
    c.fin(1, 2); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    d.gap(0); d.fin(1); d.fin(0); d.close('fin');
    expect(judge(ID, d)).toEqual([]);
  });

  it('is inconclusive when NotAllowed is all a requestor that goes on gets and the connection stays open', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, NOT_ALLOWED); c.query(2, undefined, undefined); c.reply(2, NOT_ALLOWED);
    c.query(3); c.reply(3, NOT_ALLOWED); c.finish();
    expect(judge(ID, c)).toEqual([]); // all within the tolerance
    const d = new BulkConversation();
    d.query(1); d.reply(1, NOT_ALLOWED);
    d.send(0, 14, 2, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])], undefined, 10);
    d.reply(2, NOT_ALLOWED); d.finish();
    expect(judge(ID, d)).toEqual([[ID, 'inconclusive', 'info', [2, 3], 1]]);
    expect(runRule(ID, d.events)[0].message).toBe('the server answered xid 1 with NotAllowed and kept the connection open; the requestor sent another query 10 s later (tolerance 5 s) and was never answered otherwise: if the requestor itself is not permitted, RFC 5460 §7.1 asks for its connection to be closed at once (if only some query types are refused, keeping it open is right)');
  });

  it('says nothing once the server answers a query otherwise (only the query type was refused)', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, NOT_ALLOWED);
    c.send(0, 14, 2, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])], undefined, 10);
    c.emptyReply(2); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });

  it('says nothing when the server closes after NotAllowed, or the requestor does not go on', () => {
    const c = new BulkConversation();
    c.query(1); c.reply(1, NOT_ALLOWED); c.fin(1); c.send(0, 14, 2, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])], undefined, 10);
    c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    d.query(1); d.reply(1, NOT_ALLOWED); d.captureEnd(undefined, 60);
    expect(judge(ID, d)).toEqual([]);
  });

  it('leaves an active query refused with NotAllowed to the RFC 7653 rules', () => {
    const c = new BulkConversation();
    c.send(0, 22, 1, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])]); c.reply(1, NOT_ALLOWED);
    c.send(0, 22, 2, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])], undefined, 10);
    c.reply(2, NOT_ALLOWED); c.finish();
    expect(judge(ID, c)).toEqual([]);
  });
});
