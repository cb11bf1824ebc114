// DECODE-CAPTURE: capture-layer anomalies become findings (violation, warning); other layers are left to their own rule.
import { describe, expect, it } from 'vitest';
import { judge, runRule, type EventTuple } from '../../kit/rule-harness.js';
import type { AnomalyEvent } from '../../../src/correlate/events.js';

const ID = 'DECODE-CAPTURE';
const ev = (a: Partial<AnomalyEvent> & Pick<AnomalyEvent, 'layer' | 'name'>): EventTuple =>
  ['anomaly', { message: 'detail', frames: [7], time: 1, ...a }];

describe(ID, () => {
  it('reports a capture anomaly with its name', () => {
    const events = [ev({ layer: 'capture', name: 'pcap.truncated_record', connection: 'c1' })];
    expect(judge(ID, { events })).toEqual([[ID, 'violation', 'warning', [7], undefined]]);
  });

  it('says where in the file the damage is when the reader knows the offset', () => {
    const events = [ev({ layer: 'capture', name: 'pcap.bad_record_length', message: 'record header claims 9 bytes', offset: 504 })];
    expect(runRule(ID, events).map((f) => f.message)).toEqual(['pcap.bad_record_length at byte 504 of the capture data: record header claims 9 bytes']);
  });

  it('ignores anomalies of other layers', () => {
    const events = [ev({ layer: 'ip', name: 'x.y' })];
    expect(judge(ID, { events })).toEqual([]);
  });
});
