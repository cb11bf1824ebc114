// BLQ-FRAME-SIZE: a message-size too small to hold a message is a violation; framing lost after loss is not.
import { describe, expect, it } from 'vitest';
import { BulkConversation, judge } from '../../kit/rule-harness.js';

const ID = 'BLQ-FRAME-SIZE';

describe(ID, () => {
  it('says nothing on well-framed streams', () => {
    const c = new BulkConversation();
    c.query(1); c.emptyReply(1);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports a message-size below 4', () => {
    const c = new BulkConversation();
    c.query(1);
    c.correlator.desync(c.conn, 1, { name: 'dhcpv6.bulk.bad_frame', message: 'message-size 2 cannot hold a msg-type and transaction-id (RFC 5460 §5.1)' }, 2, c.time);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [2], undefined]]);
  });

  it('is inconclusive after a gap, for oversized frames and for undecodable bytes', () => {
    const c = new BulkConversation();
    c.gap(1);
    c.correlator.desync(c.conn, 1, { name: 'dhcpv6.bulk.bad_frame', message: 'message-size 2 cannot hold a msg-type' }, 2, c.time);
    expect(judge(ID, c)).toEqual([[ID, 'inconclusive', 'error', [2], undefined]]);
    const d = new BulkConversation();
    d.correlator.desync(d.conn, 0, { name: 'dhcpv6.bulk.bad_frame', message: 'message-size 65000 exceeds bulk.max-message-size 16384' }, 1, d.time);
    d.correlator.desync(d.conn, 1, { name: 'dhcpv6.bulk.undecodable', message: 'no plausible frame' }, 2, d.time);
    expect(judge(ID, d)).toEqual([[ID, 'inconclusive', 'error', [1], undefined], [ID, 'inconclusive', 'error', [2], undefined]]);
  });
});
