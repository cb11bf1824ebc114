// The worker side of thread.ts: runs main() with the argv it was given, writing to descriptors 1 and 2
// itself and reading descriptor 0 for '-'; tells the main thread when it wants SIGINT (a live capture),
// and ends with main()'s exit code.
import { createReadStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import { isatty } from 'node:tty';
import { parentPort, workerData } from 'node:worker_threads';
import type { CliIo } from './io.js';
import type { FromWorker, WorkerInput } from './thread.js';
import { main } from './main.js';
import { writeAllSync } from './output.js';

let stdin: NodeJS.ReadableStream | undefined;

/**
 * Descriptor 0 as a stream read in this thread (a worker's process.stdin would be fed by the main
 * thread, one copy per chunk): a pipe or socket through the event loop, as node reads its own stdin
 * (which copes with a non-blocking pipe), anything else (a file, a terminal) with blocking reads.
 */
function openStdin(): NodeJS.ReadableStream {
  const st = fstatSync(0);
  if (st.isFIFO() || st.isSocket()) return new Socket({ fd: 0, readable: true, writable: false });
  return createReadStream('/dev/stdin', { fd: 0, autoClose: false });
}

/** The worker's view of the process: descriptors 1 and 2, and SIGINT through the main thread. */
function workerIo(port: NonNullable<typeof parentPort>): CliIo {
  return {
    stdout: { write: (s: string) => writeAllSync(1, s), isTTY: isatty(1), fd: 1 },
    stderr: { write: (s: string) => writeAllSync(2, s), isTTY: isatty(2), fd: 2 },
    env: process.env,
    stdin: () => (stdin ??= openStdin()),
    onInterrupt(handler) {
      const listener = (m: unknown): void => { if (m === 'sigint') handler(); };
      port.on('message', listener);
      port.postMessage({ kind: 'interrupt', wanted: true } satisfies FromWorker);
      return () => {
        port.off('message', listener);
        port.postMessage({ kind: 'interrupt', wanted: false } satisfies FromWorker);
      };
    },
  };
}

const port = parentPort;
if (port === null) throw new Error('worker.ts runs only as the CLI worker (thread.ts)');
// Everything is written (synchronously) by now: end the thread with the exit code, even if a live run
// left its input stream open.
process.exit(await main((workerData as WorkerInput).argv, workerIo(port)));
