// Output sinks for the CLI: a buffered, synchronous line writer for large outputs (decode), so that
// writing never piles up unbounded in memory while the synchronous pipeline runs.
import { closeSync, openSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { CliIo } from './io.js';

export interface TextSink {
  write(text: string): void;
  /** UTF-8 octets, written (or copied) before it returns: the caller may reuse the buffer. */
  writeBytes(octets: Buffer): void;
  close(): void;
}

const FLUSH_AT = 1 << 16;

/** Writes all of `text` to a file descriptor as UTF-8, synchronously (a full non-blocking pipe is waited for). */
export function writeAllSync(fd: number, text: string): void {
  writeBytesSync(fd, Buffer.from(text, 'utf8'));
}

function writeBytesSync(fd: number, octets: Buffer): void {
  let buf = octets;
  while (buf.length > 0) {
    try {
      const n = writeSync(fd, buf);
      buf = buf.subarray(n);
    } catch (e) {
      // A non-blocking pipe that is full: wait briefly and retry.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
    }
  }
}

/** Opens `-o file` or stdout. Writes are buffered and flushed synchronously. */
export function openTextSink(path: string | undefined, io: CliIo): TextSink {
  let pending = '';
  let fd: number | undefined;
  let direct: ((s: string) => void) | undefined;
  let utf8: StringDecoder | undefined; // octets for a stream that takes text (a chunk may end inside a character)
  if (path) fd = openSync(path, 'w');
  else if (io.stdout === process.stdout) fd = 1;
  else if (io.stdout.fd !== undefined) fd = io.stdout.fd; // the CLI worker's stdout (worker.ts)
  else direct = (s) => { io.stdout.write(s); };
  const flush = (): void => {
    if (!pending) return;
    if (direct) direct(pending);
    else writeAllSync(fd!, pending);
    pending = '';
  };
  return {
    write(text) {
      pending += text;
      if (pending.length >= FLUSH_AT) flush();
    },
    writeBytes(octets) {
      flush();
      if (direct) {
        const text = (utf8 ??= new StringDecoder('utf8')).write(octets);
        if (text) direct(text);
      } else {
        writeBytesSync(fd!, octets);
      }
    },
    close() {
      flush();
      if (direct && utf8) {
        const rest = utf8.end();
        if (rest) direct(rest);
      }
      if (path && fd !== undefined) closeSync(fd);
    },
  };
}
