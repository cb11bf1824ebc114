// DECODE-LINK: link-layer anomalies become findings (violation, info); other layers are left to their own rule.
import { describe, expect, it } from 'vitest';
import { judge, type EventTuple } from '../../kit/rule-harness.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';

const ID = 'DECODE-LINK';
const ev = (a: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'layer' | 'name'>): EventTuple =>
  ['anomaly', { message: 'detail', frames: [7], time: 1, ...a }];

describe(ID, () => {
  it('reports a link anomaly with its name', () => {
    const events = [ev({ layer: 'link', name: 'link.unknown_type', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'info', [7], undefined]]);
  });

  it('ignores anomalies of other layers', () => {
    const events = [ev({ layer: 'ip', name: 'x.y' })];
    expect(judge(ID, { events })).toEqual([]);
  });
});
