// A sink that records what a capture reader emits, and a feeder that splits input into chunks.
import type { CaptureAnomaly, CaptureInfo, CaptureParser, CaptureSink, Frame } from '../../../src/capture/types.js';

export class Collector implements CaptureSink {
  infos: CaptureInfo[] = [];
  frames: Frame[] = [];
  anomalies: CaptureAnomaly[] = [];
  info(i: CaptureInfo): void { this.infos.push(i); }
  frame(f: Frame): void { this.frames.push(f); }
  anomaly(a: CaptureAnomaly): void { this.anomalies.push(a); }
  /** Anomalies as [name, offset, frame] triples. */
  get named(): Array<[string, number, number | undefined]> {
    return this.anomalies.map((a) => [a.name, a.offset, a.frame]);
  }
}

/** Small deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits `bytes` at the given sizes (cycled), each chunk a fresh copy like a stream would give. */
export function chunkBy(bytes: Uint8Array, sizes: number[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  let p = 0;
  let i = 0;
  while (p < bytes.length) {
    const n = Math.max(1, sizes[i++ % sizes.length]);
    out.push(bytes.slice(p, p + n));
    p += n;
  }
  return out;
}

/** Random chunk sizes 1..max from a seed. */
export function randomChunks(bytes: Uint8Array, seed: number, max = 64): Uint8Array[] {
  const r = prng(seed);
  const out: Uint8Array[] = [];
  let p = 0;
  while (p < bytes.length) {
    const n = 1 + Math.floor(r() * max);
    out.push(bytes.slice(p, p + n));
    p += n;
  }
  return out;
}

export function feed(parser: CaptureParser, chunks: Uint8Array[]): void {
  for (const c of chunks) parser.push(c);
  parser.end();
}

/** The comparable part of a frame. */
export function plain(f: Frame): { index: number; tsSec: number; tsNsec: number; linkType: number; interfaceId: number; origLength: number; hex: string } {
  return {
    index: f.index, tsSec: f.tsSec, tsNsec: f.tsNsec, linkType: f.linkType, interfaceId: f.interfaceId,
    origLength: f.origLength, hex: Buffer.from(f.data).toString('hex'),
  };
}
