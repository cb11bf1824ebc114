// Streaming push parser for pcapng: SHB in either byte order (per section), several sections,
// IDBs (link type, snaplen, if_tsresol, if_tsoffset), EPB, SPB, OPB; other blocks skipped. Resynchronises.

import type { CaptureSink, CaptureParser, Frame } from './types.js';
import { ChunkedParser } from './chunked.js';
import { DEFAULT_MAX_BLOCK_LENGTH, rd16, rd32, type CaptureParserOptions } from './options.js';

export const BT_SHB = 0x0a0d0d0a;
export const BT_IDB = 1;
export const BT_OPB = 2;
export const BT_SPB = 3;
export const BT_NRB = 4;
export const BT_ISB = 5;
export const BT_EPB = 6;
export const BT_DSB = 0x0a;
export const BT_CB = 0x00000bad;
export const BT_CB_NOCOPY = 0x40000bad;
const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

/** Block types a resync scan accepts as the start of a block. */
const KNOWN_BLOCKS: ReadonlySet<number> = new Set([BT_IDB, BT_OPB, BT_SPB, BT_NRB, BT_ISB, BT_EPB, BT_DSB, BT_CB, BT_CB_NOCOPY, 7, 8, 9]);

/** One interface of the current section. */
interface Iface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second is 10^dec (when pow2 is false) or 2^bin. */
  pow2: boolean;
  exp: number;
  /** if_tsoffset, seconds added to every timestamp. */
  offset: number;
}

const enum State { Blocks, Resync }

/** pcapng push parser. Feed it the whole input from its first byte (an SHB). */
export class PcapngParser extends ChunkedParser implements CaptureParser {
  private state = State.Blocks;
  /** Byte order of the current section; undefined before the first SHB. */
  private le: boolean | undefined;
  private ifaces: Iface[] = [];
  private count = 0;
  private final = false;
  private infoSent = false;
  private gaveUp = false;
  private resyncFrom = 0;
  private sections = 0;
  private readonly maxBlock: number;

  constructor(private readonly sink: CaptureSink, private readonly options: CaptureParserOptions = {}) {
    super();
    this.maxBlock = options.maxBlockLength ?? DEFAULT_MAX_BLOCK_LENGTH;
  }

  get frames(): number { return this.count; }
  get failed(): boolean { return this.gaveUp; }

  private sendInfo(snaplen: number): void {
    if (this.infoSent) return;
    this.infoSent = true;
    this.sink.info({ format: 'pcapng', compressed: this.options.compressed ?? false, snaplen });
  }

  /** Byte order declared by an SHB at `p` (needs 12 bytes), or undefined when the magic is wrong. */
  private static shbOrder(buf: Uint8Array, p: number): boolean | undefined {
    const v = rd32(buf, p + 8, true);
    if (v === BYTE_ORDER_MAGIC) return true;
    if (v === 0x4d3c2b1a) return false;
    return undefined;
  }

  private badLength(p: number, message: string): void {
    this.sink.anomaly({ name: 'pcapng.bad_block_length', message, offset: this.base + p, frame: this.count + 1 });
    this.state = State.Resync;
    this.resyncFrom = this.base + p;
  }

  protected run(buf: Uint8Array, pos: number): number {
    const end = buf.length;
    for (;;) {
      if (this.state === State.Resync) {
        pos = this.scan(buf, pos);
        if (this.state === State.Resync || this.stopped) return pos;
      }
      if (end - pos < 12) { this.need = 12; return pos; }
      let le = this.le;
      const typeRaw = rd32(buf, pos, true);
      const isShb = typeRaw === BT_SHB;
      if (isShb) {
        le = PcapngParser.shbOrder(buf, pos);
        if (le === undefined) {
          this.sink.anomaly({
            name: 'pcapng.bad_byte_order_magic', message: 'section header block with an unknown byte-order magic',
            offset: this.base + pos, frame: this.count + 1,
          });
          if (this.le === undefined) { this.gaveUp = true; this.stopped = true; return end; }
          this.state = State.Resync;
          this.resyncFrom = this.base + pos;
          pos += 1;
          continue;
        }
      } else if (le === undefined) {
        // Cannot happen through the sniffer (it saw an SHB type); treat as garbage before a section.
        this.gaveUp = true;
        this.stopped = true;
        this.sink.anomaly({ name: 'capture.bad_magic', message: 'pcapng input does not start with a section header block', offset: this.base + pos });
        return end;
      }
      const type = isShb ? BT_SHB : rd32(buf, pos, le!);
      const len = rd32(buf, pos + 4, le!);
      if (len % 4 !== 0 || len < 12 || len > this.maxBlock || (isShb && len < 28)) {
        this.badLength(pos, `block of type 0x${type.toString(16)} claims length ${len}`);
        pos += 1;
        continue;
      }
      if (end - pos < len) { this.need = len; return pos; }
      const trailer = rd32(buf, pos + len - 4, le!);
      if (trailer !== len) {
        this.badLength(pos, `block of type 0x${type.toString(16)}: leading length ${len}, trailing length ${trailer}`);
        pos += 1;
        continue;
      }
      this.block(buf, pos, type, len, le!);
      pos += len;
    }
  }

