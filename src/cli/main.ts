// The one exit point of the CLI: parses argv with the pure program, runs the invocation, turns
// user errors (bad options, unreadable inputs, invalid config) into one line on stderr and exit 2.
import { CommanderError } from 'commander';
import { Chalk } from 'chalk';
import { buildProgram, type Invocation } from './program.js';
import { colorLevel, processInterrupt, processIo, type CliIo } from './io.js';
import { openTextSink } from './output.js';
import { JsonLineWriter } from './json-bytes.js';
import { DecodeLineWriter } from './decode-line.js';
import { analyze, decode } from '../index.js';
import { InputError } from '../capture/source.js';
import { ConfigError, loadConfig, loadProfile, loadRules, type UserConfig } from '../engine/load.js';
import { reporters, exitCodeFor, ReportDetails, DETAIL_DEFAULTS, type DetailLimits, type ReportContext } from '../report/index.js';
import { findingLine } from '../report/text.js';
import { annotateCapture } from '../report/annotate.js';
import { startLiveCapture, type LiveCapture } from '../capture/live.js';
import type { CaptureInput } from '../capture/source.js';
import type { Report } from '../engine/types.js';
import { ProgressLine } from './progress.js';
import { PassThrough } from 'node:stream';
import { renderRules, RuleNotFoundError } from './rules-command.js';
import { heapGrowth, limitHeapGrowth, semiSpaceSize } from './heap.js';

/** A user-facing failure: printed as one line, exit code 2. */
export class UsageError extends Error {}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').replace(/^error:\s*/i, '').trim();
}

async function run(inv: Invocation, io: CliIo): Promise<number> {
  const config: UserConfig | undefined = 'config' in inv.options && inv.options.config ? loadConfig(inv.options.config) : undefined;

  if (inv.command === 'rules') {
    const chalk = new Chalk({ level: colorLevel(inv.options.color, io) });
    const profile = loadProfile(inv.options.profile, undefined, { forListing: true });
    io.stdout.write(renderRules(loadRules(), profile, inv.id, inv.options.format, chalk));
    return 0;
  }

  if (inv.command === 'decode') {
    const sink = openTextSink(inv.options.output, io);
    const lines = new JsonLineWriter((octets) => sink.writeBytes(octets));
    const decodeLines = new DecodeLineWriter(lines);
    try {
      // One line per message: the capture fields, then the message's JSON form (DESIGN.md `decode`).
      const inputs = inv.files.map((f) => (f === '-' ? { stream: stdinOf(io), name: 'stdin' } : f));
      const result = await decode(inputs, (record, codec) => decodeLines.write(record, codec),
        { profile: inv.options.profile, config, bulkPorts: inv.options.bulkPort });
      failIfNothingRead(result.inputs);
    } finally {
      lines.flush();
      sink.close();
    }
    return 0;
  }

  return runCheck(inv, config, io);
}

