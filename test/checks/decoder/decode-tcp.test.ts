// DECODE-TCP: tcp-layer anomalies become findings (violation, info); other layers are left to their own rule.
import { describe, expect, it } from 'vitest';
import { judge, type EventTuple } from '../../kit/rule-harness.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';

const ID = 'DECODE-TCP';
const ev = (a: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'layer' | 'name'>): EventTuple =>
  ['anomaly', { message: 'detail', frames: [7], time: 1, ...a }];

describe(ID, () => {
  it('reports a tcp anomaly with its name', () => {
    const events = [ev({ layer: 'tcp', name: 'tcp.gap', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'info', [7], undefined]]);
  });

  it('ignores anomalies of other layers', () => {
    const events = [ev({ layer: 'ip', name: 'x.y' })];
    expect(judge(ID, { events })).toEqual([]);
  });
});

describe(`${ID} grading`, () => {
  it('grades conflicting overlaps as warning', () => {
    const events = [ev({ layer: 'tcp', name: 'tcp.overlap_conflict', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'warning', [7], undefined]]);
  });
});
