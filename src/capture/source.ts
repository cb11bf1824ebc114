// Reads one capture input (a file, '-' for stdin, or any readable stream) into a CaptureSink:
// gzip is detected by its magic (1f 8b) and inflated as a stream; frames flow as chunks arrive.

import { open, type FileHandle } from 'node:fs/promises';
import { constants as zlibConstants, createGunzip, type Gunzip } from 'node:zlib';
import type { CaptureFormat, CaptureSink } from './types.js';
import { createCaptureParser } from './sniff.js';

/** Octets of the gzip member trailer: CRC32 and ISIZE (RFC 1952 §2.2). */
const GZIP_TRAILER = 8;
import { optionsFromLimits, type CaptureParserOptions } from './options.js';

/** One input: a path ('-' = standard input) or an already open stream with a display name. */
export type CaptureInput = { path: string } | { stream: NodeJS.ReadableStream; name: string };

/** An input that cannot be read at all (missing, unreadable, a directory). One line. */
export class InputError extends Error {
  override name = 'InputError';
}

export interface CaptureReadOptions extends CaptureParserOptions {
  /** Called after every chunk read: raw (possibly compressed) bytes so far, and the file size when known. */
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  /** Named limits (`capture.*` keys) overriding the option fields. */
  limits?: Record<string, number>;
}

/** What was read from one input. */
export interface CaptureReadSummary {
  /** Container format, once the magic was recognised. */
  format?: CaptureFormat;
  compressed: boolean;
  frames: number;
  /** Raw bytes read from the input (compressed bytes when gzip). */
  bytesRead: number;
  /** Nothing could be read: bad magic, empty input, unreadable header. */
  failed: boolean;
  /** One-line reason when failed. */
  error?: string;
}

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'no such file',
  ELOOP: 'too many symbolic links',
};

function reason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err?.code && REASONS[err.code]) || err?.message?.split('\n')[0] || String(e);
}

/** The display name of an input. */
export function inputName(input: CaptureInput): string {
  return 'path' in input ? (input.path === '-' ? 'stdin' : input.path) : input.name;
}

/**
 * Reads a capture to its end, pushing frames and anomalies into `sink` as they are parsed.
 * Rejects with InputError only when the input cannot be opened; anything wrong inside the input
 * resolves (failed = true when nothing could be read) and is reported through the sink.
 */
