// The followed-connection cache of TcpReassembler.segment() (the fast path that skips building the
// connection key) gives exactly the events of the general path (key + map lookups) on random traffic:
// several interleaved connections, some sharing a cache slot, with reordering, gaps, FIN/RST, reuse.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TcpReassembler, type SegmentInput, type TcpLimits } from '../../../src/net/tcp-reassembly.js';
import { newTcpHeader, TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN } from '../../../src/net/tcp.js';
import type { TcpConnection } from '../../../src/net/types.js';

const LIMITS: TcpLimits = {
  maxConnections: 3, maxLight: 4, memcap: 4000, connMemcap: 600, idleTimeout: 5, overlapWindow: 64,
};

/** Endpoints: clients 0-3 share one address and differ in port by 256 (the same cache slot); 4 is IPv4; 5 is not on a bulk port. */
const CLIENTS = [
  { addr: 0x11, port: 40000, v6: true }, { addr: 0x11, port: 40256, v6: true }, { addr: 0x11, port: 40512, v6: true },
  { addr: 0x22, port: 41000, v6: true }, { addr: 0x33, port: 42000, v6: false }, { addr: 0x44, port: 43000, v6: true },
];

function addrBytes(last: number, v6: boolean): number[] {
  return v6 ? [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last] : [192, 0, 2, last];
}

const opArb = fc.record({
  conn: fc.nat({ max: CLIENTS.length - 1 }),
  dir: fc.constantFrom(0, 1),
  kind: fc.constantFrom('data', 'data', 'data', 'data', 'syn', 'synack', 'fin', 'rst', 'ack'),
  delta: fc.constantFrom(0, 0, 0, 0, -6, 9, 30),
  len: fc.integer({ min: 0, max: 40 }),
  corrupt: fc.boolean(),
  dt: fc.constantFrom(0, 0, 0.5, 7),
});

type Op = { conn: number; dir: number; kind: string; delta: number; len: number; corrupt: boolean; dt: number };

/** Runs the ops through a reassembler; `noCache` keeps the cache of followed connections always empty. */
function replay(ops: Op[], noCache: boolean): string[] {
  const log: string[] = [];
  const id = (c: TcpConnection): string => `${c.id}:${c.label}`;
  const r = new TcpReassembler(LIMITS, new Set([547]), (b) => b[0] % 2 === 0, {
    sink: {
      open: (c, f) => log.push(`open ${id(c)} ${c.detectedBy} ${c.midStream} ${f}`),
      data: (c, d, b, f) => log.push(`data ${id(c)} ${d} ${Array.from(b).join('.')} ${f}`),
      gap: (c, d, n, f) => log.push(`gap ${id(c)} ${d} ${n} ${f}`),
      fin: (c, d, f) => log.push(`fin ${id(c)} ${d} ${f}`),
      rst: (c, d, f) => log.push(`rst ${id(c)} ${d} ${f}`),
      close: (c, why, f) => log.push(`close ${id(c)} ${why} ${f}`),
    },
    anomaly: (a) => log.push(`anomaly ${a.name} ${a.frames.join(',')}`),
    classify: (f, cls) => log.push(`class ${f} ${cls}`),
  });
  if (noCache) {
    // The general path only: a cache whose slots never keep what is stored.
    Object.defineProperty(r, 'recent', { value: new Proxy([], { get: () => null, set: () => true }) });
  }
  const next = [0, 0, 0, 0, 0, 0].map(() => [1000, 50000]); // per connection and direction, next sequence number sent
  let time = 100;
  ops.forEach((op, i) => {
    const frame = i + 1;
    time += op.dt;
    r.sweep(time, frame);
    const cl = CLIENTS[op.conn];
    const server = op.conn === 5 ? 8000 : 547;
    const cAddr = addrBytes(cl.addr, cl.v6);
    const sAddr = addrBytes(0x01, cl.v6);
    const fromClient = op.dir === 0;
    const addr = Uint8Array.from([...(fromClient ? cAddr : sAddr), ...(fromClient ? sAddr : cAddr)]);
    const n = cl.v6 ? 16 : 4;
    const tcp = newTcpHeader();
    tcp.srcPort = fromClient ? cl.port : server;
    tcp.dstPort = fromClient ? server : cl.port;
    const ns = next[op.conn];
    const seq = (ns[op.dir] + op.delta) >>> 0;
    let flags = TCP_ACK;
    let len = op.len;
    if (op.kind === 'syn') { flags = TCP_SYN; len = 0; }
    else if (op.kind === 'synack') { flags = TCP_SYN | TCP_ACK; len = 0; }
    else if (op.kind === 'fin') flags |= TCP_FIN;
    else if (op.kind === 'rst') { flags = TCP_RST; len = 0; }
    else if (op.kind === 'ack') len = 0;
    tcp.seq = seq;
    tcp.ack = ns[1 - op.dir];
    tcp.flags = flags;
    const buf = new Uint8Array(20 + len);
    for (let k = 0; k < len; k++) buf[20 + k] = ((seq + k) * 7 + op.conn + (op.corrupt && k === 0 ? 1 : 0)) & 0xff;
    tcp.payloadStart = 20;
    tcp.payloadEnd = 20 + len;
    if (op.delta >= 0) ns[op.dir] = (seq + len + ((flags & (TCP_SYN | TCP_FIN)) !== 0 ? 1 : 0)) >>> 0;
    const s: SegmentInput = { frame, time, otherFrames: null, addr, srcOffset: 0, dstOffset: n, addrLength: n, buf, tcp, missing: 0 };
    r.segment(s);
  });
  r.finish(ops.length, time);
  return log;
}

describe('TcpReassembler connection cache', () => {
  it('gives the same events as the general path', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 120 }), (ops) => {
      expect(replay(ops, false)).toEqual(replay(ops, true));
    }), { numRuns: 400 });
  });
});
