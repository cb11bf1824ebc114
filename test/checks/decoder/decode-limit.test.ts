// DECODE-LIMIT: limit-layer anomalies become findings (inconclusive, info); other layers are left to their own rule.
import { describe, expect, it } from 'vitest';
import { judge, type EventTuple } from '../../kit/rule-harness.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';

const ID = 'DECODE-LIMIT';
const ev = (a: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'layer' | 'name'>): EventTuple =>
  ['anomaly', { message: 'detail', frames: [7], time: 1, ...a }];

describe(ID, () => {
  it('reports a limit anomaly with its name', () => {
    const events = [ev({ layer: 'limit', name: 'limit.reassembly_memcap', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'inconclusive', 'info', [7], undefined]]);
  });

  it('ignores anomalies of other layers', () => {
    const events = [ev({ layer: 'ip', name: 'x.y' })];
    expect(judge(ID, { events })).toEqual([]);
  });
});

describe(`${ID} volume`, () => {
  it('keeps one inconclusive per limit and connection', () => {
    const events = [ev({ layer: 'limit', name: 'limit.a', connection: 'c1' }), ev({ layer: 'limit', name: 'limit.a', connection: 'c1', frames: [8] }),
      ev({ layer: 'limit', name: 'limit.b', connection: 'c1', frames: [9] })];
    expect(judge(ID, { events }).map((f) => f[3])).toEqual([[7], [9]]);
  });
});
