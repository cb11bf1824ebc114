// Live capture: runs `tcpdump -U -n -w -` (or the user's --capture-command through /bin/sh) and
// exposes its pcap output as a stream for readCapture. The child is stopped by its own PID only.

import { spawn, type ChildProcess } from 'node:child_process';

export interface LiveCaptureOptions {
  /** Interface for tcpdump's -i (tcpdump's default interface when absent). */
  interface?: string;
  /** A shell command line writing a pcap/pcapng to stdout; replaces tcpdump (run with /bin/sh -c). */
  command?: string;
  /** TCP ports carrying bulk leasequery besides 547. */
  bulkPorts: number[];
  /** Receives the child's stderr text (tcpdump's banner and errors); it is never printed here. */
  onStderr?: (text: string) => void;
  /** tcpdump executable (default `tcpdump`, looked up on PATH). */
  tcpdump?: string;
  /** Milliseconds between SIGTERM and SIGKILL in stop(). Default 2000. */
  killAfter?: number;
}

export interface LiveCapture {
  /** The capture bytes (the child's stdout). Errors starting the child are raised on it. */
  stream: NodeJS.ReadableStream;
  /** Terminates the child (SIGTERM, then SIGKILL) and resolves when it has exited. */
  stop(): Promise<void>;
  /** The argv that was started. */
  command: string[];
  /** Resolves when the child exits. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function checkPort(p: number): number {
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new RangeError(`bad TCP port ${p}`);
  return p;
}

/**
 * The BPF filter: DHCPv6 over UDP (RFC 8415 §7.2 ports 546/547), Leasequery over TCP 547 (RFC 5460 §5.2)
 * and the extra bulk ports, plus every IPv6 or IPv4 fragment, so fragmented DHCPv6 is not lost
 * (a non-first fragment carries no ports to match).
 */
export function captureFilter(bulkPorts: number[]): string {
  const ports = [...new Set([547, ...bulkPorts.map(checkPort)])].sort((a, b) => (a === 547 ? -1 : b === 547 ? 1 : a - b));
  return [
    'udp port 546', 'udp port 547', ...ports.map((p) => `tcp port ${p}`),
    '(ip6 and ip6[6] = 44)', '(ip and ip[6:2] & 0x3fff != 0)',
  ].join(' or ');
}

/** The argv a live capture runs. */
export function liveCommand(opts: LiveCaptureOptions): string[] {
  if (opts.command !== undefined) return ['/bin/sh', '-c', opts.command];
  const argv = [opts.tcpdump ?? 'tcpdump', '-U', '-n', '-w', '-'];
  if (opts.interface !== undefined) argv.push('-i', opts.interface);
  argv.push(captureFilter(opts.bulkPorts));
  return argv;
}

/** Starts the capture process. Feed `stream` to readCapture({ stream, name }). */
export function startLiveCapture(opts: LiveCaptureOptions): LiveCapture {
  const command = liveCommand(opts);
  // detached: the child leads its own process group, so stop() can end `sh -c` and what it started,
  // and a terminal's Ctrl-C reaches only us (we then stop it and still write the report).
  const child: ChildProcess = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const stdout = child.stdout!;
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => { done = true; resolve({ code, signal }); });
    child.once('error', (e: NodeJS.ErrnoException) => {
      done = true;
      const what = opts.command !== undefined ? 'the capture command' : command[0];
      stdout.destroy(new Error(e.code === 'ENOENT' ? `cannot run ${what}: not found` : `cannot run ${what}: ${e.message}`));
      resolve({ code: null, signal: null });
    });
  });
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (s: string) => opts.onStderr?.(s));

  const signal = (sig: NodeJS.Signals): void => {
    if (done || child.pid === undefined) return;
    try {
      process.kill(-child.pid, sig);
    } catch {
      try { child.kill(sig); } catch { /* already gone */ }
    }
  };

  const stop = async (): Promise<void> => {
    if (done) { await exited; return; }
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), opts.killAfter ?? 2000);
    timer.unref();
    await exited;
    clearTimeout(timer);
  };

  return { stream: stdout, stop, command, exited };
}
