// BLQ-QT-REMOTEID-OPTION: QUERY_BY_REMOTE_ID carries a Remote-ID inside OPTION_LQ_QUERY.
import { describe, expect, it } from 'vitest';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import { BulkConversation, O, judge, runChecks } from '../../kit/rule-harness.js';

const ID = 'BLQ-QT-REMOTEID-OPTION';

describe(ID, () => {
  it('accepts a Remote-ID in the query-options', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(5, undefined, [O.remoteId()])]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports it missing, misplaced, and too short', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(5)]);
    c.query(2, [O.clientId(), O.remoteId(), O.lqQuery(5)]);
    c.query(3, [O.clientId(), O.lqQuery(5, undefined, [O.remoteId(4)])]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1], 1], [ID, 'violation', 'error', [2], 2], [ID, 'violation', 'error', [3], 3]]);
  });

  it('stands aside when the query-options do not parse: LQ-QUERY-STRUCTURE reports the one defect', () => {
    // QUERY_BY_REMOTE_ID whose only query-option claims 12 octets and has 4: it may be the Remote-ID.
    const hex = `0e0000040001000a00030001001122334499002c001905${'00'.repeat(16)}0025000c00000009`;
    const m = defaultCodec.decodeMessage(Buffer.from(hex, 'hex'));
    const c = new BulkConversation();
    c.query(4, m.options);
    const ids = new Set([ID, 'BLQ-QT-RELAYID-OPTION', 'LQ-QUERY-STRUCTURE']);
    expect(runChecks(c.events).filter((f) => ids.has(f.ruleId)).map((f) => [f.ruleId, f.verdict, f.frames, f.xid]))
      .toEqual([['LQ-QUERY-STRUCTURE', 'violation', [1], 4]]);
  });
});
