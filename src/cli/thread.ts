// Runs the CLI in a worker thread whose young generation is sized when its heap is set up.
//
// Why a thread: V8 fixes the largest semi-space when an isolate's heap is created, and node's main
// isolate is created before any of our code runs (`--max-semi-space-size` is a command-line flag). A
// Worker takes the size as `resourceLimits.maxYoungGenerationSizeMb`. A real limit matters beyond
// memory: V8 pretenures an allocation site (allocates its objects in old space from the start, so no
// scavenge copies them) only after a scavenge that found the new space at its largest size. Open
// transactions are such objects. bench/README.md, twelfth pass, has the measurements.
//
// The worker reads descriptor 0 (for '-') and writes to 1 and 2 itself (synchronously, as the main
// thread's sinks do). The main thread only forwards what a worker cannot get: SIGINT, while a live
// capture wants it.
import { Worker } from 'node:worker_threads';
import { semiSpaceSize } from './heap.js';

/** Messages from the worker (worker.ts) to the main thread. */
export interface FromWorker { kind: 'interrupt'; wanted: boolean }

/** What the main thread hands the worker. */
export interface WorkerInput { argv: string[] }

/**
 * The young generation's size for `mib` MiB per semi-space: V8 reserves two semi-spaces and a new
 * large-object space as big as one of them.
 */
export function youngGenerationMb(mib: number): number {
  return 3 * mib;
}

/**
 * Runs the command line and resolves with the exit code. With a semi-space size (DHCP6AUDIT_SEMI_SPACE,
 * default 4 MiB) it runs in a worker sized by it; with 0, or a value main() will reject, it runs here.
 */
export async function runCli(argv: string[]): Promise<number> {
  const semi = semiSpaceSize(process.env);
  if (typeof semi !== 'number' || semi === 0) {
    const { main } = await import('./main.js');
    return main(argv);
  }
  return new Promise<number>((resolve) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), {
      workerData: { argv } satisfies WorkerInput,
      resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb(semi) },
    });
    let failure: string | undefined;
    const forward = (): void => { worker.postMessage('sigint'); };
    const unforward = (): void => { process.removeListener('SIGINT', forward); };
    worker.on('message', (m: FromWorker) => {
      if (m.wanted) process.on('SIGINT', forward);
      else unforward();
    });
    worker.on('error', (e: Error) => {
      failure = e.message.replace(/\s*\n\s*/g, ' ');
    });
    // The worker ends itself with main()'s exit code (worker.ts); one that failed is an internal error.
    worker.on('exit', (code) => {
      unforward();
      if (failure !== undefined) process.stderr.write(`dhcp6audit: internal error: ${failure}\n`);
      resolve(failure !== undefined ? 2 : code);
    });
  });
}

