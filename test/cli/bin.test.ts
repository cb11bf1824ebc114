// Exit codes of the BUILT command (`node bin/dhcp6audit.js`, after `npm run build`): 0 on a conformant
// capture, 1 on a violating one (per --fail-on), 2 with one line on stderr and no stack trace for a
// missing file, a garbage file and bad options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { udpFrame } from '../kit/packets.js';
import { writePcap } from '../kit/pcap-writer.js';

const BIN = 'bin/dhcp6audit.js';
const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-bin-'));
const quiet = join(dir, 'dns-only.pcap');
const garbage = join(dir, 'garbage.pcap');

beforeAll(() => {
  if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` first');
  // DNS over UDP only: nothing to judge, so nothing can fail.
  const dns = new Uint8Array([0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]);
  writeFileSync(quiet, writePcap({ linkType: 1, records: [
    { tsSec: 1732262400, tsNsec: 0, data: udpFrame('2001:db8::5', '2001:db8::53', 40000, 53, dns) },
    { tsSec: 1732262400, tsNsec: 5000, data: udpFrame('2001:db8::53', '2001:db8::5', 53, 40000, dns) },
  ] }));
  writeFileSync(garbage, Buffer.from('this is not a capture file at all, just text\n'.repeat(4)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  return runWith({}, ...args);
}

function runWith(env: Record<string, string>, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const MiB = 1024 * 1024;

/**
 * A stream of objects that live for a few thousand allocations, with the event loop turning between
 * batches as it does between read chunks (V8 alone grows the new space to its largest size); leaves
 * the largest new-space size seen (`newSpaceSize`, imported by the script) in `most`.
 */
const CHURN = [
  'const keep = []; let most = 0;',
  'for (let batch = 0; batch < 250; batch++) {',
  '  for (let i = 0; i < 20000; i++) { keep.push({ a: i, b: [i, batch] }); if (keep.length > 60000) keep.splice(0, 20000); }',
  '  most = Math.max(most, newSpaceSize());',
  '  await new Promise((r) => setImmediate(r));',
  '}',
];

/** Runs `script` (module code) in a new node process and reads back the number it prints, with the exit code. */
function runNumber(script: string[]): { code: number | null; most: number } {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script.join('\n')], { encoding: 'utf8', timeout: 60_000 });
  expect(r.stderr).toBe('');
  return { code: r.status, most: Number(r.stdout.trim()) };
}

function oneLine(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(lines[0]).toMatch(/^dhcp6audit: /);
  return lines[0];
}

describe('exit codes of the built bin', () => {
  it('0 on conformant captures', () => {
    const a = run('check', quiet);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('2 frames (0 DHCPv6, 2 other, 0 malformed, 0 dropped)');
    expect(a.stdout).toContain('no findings');
    expect(a.stderr).toBe('');
    const b = run(quiet, '-f', 'json'); // check is the default command
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout).summary).toEqual({ error: 0, warning: 0, info: 0, inconclusive: 0 });
    expect(run('../shared/captures/tcpdump__tests__dhcpv6-mud.pcap').code).toBe(0);
  });

  it('1 on a violating capture, following --fail-on', () => {
    const r = run('check', 'fixtures/sample/sample.pcapng');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error BLQ-NO-DONE-AFTER-EMPTY (MUST NOT) xid 0x000005');
    expect(run('check', 'fixtures/sample/sample.pcapng', '--fail-on', 'never').code).toBe(0);
    // Only info-graded findings here: they fail the run from --fail-on info down, not at error.
    const vendor = '../shared/captures/zeek__topic-awelzel-dhcpv6__dhcpv6-freebsd-rapid-commit.pcap';
    expect(run('check', vendor).code).toBe(0);
    expect(run('check', vendor, '--fail-on', 'warning').code).toBe(0);
    expect(run('check', vendor, '--fail-on', 'info').code).toBe(1);
  });

  it('2 with one line for a missing file', () => {
    const r = run('check', join(dir, 'nope.pcap'));
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`dhcp6audit: cannot open ${join(dir, 'nope.pcap')}: no such file`);
    expect(r.stdout).toBe('');
  });

  it('2 with one line for a garbage file', () => {
    const r = run('check', garbage);
    expect(r.code).toBe(2);
    expect(oneLine(r.stderr)).toBe(`dhcp6audit: ${garbage}: not a pcap or pcapng capture (magic 74 68 69 73)`);
  });

  it('2 with one line for bad options', () => {
    const cases: Array<[string[], RegExp]> = [
      [['check', quiet, '--frobnicate'], /unknown option '--frobnicate'/],
      [['check', quiet, '--format', 'xml'], /option '-f, --format <name>' argument 'xml' is invalid/],
      [['check', quiet, '--fail-on', 'sometimes'], /argument 'sometimes' is invalid/],
      [['check', quiet, '--bulk-port', '70000'], /'70000' is not a TCP port/],
      [['check'], /missing capture/],
      [['check', '-i', 'eth0', quiet], /takes no capture files/],
      [['rules', 'NO-SUCH-RULE'], /no rule 'NO-SUCH-RULE'/],
    ];
    for (const [args, re] of cases) {
      const r = run(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneLine(r.stderr)).toMatch(re);
    }
  });

  it('DHCP6AUDIT_HEAP_GROWTH: a whole percent changes nothing in the report; anything else is exit 2 with one line', () => {
    const base = run('check', 'fixtures/sample/sample.pcapng', '-f', 'json');
    expect(base.code).toBe(1);
    for (const v of ['0', '30', '400', ' 100 ']) {
      const r = runWith({ DHCP6AUDIT_HEAP_GROWTH: v }, 'check', 'fixtures/sample/sample.pcapng', '-f', 'json');
      expect(r.code, v).toBe(1);
      expect(r.stdout, v).toBe(base.stdout); // the report has no times of its own
    }
    for (const v of ['abc', '-5', '1.5', '1001']) {
      const r = runWith({ DHCP6AUDIT_HEAP_GROWTH: v }, 'check', 'fixtures/sample/sample.pcapng');
      expect(r.code, v).toBe(2);
      expect(oneLine(r.stderr)).toContain(`DHCP6AUDIT_HEAP_GROWTH must be a whole percent from 0 to 1000`);
    }
  });

  it('DHCP6AUDIT_SEMI_SPACE: whole MiB change nothing in the report; anything else is exit 2 with one line', () => {
    const base = run('check', 'fixtures/sample/sample.pcapng', '-f', 'json');
    for (const v of ['0', '1', '4', ' 16 ']) {
      const r = runWith({ DHCP6AUDIT_SEMI_SPACE: v }, 'check', 'fixtures/sample/sample.pcapng', '-f', 'json');
      expect(r.code, v).toBe(1);
      expect(r.stdout, v).toBe(base.stdout);
    }
    for (const v of ['x', '-1', '2.5', '1025']) {
      const r = runWith({ DHCP6AUDIT_SEMI_SPACE: v }, 'check', 'fixtures/sample/sample.pcapng');
      expect(r.code, v).toBe(2);
      expect(oneLine(r.stderr)).toContain(`DHCP6AUDIT_SEMI_SPACE must be a whole number of MiB from 0 to 1024`);
    }
  });

  it('a worker given youngGenerationMb(4) keeps its new space at 4 MiB per semi-space under a stream of short-lived objects', () => {
    // The same churn in a worker thread with and without the limit (thread.ts sizes the CLI's worker so).
    const most = (limit: string): number => runNumber([
      "import { Worker } from 'node:worker_threads';",
      `import { youngGenerationMb } from ${JSON.stringify(join(process.cwd(), 'dist/cli/thread.js'))};`,
      `const mb = ${limit};`,
      'const body = ' + JSON.stringify([
        `import { newSpaceSize } from ${JSON.stringify(pathToFileURL(join(process.cwd(), 'dist/cli/heap.js')).href)};`,
        "import { parentPort } from 'node:worker_threads';",
        ...CHURN,
        'parentPort.postMessage(most);',
      ].join('\n')) + ';',
      "const w = new Worker(new URL('data:text/javascript,' + encodeURIComponent(body)), mb ? { resourceLimits: { maxYoungGenerationSizeMb: mb } } : {});",
      "console.log(await new Promise((r) => w.once('message', r)));",
    ]).most;
    const free = most('0');
    const limited = most('youngGenerationMb(4)');
    expect(free).toBeGreaterThanOrEqual(32 * MiB); // 16 MiB semi-spaces, both counted
    expect(limited).toBe(8 * MiB); // it grew to the limit, and no further
  });

  it('the bin runs the command in a worker sized by DHCP6AUDIT_SEMI_SPACE (0: on the main thread)', () => {
    // A preload that says, as the process exits, where main() ran and with which young generation.
    const probe = join(dir, 'probe.mjs');
    writeFileSync(probe, [
      "import { isMainThread, resourceLimits } from 'node:worker_threads';",
      "import { writeSync } from 'node:fs';",
      "process.on('exit', () => { if (!isMainThread) writeSync(2, `worker young ${resourceLimits.maxYoungGenerationSizeMb}\\n`); });",
    ].join('\n'));
    const probed = (value: string): { code: number | null; stdout: string; stderr: string } => {
      const r = spawnSync(process.execPath, ['--import', probe, BIN, 'check', 'fixtures/sample/sample.pcapng', '-f', 'json'], {
        encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DHCP6AUDIT_SEMI_SPACE: value }, timeout: 60_000,
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const byDefault = probed('');
    const eight = probed('8');
    const off = probed('0');
    expect(byDefault.stderr).toBe('worker young 12\n'); // 3 × 4 MiB: two semi-spaces and the new large-object space
    expect(eight.stderr).toBe('worker young 24\n');
    expect(off.stderr).toBe('');
    for (const r of [byDefault, eight, off]) expect(r.code).toBe(1);
    expect(eight.stdout).toBe(byDefault.stdout);
    expect(off.stdout).toBe(byDefault.stdout);
  });

  it('loads ajv only for a --config (the bundled rule files are validated by the catalog test, not on every start)', () => {
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ rules: { 'BLQ-NO-DONE-AFTER-EMPTY': { severity: 'warning' }, 'V6-PREF-COLLECT-FIRST-RT': 'off' } }));
    const script = (args: string[]): string => [
      "import { createRequire } from 'node:module';",
      `import { main } from ${JSON.stringify(join(process.cwd(), 'dist/cli/main.js'))};`,
      "const io = { stdout: { write: () => true }, stderr: { write: (s) => process.stderr.write(s) }, env: {} };",
      `const code = await main(${JSON.stringify(args)}, io);`,
      "const ajv = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('/node_modules/ajv/'));",
      'console.log(JSON.stringify({ code, ajv }));',
    ].join('\n');
    const probe = (args: string[]): unknown => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(args)], { encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      return JSON.parse(r.stdout);
    };
    expect(probe(['check', '-f', 'json', 'fixtures/sample/sample.pcapng'])).toEqual({ code: 1, ajv: false });
    // The config is validated, and applied: it lowers one of the sample's two errors and turns off the other (exit 0).
    expect(probe(['check', '-f', 'json', '--config', config, 'fixtures/sample/sample.pcapng'])).toEqual({ code: 0, ajv: true });
  });

  it('--version and --help exit 0', () => {
    expect(run('--version')).toMatchObject({ code: 0, stdout: '0.1.0\n' });
    const help = run('check', '--help');
    expect(help.code).toBe(0);
    for (const o of ['--format', '--annotate', '--interface', '--capture-command', '--fail-on']) expect(help.stdout).toContain(o);
  });
});
