// DECODE-DHCPV6: dhcpv6-layer anomalies become findings (violation, warning); other layers are left to their own rule.
import { describe, expect, it } from 'vitest';
import { judge, type EventTuple } from '../../kit/rule-harness.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';

const ID = 'DECODE-DHCPV6';
const ev = (a: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'layer' | 'name'>): EventTuple =>
  ['anomaly', { message: 'detail', frames: [7], time: 1, ...a }];

describe(ID, () => {
  it('reports a dhcpv6 anomaly with its name', () => {
    const events = [ev({ layer: 'dhcpv6', name: 'dhcpv6.option.bad_length', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'warning', [7], undefined]]);
  });

  it('ignores anomalies of other layers', () => {
    const events = [ev({ layer: 'dhcpv6' === 'ip' ? 'tcp' : 'ip', name: 'x.y' })];
    expect(judge(ID, { events })).toEqual([]);
  });
});

describe(`${ID} boundaries`, () => {
  it('leaves bulk framing anomalies to BLQ-FRAME-SIZE and keeps the xid', () => {
    const events = [ev({ layer: 'dhcpv6', name: 'dhcpv6.bulk.bad_frame' }), ev({ layer: 'dhcpv6', name: 'dhcpv6.option.overrun', xid: 42, frames: [9] })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'warning', [9], 42]]);
  });
});
