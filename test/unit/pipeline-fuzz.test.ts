// Whole captures through the whole pipeline under corruption. Every fixture capture and every capture
// in ../shared/captures is mutated at the record level (test/kit/capture-mutate.ts: frames dropped,
// copied, reordered, cut; TCP sequence numbers, flags and ports; DHCPv6 message types, xids, hop
// counts, option codes and lengths, RFC 5460 message-size fields; options removed, repeated, grown or
// moved between messages, messages swapped or wrapped in relays; the file cut or overwritten), under
// the capture's own settings, very tight limits or draft-01, and run through analyze() with every
// default rule, every report format and decode(). Nothing may throw or hang, every frame is accounted
// for, every finding is well formed, the JSON report and decode lines match their schemas. Metamorphic
// checks look for false alarms: a prefix decides nothing the whole capture does not, and duplicated
// frames, a moved clock or a second input change nothing. A few mutated files go through the built CLI.
// FUZZ_RUNS (total runs, default 600) and FUZZ_SEED make the soak (`npm run fuzz`, README.md "Proof").
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { Chalk } from 'chalk';
import { analyze, decode, type Finding, type Report } from '../../src/index.js';
import { loadRules } from '../../src/engine/load.js';
import { reporters, ReportDetails } from '../../src/report/index.js';
import { assertValidDecodeLine, assertValidReport } from '../kit/schemas.js';
import { parseXml } from '../cli/xml.js';
import {
  DHCPV6_OPS, FILE_OPS, FRAME_OPS, TRANSPORT_OPS, applyMutation, locate, mutateCapture, readRecords, writeRecords,
  type Mutation, type MutationOp,
} from '../kit/capture-mutate.js';
import { captureFiles, FIXTURES_DIR, REPO_ROOT, runOptionsFor, SHARED_CAPTURES_DIR, type RunOptions } from '../kit/captures.js';

/** Total property runs over all captures (npm test: 600; a soak sets FUZZ_RUNS=20000 or more). */
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = Number(process.env.FUZZ_SEED ?? 5460);
/** One run (analyze, five reports, decode) of a small capture takes milliseconds; this is a hang. */
const HANG_MS = Number(process.env.FUZZ_HANG_MS ?? 5000);

interface Capture {
  name: string;
  path: string;
  options: RunOptions;
}

const captures: Capture[] = [...captureFiles(FIXTURES_DIR), ...captureFiles(SHARED_CAPTURES_DIR)]
  .map((path) => ({ name: relative(REPO_ROOT, path), path, options: runOptionsFor(path) }));

const ruleIds = new Set(loadRules().map((r) => r.id));
const LEVELS = new Set(['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'INFO']);

const ops = (list: readonly MutationOp[]): fc.Arbitrary<MutationOp> => fc.constantFrom(...list);
/** DHCPv6-level mutations dominate: they reach the decoder, the correlators and the rules. */
const mutationOp: fc.Arbitrary<MutationOp> = fc.oneof(
  { arbitrary: ops(DHCPV6_OPS), weight: 6 },
  { arbitrary: ops(FRAME_OPS), weight: 3 },
  { arbitrary: ops(TRANSPORT_OPS), weight: 2 },
  { arbitrary: ops(FILE_OPS), weight: 1 },
);
const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: mutationOp, target: fc.nat(), pick: fc.nat(), value: fc.nat(),
});
const mutations = fc.array(mutation, { minLength: 1, maxLength: 6 });
/** Mutations of the records only (the file stays readable record by record). */
const recordMutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.oneof({ arbitrary: ops(DHCPV6_OPS), weight: 3 }, { arbitrary: ops(FRAME_OPS), weight: 1 }, { arbitrary: ops(TRANSPORT_OPS), weight: 1 }),
  target: fc.nat(), pick: fc.nat(), value: fc.nat(),
});

