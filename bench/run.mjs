// The benchmark (`npm run bench`): generates seeded captures (bench/generate.mjs) and times
// `dhcp6audit check` (by path and from stdin), `dhcp6audit decode`, a tshark field dump and `cat`
// side by side, alternating, under /usr/bin/time -v; checks the findings are exactly the planted ones.
//
// Options: --sizes 1000000,10000000  --runs 3  --skip-tshark-10m  --max-wait 600 (s, waiting for a
// 1-minute load below 1.0)  --no-results (do not write bench/results.md).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const rel = (p) => relative(process.cwd(), p) || '.';

function parseArgs(argv) {
  const o = { sizes: [1_000_000, 10_000_000], runs: 3, skipTshark10m: false, maxWait: 600, results: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--sizes') o.sizes = argv[++i].split(',').map((s) => Number(s.replace(/_/g, '')));
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--skip-tshark-10m') o.skipTshark10m = true;
    else if (a === '--max-wait') o.maxWait = Number(argv[++i]);
    else if (a === '--no-results') o.results = false;
    else throw new Error(`unknown option ${a}`);
  }
  if (o.sizes.some((n) => !Number.isInteger(n) || n < 20000)) throw new Error('--sizes: integers of at least 20000');
  if (!(o.runs >= 1)) throw new Error('--runs: at least 1');
  return o;
}

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds dist/ when any source is newer than it (others' in-progress type errors do not stop tsc emitting). */
function ensureBuilt() {
  const marker = join(root, 'dist', 'cli', 'main.js');
  if (existsSync(marker) && statSync(marker).mtimeMs >= newest(join(root, 'src'))) return;
  process.stderr.write('building dist/ (npm run build)…\n');
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (!existsSync(marker)) throw new Error(`build failed (exit ${r.status})`);
}

function ensureCapture(n) {
  const file = join(root, 'bench', 'data', `bench-${n}.pcap`);
  const expected = file.replace(/\.pcap$/, '.expected.json');
  if (!existsSync(file) || !existsSync(expected)) {
    process.stderr.write(`generating ${rel(file)}…\n`);
    const r = spawnSync(process.execPath, [join(root, 'bench', 'generate.mjs'), String(n), file], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error('generator failed');
  }
  return { file, expected: JSON.parse(readFileSync(expected, 'utf8')), bytes: statSync(file).size };
}

async function waitForLoad(maxWait) {
  const start = Date.now();
  while (loadavg()[0] >= 1.0 && Date.now() - start < maxWait * 1000) {
    process.stderr.write(`load ${loadavg()[0].toFixed(2)} ≥ 1.0, waiting…\n`);
    await new Promise((r) => setTimeout(r, 30_000));
  }
  return loadavg()[0];
}

/** Runs a shell command under /usr/bin/time -v; returns wall seconds and peak RSS (KiB). */
function timed(shell) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-v', 'sh', '-c', shell], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const status = Number(/Exit status: (\d+)/.exec(r.stderr)?.[1] ?? r.status);
  if (status !== 0) throw new Error(`exit ${status}: ${shell}\n${r.stderr.split('\n').filter((l) => !l.startsWith('\t')).join('\n')}`);
  return { wall, rss };
}

/** The findings must be exactly the planted ones (rule id + frames), and every message decoded. */
function verifyReport(path, expected, label) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const got = report.findings.map((f) => `${f.ruleId} ${f.frames.join(',')}`).sort();
  const want = expected.findings.map((f) => `${f.ruleId} ${f.frames.join(',')}`).sort();
  const problems = [];
  if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`findings differ:\n  got  ${got.join('\n       ')}\n  want ${want.join('\n       ')}`);
  if (report.stats.frames !== expected.packets) problems.push(`stats.frames ${report.stats.frames}, expected ${expected.packets}`);
  if (report.stats.dhcpv6Messages !== expected.dhcpv6Messages) problems.push(`stats.dhcpv6Messages ${report.stats.dhcpv6Messages}, expected ${expected.dhcpv6Messages}`);
  if (problems.length) throw new Error(`${label}: ${problems.join('; ')}`);
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const mib = (kib) => kib / 1024;

