// DECODE-IP: ip-layer anomalies become findings (violation, warning); other layers are left to their own rule.
import { describe, expect, it } from 'vitest';
import { judge, type EventTuple } from '../../kit/rule-harness.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';

const ID = 'DECODE-IP';
const ev = (a: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'layer' | 'name'>): EventTuple =>
  ['anomaly', { message: 'detail', frames: [7], time: 1, ...a }];

describe(ID, () => {
  it('reports a ip anomaly with its name', () => {
    const events = [ev({ layer: 'ip', name: 'ipv6.frag.overlap', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'warning', [7], undefined]]);
  });

  it('ignores anomalies of other layers', () => {
    const events = [ev({ layer: 'tcp', name: 'x.y' })];
    expect(judge(ID, { events })).toEqual([]);
  });
});
