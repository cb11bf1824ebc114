// --annotate: the input written again as pcapng with each finding as packet comments on its evidence
// frames, read back with tshark (comments on the right frames) and with dhcp6audit (same findings).
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../kit/cli.js';
import { assertValidReport } from '../kit/schemas.js';
import type { Report } from '../../src/engine/types.js';

const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-annotate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tsharkComments(file: string): Map<number, string> {
  const out = execFileSync('tshark', ['-r', file, '-Y', 'frame.comment', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.comment'], { encoding: 'utf8' });
  return new Map(out.trim().split('\n').filter(Boolean).map((l) => {
    const [n, c] = l.split('\t');
    return [Number(n), c];
  }));
}

async function check(input: string, expectFrames: number, format: string): Promise<void> {
  const out = join(dir, `${format}.pcapng`);
  const r = await runCli(['check', input, '-f', 'json', '--annotate', out]);
  const report = JSON.parse(r.stdout) as Report;
  assertValidReport(report);
  const evidence = new Map<number, string[]>();
  for (const f of report.findings) for (const fr of f.frames) evidence.set(fr, [...(evidence.get(fr) ?? []), f.ruleId]);
  expect(evidence.size).toBeGreaterThan(0);
  const comments = tsharkComments(out);
  expect([...comments.keys()].sort((a, b) => a - b)).toEqual([...evidence.keys()].sort((a, b) => a - b));
  for (const [frame, rules] of evidence) for (const id of rules) expect(comments.get(frame)).toContain(`dhcp6audit ${id} `);
  const total = execFileSync('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' }).trim().split('\n');
  expect(total).toHaveLength(expectFrames);
  expect(r.stderr).toMatch(new RegExp(`wrote .*${format}\\.pcapng \\(${expectFrames} frames, \\d+ comments on ${evidence.size} frames\\)`));
  // The annotated capture judges the same as the original.
  const again = await runCli(['check', out, '-f', 'json']);
  const back = JSON.parse(again.stdout) as Report;
  expect(back.findings.map((f) => [f.ruleId, f.frames, f.message])).toEqual(report.findings.map((f) => [f.ruleId, f.frames, f.message]));
  expect(back.stats).toEqual(report.stats);
}

describe('--annotate', () => {
  it('puts each finding on its evidence frames of a pcapng input', async () => {
    await check('fixtures/sample/sample.pcapng', 39, 'sample');
    const c = tsharkComments(join(dir, 'sample.pcapng'));
    expect(c.get(34)).toMatch(/^dhcp6audit BLQ-NO-DONE-AFTER-EMPTY error \(MUST NOT, RFC 5460 §6\.3\): LEASEQUERY-DONE for xid 5/);
    expect(c.has(33)).toBe(false);
  });

  it('converts a classic pcap input, keeping frame numbers', async () => {
    await check('../shared/captures/dibbler__tests_remote-autoconf__capture4.pcap', 121, 'dibbler');
  });

  it('refuses several inputs and stdin with one line on stderr', async () => {
    const two = await runCli(['check', 'fixtures/sample/sample.pcapng', 'fixtures/sample/sample.pcapng', '--annotate', join(dir, 'x.pcapng')]);
    expect(two.code).toBe(2);
    expect(two.stderr).toBe('dhcp6audit: --annotate writes one pcapng for one input; run once per capture\n');
    const stdin = await runCli(['check', '-', '--annotate', join(dir, 'y.pcapng')]);
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toBe('dhcp6audit: --annotate reads the input a second time: give a capture file, not stdin or a live capture\n');
  });
});
