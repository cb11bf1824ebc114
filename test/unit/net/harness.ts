// Test harness for the network stage: feeds capture records to a NetDecoder and records every output.

import { NetDecoder, type NetOptions } from '../../../src/net/decoder.js';
import type { FrameClass, NetAnomaly, TcpCloseReason, TcpConnection, TcpDirection, UdpDatagram } from '../../../src/net/types.js';
import { concat } from '../../kit/packets.js';
import type { Frame } from '../../../src/capture/types.js';
import { createCaptureParser } from '../../../src/capture/sniff.js';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Reads a committed capture (path relative to the repository) into frames with the project's reader. */
export function readFrames(path: string): Frame[] {
  const frames: Frame[] = [];
  const p = createCaptureParser({ info: () => {}, frame: (f) => frames.push(f), anomaly: (a) => { throw new Error(a.message); } });
  p.push(readFileSync(join(root, path)));
  p.end();
  return frames;
}

export interface Rec { tsSec: number; tsNsec: number; data: Uint8Array; linkType?: number }

export type StreamEvent =
  | { ev: 'open'; conn: number; frame: number }
  | { ev: 'data'; conn: number; dir: TcpDirection; frame: number; bytes: Uint8Array }
  | { ev: 'gap'; conn: number; dir: TcpDirection; frame: number; size: number }
  | { ev: 'fin' | 'rst'; conn: number; dir: TcpDirection; frame: number }
  | { ev: 'close'; conn: number; frame: number; reason: TcpCloseReason };

export interface RunResult {
  classes: Map<number, FrameClass>;
  /** frame → number of classify() calls (must be 1 each). */
  calls: Map<number, number>;
  counts: Record<FrameClass, number>;
  udp: UdpDatagram[];
  anomalies: NetAnomaly[];
  events: StreamEvent[];
  conns: TcpConnection[];
  duplicates: Array<[number, number]>;
  /** Reassembled bytes per connection id and direction. */
  stream(conn: number, dir: TcpDirection): Uint8Array;
  frames: number;
}

export function run(records: Array<Rec | Frame>, options: NetOptions = {}, linkType = 1, udpClass: (d: UdpDatagram) => FrameClass = () => 'dhcpv6'): RunResult {
  const classes = new Map<number, FrameClass>();
  const calls = new Map<number, number>();
  const counts: Record<FrameClass, number> = { dhcpv6: 0, other: 0, malformed: 0, dropped: 0 };
  const udp: UdpDatagram[] = [];
  const anomalies: NetAnomaly[] = [];
  const events: StreamEvent[] = [];
  const conns: TcpConnection[] = [];
  const duplicates: Array<[number, number]> = [];
  const dec = new NetDecoder(options, {
    udp: (d) => { udp.push(d); return udpClass(d); },
    anomaly: (a) => anomalies.push(a),
    classify: (f, c) => { classes.set(f, c); calls.set(f, (calls.get(f) ?? 0) + 1); counts[c]++; },
    duplicate: (f, of) => duplicates.push([f, of]),
    tcp: {
      open: (c, frame) => { conns.push(c); events.push({ ev: 'open', conn: c.id, frame }); },
      data: (c, dir, bytes, frame) => events.push({ ev: 'data', conn: c.id, dir, frame, bytes: bytes.slice() }),
      gap: (c, dir, size, frame) => events.push({ ev: 'gap', conn: c.id, dir, frame, size }),
      fin: (c, dir, frame) => events.push({ ev: 'fin', conn: c.id, dir, frame }),
      rst: (c, dir, frame) => events.push({ ev: 'rst', conn: c.id, dir, frame }),
      close: (c, reason, frame) => events.push({ ev: 'close', conn: c.id, frame, reason }),
    },
  });
  records.forEach((r, i) => {
    if ('index' in r) { dec.handleFrame(r); return; }
    dec.handleFrame({
      index: i + 1, tsSec: r.tsSec, tsNsec: r.tsNsec, linkType: r.linkType ?? linkType, interfaceId: 0,
      data: r.data, origLength: r.data.length, offset: 0,
    });
  });
  dec.finish();
  return {
    classes, calls, counts, udp, anomalies, events, conns, duplicates, frames: records.length,
    stream(conn, dir) {
      return concat(...events.flatMap((e) => (e.ev === 'data' && e.conn === conn && e.dir === dir ? [e.bytes] : [])));
    },
  };
}

/** Records with 1 ms spacing from raw link-layer frames. */
export function recs(frames: Uint8Array[], linkType?: number, start = 1700000000): Rec[] {
  return frames.map((data, i) => ({ tsSec: start, tsNsec: i * 1_000_000, data, linkType }));
}

/** Events without the data bytes, for compact comparisons. */
export function shape(r: RunResult): string[] {
  return r.events.map((e) => {
    switch (e.ev) {
      case 'open': return `open#${e.conn}@${e.frame}`;
      case 'data': return `data#${e.conn}.${e.dir}@${e.frame}:${e.bytes.length}`;
      case 'gap': return `gap#${e.conn}.${e.dir}@${e.frame}:${e.size}`;
      case 'close': return `close#${e.conn}@${e.frame}:${e.reason}`;
      default: return `${e.ev}#${e.conn}.${e.dir}@${e.frame}`;
    }
  });
}

/** Every frame classified exactly once and the counts add up. */
export function accountingOk(r: RunResult): boolean {
  if (r.classes.size !== r.frames) return false;
  for (let f = 1; f <= r.frames; f++) if (r.calls.get(f) !== 1) return false;
  const c = r.counts;
  return c.dhcpv6 + c.other + c.malformed + c.dropped === r.frames;
}

export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