/** Limits set very low, so every limit path (and its accounting) is taken on small captures. */
const TIGHT: Record<string, [number, number]> = {
  'tcp.max-connections': [0, 2], 'tcp.max-light': [0, 3], 'tcp.idle-timeout': [0, 3],
  'reassembly.memcap': [0, 300], 'reassembly.conn-memcap': [0, 300], 'reassembly.overlap-window': [0, 16],
  'dedup.max-entries': [0, 2], 'dedup.window': [0, 10],
  'ip.frag-max-fragments': [0, 2], 'ip.frag-memcap': [0, 200], 'ip.frag-timeout': [0, 2],
  'bulk.max-message-size': [0, 120], 'bulk.resync-scan-limit': [0, 64], 'bulk.max-frames-per-message': [0, 3],
  'bulk.max-open-queries': [0, 2], 'bulk.max-completed-queries': [0, 2], 'bulk.idle-timeout': [0, 3],
  'sessions.max-open': [0, 2], 'sessions.idle-timeout': [0, 3], 'sessions.copy-window': [0, 2], 'sessions.answered-timeout': [0, 3],
  'sessions.unknown-window': [0, 3], 'sessions.max-unknown': [0, 2],
  'capture.max-record-length': [0, 200], 'capture.max-block-length': [0, 300],
};
const tightLimits: fc.Arbitrary<Record<string, number>> = fc.record(
  Object.fromEntries(Object.entries(TIGHT).map(([k, [lo, hi]]) => [k, fc.integer({ min: lo, max: hi })])),
  { requiredKeys: [] },
) as fc.Arbitrary<Record<string, number>>;
const DRAFT_CODES = { 'LEASEQUERY-DONE': 246, 'LEASEQUERY-DATA': 247, OPTION_RELAY_ID: 250, QueryTerminated: 240 };

/** How a run is configured: as the capture's expectations say (mostly), with tight limits, or under draft-01. */
type Setting = { kind: 'own' } | { kind: 'tight'; limits: Record<string, number>; maxPerRule: number } | { kind: 'draft-01' };
const setting: fc.Arbitrary<Setting> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'own' } as const), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('tight' as const), limits: tightLimits, maxPerRule: fc.integer({ min: 1, max: 3 }) }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'draft-01' } as const), weight: 1 },
);

function optionsOf(c: Capture, s: Setting): Capture['options'] {
  if (s.kind === 'own') return c.options;
  if (s.kind === 'draft-01') return { bulkPorts: c.options.bulkPorts, profile: 'draft-01', config: { codes: DRAFT_CODES } };
  return { ...c.options, config: { ...c.options.config, limits: s.limits, findings: { 'max-per-rule': s.maxPerRule } } };
}

/** Output that shows a value leaked into text unformatted. */
const LEAKS = /\bNaN\b|\[object Object\]|\bundefined\b/;

/** Checks a report's findings and stats against the contract; throws with what is wrong. */
function checkReport(report: Report): void {
  assertValidReport(report);
  const s = report.stats;
  expect(s.dhcpv6Frames + s.otherFrames + s.malformedFrames + s.droppedFrames, 'frame accounting').toBe(s.frames);
  expect(report.inputs).toHaveLength(1);
  expect(report.inputs[0].frames, 'input frames').toBe(s.frames);
  const summary = { error: 0, warning: 0, info: 0, inconclusive: 0 };
  for (const f of report.findings) {
    const what = `${f.ruleId} ${JSON.stringify(f.frames)}`;
    expect(ruleIds.has(f.ruleId), `unknown rule ${f.ruleId}`).toBe(true);
    expect(['violation', 'inconclusive'], what).toContain(f.verdict);
    expect(['error', 'warning', 'info'], what).toContain(f.severity);
    expect(LEVELS.has(f.level), what).toBe(true);
    expect(f.input, what).toBe(0);
    expect(f.message, what).not.toMatch(LEAKS);
    expect(f.message.trim(), what).not.toBe('');
    // An in-memory input cannot fail to be read: a read error here is a pipeline error in disguise.
    expect(f.message, what).not.toMatch(/^capture\.read_error/);
    expect(Number.isFinite(f.time), what).toBe(true);
    // Only damage to the file itself may have no frame to show (nothing was read before it).
    if (f.ruleId !== 'DECODE-CAPTURE') expect(f.frames.length, `${what}: no evidence frame`).toBeGreaterThan(0);
    f.frames.forEach((fr, i) => {
      expect(Number.isInteger(fr) && fr >= 1 && fr <= s.frames, `${what}: frame ${fr} outside 1..${s.frames}`).toBe(true);
      if (i > 0) expect(fr > f.frames[i - 1], `${what}: frames not ascending`).toBe(true);
    });
    if (f.xid !== undefined) expect(Number.isInteger(f.xid) && f.xid >= 0 && f.xid <= 0xffffff, what).toBe(true);
    if (f.verdict === 'inconclusive') summary.inconclusive++;
    else summary[f.severity]++;
  }
  expect(report.summary).toEqual(summary);
}