  /** Handles one complete, length-checked block. */
  private block(buf: Uint8Array, p: number, type: number, len: number, le: boolean): void {
    switch (type) {
      case BT_SHB:
        this.le = le;
        this.ifaces = [];
        this.sections++;
        return;
      case BT_IDB:
        this.idb(buf, p, len, le);
        return;
      case BT_EPB:
      case BT_OPB: {
        const min = 32;
        if (len < min) { this.shortBlock(p, type, len); return; }
        const ifid = type === BT_EPB ? rd32(buf, p + 8, le) : rd16(buf, p + 8, le);
        const hi = rd32(buf, p + 12, le);
        const lo = rd32(buf, p + 16, le);
        const caplen = rd32(buf, p + 20, le);
        const orig = rd32(buf, p + 24, le);
        const iface = this.ifaces[ifid];
        if (!iface) { this.unknownInterface(p, ifid); return; }
        if (caplen > len - min) {
          this.sink.anomaly({
            name: 'pcapng.bad_captured_length',
            message: `packet claims ${caplen} captured bytes but its block holds at most ${len - min}`,
            offset: this.base + p, frame: this.count + 1,
          });
          return;
        }
        this.emit(buf, p, p + 28, caplen, orig, ifid, iface, hi, lo, true);
        return;
      }
      case BT_SPB: {
        if (len < 16) { this.shortBlock(p, type, len); return; }
        const iface = this.ifaces[0];
        if (!iface) { this.unknownInterface(p, 0); return; }
        const orig = rd32(buf, p + 8, le);
        let caplen = Math.min(orig, len - 16);
        if (iface.snaplen > 0 && caplen > iface.snaplen) caplen = iface.snaplen;
        this.emit(buf, p, p + 12, caplen, orig, 0, iface, 0, 0, false);
        return;
      }
      default:
        // NRB, ISB, DSB, custom and unknown blocks carry no packets.
        return;
    }
  }

  private shortBlock(p: number, type: number, len: number): void {
    this.sink.anomaly({
      name: 'pcapng.bad_block_length',
      message: `block of type 0x${type.toString(16)} is too short (${len} bytes) for its fixed fields`,
      offset: this.base + p, frame: this.count + 1,
    });
  }

  private unknownInterface(p: number, ifid: number): void {
    this.sink.anomaly({
      name: 'pcapng.unknown_interface',
      message: `packet on interface ${ifid}, but the section defines ${this.ifaces.length} interface(s); packet dropped`,
      offset: this.base + p, frame: this.count + 1,
    });
  }

  private idb(buf: Uint8Array, p: number, len: number, le: boolean): void {
    if (len < 20) { this.shortBlock(p, BT_IDB, len); return; }
    const iface: Iface = { linkType: rd16(buf, p + 8, le), snaplen: rd32(buf, p + 12, le), pow2: false, exp: 6, offset: 0 };
    let o = p + 16;
    const end = p + len - 4;
    while (end - o >= 4) {
      const code = rd16(buf, o, le);
      const olen = rd16(buf, o + 2, le);
      if (code === 0) break;
      if (o + 4 + olen > end) {
        this.sink.anomaly({
          name: 'pcapng.bad_option_length', message: `interface option ${code} claims ${olen} bytes beyond its block`,
          offset: this.base + o, frame: this.count + 1,
        });
        break;
      }
      if (code === 9 && olen >= 1) {
        const v = buf[o + 4];
        iface.pow2 = (v & 0x80) !== 0;
        iface.exp = v & 0x7f;
      } else if (code === 14 && olen === 8) {
        // if_tsoffset: signed 64-bit seconds.
        const a = rd32(buf, o + 4, le);
        const b = rd32(buf, o + 8, le);
        const hi = le ? b : a;
        const lo = le ? a : b;
        iface.offset = (hi | 0) * 4294967296 + lo;
      }
      o += 4 + ((olen + 3) & ~3);
    }
    this.ifaces.push(iface);
    this.sendInfo(iface.snaplen);
  }

