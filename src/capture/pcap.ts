// Streaming push parser for classic libpcap files: µs (a1b2c3d4) and ns (a1b23c4d) magics in both
// byte orders, plus the "modified" pcap (a1b2cd34, 24-byte record headers). Resynchronises after corruption.

import type { CaptureFormat, CaptureSink, CaptureParser, Frame } from './types.js';
import { ChunkedParser } from './chunked.js';
import {
  DEFAULT_MAX_RECORD_LENGTH, DEFAULT_RESYNC_WINDOW, STANDARD_MAX_PACKET, rd32, type CaptureParserOptions,
} from './options.js';

const GLOBAL_HEADER = 24;
/** A resync candidate must be followed by this many plausible record headers in a row (itself included). */
const RESYNC_CHAIN = 3;

/** What the 4 magic bytes of a classic pcap file say about it. */
export interface PcapMagic {
  littleEndian: boolean;
  nanosecond: boolean;
  /** Record header length: 16, or 24 for the modified (Kuznetzov) format. */
  recordHeader: number;
}

/** Recognises a classic pcap magic number in `b[0..4)`; undefined when it is not one. */
export function pcapMagic(b: Uint8Array): PcapMagic | undefined {
  const be = ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  const le = ((b[3] << 24) | (b[2] << 16) | (b[1] << 8) | b[0]) >>> 0;
  for (const [v, littleEndian] of [[be, false], [le, true]] as const) {
    if (v === 0xa1b2c3d4) return { littleEndian, nanosecond: false, recordHeader: 16 };
    if (v === 0xa1b23c4d) return { littleEndian, nanosecond: true, recordHeader: 16 };
    if (v === 0xa1b2cd34) return { littleEndian, nanosecond: false, recordHeader: 24 };
  }
  return undefined;
}

const enum State { Header, Records, Resync }

/** Classic pcap push parser. Feed it the whole input from its first byte. */
export class PcapParser extends ChunkedParser implements CaptureParser {
  private state = State.Header;
  private le = true;
  private ns = false;
  private hdrLen = 16;
  private linkType = 0;
  private snaplen = 0;
  /** Records longer than this are corrupt. */
  private ceiling = STANDARD_MAX_PACKET;
  private count = 0;
  private gaveUp = false;
  private final = false;
  private prevSec = -1;
  /** Where the resync scan started (the bad record's offset, absolute). */
  private resyncFrom = 0;
  private readonly maxRecord: number;
  private readonly window: number;

  constructor(private readonly sink: CaptureSink, private readonly options: CaptureParserOptions = {}) {
    super();
    this.maxRecord = options.maxRecordLength ?? DEFAULT_MAX_RECORD_LENGTH;
    this.window = options.resyncWindow ?? DEFAULT_RESYNC_WINDOW;
  }

  get frames(): number { return this.count; }
  get failed(): boolean { return this.gaveUp; }
  /** pcap or pcap-ns once the header was read. */
  get format(): CaptureFormat | undefined {
    return this.state === State.Header ? undefined : this.ns ? 'pcap-ns' : 'pcap';
  }

  protected run(buf: Uint8Array, pos: number): number {
    const end = buf.length;
    if (this.state === State.Header) {
      if (end - pos < GLOBAL_HEADER) { this.need = GLOBAL_HEADER; return pos; }
      const magic = pcapMagic(buf.subarray(pos, pos + 4));
      if (!magic) {
        this.gaveUp = true;
        this.stopped = true;
        this.sink.anomaly({ name: 'capture.bad_magic', message: 'not a classic pcap magic number', offset: this.base + pos });
        return end;
      }
      this.le = magic.littleEndian;
      this.ns = magic.nanosecond;
      this.hdrLen = magic.recordHeader;
      this.snaplen = rd32(buf, pos + 16, this.le);
      // The link type is the low 16 bits; the upper bits carry FCS information (pcap-savefile(5)).
      this.linkType = rd32(buf, pos + 20, this.le) & 0xffff;
      this.ceiling = Math.max(STANDARD_MAX_PACKET, Math.min(this.snaplen, this.maxRecord));
      this.state = State.Records;
      this.sink.info({ format: this.ns ? 'pcap-ns' : 'pcap', compressed: this.options.compressed ?? false, snaplen: this.snaplen });
      pos += GLOBAL_HEADER;
    }
    const le = this.le;
    const h = this.hdrLen;
    for (;;) {
      if (this.state === State.Resync) {
        pos = this.scan(buf, pos);
        if (this.state === State.Resync) return pos;
      }
      if (end - pos < h) { this.need = h; return pos; }
      const sec = rd32(buf, pos, le);
      const frac = rd32(buf, pos + 4, le);
      const incl = rd32(buf, pos + 8, le);
      const orig = rd32(buf, pos + 12, le);
      // A captured length above the ceiling, or far above the wire length, cannot be a real record.
      if (incl > this.ceiling || (orig < incl && incl - orig > 65535)) {
        this.sink.anomaly({
          name: 'pcap.bad_record_length',
          message: `record header claims ${incl} captured bytes (wire length ${orig}, snaplen ${this.snaplen})`,
          offset: this.base + pos,
          frame: this.count + 1,
        });
        this.state = State.Resync;
        this.resyncFrom = this.base + pos;
        pos += 1;
        continue;
      }
      if (end - pos < h + incl) { this.need = h + incl; return pos; }
      this.emit(buf, pos, sec, frac, incl, orig);
      pos += h + incl;
    }
  }

