// Live mode on the BUILT bin: a capture replayed slowly through a pipe ('-') prints findings before
// the pipe ends and the full report after; --capture-command that never ends is stopped by SIGINT,
// which still prints the full report (in the chosen format) and exits with the right code.
import { describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertValidReport } from '../kit/schemas.js';

const BIN = 'bin/dhcp6audit.js';
const SAMPLE = 'fixtures/sample/sample.pcapng';

interface Proc { child: ChildProcess; out: () => string; err: () => string; exit: Promise<number | null> }

function start(args: string[]): Proc {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` first');
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; });
  const exit = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exit };
}

/** Resolves once `cond()` holds (checked on every output chunk); the test timeout bounds the wait. */
function until(p: Proc, cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (cond()) {
        p.child.stdout!.off('data', check);
        p.child.stderr!.off('data', check);
        resolve();
      }
    };
    p.child.stdout!.on('data', check);
    p.child.stderr!.on('data', check);
    setImmediate(check);
  });
}

const DONE_LINE = /^error BLQ-NO-DONE-AFTER-EMPTY xid 0x000005 bulk \[2001:db8::9\]:40123 > \[2001:db8::1\]:547: LEASEQUERY-DONE for xid 5 after a REPLY that returned no bindings \[frames 32, 34; RFC 5460 §6\.3\]$/m;

describe('live mode', () => {
  it('prints findings from a pipe as they are decided, then the full report when the pipe ends', async () => {
    const p = start(['check', '-']);
    const bytes = readFileSync(SAMPLE);
    for (let off = 0; off < bytes.length; off += 256) {
      p.child.stdin!.write(bytes.subarray(off, off + 256));
      await new Promise((r) => setTimeout(r, 5));
    }
    // Everything is written but stdin is still open: the DONE finding must already be out.
    await until(p, () => DONE_LINE.test(p.out()));
    expect(p.out()).not.toContain('findings:');
    p.child.stdin!.end();
    expect(await p.exit).toBe(1);
    const out = p.out();
    const report = out.slice(out.indexOf('dhcp6audit 0.1.0'));
    expect(out.indexOf('dhcp6audit 0.1.0')).toBeGreaterThan(out.search(DONE_LINE));
    expect(report).toContain('39 frames (39 DHCPv6, 0 other, 0 malformed, 0 dropped)');
    expect(report).toContain('  error BLQ-NO-DONE-AFTER-EMPTY (MUST NOT) xid 0x000005');
    expect(p.err()).toBe('');
  });

  it('closes idle client sessions as capture time advances, so their findings come before the end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-live-'));
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ limits: { 'sessions.idle-timeout': 2 } }));
    try {
      const p = start(['check', '-', '--config', config]);
      // The client sessions end by T0+4 s; the bulk traffic at T0+10 s moves capture time past their timeout.
      p.child.stdin!.write(readFileSync(SAMPLE));
      await until(p, () => /^error V6-PREF-COLLECT-FIRST-RT xid 0x0020b0 client 00030001020000000202: /m.test(p.out()));
      expect(p.out()).not.toContain('findings:');
      p.child.stdin!.end();
      expect(await p.exit).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SIGINT stops a never-ending --capture-command and prints the report (text)', async () => {
    const p = start(['check', '--capture-command', `cat ${SAMPLE}; sleep 600`]);
    await until(p, () => DONE_LINE.test(p.out()));
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(1);
    const out = p.out();
    expect(out).toContain('39 frames (39 DHCPv6, 0 other, 0 malformed, 0 dropped)');
    // Sessions were closed at the end of the capture, so their findings are in the report.
    expect(out).toMatch(/error V6-PREF-COLLECT-FIRST-RT \(MUST\) xid 0x0020b0/);
    expect(p.err()).toBe('');
  });

  it('SIGINT with --format json: live lines on stderr, a schema-valid report on stdout, exit by --fail-on', async () => {
    const p = start(['check', '--capture-command', `cat ${SAMPLE}; sleep 600`, '-f', 'json', '--fail-on', 'never']);
    await until(p, () => DONE_LINE.test(p.err()));
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(0);
    const report = JSON.parse(p.out()) as { inputs: Array<{ path: string; frames: number }>; findings: Array<{ ruleId: string; frames: number[] }> };
    assertValidReport(report);
    expect(report.inputs).toEqual([{ path: 'capture command', format: 'pcapng', frames: 39 }]);
    expect(report.findings.map((f) => [f.ruleId, f.frames])).toContainEqual(['BLQ-NO-DONE-AFTER-EMPTY', [32, 34]]);
  });

  it('SIGINT on a pipe that stays open ends the run with the report', async () => {
    const p = start(['check', '-', '-f', 'markdown']);
    p.child.stdin!.write(readFileSync(SAMPLE));
    await until(p, () => DONE_LINE.test(p.err()));
    p.child.kill('SIGINT');
    expect(await p.exit).toBe(1);
    expect(p.out()).toContain('| `stdin` | pcapng | 39 |');
    p.child.stdin!.destroy();
  });

  it('a capture command that fails is one line and exit 2', async () => {
    const p = start(['check', '--capture-command', 'echo "tcpdump: eth9: No such device exists" >&2; exit 1']);
    expect(await p.exit).toBe(2);
    expect(p.err()).toBe('dhcp6audit: the live capture produced no packets: tcpdump: eth9: No such device exists\n');
  });
});
