// DHCPv6 message decoding: the four header formats (RFC 8415 §8 client/server, §9 relay; RFC 7341
// §6.2 DHCPv4-over-DHCPv6; RFC 8156 §5.2 failover) and the one TLV walker that enforces every
// codec's declared length rules (RFC 8415 §21.1) and records anomalies instead of throwing.
//
// A message is checked eagerly and its option tree built lazily: a non-allocating validation walk
// (the same rules as the tree walker) tells whether the message is clean; a clean message keeps its
// octets and builds `options` on first access, a message with any problem is walked in full at once
// so its anomaly list is exact from the start. Options (`WireOption`) keep offsets into the message's
// octets and make their `data` view only when it is read.

import type { Dhcpv6Anomaly, Dhcpv6Message, Dhcpv6Option, MessageFormat } from './types.js';
import type { OptionCodec } from './options/types.js';
import { formatIpv6, isHexOf, sameOctetsAt, toHex, u24, u32 } from './options/primitives.js';

/** What the walker needs from a codec instance. */
export interface WalkContext {
  codecFor(code: number): OptionCodec;
  /** The length rules and body layout of every code, as tables (see `OptionRules`). */
  readonly rules: OptionRules;
  /** `dhcpv6.max-relay-depth`: encapsulated messages deeper than this are kept as bytes. */
  readonly maxRelayDepth: number;
  /** `dhcpv6.max-option-depth`: options nested deeper than this are kept as bytes. */
  readonly maxOptionDepth: number;
}

/** Header format by message type. */
export function messageFormat(msgType: number): MessageFormat {
  if (msgType === 12 || msgType === 13) return 'relay';
  if (msgType === 20 || msgType === 21) return 'dhcpv4-over-dhcpv6';
  if (msgType >= 24 && msgType <= 35) return 'failover';
  return 'client-server';
}

/** Header length of each format. */
export const HEADER_LENGTH: Readonly<Record<MessageFormat, number>> = {
  'client-server': 4, relay: 34, 'dhcpv4-over-dhcpv6': 4, failover: 8,
};

/** Header length by message type (the same as HEADER_LENGTH[messageFormat(t)]). */
export function headerLength(msgType: number): number {
  if (msgType === 12 || msgType === 13) return 34;
  if (msgType >= 24 && msgType <= 35) return 8;
  return 4;
}

/** Shape bits of a code in `OptionRules.shape`. */
const SH_OPTIONS = 1; // body continues with options
const SH_MESSAGE = 2; // body continues with one message
/** `OptionRules.holds`: the body continues with options, or with one message. */
export const HOLDS_OPTIONS = SH_OPTIONS;
export const HOLDS_MESSAGE = SH_MESSAGE;
const SH_DYNAMIC = 4; // the prefix before them is computed from the body
const SH_CHECK = 8; // the codec has a `check`

/**
 * The codec table compiled to typed arrays indexed by option code (all 65536), so the walkers read
 * a code's length rule and body layout without touching codec objects or building strings.
 * Unknown codes get the opaque codec's rule (any length, no body).
 */
export class OptionRules {
  /** LengthRule.fixed, or -1. */
  readonly fixed = new Int32Array(65536).fill(-1);
  /** LengthRule.min (0 when absent; also the base of multipleOf). */
  readonly min = new Int32Array(65536);
  /** LengthRule.max (65535 when absent: option-len cannot exceed it). */
  readonly max = new Int32Array(65536).fill(65535);
  /** LengthRule.multipleOf, or 0. */
  readonly multipleOf = new Int32Array(65536);
  /** SH_* bits. */
  readonly shape = new Uint8Array(65536);
  /** The static prefix before sub-options or a message (0 when dynamic or without a body). */
  readonly prefix = new Int32Array(65536);

  constructor(table: ReadonlyMap<number, OptionCodec>) {
    for (const [code, codec] of table) {
      const r = codec.length;
      this.fixed[code] = r.fixed ?? -1;
      this.min[code] = r.min ?? 0;
      this.max[code] = r.max ?? 65535;
      this.multipleOf[code] = r.multipleOf ?? 0;
      let sh = 0;
      if (codec.body) {
        sh |= codec.body.kind === 'options' ? SH_OPTIONS : SH_MESSAGE;
        if (typeof codec.body.prefix === 'number') this.prefix[code] = codec.body.prefix;
        else sh |= SH_DYNAMIC;
      }
      if (codec.check) sh |= SH_CHECK;
      this.shape[code] = sh;
    }
  }