  private emit(buf: Uint8Array, pos: number, sec: number, frac: number, incl: number, orig: number): void {
    let nsec = this.ns ? frac : frac * 1000;
    if (nsec >= 1e9) { sec += Math.floor(nsec / 1e9); nsec %= 1e9; }
    this.prevSec = sec;
    const start = pos + this.hdrLen;
    const frame: Frame = {
      index: ++this.count, tsSec: sec, tsNsec: nsec, linkType: this.linkType, interfaceId: 0,
      data: buf.subarray(start, start + incl), origLength: orig, offset: this.base + pos,
    };
    this.sink.frame(frame);
  }

  /** Is a record header at `p` plausible (fraction in range, sane lengths, time near `refSec`)? */
  private plausible(buf: Uint8Array, p: number, refSec: number): boolean {
    const le = this.le;
    const sec = rd32(buf, p, le);
    const frac = rd32(buf, p + 4, le);
    const incl = rd32(buf, p + 8, le);
    const orig = rd32(buf, p + 12, le);
    if (frac >= (this.ns ? 1e9 : 1e6)) return false;
    if (incl === 0 || incl > this.ceiling || orig < incl) return false;
    if (refSec >= 0 && Math.abs(sec - refSec) > this.window) return false;
    return true;
  }

  /**
   * Is `pos` the start of a chain of RESYNC_CHAIN plausible records? true / false, or undefined
   * when more input is needed (sets `need`). At the end of the input a shorter chain is accepted
   * once the candidate's own record is complete.
   */
  private chain(buf: Uint8Array, pos: number): boolean | undefined {
    const end = buf.length;
    const h = this.hdrLen;
    let p = pos;
    let ref = this.prevSec;
    for (let k = 0; k < RESYNC_CHAIN; k++) {
      if (p > end || end - p < h) {
        if (!this.final) { this.need = p + h - pos; return undefined; }
        return k >= 2 || (k === 1 && p <= end);
      }
      if (!this.plausible(buf, p, ref)) return false;
      ref = rd32(buf, p, this.le);
      p += h + rd32(buf, p + 8, this.le);
    }
    return true;
  }

  /** Looks for the next plausible record. Every rejected position is consumed, so each byte is a candidate start once. */
  private scan(buf: Uint8Array, pos: number): number {
    const end = buf.length;
    if (!this.final && pos >= end) { this.need = this.hdrLen; return pos; }
    while (pos < end) {
      const ok = this.chain(buf, pos);
      if (ok === undefined) return pos;
      if (!ok) { pos++; continue; }
      this.sink.anomaly({
        name: 'pcap.resync',
        message: `skipped ${this.base + pos - this.resyncFrom} bytes to the next plausible record`,
        offset: this.base + pos,
        frame: this.count + 1,
      });
      this.state = State.Records;
      return pos;
    }
    this.sink.anomaly({
      name: 'pcap.resync',
      message: `no plausible record found; skipped the last ${this.base + end - this.resyncFrom} bytes`,
      offset: this.base + end,
      frame: this.count + 1,
    });
    this.state = State.Records;
    this.stopped = true;
    return end;
  }

  protected finish(buf: Uint8Array, pos: number): void {
    this.final = true;
    if (this.state === State.Header) {
      this.gaveUp = true;
      this.sink.anomaly({
        name: 'pcap.truncated_header',
        message: `the input ends after ${buf.length - pos} bytes, inside the 24-byte file header`,
        offset: this.base + pos,
      });
      return;
    }
    pos = this.run(buf, pos);
    if (this.stopped || pos >= buf.length) return;
    const have = buf.length - pos;
    this.sink.anomaly({
      name: 'pcap.truncated_record',
      message: have < this.hdrLen
        ? `the input ends ${have} bytes into a record header`
        : `the input ends inside a record: ${have - this.hdrLen} of ${rd32(buf, pos + 8, this.le)} captured bytes present`,
      offset: this.base + pos,
      frame: this.count + 1,
    });
  }
}
