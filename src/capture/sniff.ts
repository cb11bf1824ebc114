// Picks the reader from the first four bytes of the (decompressed) input: classic pcap (µs or ns,
// either byte order) or pcapng. Anything else is a bad magic and the input is given up.

import type { CaptureFormat, CaptureParser, CaptureSink } from './types.js';
import type { CaptureParserOptions } from './options.js';
import { PcapParser, pcapMagic } from './pcap.js';
import { PcapngParser, BT_SHB } from './pcapng.js';

/** A parser that chooses its format from the input's magic. */
export interface SniffingParser extends CaptureParser {
  /** The container format, once the magic was seen. */
  readonly format: CaptureFormat | undefined;
}

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

/** Describes a magic the readers do not handle, for the one-line error. */
export function describeBadMagic(head: Uint8Array): string {
  if (head.length === 0) return 'empty input';
  if (head.length < 4) return `input too short (${head.length} bytes)`;
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip data inside gzip data is not supported';
  return `not a pcap or pcapng capture (magic ${hex(head.subarray(0, 4))})`;
}

/** Creates a push parser that sniffs the format, then delegates to the pcap or pcapng reader. */
export function createCaptureParser(sink: CaptureSink, options: CaptureParserOptions = {}): SniffingParser {
  let inner: CaptureParser | undefined;
  let format: CaptureFormat | undefined;
  let head = new Uint8Array(0);
  let failed = false;
  let ended = false;

  const choose = (first: Uint8Array): void => {
    const pm = pcapMagic(first);
    if (pm) {
      format = pm.nanosecond ? 'pcap-ns' : 'pcap';
      inner = new PcapParser(sink, options);
      return;
    }
    const t = ((first[0] << 24) | (first[1] << 16) | (first[2] << 8) | first[3]) >>> 0;
    if (t === BT_SHB) {
      format = 'pcapng';
      inner = new PcapngParser(sink, options);
      return;
    }
    failed = true;
    sink.anomaly({ name: 'capture.bad_magic', message: describeBadMagic(first), offset: 0 });
  };

  return {
    push(chunk: Uint8Array): void {
      if (ended || failed) return;
      if (inner) { inner.push(chunk); return; }
      if (head.length + chunk.length < 4) {
        const h = new Uint8Array(head.length + chunk.length);
        h.set(head);
        h.set(chunk, head.length);
        head = h;
        return;
      }
      const first = new Uint8Array(4);
      first.set(head.subarray(0, 4));
      if (head.length < 4) first.set(chunk.subarray(0, 4 - head.length), head.length);
      choose(first);
      const chosen = inner as CaptureParser | undefined;
      if (!chosen) return;
      if (head.length > 0) chosen.push(head);
      chosen.push(chunk);
      head = new Uint8Array(0);
    },
    end(): void {
      if (ended) return;
      ended = true;
      if (inner) { inner.end(); return; }
      if (failed) return;
      failed = true;
      sink.anomaly({ name: head.length === 0 ? 'capture.empty' : 'capture.bad_magic', message: describeBadMagic(head), offset: 0 });
    },
    get frames(): number { return inner?.frames ?? 0; },
    get failed(): boolean { return failed || (inner?.failed ?? false); },
    get format(): CaptureFormat | undefined { return format; },
  };
}
