// The CLI's view of the process: streams, environment, terminals. Tests pass their own.
export interface CliIo {
  /** `fd`: the descriptor the text goes to, when large outputs may be written to it directly. */
  stdout: { write(s: string): unknown; isTTY?: boolean; fd?: number };
  stderr: { write(s: string): unknown; isTTY?: boolean; fd?: number };
  env: Record<string, string | undefined>;
  /** The stream the input '-' reads (process.stdin when absent). */
  stdin?(): NodeJS.ReadableStream;
  /**
   * Calls `handler` on each SIGINT (Ctrl-C) until the returned function is called; meanwhile SIGINT
   * does not end the process. The CLI worker (worker.ts) gets it from the main thread.
   */
  onInterrupt?(handler: () => void): () => void;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, onInterrupt: processInterrupt };
}

/** CliIo.onInterrupt for the main thread: a SIGINT listener. */
export function processInterrupt(handler: () => void): () => void {
  process.on('SIGINT', handler);
  return () => { process.removeListener('SIGINT', handler); };
}

/**
 * Colour, decided once (STYLE.md habit 7): --color / --no-color, then NO_COLOR (non-empty),
 * then FORCE_COLOR, then whether stdout is a terminal. Returns a chalk level (0 = none).
 */
export function colorLevel(flag: boolean | undefined, io: CliIo): 0 | 1 | 2 | 3 {
  if (flag === true) return 1;
  if (flag === false) return 0;
  if (io.env.NO_COLOR) return 0;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined) {
    if (force === '0' || force === 'false') return 0;
    const n = Number(force);
    return n >= 1 && n <= 3 ? (n as 1 | 2 | 3) : 1;
  }
  return io.stdout.isTTY ? 1 : 0;
}
