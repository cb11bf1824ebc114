// Oracles: pcap-parser 0.2.1 must yield exactly our records on every well-formed classic µs pcap
// (fixtures and ../shared/captures), and tshark must count the same frames on every shared capture.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pcapParser from 'pcap-parser';
import { readCapture } from '../../../src/capture/source.js';
import { createCaptureParser } from '../../../src/capture/sniff.js';
import { Collector } from './collect.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = join(repoRoot, '..', 'shared', 'captures');

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else if (/\.(pcap|pcapng|cap)$/.test(name)) out.push(p);
  }
  return out;
}

/** Classic pcap with the microsecond magic, either byte order. */
function isMicrosecondPcap(path: string): boolean {
  const m = readFileSync(path).subarray(0, 4).toString('hex');
  return m === 'd4c3b2a1' || m === 'a1b2c3d4';
}

function wellFormed(path: string): boolean {
  const c = new Collector();
  const p = createCaptureParser(c);
  p.push(readFileSync(path));
  p.end();
  return c.anomalies.length === 0;
}

interface Rec { sec: number; usec: number; incl: number; orig: number; hex: string }

function oracle(path: string): Promise<Rec[]> {
  return new Promise((resolve, reject) => {
    const recs: Rec[] = [];
    let hdr: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number } | undefined;
    const p = pcapParser.parse(path);
    p.on('packetHeader', (h: typeof hdr) => { hdr = h; });
    p.on('packetData', (d: Buffer) => {
      recs.push({ sec: hdr!.timestampSeconds, usec: hdr!.timestampMicroseconds, incl: hdr!.capturedLength, orig: hdr!.originalLength, hex: d.toString('hex') });
    });
    p.on('error', reject);
    p.on('end', () => resolve(recs));
  });
}

async function ours(path: string): Promise<{ recs: Rec[]; anomalies: string[] }> {
  const c = new Collector();
  await readCapture({ path }, c);
  return {
    recs: c.frames.map((f) => ({ sec: f.tsSec, usec: f.tsNsec / 1000, incl: f.data.length, orig: f.origLength, hex: Buffer.from(f.data).toString('hex') })),
    anomalies: c.anomalies.map((a) => a.name),
  };
}

const sharedFiles = walk(shared);
const fixtureFiles = walk(join(repoRoot, 'fixtures'));

describe('pcap-parser oracle on classic µs pcaps', () => {
  it('finds the shared captures', () => {
    expect(sharedFiles.length).toBeGreaterThanOrEqual(12);
  });
  // Well-formed = our reader finds no anomaly (the corrupt fixtures exist to show anomalies).
  const candidates = [...sharedFiles, ...fixtureFiles].filter((p) => isMicrosecondPcap(p) && (p.startsWith(shared) || wellFormed(p)));
  it('leaves out only the corrupt fixtures', () => {
    expect(candidates.some((p) => p.endsWith('capture/same-traffic.pcap'))).toBe(true);
    expect(candidates.some((p) => p.endsWith('capture/corrupt-record-length.pcap'))).toBe(false);
  });
  for (const path of candidates) {
    const shown = path.startsWith(shared) ? relative(shared, path) : relative(repoRoot, path);
    it(shown, async () => {
      const mine = await ours(path);
      expect(mine.anomalies).toEqual([]);
      const theirs = await oracle(path);
      expect(mine.recs.length).toBe(theirs.length);
      expect(mine.recs.length).toBeGreaterThan(0);
      expect(mine.recs).toEqual(theirs);
    });
  }
  it('compared every µs pcap in ../shared/captures', () => {
    expect(sharedFiles.filter(isMicrosecondPcap).length).toBe(11);
  });
});

describe('frame counts equal tshark on ../shared/captures', () => {
  for (const path of sharedFiles) {
    it(relative(shared, path), async () => {
      const out = execFileSync('/usr/bin/tshark', ['-r', path], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
      const lines = out.split('\n').filter((l) => l.length > 0).length;
      const c = new Collector();
      const summary = await readCapture({ path }, c);
      expect(c.anomalies).toEqual([]);
      expect(summary.frames).toBe(lines);
      expect(c.frames.length).toBe(lines);
      expect(c.frames.at(-1)?.index).toBe(lines);
    });
  }
});
