// The pipeline: one input at a time, frames flow capture → net → dhcpv6 → correlate → engine,
// synchronously per frame. Owns frame accounting (every frame counted once) and turns every
// stage's anomalies into `anomaly` events for the DECODE-* rules.

import type { CaptureAnomaly, CaptureInfo, Frame } from './capture/types.js';
import { frameTime } from './capture/types.js';
import { readCapture, type CaptureInput } from './capture/source.js';
import type { FrameClass, NetAnomaly, UdpDatagram } from './net/types.js';
import { NetDecoder } from './net/decoder.js';
import type { BulkStreamListener, Dhcpv6Codec, MessageRecord } from './dhcpv6/index.js';
import { BulkStreamDecoder, looksLikeBulkLeasequery } from './dhcpv6/index.js';
import type { AnomalyEvent, AnomalyLayer, Events } from './correlate/events.js';
import { BulkCorrelator } from './correlate/bulk.js';
import { ClientCorrelator } from './correlate/client.js';
import type { InputSummary, Stats } from './engine/types.js';

/** DHCPv6 UDP ports (RFC 8415 §7.2). A datagram with either port is decoded as DHCPv6. */
export const DHCPV6_UDP_PORTS: ReadonlySet<number> = new Set([546, 547]);

export type Emit = <K extends keyof Events>(name: K, event: Events[K]) => void;

/** What one run of the pipeline over one input needs from its caller. */
export interface PipelineRun {
  input: number;
  source: CaptureInput;
  codec: Dhcpv6Codec;
  /** TCP ports carrying bulk leasequery besides 547. */
  bulkPorts: number[];
  /** Named limits (dotted keys) passed to the stages. */
  limits: Record<string, number>;
  /** The profile's code points with the user's overrides (draft-01 message and status codes). */
  codes?: Record<string, number>;
  /** Receives every event (core, bulk, client). Absent in decode-only runs. */
  emit?: Emit;
  /** Called for every decoded DHCPv6 message, in frame order (decode command). */
  onMessage?: (record: MessageRecord) => void;
  onProgress?: (bytesRead: number, totalBytes: number | undefined, frames: number) => void;
  /** Called for a frame that repeats an earlier transmission (DESIGN.md "Duplicates"). */
  onDuplicate?: (frame: number, original: number) => void;
  /** Called for every anomaly of any layer, whether or not events are emitted. */
  onAnomaly?: (anomaly: AnomalyEvent) => void;
  /**
   * Live input: the bulk and client correlators are advanced (idle timeouts) once per second of
   * capture time, and once per wall-clock second while no frame arrives.
   */
  live?: boolean;
  stats: Stats;
}

export function emptyStats(): Stats {
  return {
    frames: 0, dhcpv6Frames: 0, otherFrames: 0, malformedFrames: 0, droppedFrames: 0, duplicateFrames: 0,
    dhcpv6Messages: 0, udpTransactions: 0, bulkConnections: 0, bulkQueries: 0, clientSessions: 0,
  };
}

function layerOf(name: string): AnomalyLayer {
  if (name.startsWith('limit.')) return 'limit';
  if (name.startsWith('tcp.')) return 'tcp';
  if (name.startsWith('link.')) return 'link';
  if (name.startsWith('dhcpv6.')) return 'dhcpv6';
  if (name.startsWith('pcap') || name.startsWith('capture.')) return 'capture';
  return 'ip';
}