/** Renders every report format and checks each is whole. */
function renderAll(report: Report, details: ReportDetails): void {
  for (const [name, reporter] of reporters) {
    for (const level of [0, 1] as const) {
      if (level === 1 && name !== 'text') continue;
      const out = reporter(report, { chalk: new Chalk({ level }), failOn: 'error', details });
      expect(out.length, `${name} output`).toBeGreaterThan(0);
      expect(out, `${name} output`).not.toMatch(/\bNaN\b|\[object Object\]/);
      if (name === 'json') {
        const back = JSON.parse(out) as Report;
        assertValidReport(back);
        expect(back.findings.length).toBe(report.findings.length);
        expect(back.stats).toEqual(report.stats);
      } else if (name === 'junit') {
        parseXml(out);
      } else if (name === 'html') {
        expect(out).toContain('</html>');
      } else if (name === 'markdown') {
        // Every row of a table has its header's number of cells (pipes in text are escaped).
        let cells = 0;
        for (const line of out.split('\n')) {
          if (!line.startsWith('|')) { cells = 0; continue; }
          const n = line.match(/(?<!\\)\|/g)!.length;
          if (cells === 0) cells = n;
          expect(n, `markdown row ${line}`).toBe(cells);
        }
      }
      if (name !== 'html') expect(out, `${name} output`).not.toMatch(/\bundefined\b/);
    }
  }
}

/** One mutated capture through analyze, the reporters and decode. */
async function exercise(c: Capture, bytes: Uint8Array, options: Capture['options']): Promise<Report> {
  const details = new ReportDetails({ ladders: true });
  const input = { stream: Readable.from([bytes]), name: c.name };
  const report = await analyze([input], { ...options, details });
  checkReport(report);
  renderAll(report, details);

  let lastFrame = 0;
  let messages = 0;
  const result = await decode([{ stream: Readable.from([bytes]), name: c.name }], (record, codec) => {
    messages++;
    expect(record.frame >= 1 && record.frame <= report.stats.frames, `decode frame ${record.frame}`).toBe(true);
    expect(record.frame >= lastFrame, `decode lines out of frame order: ${record.frame} after ${lastFrame}`).toBe(true);
    lastFrame = record.frame;
    const line = {
      input: record.input, frame: record.frame, time: Number(record.time.toFixed(6)),
      src: record.src, dst: record.dst, srcPort: record.srcPort, dstPort: record.dstPort, transport: record.transport,
      ...codec.toJson(record.message),
    };
    assertValidDecodeLine(JSON.parse(JSON.stringify(line)));
  }, options);
  const s = result.stats;
  expect(s.dhcpv6Frames + s.otherFrames + s.malformedFrames + s.droppedFrames, 'decode frame accounting').toBe(s.frames);
  expect(s.frames, 'decode reads the frames analyze read').toBe(report.stats.frames);
  expect(messages, 'decode lines = messages analyzed').toBe(report.stats.dhcpv6Messages);
  return report;
}