  private emit(
    buf: Uint8Array, p: number, start: number, caplen: number, orig: number, ifid: number,
    iface: Iface, hi: number, lo: number, hasTime: boolean,
  ): void {
    let sec = 0;
    let nsec = 0;
    if (hasTime) {
      if (!iface.pow2 && iface.exp <= 11) {
        // Long division of the 64-bit count by 10^exp in 16-bit digits keeps every step exact.
        const d = POW10[iface.exp];
        let q = 0;
        let r = 0;
        const digits = [hi >>> 16, hi & 0xffff, lo >>> 16, lo & 0xffff];
        for (let i = 0; i < 4; i++) {
          const cur = r * 65536 + digits[i];
          const qd = Math.floor(cur / d);
          r = cur - qd * d;
          q = q * 65536 + qd;
        }
        sec = q;
        nsec = iface.exp <= 9 ? r * POW10[9 - iface.exp] : Math.floor(r / POW10[iface.exp - 9]);
      } else {
        const ts = (BigInt(hi) << 32n) | BigInt(lo);
        const units = iface.pow2 ? 1n << BigInt(iface.exp) : 10n ** BigInt(iface.exp);
        sec = Number(ts / units);
        nsec = Number(((ts % units) * 1_000_000_000n) / units);
      }
      sec += iface.offset;
    }
    this.sendInfo(iface.snaplen);
    const frame: Frame = {
      index: ++this.count, tsSec: sec, tsNsec: nsec, linkType: iface.linkType, interfaceId: ifid,
      data: buf.subarray(start, start + caplen), origLength: orig, offset: this.base + p,
    };
    this.sink.frame(frame);
  }

  /** Is there a plausible block at `p`? true / false, or undefined when more bytes are needed. */
  private candidate(buf: Uint8Array, p: number): boolean | undefined {
    const end = buf.length;
    if (end - p < 12) return this.final ? false : undefined;
    let le = this.le ?? true;
    const t = rd32(buf, p, true);
    if (t === BT_SHB) {
      const o = PcapngParser.shbOrder(buf, p);
      if (o === undefined) return false;
      le = o;
    } else if (!KNOWN_BLOCKS.has(rd32(buf, p, le))) {
      return false;
    }
    const len = rd32(buf, p + 4, le);
    if (len % 4 !== 0 || len < 12 || len > this.maxBlock) return false;
    if (end - p < len) {
      if (this.final) return false;
      this.need = len;
      return undefined;
    }
    return rd32(buf, p + len - 4, le) === len;
  }

  /** Scans byte by byte for the next plausible block; each byte is a candidate start once. */
  private scan(buf: Uint8Array, pos: number): number {
    const end = buf.length;
    while (pos < end) {
      const c = this.candidate(buf, pos);
      if (c === undefined) {
        if (end - pos < 12) this.need = 12;
        return pos;
      }
      if (!c) { pos++; continue; }
      this.sink.anomaly({
        name: 'pcapng.resync',
        message: `skipped ${this.base + pos - this.resyncFrom} bytes to the next plausible block`,
        offset: this.base + pos, frame: this.count + 1,
      });
      this.state = State.Blocks;
      return pos;
    }
    if (this.final) {
      this.sink.anomaly({
        name: 'pcapng.resync',
        message: `no plausible block found; skipped the last ${this.base + end - this.resyncFrom} bytes`,
        offset: this.base + end, frame: this.count + 1,
      });
      this.stopped = true;
    } else {
      this.need = 12;
    }
    return end;
  }

  protected finish(buf: Uint8Array, pos: number): void {
    this.final = true;
    pos = this.run(buf, pos);
    // Not even one section header could be read: nothing usable in this input.
    if (this.sections === 0) this.gaveUp = true;
    if (!this.stopped && pos < buf.length) {
      const have = buf.length - pos;
      this.sink.anomaly({
        name: 'pcapng.truncated_block',
        message: `the input ends ${have} bytes into a block`,
        offset: this.base + pos, frame: this.count + 1,
      });
    }
    if (!this.infoSent) this.sendInfo(0);
  }
}

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11];
