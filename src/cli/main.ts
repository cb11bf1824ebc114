// The one exit point of the CLI: parses argv with the pure program, runs the invocation, turns
// user errors (bad options, unreadable inputs, invalid config) into one line on stderr and exit 2.
import { CommanderError } from 'commander';
import { Chalk } from 'chalk';
import { buildProgram, type Invocation } from './program.js';
import { colorLevel, processIo, type CliIo } from './io.js';
import { openTextSink } from './output.js';
import { analyze, decode } from '../index.js';
import { InputError } from '../capture/source.js';
import { ConfigError, loadConfig, loadProfile, loadRules, type UserConfig } from '../engine/load.js';
import { reporters, exitCodeFor } from '../report/index.js';
import { renderRules, RuleNotFoundError } from './rules-command.js';

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
    try {
      const result = await decode(inv.files, (record, codec) => {
        const line = {
          input: record.input, frame: record.frame, time: Number(record.time.toFixed(6)),
          src: record.src, dst: record.dst, srcPort: record.srcPort, dstPort: record.dstPort, transport: record.transport,
          ...codec.toJson(record.message),
        };
        sink.write(`${JSON.stringify(line)}\n`);
      }, { profile: inv.options.profile, config, bulkPorts: inv.options.bulkPort });
      failIfNothingRead(result.inputs);
    } finally {
      sink.close();
    }
    return 0;
  }

  const opts = inv.options;
  const format = opts.format ?? 'text';
  const reporter = reporters.get(format);
  if (!reporter) throw new UsageError(`unknown format '${format}'`);
  const report = await analyze(inv.files, { profile: opts.profile, config, bulkPorts: opts.bulkPort });
  failIfNothingRead(report.inputs);
  const chalk = new Chalk({ level: opts.output ? 0 : colorLevel(opts.color, io) });
  const sink = openTextSink(opts.output, io);
  sink.write(reporter(report, { chalk, failOn: opts.failOn }));
  sink.close();
  return exitCodeFor(report, opts.failOn);
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
