// Writers for classic pcap and pcapng (SHB, IDB with if_tsresol, EPB/SPB/OPB with opt_comment).
// Used by --annotate (incremental PcapngWriter) and by the test kit to build fixture captures.

/** One classic pcap record. */
export interface PcapRecord {
  tsSec: number;
  /** Nanoseconds within the second; truncated to µs unless the file is nanosecond. */
  tsNsec: number;
  data: Uint8Array;
  /** Wire length; defaults to data.length. */
  origLength?: number;
}

export interface PcapWriteOptions {
  linkType: number;
  /** Default 262144. */
  snaplen?: number;
  /** Write the a1b23c4d (nanosecond) magic. */
  nanosecond?: boolean;
  bigEndian?: boolean;
  records: PcapRecord[];
}

/** The largest pcapng timestamp (64 bits in units of if_tsresol). */
const MAX_U64 = (1n << 64n) - 1n;

/** Builds a whole classic pcap file. */
export function writePcap(opts: PcapWriteOptions): Uint8Array {
  let size = 24;
  for (const r of opts.records) size += 16 + r.data.length;
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  const le = !opts.bigEndian;
  dv.setUint32(0, opts.nanosecond ? 0xa1b23c4d : 0xa1b2c3d4, le);
  dv.setUint16(4, 2, le);
  dv.setUint16(6, 4, le);
  dv.setUint32(8, 0, le);
  dv.setUint32(12, 0, le);
  dv.setUint32(16, opts.snaplen ?? 262144, le);
  dv.setUint32(20, opts.linkType, le);
  let p = 24;
  for (const r of opts.records) {
    dv.setUint32(p, r.tsSec, le);
    dv.setUint32(p + 4, opts.nanosecond ? r.tsNsec : Math.floor(r.tsNsec / 1000), le);
    dv.setUint32(p + 8, r.data.length, le);
    dv.setUint32(p + 12, r.origLength ?? r.data.length, le);
    out.set(r.data, p + 16);
    p += 16 + r.data.length;
  }
  return out;
}

/** One interface of a pcapng section. */
export interface PcapngInterface {
  linkType: number;
  /** Default 262144 (0 means unlimited in pcapng). */
  snaplen?: number;
  /** if_tsresol as a power-of-ten exponent (6 = µs, 9 = ns). Default 6 (no option written). */
  tsresol?: number;
  /** if_name option. */
  name?: string;
}

/** One packet of a pcapng section. */
export interface PcapngPacket {
  interfaceId: number;
  tsSec: number;
  tsNsec: number;
  data: Uint8Array;
  origLength?: number;
  /** Block type: enhanced (default), simple (interface 0, no timestamp) or obsolete packet block. */
  block?: 'epb' | 'spb' | 'opb';
  /** opt_comment options (EPB and OPB only). */
  comments?: string[];
}

export interface PcapngSection {
  bigEndian?: boolean;
  interfaces: PcapngInterface[];
  packets?: PcapngPacket[];
}

const enc = new TextEncoder();

function pad4(n: number): number {
  return (n + 3) & ~3;
}

/** Encodes options (code, value) with the end-of-options marker; empty when there are none. */
function encodeOptions(opts: Array<[number, Uint8Array]>, le: boolean): Uint8Array {
  if (opts.length === 0) return new Uint8Array(0);
  let size = 4;
  for (const [, v] of opts) size += 4 + pad4(v.length);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  let p = 0;
  for (const [code, v] of opts) {
    dv.setUint16(p, code, le);
    dv.setUint16(p + 2, v.length, le);
    out.set(v, p + 4);
    p += 4 + pad4(v.length);
  }
  return out; // the last 4 bytes are zero: opt_endofopt
}

/** Frames a block: type, total length, body (padded to 4), options, total length. */
function block(type: number, body: Uint8Array, bodyLen: number, options: Uint8Array, le: boolean): Uint8Array {
  const len = 12 + pad4(bodyLen) + options.length;
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, le);
  dv.setUint32(4, len, le);
  out.set(body.subarray(0, bodyLen), 8);
  out.set(options, 8 + pad4(bodyLen));
  dv.setUint32(len - 4, len, le);
  return out;
}