export async function readCapture(input: CaptureInput, sink: CaptureSink, options: CaptureReadOptions = {}): Promise<CaptureReadSummary> {
  const name = inputName(input);
  let stream: AsyncIterable<Uint8Array | string>;
  let total: number | undefined;
  let handle: FileHandle | undefined;
  if ('path' in input && input.path !== '-') {
    try {
      handle = await open(input.path, 'r');
      const st = await handle.stat();
      if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
      if (st.isFile()) total = st.size;
    } catch (e) {
      await handle?.close().catch(() => undefined);
      throw new InputError(`cannot open ${name}: ${reason(e)}`);
    }
    stream = readChunks(handle);
  } else {
    stream = ('path' in input ? process.stdin : input.stream) as AsyncIterable<Uint8Array | string>;
  }

  const parserOptions = optionsFromLimits(options.limits, { ...options });
  let compressed = false;
  let bytesRead = 0;
  let head: Uint8Array | undefined; // the first byte, while we wait for the second
  let gunzip: Gunzip | undefined;
  let gzipDone: Promise<void> | undefined;
  let fatal: string | undefined;
  const inner: CaptureSink = {
    info: (i) => sink.info(i),
    frame: (f) => sink.frame(f),
    anomaly: (a) => {
      if (fatal === undefined && (a.name === 'capture.bad_magic' || a.name === 'capture.empty' || a.name.endsWith('truncated_header'))) fatal = a.message;
      sink.anomaly(a);
    },
  };
  let parser = createCaptureParser(inner, parserOptions);
  let readError: unknown;
  // Only a failing input is a read error. What the sink throws is a programmer error further down the
  // pipeline: it is rethrown as it is, never reported as damage to the capture.
  let sinkError: { error: unknown } | undefined;

  const startGzip = (): void => {
    compressed = true;
    parser = createCaptureParser(inner, { ...parserOptions, compressed: true });
    const gz = createGunzip();
    gunzip = gz;
    let inflated = 0;
    gz.on('data', (c: Buffer) => {
      if (sinkError) return;
      inflated += c.length;
      try {
        parser.push(c);
      } catch (e) {
        sinkError = { error: e };
        gz.destroy(e instanceof Error ? e : new Error(String(e))); // 'error' settles gzipDone (see below)
      }
    });
    gzipDone = new Promise<void>((resolve) => {
      gz.on('end', resolve);
      gz.on('error', (e: Error) => {
        if (sinkError) { resolve(); return; }
        sink.anomaly({
          name: 'capture.gzip_error',
          message: `the gzip data is corrupt (${e.message}) after ${inflated} decompressed bytes`,
          offset: inflated,
          frame: parser.frames + 1,
        });
        resolve();
      });
    });
  };

  // zlib drops the output of the call in which it fails (a truncated stream, a bad CRC). So the last
  // GZIP_TRAILER octets seen are held back and every write is flushed: all inflatable data reaches the
  // parser before the octets that can fail are inflated, and nothing that could be decoded is lost.
  let held = new Uint8Array(0);
  const inflate = async (bytes: Uint8Array): Promise<void> => {
    const gz = gunzip!;
    if (gz.destroyed || bytes.length === 0) return;
    gz.write(bytes);
    await Promise.race([new Promise<void>((r) => gz.flush(zlibConstants.Z_SYNC_FLUSH, () => r())), gzipDone]);
  };
  const deliver = async (chunk: Uint8Array): Promise<void> => {
    if (gunzip) {
      if (chunk.length >= GZIP_TRAILER) {
        const before = held;
        held = chunk.slice(chunk.length - GZIP_TRAILER);
        await inflate(before);
        await inflate(chunk.subarray(0, chunk.length - GZIP_TRAILER));
      } else {
        const both = new Uint8Array(held.length + chunk.length);
        both.set(held);
        both.set(chunk, held.length);
        const cut = Math.max(0, both.length - GZIP_TRAILER);
        held = both.slice(cut);
        await inflate(both.subarray(0, cut));
      }
    } else {
      parser.push(chunk);
    }
  };

  const chunks = stream[Symbol.asyncIterator]();
  try {
    let decided = false;
    for (;;) {
      let next: IteratorResult<Uint8Array | string>;
      try {
        next = await chunks.next();
      } catch (e) {
        readError = e;
        break;
      }
      if (next.done) break;
      const raw = next.value;
      // A plain Uint8Array view: every frame and option below is a subarray of it, and Buffer's
      // subarray (a FastBuffer per call) costs several times Uint8Array's on the per-packet path.
      const buf: Uint8Array = typeof raw === 'string' ? Buffer.from(raw) : raw;
      const chunk = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
      bytesRead += chunk.length;
      options.onProgress?.(bytesRead, total);
      if (chunk.length === 0) continue;
      if (!decided) {
        // Gather the first two bytes to tell gzip from a raw capture.
        let h = chunk;
        if (head) { h = new Uint8Array(head.length + chunk.length); h.set(head); h.set(chunk, head.length); }
        if (h.length < 2) { head = h; continue; }
        head = undefined;
        decided = true;
        if (h[0] === 0x1f && h[1] === 0x8b) startGzip();
        await deliver(h);
      } else {
        await deliver(chunk);
      }
      if (sinkError) throw sinkError.error;
      if (parser.failed) break;
    }
  } catch (e) {
    // From the sink: stop the input (a file's read-ahead, a pipe) and let the error through.
    gunzip?.destroy();
    await chunks.return?.()?.catch(() => undefined);
    throw e;
  } finally {
    await handle?.close().catch(() => undefined);
  }

  if (readError !== undefined && bytesRead === 0) {
    gunzip?.destroy();
    throw new InputError(`cannot read ${name}: ${reason(readError)}`);
  }
  if (head !== undefined && head.length > 0) parser.push(head); // a one-byte input
  if (gunzip) {
    await inflate(held);
    if (!gunzip.destroyed) gunzip.end();
    await gzipDone;
    if (sinkError) throw sinkError.error;
  }
  if (readError !== undefined) {
    sink.anomaly({
      name: 'capture.read_error',
      message: `reading stopped after ${bytesRead} bytes: ${reason(readError)}`,
      offset: bytesRead,
      frame: parser.frames + 1,
    });
  }
  parser.end();

  const summary: CaptureReadSummary = { compressed, frames: parser.frames, bytesRead, failed: parser.failed };
  if (parser.format) summary.format = parser.format;
  if (parser.failed) summary.error = fatal ?? failure(parser.format, bytesRead);
  return summary;
}

/** Octets read from a file at a time. */
const READ_CHUNK = 256 * 1024;

/**
 * A file's contents in fresh READ_CHUNK buffers (never reused: frames are views into them). Plain
 * reads on the handle, cheaper than a ReadStream's machinery; the next read is under way while the
 * consumer parses the current chunk.
 */
async function* readChunks(handle: FileHandle): AsyncGenerator<Uint8Array> {
  const next = (): Promise<Uint8Array> => {
    const buf = Buffer.allocUnsafeSlow(READ_CHUNK); // not pooled, not zero-filled: every octet used is read
    const p = handle.read(buf, 0, READ_CHUNK, null).then(({ bytesRead }) => (bytesRead === READ_CHUNK ? buf : buf.subarray(0, bytesRead)));
    p.catch(() => undefined); // a failed read-ahead is reported when it is awaited, not as an unhandled rejection
    return p;
  };
  let pending = next();
  try {
    for (;;) {
      const chunk = await pending;
      if (chunk.length === 0) return;
      pending = next();
      yield chunk;
    }
  } finally {
    await pending.catch(() => undefined); // the consumer stopped early: let the read-ahead end before the handle closes
  }
}

function failure(format: CaptureFormat | undefined, bytesRead: number): string {
  if (bytesRead === 0) return 'empty input';
  if (!format) return 'not a pcap or pcapng capture';
  return `unreadable ${format} header`;
}