/** A finding as the metamorphic checks compare it: evidence renumbered by `frameOf`, time and text left out. */
function rows(report: Report, frameOf: (f: number) => number = (f) => f, input?: number): string[] {
  return report.findings.filter((f) => input === undefined || f.input === input).map((f) => JSON.stringify([
    f.ruleId, f.verdict, f.severity, [...new Set(f.frames.map(frameOf))], f.xid ?? null, f.connection ?? null,
    f.client ?? null, f.server ?? null,
  ])).sort();
}

/** What a violation is about (its rule and scope), whatever evidence frames later frames add. */
function judgement(f: Finding): string {
  return JSON.stringify([f.ruleId, f.xid ?? null, f.connection ?? null, f.client?.duid ?? f.client?.address ?? null, f.server?.duid ?? f.server?.address ?? null]);
}

async function analyzeBytes(c: Capture, bytes: Uint8Array): Promise<Report> {
  return analyze([{ stream: Readable.from([bytes]), name: c.name }], c.options);
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

const perCapture = Math.max(1, Math.round(RUNS / Math.max(1, captures.length)));
/** The soak's per-capture runs take longer than the suite's default test timeout. */
const TIMEOUT = Math.max(60_000, perCapture * 3_000);
let totalRuns = 0;
const seenRules = new Map<string, number>();
let slowest = { ms: 0, what: '' };

describe('whole captures, mutated, through analyze, every report format and decode', () => {
  it('finds the fixture captures and the shared ones', () => {
    expect(captures.length).toBeGreaterThan(100);
    expect(captures.some((c) => c.path.startsWith(SHARED_CAPTURES_DIR))).toBe(true);
  });

  for (const c of captures) {
    it(c.name, async () => {
      const original = new Uint8Array(readFileSync(c.path));
      const seed = (SEED + hash(c.name)) | 0;
      await fc.assert(fc.asyncProperty(mutations, setting, async (muts, how) => {
        const { bytes, steps } = mutateCapture(original, muts);
        if (how.kind !== 'own') steps.push(JSON.stringify(how));
        const start = performance.now();
        let report: Report;
        try {
          report = await exercise(c, bytes, optionsOf(c, how));
        } catch (e) {
          const err = e as Error;
          throw new Error(`${c.name} (seed ${seed}) after [${steps.join('; ')}]: ${err.message}\n${err.stack ?? ''}`);
        }
        const ms = performance.now() - start;
        if (ms > slowest.ms) slowest = { ms, what: `${c.name} [${steps.join('; ')}]` };
        if (ms > HANG_MS) throw new Error(`${c.name} (seed ${seed}) after [${steps.join('; ')}]: took ${Math.round(ms)} ms`);
        totalRuns++;
        for (const f of report.findings) seenRules.set(`${f.ruleId} ${f.verdict}`, (seenRules.get(`${f.ruleId} ${f.verdict}`) ?? 0) + 1);
      }), { numRuns: perCapture, seed });

      // Metamorphic checks. The capture written again unchanged gives the same findings, and what a
      // prefix of it decides (a violation) the whole capture decides too: later frames cannot undo
      // evidence, so a difference is a finding that should have waited (inconclusive). Then, on the
      // capture after a few record-level mutations: a frame copied at the same instant (a second
      // capture point) changes nothing but the numbering; a clock moved by whole seconds changes
      // nothing but times; and two inputs in one run are judged as if each were alone.
      const direct = await analyze([c.path], c.options);
      const whole = readRecords(original);
      const cleanFile = !direct.findings.some((f) => f.ruleId === 'DECODE-CAPTURE');
      if (cleanFile) {
        const again = await analyzeBytes(c, writeRecords(whole));
        expect(rows(again), `${c.name} written again`).toEqual(rows(direct));
      }
      const decided = new Set(direct.findings.filter((f) => f.verdict === 'violation').map(judgement));
      await fc.assert(fc.asyncProperty(fc.array(recordMutation, { maxLength: 3 }), fc.nat(), fc.integer({ min: -1000, max: 100_000 }), async (muts, pick, shift) => {
        if (cleanFile && whole.recs.length > 1) {
          const cut = 1 + (pick % (whole.recs.length - 1));
          const prefix = await analyzeBytes(c, writeRecords({ ...whole, recs: whole.recs.slice(0, cut) }));
          for (const f of prefix.findings) {
            if (f.verdict !== 'violation' || f.ruleId.startsWith('DECODE-')) continue;
            expect(decided.has(judgement(f)), `${c.name}: the first ${cut} frames decide ${f.ruleId} ${JSON.stringify(f.frames)} ` +
              `("${f.message}"), the whole capture does not`).toBe(true);
          }
        }

        const r = readRecords(original);
        const steps = muts.map((m) => applyMutation(r, m)).filter((x) => x !== '');
        const ip = r.recs.map((x, i) => (locate(x) ? i : -1)).filter((i) => i >= 0);
        if (ip.length === 0) return;
        const baseBytes = writeRecords(r);
        const base = await analyzeBytes(c, baseBytes);
        // The same bytes gzip-compressed and handed over in small pieces (a pipe from `zcat`-less
        // tools, a slow stream): gzip is detected by its magic and changes nothing.
        const gz = gzipSync(baseBytes);
        const piece = 1 + (pick % 97);
        const pieces: Uint8Array[] = [];
        for (let o = 0; o < gz.length; o += piece) pieces.push(gz.subarray(o, o + piece));
        const zipped = await analyze([{ stream: Readable.from(pieces), name: c.name }], c.options);
        const gzWhere = `${c.name} (seed ${seed}) after [${steps.join('; ')}]: gzip in ${piece}-octet pieces`;
        expect(zipped.inputs[0].compressed, gzWhere).toBe(true);
        expect(zipped.stats, gzWhere).toEqual(base.stats);
        expect(rows(zipped), gzWhere).toEqual(rows(base));
        const k = ip[pick % ip.length];
        const copy = structuredClone(r);
        copy.recs.splice(k + 1, 0, structuredClone(copy.recs[k]));
        const dup = await analyzeBytes(c, writeRecords(copy));
        const where = `${c.name} (seed ${seed}) after [${steps.join('; ')}]: frame ${k + 1} copied`;
        expect(dup.stats.frames, where).toBe(base.stats.frames + 1);
        expect(dup.stats.duplicateFrames, where).toBe(base.stats.duplicateFrames + 1);
        // Frame k + 2 is the copy of k + 1; later frames move up by one.
        expect(rows(dup, (f) => (f <= k + 1 ? f : f - 1)), where).toEqual(rows(base));

        const moved = structuredClone(r);
        const by = moved.recs.every((x) => x.tsSec + shift >= 0) ? shift : -shift;
        for (const x of moved.recs) x.tsSec += by;
        const movedBytes = writeRecords(moved);
        const later = await analyzeBytes(c, movedBytes);
        expect(rows(later), `${c.name} (seed ${seed}) after [${steps.join('; ')}]: clock moved by ${by} s`).toEqual(rows(base));

        const both = await analyze([{ stream: Readable.from([baseBytes]), name: 'a' }, { stream: Readable.from([movedBytes]), name: 'b' }], c.options);
        const alone = `${c.name} (seed ${seed}) after [${steps.join('; ')}]: two inputs`;
        expect(rows(both, undefined, 0), alone).toEqual(rows(base));
        expect(rows(both, undefined, 1), alone).toEqual(rows(later));
        for (const f of both.findings) for (const fr of f.frames) expect(fr, alone).toBeLessThanOrEqual(both.inputs[f.input].frames);
      }), { numRuns: Math.max(1, Math.round(perCapture / 4)), seed });
    }, TIMEOUT);
  }

  it('reached the decoder, the reassembler, the correlators and most rules', (ctx) => {
    // Only meaningful after every capture ran (not with -t picking one): the mutations must not
    // silently stop reaching the deep layers.
    if (totalRuns < captures.length * perCapture) ctx.skip();
    const ids = new Set([...seenRules.keys()].map((k) => k.split(' ')[0]));
    for (const id of ['DECODE-DHCPV6', 'DECODE-TCP', 'BLQ-FRAME-SIZE', 'BLQ-XID-REPLY', 'V6-XID-REPLY', 'LQ-REPLY-VALIDATION']) {
      expect(ids.has(id), `no ${id} finding in ${totalRuns} runs`).toBe(true);
    }
    expect(ids.size).toBeGreaterThan(40);
  });

  afterAll(() => {
    if (process.env.FUZZ_RUNS) process.stderr.write(`pipeline fuzz: ${totalRuns} runs, slowest ${Math.round(slowest.ms)} ms: ${slowest.what}\n`);
    if (process.env.FUZZ_RUNS) process.stderr.write(`${[...seenRules].sort().map(([k, v]) => `${k}: ${v}`).join('\n')}\n`);
  });
});

/** A few mutated captures through the BUILT command (`npm run build` first), as a user runs it. */
describe('the built CLI on mutated captures', () => {
  const BIN = 'bin/dhcp6audit.js';
  const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-fuzz-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const picks = [
    'fixtures/sample/sample.pcapng', 'fixtures/bulk/rfc-6.5.1-interleaved.pcapng', 'fixtures/bulk/segmentation.pcapng',
    'fixtures/leasequery/bulk-data-relayed.pcapng', 'fixtures/net/tcp-gap.pcap', '../shared/captures/tcpdump__tests__dhcpv6-ia-pd.pcap',
  ];
  const formats = ['text', 'json', 'junit', 'html', 'markdown'];
  const recordOnly = fc.array(recordMutation, { minLength: 2, maxLength: 6 });
  const samples = fc.sample(recordOnly, { numRuns: picks.length, seed: SEED });

  picks.forEach((name, i) => {
    it(`check and decode exit 0 or 1 with nothing on stderr: ${name}`, async () => {
      if (!existsSync('dist/cli/main.js')) throw new Error('dist/ is missing: run `npm run build` first');
      const c = captures.find((x) => x.name === name);
      expect(c, name).toBeDefined();
      const { bytes, steps } = mutateCapture(new Uint8Array(readFileSync(c!.path)), samples[i]);
      const file = join(dir, `${i}-${basename(name)}`);
      writeFileSync(file, bytes);
      const what = `${name} (seed ${SEED}) after [${steps.join('; ')}]`;
      const report = await analyze([file], c!.options);
      expect(report.inputs[0].error, what).toBeUndefined();

      const extra = [...(c!.options.bulkPorts ?? []).flatMap((p) => ['--bulk-port', String(p)])];
      const format = formats[i % formats.length];
      const annotated = join(dir, `${i}.annotated.pcapng`);
      const env = { ...process.env, NO_COLOR: '1' };
      const check = spawnSync(process.execPath, [BIN, 'check', file, '-f', format, '--annotate', annotated, ...extra], { encoding: 'utf8', env, timeout: 60_000 });
      expect(check.stderr, what).not.toMatch(/internal error|\n\s+at /);
      expect(check.stderr.trim().split('\n'), what).toEqual([expect.stringMatching(/^dhcp6audit: wrote .*annotated\.pcapng/)]);
      expect(check.status, `${what}: check -f ${format}`).toBe(report.findings.some((f) => f.verdict === 'violation' && f.severity === 'error') ? 1 : 0);
      expect(check.stdout.length, what).toBeGreaterThan(0);
      // The annotated copy is a capture of the same frames.
      expect(readRecords(new Uint8Array(readFileSync(annotated))).recs.length, what).toBe(report.stats.frames);

      const dec = spawnSync(process.execPath, [BIN, 'decode', file, ...extra], { encoding: 'utf8', env, timeout: 60_000 });
      expect(dec.stderr, what).toBe('');
      expect(dec.status, `${what}: decode`).toBe(0);
      const lines = dec.stdout.split('\n').filter((l) => l !== '');
      expect(lines.length, what).toBe(report.stats.dhcpv6Messages);
      for (const l of lines) assertValidDecodeLine(JSON.parse(l));
    });
  });
});
