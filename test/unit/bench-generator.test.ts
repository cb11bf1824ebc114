// The benchmark's capture generator (bench/generate.mjs): a small capture decodes with exactly the
// message counts the generator intended, per transport and type, and `check` finds exactly the
// violations it planted (rule id and frames). Deterministic for a seed. Not timed.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCodec } from '../../src/dhcpv6/index.js';
import { runCli } from '../kit/cli.js';
// @ts-expect-error plain JavaScript module without type declarations
import { generateCapture } from '../../bench/generate.mjs';

interface Expected {
  packets: number;
  messages: { udp: Record<string, number>; tcp: Record<string, number> };
  dhcpv6Messages: number;
  findings: Array<{ ruleId: string; frames: number[] }>;
  scenarios: Record<string, number>;
}

const gen = (packets: number, out: string, seed?: number): Expected =>
  generateCapture({ packets, out, seed }, { createCodec }) as Expected;
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('bench generator', () => {
  let dir = '';
  let file = '';
  let expected: Expected;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-gen-'));
    file = join(dir, 'g.pcap');
    expected = gen(20000, file);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes exactly N packets with every kind of traffic it promises', () => {
    expect(expected.packets).toBe(20000);
    const m = expected.messages;
    // Relayed sessions: Solicit, Request and Renew each once per session, forwarded and answered.
    expect(m.udp['1']).toBe(expected.scenarios.sessions);
    expect(m.udp['3']).toBe(expected.scenarios.sessions);
    expect(m.udp['5']).toBe(expected.scenarios.renewals);
    expect(m.udp['7']).toBe(2 * expected.scenarios.sessions);
    expect(m.udp['14']).toBe(expected.scenarios.udpLeasequeries);
    expect(m.tcp['14']).toBe(expected.scenarios.bulkQueries);
    expect(m.tcp['15']).toBe(expected.scenarios.bulkQueries);
    expect(m.tcp['17']).toBe(expected.scenarios.bulkData);
    expect(expected.scenarios.sessions).toBeGreaterThan(500);
    expect(expected.scenarios.bulkConnections).toBeGreaterThan(3);
    expect(expected.scenarios.bulkData).toBeGreaterThan(expected.packets / 4);
  });

  it('decodes with exactly the intended message counts per transport and type', async () => {
    const r = await runCli(['decode', file]);
    expect(r.code).toBe(0);
    const counts: Expected['messages'] = { udp: {}, tcp: {} };
    let lines = 0;
    let lastFrame = 0;
    /** Types of a message and of those relayed inside it (option 9), at every level. */
    interface Line { msgType: number; options?: Array<{ code: number; message?: Line }> }
    const types = (x: Line): number[] => [x.msgType, ...(x.options ?? []).flatMap((o) => (o.code === 9 && o.message ? types(o.message) : []))];
    const unassigned = new Set<number>();
    const relayed = new Set<number>(); // the types found inside relay messages: the walk does reach them
    for (const l of r.stdout.split('\n')) {
      if (!l) continue;
      const j = JSON.parse(l) as { transport: 'udp' | 'tcp'; msgType: number; frame: number } & Line;
      const all = types(j);
      for (const t of all) if (t > 37) unassigned.add(t);
      for (const t of all.slice(1)) relayed.add(t);
      counts[j.transport][String(j.msgType)] = (counts[j.transport][String(j.msgType)] ?? 0) + 1;
      expect(j.frame).toBeGreaterThanOrEqual(lastFrame);
      lastFrame = j.frame;
      lines++;
    }
    expect(counts).toEqual(expected.messages);
    expect(lines).toBe(expected.dhcpv6Messages);
    // No unassigned message type, relayed or not: V6-VAL-UNKNOWN-MSGTYPE finds nothing to follow.
    expect([...unassigned]).toEqual([]);
    expect([...relayed].sort((a, b) => a - b)).toEqual([1, 2, 3, 5, 7]);
  });

  it('check finds exactly the planted violations, at the planted frames', async () => {
    const r = await runCli(['check', '--format', 'json', '--fail-on', 'never', file]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as {
      stats: Record<string, number>;
      findings: Array<{ ruleId: string; frames: number[]; verdict: string }>;
    };
    expect(expected.findings.map((f) => f.ruleId).sort()).toEqual(
      ['BLQ-NO-CLIENT-LINK', 'BLQ-NO-DONE-AFTER-EMPTY', 'BLQ-XID-DATA', 'V6-PREF-255-IMMEDIATE']);
    const got = report.findings.map((f) => ({ ruleId: f.ruleId, frames: f.frames }));
    const byFirst = (a: { frames: number[] }, b: { frames: number[] }): number => a.frames[0] - b.frames[0];
    expect(got.sort(byFirst)).toEqual([...expected.findings].sort(byFirst));
    expect(report.findings.every((f) => f.verdict === 'violation')).toBe(true);
    expect(report.stats.frames).toBe(20000);
    expect(report.stats.otherFrames).toBe(expected.scenarios.other);
    expect(report.stats.malformedFrames).toBe(0);
    expect(report.stats.dhcpv6Messages).toBe(expected.dhcpv6Messages);
    expect(report.stats.bulkConnections).toBe(expected.scenarios.bulkConnections);
    expect(report.stats.bulkQueries).toBe(expected.scenarios.bulkQueries);
    expect(report.stats.clientSessions).toBe(expected.scenarios.sessions);
  });

  it('is deterministic for a seed and differs for another seed', () => {
    const again = join(dir, 'again.pcap');
    const other = join(dir, 'other.pcap');
    expect(gen(20000, again)).toEqual(expected);
    expect(sha(again)).toBe(sha(file));
    gen(20000, other, 7);
    expect(sha(other)).not.toBe(sha(file));
  });
});
