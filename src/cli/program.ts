// The command-line program (commander): a pure builder. It parses argv into an Invocation and never
// exits or prints results itself; main.ts runs the invocation and sets the exit code (STYLE.md habit 8).
import { Command, InvalidArgumentError, Option } from 'commander';
import { TOOL_VERSION } from '../version.js';

export type OutputFormat = 'text' | 'json' | 'junit' | 'html' | 'markdown';
export const FORMATS: readonly OutputFormat[] = ['text', 'json', 'junit', 'html', 'markdown'];

export interface CheckOptions {
  format?: OutputFormat;
  output?: string;
  profile: string;
  config?: string;
  failOn: 'error' | 'warning' | 'info' | 'never';
  bulkPort: number[];
  /** Live capture on this interface (tcpdump). */
  interface?: string;
  /** Live capture from this shell command's stdout (replaces tcpdump). */
  captureCommand?: string;
  /** Also write the capture as pcapng with findings as packet comments. */
  annotate?: string;
  color?: boolean;
  debug?: boolean;
}

export type Invocation =
  | { command: 'check'; files: string[]; options: CheckOptions }
  | { command: 'decode'; files: string[]; options: Pick<CheckOptions, 'output' | 'profile' | 'config' | 'bulkPort' | 'debug'> }
  | { command: 'rules'; id?: string; options: { format: 'text' | 'json'; profile: string; color?: boolean; debug?: boolean } };

function port(value: string, previous: number[]): number[] {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError(`'${value}' is not a TCP port (1-65535)`);
  return [...previous, n];
}

/** Builds the program; `onInvoke` receives what the user asked for. */
export function buildProgram(onInvoke: (inv: Invocation) => void): Command {
  const program = new Command('dhcp6audit')
    .description('Judge DHCPv6 traffic in packet captures against RFC 5460, RFC 5007, RFC 8415 and RFC 6853')
    .version(TOOL_VERSION, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true);

  program
    .command('check', { isDefault: true })
    .description('judge captures and report findings (the default command)')
    .argument('[capture...]', ".pcap / .pcapng (optionally gzip-compressed); '-' reads a capture from stdin")
    .option('-i, --interface <name>', 'capture live on this interface with tcpdump; findings print as they happen, Ctrl-C ends with the report')
    .option('--capture-command <cmd>', 'capture live from this shell command (writes pcap/pcapng to stdout) instead of tcpdump')
    .addOption(new Option('-f, --format <name>', 'report format').choices(FORMATS))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--profile <name>', 'rule profile: rfc5460 or draft-01', 'rfc5460')
    .option('--config <file>', 'rule settings: enable/disable, severity, options, waivers, code points')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a violation is at or above this severity')
      .choices(['error', 'warning', 'info', 'never']).default('error'))
    .option('--bulk-port <port>', 'extra TCP port carrying bulk leasequery (repeatable; 547 always does)', port, [])
    .option('--annotate <out.pcapng>', 'also write the capture as pcapng with each finding as a comment on its evidence frames (one input only)')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .option('--debug', 'show stack traces for internal errors')
    .action((files: string[], options: CheckOptions) => {
      const live = options.interface !== undefined || options.captureCommand !== undefined;
      if (options.interface !== undefined && options.captureCommand !== undefined) {
        throw new InvalidArgumentError('use either -i/--interface or --capture-command, not both');
      }
      if (live && files.length > 0) throw new InvalidArgumentError('a live capture (-i / --capture-command) takes no capture files');
      if (!live && files.length === 0) throw new InvalidArgumentError("missing capture: give a file, '-' for stdin, or -i IFACE");
      if (options.annotate !== undefined && files.length > 1) {
        throw new InvalidArgumentError('--annotate writes one pcapng for one input; run once per capture');
      }
      onInvoke({ command: 'check', files, options });
    });

  program
    .command('decode')
    .description('print every DHCPv6 message as one JSON object per line')
    .argument('<capture...>', ".pcap / .pcapng (optionally gzip-compressed); '-' reads stdin")
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .option('--profile <name>', 'code points of this profile', 'rfc5460')
    .option('--config <file>', 'rule settings (code points for draft-01)')
    .option('--bulk-port <port>', 'extra TCP port carrying bulk leasequery', port, [])
    .option('--debug', 'show stack traces for internal errors')
    .action((files: string[], options) => onInvoke({ command: 'decode', files, options }));

  program
    .command('rules')
    .description('list the rule catalog, or explain one rule with its traps')
    .argument('[id]', 'rule id, e.g. BLQ-XID-DATA')
    .addOption(new Option('--format <name>', 'output format').choices(['text', 'json']).default('text'))
    .option('--profile <name>', 'show which rules this profile enables', 'rfc5460')
    .option('--color', 'force colour')
    .option('--no-color', 'no colour')
    .option('--debug', 'show stack traces for internal errors')
    .action((id: string | undefined, options) => onInvoke({ command: 'rules', id, options }));

  return program;
}
