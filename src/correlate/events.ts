// The correlate stage's event catalog: the only way capture state reaches the rules (STYLE.md habit 5).
// Bulk events are defined in bulk-events.ts, client/UDP events in client-events.ts.

import type { MessageRecord } from '../dhcpv6/types.js';
import type { BulkEvents } from './bulk-events.js';
import type { ClientEvents } from './client-events.js';

/** Layer an anomaly comes from; each maps to one DECODE-* rule. */
export type AnomalyLayer = 'capture' | 'link' | 'ip' | 'tcp' | 'dhcpv6' | 'limit';

/** A decoder, reassembly or limit anomaly, for the DECODE-* rules. */
export interface AnomalyEvent {
  layer: AnomalyLayer;
  /** Dotted name, e.g. `tcp.gap`, `dhcpv6.option.bad_length`, `limit.open_transactions`. */
  name: string;
  message: string;
  frames: number[];
  time: number;
  connection?: string;
  xid?: number;
  /** Capture layer: where the damage is, as a byte offset in the (decompressed) input. */
  offset?: number;
}

export interface CoreEvents {
  /** Every decoded DHCPv6 message, UDP or TCP, in frame order. */
  message: MessageRecord;
  /**
   * The `message` events of one transport, for rules that judge only UDP or only TCP messages (a
   * handler fewer per message of the other). Derived by the engine from `message`, in the same
   * place among a rule's handlers; the correlate stage never emits these itself.
   */
  'message:udp': MessageRecord;
  'message:tcp': MessageRecord;
  anomaly: AnomalyEvent;
  /** Once per input, after its last frame (open state is flushed before this). */
  'capture:end': { input: number; lastFrame: number; time: number };
}

export type Events = CoreEvents & BulkEvents & ClientEvents;
export type EventName = keyof Events;
