// BLQ-QT-NOT-OVER-UDP-SERVER: UnknownQueryType from a server seen serving bulk over TCP in the capture
// (violation) or not (INFO), NotAllowed, data returned.
import { describe, expect, it } from 'vitest';
import { runRule } from '../../kit/rule-harness.js';
import type { EventTuple } from '../../kit/rule-harness.js';
import { decoded, duidLL, lq, lqExchange, m, opt, scenarioEvents } from '../../kit/udp-scenario.js';
import type { MessageRecord } from '../../../src/dhcpv6/types.js';

const ID = 'BLQ-QT-NOT-OVER-UDP-SERVER';
const SRV = duidLL(0x101);
const q = lq.query(3, opt.lqQuery(5, '::', opt.remoteId(9, '0102')));
const bulkReply: MessageRecord = {
  input: 0, frame: 99, frames: [99], time: 1732262500, transport: 'tcp', src: '2001:db8::a', dst: '2001:db8::60',
  srcPort: 547, dstPort: 40000, hopLimit: 64, message: decoded(m(15, 7, opt.serverId(SRV))), direction: 1,
};
const run = (status: number, bulk: boolean, query = q) => {
  const events = scenarioEvents(lqExchange(query, lq.reply(3, SRV, opt.status(status))));
  const end = events.pop()!;
  if (bulk) events.push(['message', bulkReply] as EventTuple);
  events.push(end);
  return runRule(ID, events).map((f) => [f.ruleId, f.verdict, f.severity, f.frames, f.xid]);
};

describe(ID, () => {
  it('reports UnknownQueryType from a server seen serving bulk leasequery later in the capture', () => {
    expect(run(7, true)).toEqual([[ID, 'violation', 'error', [1, 2], 3]]);
  });
  it('only notes (INFO) UnknownQueryType from a server not seen serving bulk', () => {
    expect(run(7, false)).toEqual([[ID, 'violation', 'info', [1, 2], 3]]);
  });
  it('accepts MalformedQuery for a malformed LQ_QUERY, not for a well-formed one', () => {
    // LQ_QUERY of 4 octets: type 5, then too short for the link-address (LQ-QUERY-STRUCTURE's defect).
    expect(run(8, true, lq.query(3, opt.raw(44, '05000000')))).toEqual([]);
    expect(run(8, true)).toEqual([[ID, 'violation', 'error', [1, 2], 3]]);
  });
  it('accepts NotAllowed, and always reports returned data', () => {
    expect(run(10, true)).toEqual([]);
    const sc = lqExchange(q, lq.reply(3, SRV, lq.clientData()));
    expect(runRule(ID, scenarioEvents(sc)).map((f) => [f.verdict, f.severity, f.frames])).toEqual([['violation', 'error', [1, 2]]]);
  });
});