/** Incremental pcapng writer: `header()` once per section, then `packet()` per packet. */
export class PcapngWriter {
  private readonly le: boolean;
  private readonly interfaces: PcapngInterface[];

  constructor(section: Omit<PcapngSection, 'packets'>) {
    this.le = !section.bigEndian;
    this.interfaces = section.interfaces;
  }

  /** The SHB followed by one IDB per interface. */
  header(): Uint8Array {
    const le = this.le;
    const shb = new Uint8Array(16);
    const sdv = new DataView(shb.buffer);
    sdv.setUint32(0, 0x1a2b3c4d, le);
    sdv.setUint16(4, 1, le);
    sdv.setUint16(6, 0, le);
    sdv.setInt32(8, -1, le);
    sdv.setInt32(12, -1, le); // section length unknown
    const parts = [block(0x0a0d0d0a, shb, 16, new Uint8Array(0), le)];
    for (const i of this.interfaces) {
      const body = new Uint8Array(8);
      const dv = new DataView(body.buffer);
      dv.setUint16(0, i.linkType, le);
      dv.setUint32(4, i.snaplen ?? 262144, le);
      const opts: Array<[number, Uint8Array]> = [];
      if (i.name !== undefined) opts.push([2, enc.encode(i.name)]);
      if (i.tsresol !== undefined) opts.push([9, Uint8Array.of(i.tsresol)]);
      parts.push(block(1, body, 8, encodeOptions(opts, le), le));
    }
    return concatBytes(parts);
  }

  /** One EPB (default), SPB or OPB. */
  packet(p: PcapngPacket): Uint8Array {
    const le = this.le;
    const kind = p.block ?? 'epb';
    const orig = p.origLength ?? p.data.length;
    if (kind === 'spb') {
      if (p.interfaceId !== 0) throw new Error('a simple packet block belongs to interface 0');
      if (p.comments?.length) throw new Error('a simple packet block has no options');
      const body = new Uint8Array(4 + pad4(p.data.length));
      new DataView(body.buffer).setUint32(0, orig, le);
      body.set(p.data, 4);
      return block(3, body, body.length, new Uint8Array(0), le);
    }
    const iface = this.interfaces[p.interfaceId];
    if (!iface) throw new Error(`no interface ${p.interfaceId} in this section`);
    const exp = iface.tsresol ?? 6;
    if (exp & 0x80) throw new Error('only power-of-ten resolutions are written');
    const nsec = BigInt(p.tsNsec);
    const frac = exp <= 9 ? nsec / 10n ** BigInt(9 - exp) : nsec * 10n ** BigInt(exp - 9);
    const ts = BigInt(p.tsSec) * 10n ** BigInt(exp) + frac;
    if (ts > MAX_U64) throw new RangeError(`timestamp ${p.tsSec} s does not fit 64 bits at if_tsresol ${exp}`);
    const body = new Uint8Array(20 + pad4(p.data.length));
    const dv = new DataView(body.buffer);
    if (kind === 'epb') dv.setUint32(0, p.interfaceId, le);
    else { dv.setUint16(0, p.interfaceId, le); dv.setUint16(2, 0, le); }
    dv.setUint32(4, Number(ts >> 32n), le);
    dv.setUint32(8, Number(ts & 0xffffffffn), le);
    dv.setUint32(12, p.data.length, le);
    dv.setUint32(16, orig, le);
    body.set(p.data, 20);
    const opts: Array<[number, Uint8Array]> = (p.comments ?? []).map((c) => [1, enc.encode(c)]);
    return block(kind === 'epb' ? 6 : 2, body, body.length, encodeOptions(opts, le), le);
  }
}

/** Builds a whole pcapng file from one section or several. */
export function writePcapng(opts: PcapngSection | { sections: PcapngSection[] }): Uint8Array {
  const sections = 'sections' in opts ? opts.sections : [opts];
  const parts: Uint8Array[] = [];
  for (const s of sections) {
    const w = new PcapngWriter(s);
    parts.push(w.header());
    for (const p of s.packets ?? []) parts.push(w.packet(p));
  }
  return concatBytes(parts);
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