  /** What a code's body holds after the codec's own fields: HOLDS_OPTIONS, HOLDS_MESSAGE or 0 (nothing). */
  holds(code: number): number {
    return this.shape[code] & (SH_OPTIONS | SH_MESSAGE);
  }

  /** True when option-len `len` passes the code's length rule (`lengthProblem` would say nothing). */
  lengthOk(code: number, len: number): boolean {
    const f = this.fixed[code];
    if (f >= 0 && len !== f) return false;
    const min = this.min[code];
    if (len < min || len > this.max[code]) return false;
    const m = this.multipleOf[code];
    return m === 0 || (len - min) % m === 0;
  }
}

/** Octets read in place: bytes[start, end). */
export interface OctetRange {
  bytes: Uint8Array;
  start: number;
  end: number;
}

/** Address texts of a relay message (RFC 8415 §9). */
interface RelayTexts { link: string; peer: string }

/** The anomaly list of every clean message (never written to). */
const NO_ANOMALIES: Dhcpv6Anomaly[] = Object.freeze([]) as unknown as Dhcpv6Anomaly[];

/**
 * A decoded message (the Dhcpv6Message contract) over b[start, start+length). `options` is built
 * from the octets on first access when the message is clean; the header fields other than msgType
 * are read from the octets when asked (relay addresses formatted then). One shape for all formats.
 */
export class DecodedMessage implements Dhcpv6Message {
  msgType: number;
  format: MessageFormat;
  anomalies: Dhcpv6Anomaly[];
  length: number;
  #bytes: Uint8Array;
  #start: number;
  #ctx: WalkContext;
  #depth: number;
  #options: Dhcpv6Option[] | undefined;
  /** The top-level option `topOption` built last (before the tree): the tree reuses it. */
  #asked: Dhcpv6Option | undefined;
  /** Relay messages: link-address and peer-address texts, once asked for. */
  #texts: RelayTexts | undefined;
  /** `options` was assigned: the octets no longer tell what the message holds. */
  #replaced: boolean;

  /**
   * The message in b[start, end); `depth` counts enclosing messages. `clean`: the octets are known
   * to hold no anomaly (a message inside a clean one), so they are not validated again.
   */
  constructor(ctx: WalkContext, b: Uint8Array, start: number, end: number, depth: number, clean: boolean) {
    const n = end - start;
    const msgType = n > 0 ? b[start] : 0;
    const format = messageFormat(msgType);
    const header = headerLength(msgType);
    this.msgType = msgType;
    this.format = format;
    this.anomalies = NO_ANOMALIES;
    this.length = n;
    this.#bytes = b;
    this.#start = start;
    this.#ctx = ctx;
    this.#depth = depth;
    this.#options = undefined;
    this.#asked = undefined;
    this.#texts = undefined;
    this.#replaced = false;
    if (clean || (n >= header && cleanOptions(ctx, b, start + header, end, depth, 0))) return;
    // Something is wrong: walk everything now, so the anomaly list is complete and exact.
    const anomalies: Dhcpv6Anomaly[] = [];
    if (n < header) {
      anomalies.push({
        name: 'dhcpv6.message.truncated',
        message: `${n} octets, shorter than the ${header}-octet ${format} header`,
      });
    }
    this.#options = n > header ? walk(ctx, b, start + header, end, depth, 0, anomalies) : [];
    this.anomalies = anomalies;
  }

