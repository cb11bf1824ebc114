// BLQ-QT-RELAYID-OPTION: QUERY_BY_RELAY_ID carries OPTION_RELAY_ID inside OPTION_LQ_QUERY.
import { describe, expect, it } from 'vitest';
import { defaultCodec } from '../../../src/dhcpv6/codec.js';
import { BulkConversation, O, judge, runChecks } from '../../kit/rule-harness.js';

const ID = 'BLQ-QT-RELAYID-OPTION';

describe(ID, () => {
  it('accepts the option inside the query-options', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(3, undefined, [O.relayId()])]);
    expect(judge(ID, c)).toEqual([]);
  });

  it('reports it missing, and misplaced at the top level', () => {
    const c = new BulkConversation();
    c.query(1, [O.clientId(), O.lqQuery(3)]); c.query(2, [O.clientId(), O.relayId(), O.lqQuery(3)]);
    expect(judge(ID, c)).toEqual([[ID, 'violation', 'error', [1], 1], [ID, 'violation', 'error', [2], 2]]);
  });

  it('stands aside when the query-options do not parse: LQ-QUERY-STRUCTURE reports the one defect', () => {
    // QUERY_BY_RELAY_ID whose only query-option claims 20 octets and has 6: the Relay-ID may be the
    // cut option, so "missing" would be a guess about a defect the structure rule already names.
    const hex = `0e0000030001000a00030001001122334499002c001d03${'00'.repeat(16)}00350014000300010011`;
    const m = defaultCodec.decodeMessage(Buffer.from(hex, 'hex'));
    const c = new BulkConversation();
    c.query(3, m.options);
    const ids = new Set([ID, 'BLQ-QT-REMOTEID-OPTION', 'LQ-QUERY-STRUCTURE']);
    expect(runChecks(c.events).filter((f) => ids.has(f.ruleId)).map((f) => [f.ruleId, f.verdict, f.frames, f.xid]))
      .toEqual([['LQ-QUERY-STRUCTURE', 'violation', [1], 3]]);
  });
});