function machine() {
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /model name\s*:\s*(.*)/.exec(info)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  const tshark = spawnSync('tshark', ['-v'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? 'not installed';
  return { model, cores: cpus().length, memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`, node: process.version, tshark, date: new Date().toISOString() };
}

/** The heap settings the CLI runs `check` and `decode` with (the environment's, else its defaults). */
async function memorySettings() {
  const heap = await import(pathToFileURL(join(root, 'dist', 'cli', 'heap.js')).href);
  const one = (name, fallback, unit) => {
    const v = process.env[name];
    return v === undefined || v.trim() === '' ? `${name} ${fallback}${unit} (default)` : `${name} ${v.trim()}${unit}`;
  };
  return `${one(heap.HEAP_GROWTH_ENV, heap.HEAP_GROWTH_DEFAULT, ' %')}, ${one(heap.SEMI_SPACE_ENV, heap.SEMI_SPACE_DEFAULT, ' MiB')}`;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time is missing: apt-get install time');
  ensureBuilt();
  const captures = opts.sizes.map((n) => ({ n, ...ensureCapture(n) }));
  const loadBefore = await waitForLoad(opts.maxWait);
  // Reports go under bench/data (git-ignored): other jobs on the machine may clean /tmp.
  const tmp = mkdtempSync(join(root, 'bench', 'data', 'run-'));
  const cli = `${JSON.stringify(process.execPath)} ${JSON.stringify(join(root, 'bin', 'dhcp6audit.js'))}`;
  const rows = [];
  try {
    for (const cap of captures) {
      const f = JSON.stringify(cap.file);
      const out = join(tmp, 'report.json');
      const tools = [
        { name: 'check', cmd: `${cli} check --format json --fail-on never -o ${out} ${f}`, verify: true },
        { name: 'check (stdin)', cmd: `${cli} check --format json --fail-on never -o ${out} - < ${f}`, verify: true },
        { name: 'decode', cmd: `${cli} decode ${f} > /dev/null` },
        { name: 'tshark', cmd: `tshark -r ${f} -T fields -e frame.number -e dhcpv6.msgtype -e dhcpv6.bulk_leasequery.msgtype > /dev/null`, skip: opts.skipTshark10m && cap.n >= 10_000_000 },
        { name: 'cat', cmd: `cat ${f} > /dev/null` },
      ].filter((t) => !t.skip);
      const results = new Map(tools.map((t) => [t.name, []]));
      for (let run = 1; run <= opts.runs; run++) {
        for (const t of tools) { // A B C … A B C …: drift in machine load hits every tool alike
          process.stderr.write(`${cap.n} packets, run ${run}/${opts.runs}: ${t.name}… `);
          rmSync(out, { force: true });
          const r = timed(t.cmd);
          if (t.verify) verifyReport(out, cap.expected, `${t.name} on ${rel(cap.file)}`);
          results.get(t.name).push(r);
          process.stderr.write(`${fmt(r.wall)} s, ${fmt(mib(r.rss), 0)} MiB\n`);
        }
      }
      for (const t of tools) {
        const rs = results.get(t.name);
        const walls = rs.map((r) => r.wall);
        const med = median(walls);
        rows.push({
          size: cap.n, bytes: cap.bytes, tool: t.name, median: med, min: Math.min(...walls), max: Math.max(...walls),
          pps: cap.n / med, mbps: cap.bytes / 1e6 / med, rss: Math.max(...rs.map((r) => r.rss)),
        });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const loadAfter = loadavg()[0];
  const m = machine();

  const table = ['| packets | MB | command | median s | min–max s | packets/s | MB/s | peak RSS MiB |', '|---:|---:|---|---:|---:|---:|---:|---:|'];
  for (const r of rows) {
    table.push(`| ${r.size.toLocaleString('en')} | ${fmt(r.bytes / 1e6, 0)} | ${r.tool} | ${fmt(r.median)} | ${fmt(r.min)}–${fmt(r.max)} | ${Math.round(r.pps).toLocaleString('en')} | ${fmt(r.mbps, 0)} | ${fmt(mib(r.rss), 0)} |`);
  }
  const find = (n, tool) => rows.find((r) => r.size === n && r.tool === tool);
  const ratios = [];
  const targets = [];
  for (const { n } of captures) {
    const check = find(n, 'check');
    const stdin = find(n, 'check (stdin)');
    const tshark = find(n, 'tshark');
    const cat = find(n, 'cat');
    const line = [];
    if (tshark) line.push(`check is **${fmt(tshark.median / check.median, 1)}×** faster than tshark`);
    line.push(`check takes ${fmt(check.median / cat.median, 1)}× the time of cat`);
    line.push(`check from stdin takes ${fmt(stdin.median / check.median, 2)}× the time of check by path`);
    ratios.push(`- ${n.toLocaleString('en')} packets: ${line.join('; ')}.`);
    if (tshark && n === 1_000_000) targets.push([`check ≥ 25× faster than tshark at 1 M (aim 50×)`, tshark.median / check.median >= 25, `${fmt(tshark.median / check.median, 1)}×`]);
    if (n === 1_000_000) targets.push([`check ≥ 1 M packets/s at 1 M`, check.pps >= 1e6, `${Math.round(check.pps).toLocaleString('en')} packets/s`]);
    targets.push([`peak RSS ≤ 150 MiB (check, ${n.toLocaleString('en')})`, mib(Math.max(check.rss, stdin.rss)) <= 150, `${fmt(mib(Math.max(check.rss, stdin.rss)), 0)} MiB`]);
    targets.push([`stdin within 2× of path (${n.toLocaleString('en')})`, stdin.median <= 2 * check.median, `${fmt(stdin.median / check.median, 2)}×`]);
  }
  const targetLines = targets.map(([what, ok, value]) => `- ${ok ? 'met' : '**NOT met**'}: ${what} — ${value}`);
  const text = [
    '# Benchmark results',
    '',
    `Measured by \`npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}\` on ${m.date}. ` +
      `${opts.runs} runs per command, alternating; wall time is the median (min–max); peak RSS is the largest of the runs (\`/usr/bin/time -v\`).`,
    `Every \`check\` run's findings were compared with the generator's planted violations (rule id and frames) and matched exactly.`,
    '',
    `- Machine: ${m.model}, ${m.cores} cores, ${m.memory} memory`,
    `- Software: node ${m.node}, ${m.tshark}`,
    `- dhcp6audit memory settings: ${await memorySettings()}`,
    `- Load (1-minute average): ${fmt(loadBefore)} before, ${fmt(loadAfter)} after${loadBefore >= 1 ? ' (other work was running: figures are pessimistic)' : ''}`,
    '',
    ...table,
    '',
    ...ratios,
    '',
    'Targets (issue 8):',
    ...targetLines,
    '',
    'Commands: `dhcp6audit check --format json --fail-on never -o REPORT FILE` (and `- < FILE`), `dhcp6audit decode FILE > /dev/null`, ' +
      '`tshark -r FILE -T fields -e frame.number -e dhcpv6.msgtype -e dhcpv6.bulk_leasequery.msgtype > /dev/null`, `cat FILE > /dev/null`. ' +
      'Captures: `node bench/generate.mjs N FILE` (seed 5460), see bench/README.md.',
    '',
  ].join('\n');
  process.stdout.write(`\n${text}`);
  if (opts.results) writeFileSync(join(root, 'bench', 'results.md'), text);
  if (targets.some(([, ok]) => !ok)) process.exitCode = 1;
}

main().catch((e) => { process.stderr.write(`bench: ${e.message}\n`); process.exitCode = 1; });