/** Reads one input through every stage. Resolves with the input's line of the report. */
export async function runInput(run: PipelineRun): Promise<InputSummary> {
  const { stats, codec, emit } = run;
  const path = 'path' in run.source ? run.source.path : run.source.name;
  let info: CaptureInfo | undefined;
  let lastFrame = 0;
  let lastTime = 0;

  const emitAnomaly = (a: AnomalyEvent): void => {
    run.onAnomaly?.(a);
    if (emit) emit('anomaly', a);
  };

  const bulk = emit ? new BulkCorrelator(emit, { ...run.limits, codes: run.codes }) : undefined;
  const client = emit ? new ClientCorrelator(emit, run.limits) : undefined;

  const deliver = (record: MessageRecord): void => {
    stats.dhcpv6Messages++;
    run.onMessage?.(record);
    emit?.('message', record);
    const anomalies = record.message.anomalies;
    for (let i = 0; i < anomalies.length; i++) {
      const a = anomalies[i];
      emitAnomaly({
        layer: 'dhcpv6', name: a.name, message: a.message, frames: record.frames, time: record.time,
        connection: record.connection?.label, xid: record.message.xid,
      });
    }
  };

  // TCP: the RFC 5460 stream decoder feeds the bulk correlator; the pipeline emits `message` first.
  const listener: BulkStreamListener = {
    open: (conn, frame, time) => bulk?.open(conn, frame, time),
    message: (record) => { deliver(record); bulk?.message(record); },
    gap: (conn, dir, size, frame, time) => bulk?.gap(conn, dir, size, frame, time),
    desync: (conn, dir, anomaly, frame, time) => {
      emitAnomaly({ layer: 'dhcpv6', name: anomaly.name, message: anomaly.message, frames: [frame], time, connection: conn.label });
      bulk?.desync(conn, dir, anomaly, frame, time);
    },
    resync: (conn, dir, skipped, frame, time) => bulk?.resync(conn, dir, skipped, frame, time),
    cut: (conn, dir, anomaly, frames, xid, frame, time) => {
      emitAnomaly({ layer: 'dhcpv6', name: anomaly.name, message: anomaly.message, frames, time, connection: conn.label });
      bulk?.cut(conn, dir, anomaly, frames, xid, frame, time);
    },
    // The encrypted rest of a direction is, to the correlator, octets it cannot read: a loss (of no
    // octets of the capture), so no rule takes the silence of a TLS connection for the server's or
    // the requestor's (RFC 7653 §8.2). The frames stay those of the bulk connection they belong to.
    tls: (conn, dir, _how, frame, time) => bulk?.gap(conn, dir, 0, frame, time),
    fin: (conn, dir, frame, time) => bulk?.fin(conn, dir, frame, time),
    rst: (conn, dir, frame, time) => bulk?.rst(conn, dir, frame, time),
    close: (conn, reason, frame, time, pending) => bulk?.close(conn, reason, frame, time, pending),
  };
  const streams = new BulkStreamDecoder(codec, listener, run.input, run.limits);

  const classify = (_frame: number, cls: FrameClass): void => {
    switch (cls) {
      case 'dhcpv6': stats.dhcpv6Frames++; break;
      case 'other': stats.otherFrames++; break;
      case 'malformed': stats.malformedFrames++; break;
      case 'dropped': stats.droppedFrames++; break;
    }
  };

  const udp = (d: UdpDatagram): FrameClass => {
    if (!DHCPV6_UDP_PORTS.has(d.srcPort) && !DHCPV6_UDP_PORTS.has(d.dstPort)) return 'other';
    const message = codec.decodeMessageAt(d.buffer, d.payloadStart, d.payloadEnd);
    const record: MessageRecord = {
      input: run.input, frame: d.frame, frames: d.frames, time: d.time, transport: 'udp',
      src: d.src, dst: d.dst, srcPort: d.srcPort, dstPort: d.dstPort, hopLimit: d.hopLimit, message,
      truncated: d.truncated, connection: undefined, direction: undefined, // the TCP record's shape (bulk-stream.ts)
    };
    deliver(record);
    client?.message(record);
    if (d.truncated) {
      emitAnomaly({ layer: 'ip', name: 'udp.truncated', message: 'the UDP datagram is longer than what was captured', frames: d.frames, time: d.time });
    }
    return d.truncated || message.anomalies.length > 0 ? 'malformed' : 'dhcpv6';
  };

  const bulkPorts = new Set([547, ...run.bulkPorts]);
  const net = new NetDecoder(
    { ...run.limits, bulkPorts, probe: looksLikeBulkLeasequery },
    {
      udp,
      tcp: streams,
      anomaly: (a: NetAnomaly) => emitAnomaly({ layer: layerOf(a.name), name: a.name, message: a.message, frames: a.frames, time: a.time, connection: a.connection }),
      classify,
      duplicate: (frame: number, original: number) => {
        stats.duplicateFrames++;
        run.onDuplicate?.(frame, original);
      },
    },
  );

  // Live mode: idle timeouts close what a never-ending capture leaves open (capture time, then wall clock).
  let lastAdvance = 0;
  let lastWall = Date.now();
  const advance = (time: number): void => {
    lastAdvance = time;
    bulk?.advance(time);
    client?.advance(time);
  };
  const clock = run.live && emit
    ? setInterval(() => {
      if (lastTime === 0) return;
      const idle = (Date.now() - lastWall) / 1000;
      if (idle >= 1) advance(lastTime + idle);
    }, 1000)
    : undefined;
  clock?.unref();

  // A capture anomaly names the frame its damaged record would have been (the next frame number); that
  // frame exists only if a later record is read. So the anomaly waits for that frame, and when the input
  // ends first, its evidence is the last frame read (none when no frame was read at all).
  let held: Array<CaptureAnomaly & { frame: number }> = [];
  const captureAnomaly = (a: CaptureAnomaly, frames: number[], message = a.message): void => emitAnomaly({
    layer: 'capture', name: a.name, message, frames, time: lastTime, offset: a.offset,
  });
  const releaseHeld = (upTo: number): void => {
    const waiting = held;
    held = [];
    for (const a of waiting) {
      if (a.frame <= upTo) captureAnomaly(a, [a.frame]);
      else held.push(a);
    }
  };

  let summary: Awaited<ReturnType<typeof readCapture>>;
  try {
    summary = await readCapture(run.source, {
    info: (i: CaptureInfo) => { info = i; },
    frame: (f: Frame) => {
      if (held.length > 0) releaseHeld(f.index);
      stats.frames++;
      lastFrame = f.index;
      lastTime = frameTime(f);
      net.handleFrame(f);
      if (clock !== undefined) {
        lastWall = Date.now();
        if (lastTime - lastAdvance >= 1) advance(lastTime);
      }
    },
    anomaly: (a: CaptureAnomaly) => {
      if (a.frame === undefined) captureAnomaly(a, []);
      else if (a.frame <= lastFrame) captureAnomaly(a, [a.frame]);
      else held.push({ ...a, frame: a.frame });
    },
  }, {
    onProgress: run.onProgress ? (read: number, total: number | undefined) => run.onProgress!(read, total, lastFrame) : undefined,
  });
  } finally {
    if (clock !== undefined) clearInterval(clock);
  }
  for (const a of held) {
    captureAnomaly(a, lastFrame > 0 ? [lastFrame] : [], lastFrame > 0 ? `${a.message} (after frame ${lastFrame}, the last one read)` : a.message);
  }
  held = [];

  net.finish(lastTime);
  bulk?.finish(lastFrame, lastTime);
  client?.finish(lastFrame, lastTime);
  if (bulk) {
    const s = bulk.stats();
    stats.bulkConnections += s.bulkConnections;
    stats.bulkQueries += s.bulkQueries;
  }
  if (client) {
    const s = client.stats();
    stats.udpTransactions += s.udpTransactions;
    stats.clientSessions += s.clientSessions;
  }
  emit?.('capture:end', { input: run.input, lastFrame, time: lastTime });

  const line: InputSummary = { path, format: info?.format ?? summary.format ?? 'unknown', frames: summary.frames };
  if (summary.compressed) line.compressed = true;
  if (summary.failed) line.error = summary.error ?? 'not a pcap or pcapng capture';
  return line;
}
