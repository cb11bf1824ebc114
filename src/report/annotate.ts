// --annotate: a second streaming pass over one input that writes it again as pcapng, with every finding
// attached as a packet comment (opt_comment) on each of its evidence frames. Frames keep their numbers,
// timestamps (nanosecond resolution) and link types; memory is bounded by the findings, not the capture.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Finding } from '../engine/types.js';
import type { Frame } from '../capture/types.js';
import { readCapture, type CaptureInput } from '../capture/source.js';
import { PcapngWriter, type PcapngInterface } from '../capture/writer.js';
import { gradeOf } from './common.js';

/** The comment text of a finding, as Wireshark shows it under the frame. */
export function findingComment(f: Finding): string {
  return `dhcp6audit ${f.ruleId} ${gradeOf(f)} (${f.level}, ${f.spec.doc} §${f.spec.section}): ${f.message}`;
}

/** Comments per frame for one input, in the report's (stable) finding order. */
export function commentsByFrame(findings: Finding[], input: number): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const f of findings) {
    if (f.input !== input) continue;
    const text = findingComment(f);
    for (const fr of f.frames) {
      let list = out.get(fr);
      if (!list) out.set(fr, (list = []));
      if (!list.includes(text)) list.push(text);
    }
  }
  return out;
}

export interface AnnotateResult {
  frames: number;
  /** Frames that received at least one comment. */
  commentedFrames: number;
  comments: number;
}

const FLUSH_AT = 1 << 20;

/**
 * The finest if_tsresol exponent (9, 6, 3 or 0) whose 64-bit timestamp holds `tsSec`. A pcapng source
 * may count in coarse units far past what nanoseconds can express (2⁶⁴ ns is about 1.8e10 s): its
 * frames get an interface of their own at a coarser resolution instead of a wrapped timestamp.
 */
function resolutionFor(tsSec: number): number {
  if (tsSec < 2 ** 64 / 1e9) return 9;
  if (tsSec < 2 ** 64 / 1e6) return 6;
  return tsSec < 2 ** 64 / 1e3 ? 3 : 0;
}

/**
 * Reads `input` again and writes it to `outPath` as pcapng with the findings of input `inputIndex`
 * as packet comments. One interface description per (input interface, link type), written before the
 * first packet that uses it (pcapng allows IDBs anywhere in a section).
 */
export async function annotateCapture(input: CaptureInput, findings: Finding[], inputIndex: number, outPath: string): Promise<AnnotateResult> {
  const comments = commentsByFrame(findings, inputIndex);
  const interfaces: PcapngInterface[] = [];
  const writer = new PcapngWriter({ interfaces }); // the writer reads this array: IDBs are appended as met
  const ifaceOf = new Map<string, number>();
  const fd = openSync(outPath, 'w');
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    for (const b of pending) {
      let off = 0;
      while (off < b.length) off += writeSync(fd, b, off, b.length - off);
    }
    pending = [];
    pendingBytes = 0;
  };
  const put = (b: Uint8Array): void => {
    pending.push(b);
    pendingBytes += b.length;
    if (pendingBytes >= FLUSH_AT) flush();
  };
  let snaplen = 262144;
  let tsresol = 9;
  const result: AnnotateResult = { frames: 0, commentedFrames: 0, comments: 0 };
  put(new PcapngWriter({ interfaces: [] }).header());
  try {
    await readCapture(input, {
      info: (i) => {
        if (i.snaplen > 0) snaplen = i.snaplen;
        if (i.format === 'pcap') tsresol = 6;
      },
      frame: (f: Frame) => {
        const res = Math.min(tsresol, resolutionFor(f.tsSec));
        const key = `${f.interfaceId}:${f.linkType}:${res}`;
        let id = ifaceOf.get(key);
        if (id === undefined) {
          id = interfaces.length;
          const iface: PcapngInterface = { linkType: f.linkType, snaplen, tsresol: res };
          // The IDB alone: a one-interface header minus its 28-octet section header block.
          put(new PcapngWriter({ interfaces: [iface] }).header().subarray(28));
          interfaces.push(iface);
          ifaceOf.set(key, id);
        }
        const c = comments.get(f.index);
        if (c) { result.commentedFrames++; result.comments += c.length; }
        result.frames++;
        put(writer.packet({ interfaceId: id, tsSec: f.tsSec, tsNsec: f.tsNsec, data: f.data, origLength: f.origLength, comments: c }));
      },
      anomaly: () => undefined,
    });
    flush();
  } finally {
    closeSync(fd);
  }
  return result;
}