  /** 24-bit transaction-id: client/server (RFC 8415 §8) and failover (RFC 8156 §5.2) formats. */
  get xid(): number | undefined {
    const f = this.format;
    return (f === 'client-server' || f === 'failover') && this.length >= 4 ? u24(this.#bytes, this.#start + 1) : undefined;
  }

  /** DHCPv4-over-DHCPv6 flags (RFC 7341 §6.2), instead of an xid. */
  get flags(): number | undefined {
    return this.format === 'dhcpv4-over-dhcpv6' && this.length >= 4 ? u24(this.#bytes, this.#start + 1) : undefined;
  }

  /** Relay format (RFC 8415 §9): hop-count. */
  get hopCount(): number | undefined {
    return this.format === 'relay' && this.length >= 2 ? this.#bytes[this.#start + 1] : undefined;
  }

  /** Relay format (RFC 8415 §9): link-address as text. */
  get linkAddress(): string | undefined {
    return this.format === 'relay' && this.length >= 18 ? this.#relayTexts().link : undefined;
  }

  /** Relay format (RFC 8415 §9): peer-address as text. */
  get peerAddress(): string | undefined {
    return this.format === 'relay' && this.length >= 34 ? this.#relayTexts().peer : undefined;
  }

  /** A relay message's address texts (formatted once; the header is whole up to what is asked). */
  #relayTexts(): RelayTexts {
    let t = this.#texts;
    if (t === undefined) {
      const b = this.#bytes;
      const s = this.#start;
      t = { link: this.length >= 18 ? formatIpv6(b, s + 2) : '', peer: this.length >= 34 ? formatIpv6(b, s + 18) : '' };
      this.#texts = t;
    }
    return t;
  }

  /** Failover format (RFC 8156 §5.2): sent-time. */
  get sentTime(): number | undefined {
    return this.format === 'failover' && this.length >= 8 ? u32(this.#bytes, this.#start + 4) : undefined;
  }

  /** The top-level options in wire order (built on first access for a clean message). */
  get options(): Dhcpv6Option[] {
    let o = this.#options;
    if (o === undefined) {
      const header = headerLength(this.msgType);
      const n = this.length;
      o = n > header ? walkClean(this.#ctx, this.#bytes, this.#start + header, this.#start + n, this.#depth) : [];
      const asked = this.#asked;
      if (asked !== undefined) { // keep the object optionOf already handed out
        this.#asked = undefined;
        for (let i = 0; i < o.length; i++) if (o[i].code === asked.code) { o[i] = asked; break; }
      }
      this.#options = o;
    }
    return o;
  }

  set options(v: Dhcpv6Option[]) {
    this.#options = v;
    this.#replaced = true;
  }

  /**
   * Sets `r` to the octets of this message (its header, then its options) and returns true, when the
   * message is clean (no anomaly at any depth) and its options were never assigned: then the octets
   * say exactly what the message holds, and a reader may walk them in place instead of the tree
   * (the decode line writer). Returns false otherwise.
   */
  octetsOf(r: OctetRange): boolean {
    if (this.anomalies.length !== 0 || this.#replaced) return false;
    r.bytes = this.#bytes;
    r.start = this.#start;
    r.end = this.#start + this.length;
    return true;
  }

  /**
   * Whether `other` occupies the same octets (header and options), compared in place. Only asked of
   * clean messages: for them the octets after the header are exactly the option list.
   */
  sameOctets(other: DecodedMessage): boolean {
    return other.length === this.length && sameOctetsAt(this.#bytes, this.#start, other.#bytes, other.#start, this.length);
  }

  /**
   * First top-level option with this code, equal to `findOption(this.options, code)`. Before the
   * tree is built, only that option (with what it holds) is built from the octets; asking again for
   * the same code returns the same object, and so does the tree once built. `remember` false: the
   * option built is not kept (asking again builds another), so a message kept for long gains no
   * reference to a new object, which the next scavenge would have to copy and then promote.
   */
  topOption(code: number, remember = true): Dhcpv6Option | undefined {
    const built = this.#options;
    if (built !== undefined) {
      for (let i = 0; i < built.length; i++) if (built[i].code === code) return built[i];
      return undefined;
    }
    const asked = this.#asked;
    if (asked !== undefined && asked.code === code) return asked;
    const o = this.#offsetOf(code);
    if (o < 0) return undefined;
    const b = this.#bytes;
    const len = (b[o + 2] << 8) | b[o + 3];
    const opt = newOption(code, len, b, o + 4, o + 4 + len);
    const sh = this.#ctx.rules.shape[code];
    if ((sh & (SH_OPTIONS | SH_MESSAGE)) !== 0) fillClean(this.#ctx, opt, sh, b, o + 4, o + 4 + len, this.#depth);
    if (remember) this.#asked = opt;
    return opt;
  }

  /**
   * Where the header of the first top-level option with this code starts in the octets, or -1: a walk
   * of the clean octets (every header whole, every option inside its container), for a message whose
   * tree is not built.
   */
  #offsetOf(code: number): number {
    const b = this.#bytes;
    const end = this.#start + this.length;
    for (let o = this.#start + headerLength(this.msgType); o < end; o += 4 + ((b[o + 2] << 8) | b[o + 3])) {
      if (((b[o] << 8) | b[o + 1]) === code) return o;
    }
    return -1;
  }

  /**
   * `topOption(code, false)` that may answer with `into`, reset onto the option's octets, instead of
   * a new object: for a clean message whose tree is not built, an option that holds neither options
   * nor a message. The answer is good until `into` is reset again (see helpers.ts transientOption).
   */
  topOptionInto(code: number, into: WireOption): Dhcpv6Option | undefined {
    // A built tree, the option already remembered, or one that holds options or a message: as topOption.
    if (this.#options !== undefined || this.#asked?.code === code || (this.#ctx.rules.shape[code] & (SH_OPTIONS | SH_MESSAGE)) !== 0) {
      return this.topOption(code, false);
    }
    const o = this.#offsetOf(code);
    if (o < 0) return undefined;
    const b = this.#bytes;
    const len = (b[o + 2] << 8) | b[o + 3];
    return into.reset(code, len, b, o + 4, o + 4 + len);
  }

  /** Whether there is a top-level option with this code (builds nothing). */
  hasTopOption(code: number): boolean {
    const built = this.#options;
    if (built !== undefined) {
      for (let i = 0; i < built.length; i++) if (built[i].code === code) return true;
      return false;
    }
    return this.#offsetOf(code) >= 0;
  }

  /**
   * Sets `c` before the first top-level option of this message, read in place, and returns true, when
   * the message is clean (no anomaly at any depth: its octets are exactly its option tree). Returns
   * false otherwise (OptionCursor.open then reads the tree, where overruns and bad lengths are told).
   */
  openCursor(c: OptionCursor): boolean {
    if (this.anomalies.length !== 0) return false;
    c.reset(this.#ctx, this.#bytes, this.#start + headerLength(this.msgType), this.#start + this.length);
    return true;
  }

  /**
   * Copies the octets of this clean message to `b` at `at` and returns the message read from there:
   * the same context and depth, so it reads exactly as this one, but it keeps only `b` alive (not
   * the capture's read buffer, nor any option this one built). Asked only of messages without
   * anomalies (`undefined` otherwise): their octets are the whole of what they say.
   */
  relocate(b: Uint8Array, at: number): DecodedMessage | undefined {
    if (this.anomalies.length !== 0) return undefined;
    const n = this.length;
    const src = this.#bytes;
    const s = this.#start;
    if (n <= 64) for (let i = 0; i < n; i++) b[at + i] = src[s + i];
    else b.set(src.subarray(s, s + n), at);
    return new DecodedMessage(this.#ctx, b, at, at + n, this.#depth, true);
  }

  /** Whether the option tree has been built (tests and diagnostics). */
  get optionsBuilt(): boolean {
    return this.#options !== undefined;
  }
}

/** Decodes one message occupying all of `bytes`; `depth` counts enclosing messages. */
export function decodeMessage(ctx: WalkContext, bytes: Uint8Array, depth = 0): Dhcpv6Message {
  return new DecodedMessage(ctx, bytes, 0, bytes.length, depth, false);
}

/** b[s..e) as a view of the same memory (the typed-array constructor: cheaper than `subarray`). */
function view(b: Uint8Array, s: number, e: number): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset + s, e - s);
}

/**
 * An option as the decoder builds it (the Dhcpv6Option contract) over b[start, end) of the message's
 * octets: `data`, a view of those octets, is made on first access and kept. Most options are only
 * tested for code, presence and length, so most never get a view (typed-array views are costly V8
 * objects). The body accessors below (`u8`, `u16`, `u32`, `hex`, `sameHex`, `sameBody`) read the octets in place;
 * helpers.ts offers them for any Dhcpv6Option. One shape: every field is set in the constructor.
 * The octets are never rewritten while the option lives (decodeMessageAt's condition).
 */
export class WireOption implements Dhcpv6Option {
  // Every field is set by reset(), which the constructor calls.
  code!: number;
  length!: number;
  options!: Dhcpv6Option[] | undefined;
  message!: Dhcpv6Message | undefined;
  anomalies!: Dhcpv6Anomaly[] | undefined;
  #bytes!: Uint8Array;
  #start!: number;
  #end!: number;
  #data!: Uint8Array | undefined;

  /** Option `code` with option-len `length`, whose captured body is b[start, end). */
  constructor(code: number, length: number, b: Uint8Array, start: number, end: number) {
    this.reset(code, length, b, start, end);
  }

  /** Makes this object the option `code` over b[start, end) (the constructor; again for transientOption's scratch). */
  reset(code: number, length: number, b: Uint8Array, start: number, end: number): this {
    this.code = code;
    this.length = length;
    this.options = undefined;
    this.message = undefined;
    this.anomalies = undefined;
    this.#bytes = b;
    this.#start = start;
    this.#end = end;
    this.#data = undefined;
    return this;
  }

  /** The option body as captured: a view of the message's octets, made once. */
  get data(): Uint8Array {
    let d = this.#data;
    if (d === undefined) {
      d = view(this.#bytes, this.#start, this.#end);
      this.#data = d;
    }
    return d;
  }

  set data(v: Uint8Array) {
    this.#data = v;
    this.#bytes = v;
    this.#start = 0;
    this.#end = v.length;
  }

  /** Octets of the body as captured (`data.length`, without a view). */
  get capturedLength(): number {
    return this.#end - this.#start;
  }

  /** `data[i]` without a view (undefined outside the captured body, as the view would say). */
  u8(i: number): number | undefined {
    return i >= 0 && i < this.#end - this.#start ? this.#bytes[this.#start + i] : undefined;
  }

  /** `u16(data, i)` (primitives.ts) without a view; the caller checks that i + 2 <= capturedLength. */
  u16(i: number): number {
    const b = this.#bytes;
    const o = this.#start + i;
    return (b[o] << 8) | b[o + 1];
  }

  /** `u32(data, i)` (primitives.ts) without a view; the caller checks that i + 4 <= capturedLength. */
  u32(i: number): number {
    return u32(this.#bytes, this.#start + i);
  }

  /** `toHex(data)` without a view. */
  hex(): string {
    return toHex(this.#bytes, this.#start, this.#end - this.#start);
  }

  /** Whether `hex` is the lowercase hex text of the captured body (`hex === toHex(data)`), compared in place. */
  sameHex(hex: string): boolean {
    return isHexOf(hex, this.#bytes, this.#start, this.#end - this.#start);
  }

  /** Whether the captured body holds exactly the octets of `bytes` (compared in place). */
  sameBody(bytes: Uint8Array): boolean {
    const n = this.#end - this.#start;
    return bytes.length === n && sameOctetsAt(this.#bytes, this.#start, bytes, 0, n);
  }
}

/** One option object, always in the same shape, over the captured body b[s..e). */
function newOption(code: number, length: number, b: Uint8Array, s: number, e: number): Dhcpv6Option {
  return new WireOption(code, length, b, s, e);
}

function anomaly(opt: Dhcpv6Option, sink: Dhcpv6Anomaly[], name: string, message: string): void {
  const a: Dhcpv6Anomaly = { name, message, code: opt.code };
  (opt.anomalies ??= []).push(a);
  sink.push(a);
}

/**
 * Text of the `dhcpv6.option.overrun` anomaly for 1-3 octets left at the end of an option list: it
 * belongs to no option (there is no header), so rules that own a container match it by this text.
 */
export function trailingOctets(n: number): string {
  return `${n} trailing octet(s), too few for an option header`;
}

/** Why a body breaks its codec's length rule, or undefined. */
export function lengthProblem(codec: OptionCodec, len: number): string | undefined {
  const r = codec.length;
  if (r.fixed !== undefined && len !== r.fixed) return `length ${len}, expected ${r.fixed}`;
  if (r.min !== undefined && len < r.min) return `length ${len}, expected at least ${r.min}`;
  if (r.max !== undefined && len > r.max) return `length ${len}, expected at most ${r.max}`;
  if (r.multipleOf !== undefined && (len - (r.min ?? 0)) % r.multipleOf !== 0) {
    return `length ${len}, expected ${r.min ? `${r.min} + ` : ''}a multiple of ${r.multipleOf}`;
  }
  return undefined;
}

/**
 * True when the options in b[o..end) produce no anomaly at any depth: the walker's rules (option
 * headers and overruns, length rules, body prefix, `check`, option and relay depth, nested message
 * headers), without building anything.
 */
function cleanOptions(ctx: WalkContext, b: Uint8Array, o: number, end: number, msgDepth: number, optDepth: number): boolean {
  const rules = ctx.rules;
  while (o < end) {
    if (o + 4 > end) return false;
    const code = (b[o] << 8) | b[o + 1];
    const len = (b[o + 2] << 8) | b[o + 3];
    const s = o + 4;
    o = s + len;
    if (o > end) return false; // RFC 8415 §21.1: option-len runs past the container
    if (!rules.lengthOk(code, len)) return false;
    const sh = rules.shape[code];
    if (sh !== 0 && !cleanBody(ctx, code, sh, b, s, o, msgDepth, optDepth)) return false;
  }
  return true;
}

function cleanBody(
  ctx: WalkContext, code: number, sh: number, b: Uint8Array, s: number, e: number, msgDepth: number, optDepth: number,
): boolean {
  let prefix = ctx.rules.prefix[code];
  let body: Uint8Array | undefined;
  if ((sh & SH_DYNAMIC) !== 0) {
    body = view(b, s, e);
    const p = (ctx.codecFor(code).body!.prefix as (d: Uint8Array) => number | undefined)(body);
    if (p === undefined) return false;
    prefix = p;
  }
  if (prefix > e - s) return false;
  if ((sh & SH_CHECK) !== 0) {
    body ??= view(b, s, e);
    if (ctx.codecFor(code).check!(body)) return false;
  }
  if ((sh & SH_OPTIONS) !== 0) {
    if (optDepth + 1 > ctx.maxOptionDepth) return false;
    return cleanOptions(ctx, b, s + prefix, e, msgDepth, optDepth + 1);
  }
  if ((sh & SH_MESSAGE) !== 0) {
    if (msgDepth + 1 > ctx.maxRelayDepth) return false;
    const n = e - s - prefix;
    const header = headerLength(n > 0 ? b[s + prefix] : 0);
    return n >= header && cleanOptions(ctx, b, s + prefix + header, e, msgDepth + 1, 0);
  }
  return true;
}

/**
 * Walks the options in b[o..end) (one level, descending into sub-options and messages). Overruns
 * keep the captured bytes and stop this level; every anomaly goes to the option and to `sink`.
 */
function walk(
  ctx: WalkContext, b: Uint8Array, o: number, end: number, msgDepth: number, optDepth: number,
  sink: Dhcpv6Anomaly[],
): Dhcpv6Option[] {
  const out: Dhcpv6Option[] = [];
  while (o < end) {
    if (o + 4 > end) {
      sink.push({
        name: 'dhcpv6.option.overrun',
        message: trailingOctets(end - o),
      });
      break;
    }
    const code = (b[o] << 8) | b[o + 1];
    const length = (b[o + 2] << 8) | b[o + 3];
    const s = o + 4;
    if (s + length > end) { // RFC 8415 §21.1: option-len runs past the container
      const opt = newOption(code, length, b, s, end);
      anomaly(opt, sink, 'dhcpv6.option.overrun', `option-len ${length} runs ${s + length - end} octet(s) past its container`);
      out.push(opt);
      break;
    }
    o = s + length;
    const opt = newOption(code, length, b, s, o);
    out.push(opt);
    fill(ctx, opt, b, s, o, msgDepth, optDepth, sink);
  }
  return out;
}

/**
 * `walk` over octets the validation walk found clean: every header is whole, every length rule and
 * check passes and no depth limit is hit, so only the structure is built (same objects as `walk`).
 */
function walkClean(ctx: WalkContext, b: Uint8Array, o: number, end: number, msgDepth: number): Dhcpv6Option[] {
  const shape = ctx.rules.shape;
  const out: Dhcpv6Option[] = [];
  while (o < end) {
    const code = (b[o] << 8) | b[o + 1];
    const s = o + 4;
    o = s + ((b[o + 2] << 8) | b[o + 3]);
    const opt = newOption(code, o - s, b, s, o);
    out.push(opt);
    const sh = shape[code];
    if ((sh & (SH_OPTIONS | SH_MESSAGE)) !== 0) fillClean(ctx, opt, sh, b, s, o, msgDepth);
  }
  return out;
}

/**
 * Where the sub-options or the message of a clean option b[s..e) with this code begin (after the
 * codec's own fields, as `fillClean` finds them); only asked of codes that hold one (`holds`).
 */
export function contentStart(ctx: WalkContext, code: number, b: Uint8Array, s: number, e: number): number {
  const sh = ctx.rules.shape[code];
  return s + ((sh & SH_DYNAMIC) !== 0
    ? (ctx.codecFor(code).body!.prefix as (d: Uint8Array) => number)(view(b, s, e))
    : ctx.rules.prefix[code]);
}

/** What a clean container option b[s..e) holds: its sub-options or its message. */
function fillClean(ctx: WalkContext, opt: Dhcpv6Option, sh: number, b: Uint8Array, s: number, e: number, msgDepth: number): void {
  const prefix = (sh & SH_DYNAMIC) !== 0
    ? (ctx.codecFor(opt.code).body!.prefix as (d: Uint8Array) => number)(opt.data)
    : ctx.rules.prefix[opt.code];
  if ((sh & SH_OPTIONS) !== 0) opt.options = walkClean(ctx, b, s + prefix, e, msgDepth);
  else opt.message = new DecodedMessage(ctx, b, s + prefix, e, msgDepth + 1, true);
}

/** Applies the code's rules to a whole option body b[s..e) and builds what it holds. */
function fill(
  ctx: WalkContext, opt: Dhcpv6Option, b: Uint8Array, s: number, e: number, msgDepth: number, optDepth: number,
  sink: Dhcpv6Anomaly[],
): void {
  const rules = ctx.rules;
  const code = opt.code;
  const length = e - s;
  if (!rules.lengthOk(code, length)) {
    anomaly(opt, sink, 'dhcpv6.option.bad_length', lengthProblem(ctx.codecFor(code), length)!);
    return;
  }
  const sh = rules.shape[code];
  if (sh === 0) return;
  let prefix = rules.prefix[code];
  if ((sh & SH_DYNAMIC) !== 0) {
    const p = (ctx.codecFor(code).body!.prefix as (d: Uint8Array) => number | undefined)(opt.data);
    prefix = p === undefined ? length + 1 : p;
  }
  if (prefix > length) { anomaly(opt, sink, 'dhcpv6.option.bad_length', `length ${length} too short for the option's fields`); return; }
  if ((sh & SH_CHECK) !== 0) {
    const problem = ctx.codecFor(code).check!(opt.data);
    if (problem) { anomaly(opt, sink, 'dhcpv6.option.undecodable', problem); return; }
  }
  if ((sh & SH_OPTIONS) !== 0) {
    if (optDepth + 1 > ctx.maxOptionDepth) {
      anomaly(opt, sink, 'dhcpv6.option.too_deep', `options nested deeper than dhcpv6.max-option-depth (${ctx.maxOptionDepth})`);
      return;
    }
    opt.options = walk(ctx, b, s + prefix, e, msgDepth, optDepth + 1, sink);
  } else if ((sh & SH_MESSAGE) !== 0) {
    if (msgDepth + 1 > ctx.maxRelayDepth) {
      anomaly(opt, sink, 'dhcpv6.relay.too_deep', `messages nested deeper than dhcpv6.max-relay-depth (${ctx.maxRelayDepth})`);
      return;
    }
    const inner = new DecodedMessage(ctx, b, s + prefix, e, msgDepth + 1, false);
    opt.message = inner;
    const list = inner.anomalies;
    for (let i = 0; i < list.length; i++) sink.push(list[i]);
  }
}

/**
 * Walks the options in `data` (one level, descending into sub-options and messages), collecting
 * every anomaly in `sink`: the eager form of what a message's `options` builds.
 */
export function walkOptions(
  ctx: WalkContext, data: Uint8Array, msgDepth: number, optDepth: number, sink: Dhcpv6Anomaly[],
): Dhcpv6Option[] {
  return walk(ctx, data, 0, data.length, msgDepth, optDepth, sink);
}

/**
 * Reads a message's options one at a time, in wire order, with the same codes, bodies and nesting as
 * its `options` tree. A clean decoded message is read in place from its octets, building nothing; any
 * other message (one with anomalies, or a plain object) is read from its tree, so callers need one
 * code path. One cursor per level, reused:
 *
 *     top.open(m); while (top.next()) if (top.code === 3 && top.enter(sub)) while (sub.next()) …
 *
 * The current option: `code`, `length` (its option-len), `ok` (no anomaly of its own), and its body
 * as captured, bytes[start..end) (shorter than `length` only when the option overran its container).
 */
export class OptionCursor {
  bytes: Uint8Array = NO_OCTETS;
  code = 0;
  length = 0;
  start = 0;
  end = 0;
  ok = true;
  #ctx: WalkContext | undefined = undefined;
  #pos = 0;
  #limit = 0;
  /** Tree mode: the option list and the current option (null in place). */
  #tree: readonly Dhcpv6Option[] | null = null;
  #opt: Dhcpv6Option | undefined = undefined;

  /** Before the first top-level option of `m`. */
  open(m: Dhcpv6Message): void {
    if (m instanceof DecodedMessage && m.openCursor(this)) return;
    this.over(m.options);
  }

  /** Before the first option of a built list (tree mode). */
  over(options: readonly Dhcpv6Option[]): void {
    this.#tree = options;
    this.#opt = undefined;
    this.#pos = 0;
    this.#limit = options.length;
    this.bytes = NO_OCTETS;
    this.code = 0;
    this.length = 0;
    this.start = 0;
    this.end = 0;
    this.ok = true;
  }

  /** Before the first option in b[from..to), octets the validation walk found clean (in place). */
  reset(ctx: WalkContext, b: Uint8Array, from: number, to: number): void {
    this.#ctx = ctx;
    this.#tree = null;
    this.#opt = undefined;
    this.bytes = b;
    this.#pos = from;
    this.#limit = to;
    this.code = 0;
    this.length = 0;
    this.start = from;
    this.end = from;
    this.ok = true;
  }

  /** Moves to the next option; false at the end of the level. */
  next(): boolean {
    const o = this.#pos;
    if (o >= this.#limit) return false;
    const tree = this.#tree;
    if (tree !== null) {
      const opt = tree[o];
      this.#pos = o + 1;
      this.#opt = opt;
      this.code = opt.code;
      this.length = opt.length;
      this.bytes = opt.data;
      this.start = 0;
      this.end = opt.data.length;
      this.ok = opt.anomalies === undefined || opt.anomalies.length === 0;
      return true;
    }
    const b = this.bytes;
    this.code = (b[o] << 8) | b[o + 1];
    this.length = (b[o + 2] << 8) | b[o + 3];
    this.start = o + 4;
    this.end = o + 4 + this.length;
    this.#pos = this.end;
    return true;
  }

  /** Body octet i of the current option (the caller keeps i < end - start). */
  u8(i: number): number {
    return this.bytes[this.start + i];
  }

  /** Big-endian 16 bits at body offset i (the caller keeps i + 2 <= end - start). */
  u16(i: number): number {
    const b = this.bytes;
    const o = this.start + i;
    return (b[o] << 8) | b[o + 1];
  }

  /** Big-endian 32 bits at body offset i (the caller keeps i + 4 <= end - start). */
  u32(i: number): number {
    return u32(this.bytes, this.start + i);
  }

  /** Whether the captured body holds exactly the octets b[s..e), compared in place. */
  sameBodyAs(b: Uint8Array, s: number, e: number): boolean {
    const n = this.end - this.start;
    return e - s === n && sameOctetsAt(this.bytes, this.start, b, s, n);
  }

  /**
   * Sets `into` before the first sub-option of the current option and returns true, when it carries
   * sub-options (after its fixed fields); false when it carries none (its `options` is undefined).
   */
  enter(into: OptionCursor): boolean {
    if (this.#tree !== null) {
      const sub = this.#opt!.options;
      if (sub === undefined) return false;
      into.over(sub);
      return true;
    }
    const ctx = this.#ctx!;
    const code = this.code;
    const sh = ctx.rules.shape[code];
    if ((sh & SH_OPTIONS) === 0) return false;
    const prefix = (sh & SH_DYNAMIC) !== 0
      ? (ctx.codecFor(code).body!.prefix as (d: Uint8Array) => number)(view(this.bytes, this.start, this.end))
      : ctx.rules.prefix[code];
    into.reset(ctx, this.bytes, this.start + prefix, this.end);
    return true;
  }
}

const NO_OCTETS = new Uint8Array(0);