/** `check`: analyze, report in the chosen format, optionally annotate; live inputs stream findings. */
async function runCheck(inv: Extract<Invocation, { command: 'check' }>, config: UserConfig | undefined, io: CliIo): Promise<number> {
  const opts = inv.options;
  const format = opts.format ?? 'text';
  const reporter = reporters.get(format);
  if (!reporter) throw new UsageError(`unknown format '${format}'`);
  const liveCapture = opts.interface !== undefined || opts.captureCommand !== undefined;
  const live = liveCapture || inv.files.includes('-');
  if (opts.annotate !== undefined && live) {
    throw new UsageError('--annotate reads the input a second time: give a capture file, not stdin or a live capture');
  }
  const chalk = new Chalk({ level: opts.output ? 0 : colorLevel(opts.color, io) });
  const ctx: ReportContext = { chalk, failOn: opts.failOn };
  const needs = reporter.needs ?? {};
  const details = needs.ladders || needs.scopes ? new ReportDetails({ ladders: needs.ladders, limits: detailLimits(config) }) : undefined;
  ctx.details = details;

  // Live: the input is a PassThrough we can end on Ctrl-C; the report is still written.
  let inputs: Array<string | CaptureInput> = inv.files;
  let capture: LiveCapture | undefined;
  let stopLive: (() => void) | undefined;
  let captureErrors = '';
  if (live) {
    const pass = new PassThrough();
    let source: NodeJS.ReadableStream;
    let name: string;
    if (liveCapture) {
      capture = startLiveCapture({
        interface: opts.interface, command: opts.captureCommand, bulkPorts: opts.bulkPort,
        onStderr: (t) => { if (captureErrors.length < 4000) captureErrors += t; },
      });
      source = capture.stream;
      name = opts.interface !== undefined ? `interface ${opts.interface}` : 'capture command';
    } else {
      if (inv.files.length !== 1) throw new UsageError("'-' (stdin) must be the only input");
      source = stdinOf(io);
      name = 'stdin';
    }
    source.on('error', (e: Error) => pass.destroy(e));
    source.pipe(pass);
    let stopped = false;
    stopLive = () => {
      if (stopped) return;
      stopped = true;
      source.unpipe(pass);
      pass.end();
      void capture?.stop();
      if (!liveCapture) source.pause();
    };
    inputs = [{ stream: pass, name }];
  }
  const onSigint = (): void => stopLive?.();
  const ignoreSigint = live ? (io.onInterrupt ?? processInterrupt)(onSigint) : undefined;

  // Live findings: one line each as they come (stdout for text, stderr for other formats or -o).
  const liveOut = format === 'text' && !opts.output ? io.stdout : io.stderr;
  const liveCtx: ReportContext = liveOut === io.stdout ? ctx : { ...ctx, chalk: new Chalk({ level: colorLevel(opts.color, { ...io, stdout: io.stderr }) }) };
  const progress = !live && io.stderr.isTTY ? new ProgressLine(io.stderr, inv.files.map((f) => f)) : undefined;

  let report: Report;
  try {
    report = await analyze(inputs, {
      profile: opts.profile, config, bulkPorts: opts.bulkPort, details, live,
      onFinding: live ? (f) => { liveOut.write(findingLine(f, liveCtx)); } : undefined,
      onProgress: progress ? (i, read, total, frames) => progress.update(i, read, total, frames) : undefined,
    });
  } finally {
    progress?.clear();
    ignoreSigint?.();
    if (capture) await capture.stop();
  }
  if (liveCapture && report.inputs[0]?.frames === 0 && report.inputs[0].error) {
    const why = captureErrors.split('\n').map((l) => l.trim()).filter(Boolean).pop();
    throw new UsageError(`the live capture produced no packets${why ? `: ${why}` : ''}`);
  }
  failIfNothingRead(report.inputs);
  if (live && format === 'text' && !opts.output && report.findings.length > 0) io.stdout.write('\n');
  const sink = openTextSink(opts.output, io);
  sink.write(reporter(report, ctx));
  sink.close();
  if (opts.annotate !== undefined) {
    const r = await annotateCapture({ path: inv.files[0] }, report.findings, 0, opts.annotate);
    io.stderr.write(`dhcp6audit: wrote ${opts.annotate} (${r.frames} frames, ${r.comments} comments on ${r.commentedFrames} frames)\n`);
  }
  return exitCodeFor(report, opts.failOn);
}

/** The stream the input '-' reads. */
function stdinOf(io: CliIo): NodeJS.ReadableStream {
  return io.stdin ? io.stdin() : process.stdin;
}

/** `report.*` limits from the config's limits section. */
function detailLimits(config: UserConfig | undefined): Partial<DetailLimits> {
  const out: Partial<DetailLimits> = {};
  const l = (config?.limits ?? {}) as Record<string, number>;
  for (const k of Object.keys(DETAIL_DEFAULTS) as Array<keyof DetailLimits>) if (typeof l[k] === 'number') out[k] = l[k];
  return out;
}

function failIfNothingRead(inputs: Array<{ path: string; error?: string }>): void {
  if (inputs.length > 0 && inputs.every((i) => i.error)) {
    throw new UsageError(inputs.map((i) => `${i.path}: ${i.error}`).join('; '));
  }
}

/** Runs the CLI; resolves with the exit code (0, 1 or 2). */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let invocation: Invocation | undefined;
  let commanderOutput = '';
  const program = buildProgram((inv) => { invocation = inv; });
  program.configureOutput({
    writeOut: (s) => io.stdout.write(s),
    writeErr: (s) => { commanderOutput += s; },
    outputError: (s) => { commanderOutput += s; },
  });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => { commanderOutput += s; },
      outputError: (s) => { commanderOutput += s; },
    });
  }
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      if (commanderOutput.includes('Usage:') && !commanderOutput.includes('error:')) io.stderr.write(commanderOutput);
      io.stderr.write(`dhcp6audit: ${oneLine(e.message)}\n`);
      return 2;
    }
    throw e;
  }
  if (!invocation) return 0;
  const growth = heapGrowth(io.env);
  if (typeof growth === 'string') {
    io.stderr.write(`dhcp6audit: ${growth}\n`);
    return 2;
  }
  const semi = semiSpaceSize(io.env);
  if (typeof semi === 'string') {
    io.stderr.write(`dhcp6audit: ${semi}\n`);
    return 2;
  }
  limitHeapGrowth(growth); // the semi-space size is the worker's (thread.ts); checked here for one message
  try {
    return await run(invocation, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError || e instanceof ConfigError || e instanceof RuleNotFoundError) {
      io.stderr.write(`dhcp6audit: ${oneLine((e as Error).message)}\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr.write(`dhcp6audit: internal error: ${oneLine(err?.message ?? String(e))}${debug ? '' : ' (run with --debug for details)'}\n`);
    if (debug && err?.stack) io.stderr.write(`${err.stack}\n`);
    return 2;
  }
}
