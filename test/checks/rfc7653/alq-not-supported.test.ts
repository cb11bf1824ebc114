// ALQ-NOT-SUPPORTED: a bulk-only server answers an ACTIVELEASEQUERY with REPLY NotSupported and closes.
import { describe, expect, it } from 'vitest';
import { BulkConversation, O, judge, runRule } from '../../kit/rule-harness.js';

const ID = 'ALQ-NOT-SUPPORTED';
const active = (c: BulkConversation, xid: number): number => c.send(0, 22, xid, [O.clientId()]);
const notSupported = (c: BulkConversation, xid: number, dt?: number): number => c.send(1, 15, xid, [O.serverId(), O.clientId(), O.status(14)], undefined, dt);

describe(ID, () => {
  it('accepts NotSupported followed by the server closing', () => {
    const c = new BulkConversation();
    active(c, 1); notSupported(c, 1); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
    const r = new BulkConversation();
    active(r, 1); notSupported(r, 1); r.rst(1); r.close('rst');
    expect(judge(ID, r)).toEqual([]);
  });

  it('warns when the server closes late, with the query, the REPLY and the late FIN', () => {
    const c = new BulkConversation();
    active(c, 4); notSupported(c, 4); c.fin(1, undefined, 30); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [1, 2, 3], 4]]);
    expect(runRule(ID, c.events)[0].message).toBe('the server did not close the connection within 5 s of its LEASEQUERY-REPLY NotSupported to the ACTIVELEASEQUERY with xid 4');
  });

  it('warns when the connection carries on past the tolerance, once', () => {
    const c = new BulkConversation();
    active(c, 1); notSupported(c, 1); c.send(0, 14, 2, [O.clientId(), O.lqQuery(2, undefined, [O.clientId(0x77)])], undefined, 10); c.emptyReply(2); c.finish();
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [1, 2, 3], 1]]);
  });

  it('warns when the capture ends after the tolerance and is inconclusive when it ends within it', () => {
    const c = new BulkConversation();
    active(c, 1); notSupported(c, 1); c.captureEnd(undefined, 30); // the REPLY is the capture's last frame
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'warning', [1, 2], 1]]);
    const d = new BulkConversation();
    active(d, 1); notSupported(d, 1); d.captureEnd();
    expect(judge(ID, d)).toEqual([[ID, 'inconclusive', 'warning', [1, 2], 1]]);
    expect(runRule(ID, d.events)[0].message).toBe('the capture ended less than 5 s after the LEASEQUERY-REPLY NotSupported to the ACTIVELEASEQUERY with xid 1, before the server closed');
  });

  it('takes the tolerance from the config', () => {
    const c = new BulkConversation();
    active(c, 1); notSupported(c, 1); c.fin(1, undefined, 30); c.close('fin');
    expect(judge(ID, c, { config: { rules: { [ID]: { options: { tolerance: 60 } } } } })).toEqual([]);
  });

  it('stands aside when the requestor closes first', () => {
    const c = new BulkConversation();
    active(c, 1); notSupported(c, 1); c.fin(0); c.fin(1, undefined, 30); c.close('fin');
    expect(judge(ID, c)).toEqual([]);
  });

  it('does not judge a server that supports active leasequery or refuses it for another reason', () => {
    const c = new BulkConversation();
    active(c, 1); c.reply(1); c.data(1); c.captureEnd(undefined, 100);
    expect(judge(ID, c)).toEqual([]);
    const d = new BulkConversation();
    active(d, 1); d.emptyReply(1, [O.status(8)]); d.captureEnd(undefined, 100);
    expect(judge(ID, d)).toEqual([]);
  });

  it('does not judge NotSupported to a bulk LEASEQUERY', () => {
    const c = new BulkConversation();
    c.query(1); notSupported(c, 1); c.captureEnd(undefined, 100);
    expect(judge(ID, c)).toEqual([]);
  });

  it('is inconclusive when the server closes without any REPLY (a secure-mode server may do so)', () => {
    const c = new BulkConversation();
    active(c, 2); c.fin(1); c.fin(0); c.close('fin');
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'warning', [1, 2], 2]]);
    const d = new BulkConversation();
    active(d, 2); d.fin(0); d.fin(1); d.close('fin');
    expect(judge(ID, d)).toEqual([]);
  });

  it('is inconclusive when a new connection on the same 4-tuple or an idle timeout ends the wait', () => {
    const c = new BulkConversation();
    active(c, 1); notSupported(c, 1); c.close('reused', [0, 0], undefined, 30);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3], 1]]);
    const d = new BulkConversation();
    active(d, 1); notSupported(d, 1); d.close('timeout', [0, 0], undefined, 30);
    expect(judge(ID, d)).toEqual([[ID, 'inconclusive', 'warning', [1, 2, 3], 1]]);
  });
});
