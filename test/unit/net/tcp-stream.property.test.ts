// Whatever way a sender cuts, repeats, repacketizes and reorders one byte stream, TcpReassembler
// delivers exactly that stream once, in order, with no gap and no conflict, as long as every octet
// reaches the capture at least once before the peer acknowledges it. This is the situation of a
// capture on a busy bridge: spurious and collapsed retransmissions, tail-loss probes, small writes.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TcpReassembler, type SegmentInput, type TcpLimits } from '../../../src/net/tcp-reassembly.js';
import { newTcpHeader, TCP_ACK, TCP_FIN, TCP_SYN } from '../../../src/net/tcp.js';

const LIMITS: TcpLimits = {
  maxConnections: 8, maxLight: 8, memcap: 1 << 20, connMemcap: 1 << 18, idleTimeout: 300, overlapWindow: 4096,
};

/** The server's stream: octet i of it. */
const byte = (i: number): number => (i * 31 + (i >> 8)) & 0xff;

const CLIENT = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9];
const SERVER = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];

interface Seg { seq: number; len: number; fin?: boolean }

/** Sends of one direction: the cut points, then extra sends (repeats and merged ranges) and swaps. */
const planArb = fc.record({
  size: fc.integer({ min: 1, max: 3000 }),
  cuts: fc.array(fc.integer({ min: 1, max: 2999 }), { maxLength: 60 }),
  repeats: fc.array(fc.record({ at: fc.nat(), from: fc.nat(), span: fc.integer({ min: 1, max: 6 }), extend: fc.nat({ max: 200 }) }), { maxLength: 12 }),
  swaps: fc.array(fc.nat(), { maxLength: 10 }),
  isn: fc.integer({ min: 0, max: 0xffffffff }),
  fin: fc.boolean(),
});

type Plan = { size: number; cuts: number[]; repeats: Array<{ at: number; from: number; span: number; extend: number }>; swaps: number[]; isn: number; fin: boolean };

/** The order in which the capture sees the server's segments (offsets relative to the first data octet). */
function schedule(p: Plan): Seg[] {
  const cuts = [...new Set(p.cuts.filter((c) => c < p.size))].sort((a, b) => a - b);
  const bounds = [0, ...cuts, p.size];
  const first: Seg[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) first.push({ seq: bounds[i], len: bounds[i + 1] - bounds[i] });
  // Neighbours swapped: the capture saw them out of order (no ACK in between covers either).
  for (const s of p.swaps) {
    const i = s % first.length;
    if (i + 1 < first.length) [first[i], first[i + 1]] = [first[i + 1], first[i]];
  }
  const out: Seg[] = [...first];
  // Retransmissions: a run of earlier segments sent again as one, possibly with new octets after them
  // (a collapsed retransmission, or new data riding on it), inserted after the point they were sent.
  for (const r of p.repeats) {
    const i = r.from % first.length;
    const run = first.slice(i, i + r.span);
    const start = Math.min(...run.map((s) => s.seq));
    const end = Math.min(p.size, Math.max(...run.map((s) => s.seq + s.len)) + r.extend);
    const after = Math.max(...run.map((s) => out.indexOf(s)));
    const at = after + 1 + (r.at % (out.length - after));
    out.splice(at, 0, { seq: start, len: end - start });
  }
  if (p.fin) out.push({ seq: p.size, len: 0, fin: true });
  return out;
}

function run(p: Plan): { stream: number[]; log: string[] } {
  const stream: number[] = [];
  const log: string[] = [];
  const r = new TcpReassembler(LIMITS, new Set([547]), () => true, {
    sink: {
      open: () => {},
      data: (_c, d, b) => { if (d === 1) for (const x of b) stream.push(x); },
      gap: (_c, d, n) => log.push(`gap ${d} ${n}`),
      fin: () => {},
      rst: () => log.push('rst'),
      close: () => {},
    },
    anomaly: (a) => log.push(`anomaly ${a.name}`),
    classify: () => {},
  });
  const cisn = 7000;
  let frame = 0;
  let time = 1;
  const send = (fromClient: boolean, flags: number, seq: number, ack: number, payload: Uint8Array): void => {
    const tcp = newTcpHeader();
    tcp.srcPort = fromClient ? 50000 : 547;
    tcp.dstPort = fromClient ? 547 : 50000;
    tcp.seq = seq >>> 0;
    tcp.ack = ack >>> 0;
    tcp.flags = flags;
    const buf = new Uint8Array(20 + payload.length);
    buf.set(payload, 20);
    tcp.payloadStart = 20;
    tcp.payloadEnd = buf.length;
    const addr = Uint8Array.from([...(fromClient ? CLIENT : SERVER), ...(fromClient ? SERVER : CLIENT)]);
    const s: SegmentInput = { frame: ++frame, time: (time += 0.001), otherFrames: null, addr, srcOffset: 0, dstOffset: 16, addrLength: 16, buf, tcp, missing: 0 };
    r.segment(s);
  };
  const sisn = p.isn;
  send(true, TCP_SYN, cisn, 0, new Uint8Array(0));
  send(false, TCP_SYN | TCP_ACK, sisn, cisn + 1, new Uint8Array(0));
  send(true, TCP_ACK, cisn + 1, sisn + 1, Uint8Array.of(0, 4, 0xa, 1, 2, 3)); // a query-sized request
  // The client acknowledges the highest contiguous octet it has, after each server segment.
  let have = 0;
  const got = new Uint8Array(p.size);
  for (const seg of schedule(p)) {
    const payload = new Uint8Array(seg.len);
    for (let k = 0; k < seg.len; k++) payload[k] = byte(seg.seq + k);
    send(false, TCP_ACK | (seg.fin ? TCP_FIN : 0), sisn + 1 + seg.seq, cisn + 7, payload);
    for (let k = 0; k < seg.len; k++) got[seg.seq + k] = 1;
    while (have < p.size && got[have]) have++;
    send(true, TCP_ACK, cisn + 7, sisn + 1 + have + (seg.fin && have === p.size ? 1 : 0), new Uint8Array(0));
  }
  r.finish(frame, time);
  return { stream, log };
}

describe('TcpReassembler on one stream cut, repeated and reordered at random', () => {
  it('delivers the stream exactly once, in order, with no gap and no conflict', () => {
    fc.assert(fc.property(planArb, (p) => {
      const { stream, log } = run(p);
      const expected = Array.from({ length: p.size }, (_, i) => byte(i));
      expect(stream).toEqual(expected);
      expect(log).toEqual([]);
    }), { numRuns: 400 });
  });
});
