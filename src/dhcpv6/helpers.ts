// Helpers the rules use on decoded messages: finding options, walking them, the status of a
// message (RFC 8415 §7.5: absent = Success), DUID bytes, Preference (RFC 8415 §21.8), relay chains.

import type { Dhcpv6Message, Dhcpv6Option } from './types.js';
import type { OptionValue } from './options/types.js';
import { isHexOf, sameBytes, toHex, u16, u32 } from './options/primitives.js';
import { defaultCodec, type Dhcpv6Codec } from './codec.js';
import { DecodedMessage, OptionCursor, WireOption } from './message.js';

export { OptionCursor };

/** Well-formed: captured in full and without anomalies of its own. */
function intact(o: Dhcpv6Option): boolean {
  return !o.anomalies?.length && optionBodyLength(o) === o.length;
}

// Reading an option body in place. Options the decoder builds (message.ts `WireOption`) make their
// `data` view only when asked; these answer from the message's octets without one, and from `data`
// for any other Dhcpv6Option (plain objects: tests, encode.ts), with the same results.

/** Octets of the option body as captured: `o.data.length`, without a view. */
export function optionBodyLength(o: Dhcpv6Option): number {
  return o instanceof WireOption ? o.capturedLength : o.data.length;
}

/** Body octet `i`: `o.data[i]` (undefined outside the captured body), without a view. */
export function optionU8(o: Dhcpv6Option, i: number): number | undefined {
  return o instanceof WireOption ? o.u8(i) : o.data[i];
}

/** Big-endian 16 bits at body offset `i`: `u16(o.data, i)`; the caller checks i + 2 <= optionBodyLength(o). */
export function optionU16(o: Dhcpv6Option, i: number): number {
  return o instanceof WireOption ? o.u16(i) : u16(o.data, i);
}

/** Big-endian 32 bits at body offset `i`: `u32(o.data, i)`; the caller checks i + 4 <= optionBodyLength(o). */
export function optionU32(o: Dhcpv6Option, i: number): number {
  return o instanceof WireOption ? o.u32(i) : u32(o.data, i);
}

/** Whether the captured body is exactly the octets of `bytes`, compared in place. */
export function sameBody(o: Dhcpv6Option, bytes: Uint8Array): boolean {
  return o instanceof WireOption ? o.sameBody(bytes) : sameBytes(o.data, bytes);
}

/**
 * Whether `hex` is the lowercase hex text of the captured body (`hex === toHex(o.data)`, as duidHex
 * writes DUIDs), compared in place without a view or a new string.
 */
export function sameBodyHex(o: Dhcpv6Option, hex: string): boolean {
  return o instanceof WireOption ? o.sameHex(hex) : isHexOf(hex, o.data);
}

/** `toHex(o.data)` (lowercase hex of the captured body), without a view. */
export function bodyHex(o: Dhcpv6Option): string {
  return o instanceof WireOption ? o.hex() : toHex(o.data);
}

/** First option with this code at this level. */
export function findOption(options: readonly Dhcpv6Option[], code: number): Dhcpv6Option | undefined {
  for (const o of options) if (o.code === code) return o;
  return undefined;
}

/**
 * First top-level option of a message with this code. Hot paths (correlators, rules run on every
 * message) call this rather than `findOption(msg.options, code)`: it may answer from the message's
 * octets without building its whole option tree.
 */
export function optionOf(msg: Dhcpv6Message, code: number): Dhcpv6Option | undefined {
  return msg instanceof DecodedMessage ? msg.topOption(code) : findOption(msg.options, code);
}

/**
 * `optionOf` for a message kept for long (a transaction's, read when it closes): equal to it, but a
 * message that had not built the option does not keep the one built here. A kept message lives in old
 * space, and a new object it referred to would survive the next scavenges and be promoted with it.
 * The caller keeps the answer no longer than it needs it.
 */
export function peekOption(msg: Dhcpv6Message, code: number): Dhcpv6Option | undefined {
  return msg instanceof DecodedMessage ? msg.topOption(code, false) : findOption(msg.options, code);
}

/** A scratch option for `transientOption`: each call site owns one, made once (module level). */
export function scratchOption(): WireOption {
  return new WireOption(0, 0, NO_OCTETS, 0, 0);
}

const NO_OCTETS = new Uint8Array(0);

/**
 * `peekOption` for an answer used at once and then dropped: a clean message that has not built the
 * option answers with `scratch`, reset onto the option's octets, so the hot paths that only compare or
 * read a leaf option's body (a DUID, Elapsed Time, an Interface-Id) allocate nothing. The answer is
 * good until the next call with the same scratch: never keep it, nor pass it to code that may call
 * again with that scratch. Containers (holding options or a message) are built as `peekOption` builds them.
 */
export function transientOption(msg: Dhcpv6Message, code: number, scratch: WireOption): Dhcpv6Option | undefined {
  return msg instanceof DecodedMessage ? msg.topOptionInto(code, scratch) : findOption(msg.options, code);
}

/** Cursors by option depth for `containsOption` (grown on demand, reused). */
const depthCursors: OptionCursor[] = [];

function cursorAt(depth: number): OptionCursor {
  while (depthCursors.length <= depth) depthCursors.push(new OptionCursor());
  return depthCursors[depth];
}

/** Whether the option the cursor at `depth` is on, or any option nested in it, has this code. */
function nestedHas(depth: number, code: number): boolean {
  const sub = cursorAt(depth + 1);
  if (!cursorAt(depth).enter(sub)) return false;
  while (sub.next()) if (sub.code === code || nestedHas(depth + 1, code)) return true;
  return false;
}

/**
 * Whether an option with this code appears anywhere in a message's options: at the top level or
 * nested in containers (CLIENT_DATA, IAs, …), not inside encapsulated messages. Read in place (see
 * OptionCursor) for a clean message.
 */
export function containsOption(msg: Dhcpv6Message, code: number): boolean {
  const top = cursorAt(0);
  top.open(msg);
  while (top.next()) if (top.code === code || nestedHas(0, code)) return true;
  return false;
}

/** Whether a message has a top-level option with this code (see `optionOf`); builds no option. */
export function hasOption(msg: Dhcpv6Message, code: number): boolean {
  return msg instanceof DecodedMessage ? msg.hasTopOption(code) : findOption(msg.options, code) !== undefined;
}

/**
 * Byte-identical clean messages, compared in place without building either option tree; undefined
 * when that cannot be told from the octets (a message with anomalies, or not a decoded one).
 */
export function sameOctets(a: Dhcpv6Message, b: Dhcpv6Message): boolean | undefined {
  if (!(a instanceof DecodedMessage) || !(b instanceof DecodedMessage)) return undefined;
  if (a.anomalies.length !== 0 || b.anomalies.length !== 0) return undefined;
  return a.sameOctets(b);
}

/** Octets per slab of a MessageStore: a slab is freed once no kept message reads from it. */
const STORE_SLAB = 64 * 1024;

/**
 * Keeps messages that must outlive their packet (an open transaction's) as copies of their octets,
 * packed into shared slabs: a kept message holds neither the capture's read buffer nor any option
 * object built from it, and the slabs live outside the JavaScript heap. A message with anomalies, or
 * one that is not a decoded message, is kept as it is.
 */
export class MessageStore {
  #slab = new Uint8Array(STORE_SLAB);
  #used = 0;

  /** The message to keep in place of `m`: it reads exactly as `m`. */
  keep(m: Dhcpv6Message): Dhcpv6Message {
    if (!(m instanceof DecodedMessage) || m.anomalies.length !== 0) return m;
    const n = m.length;
    if (n > STORE_SLAB / 8) return m.relocate(new Uint8Array(n), 0) ?? m;
    if (this.#used + n > STORE_SLAB) {
      this.#slab = new Uint8Array(STORE_SLAB);
      this.#used = 0;
    }
    const kept = m.relocate(this.#slab, this.#used) ?? m;
    this.#used += n;
    return kept;
  }
}

/** All options with this code at this level, in order. */
export function findOptions(options: readonly Dhcpv6Option[], code: number): Dhcpv6Option[] {
  return options.filter((o) => o.code === code);
}

export interface WalkOptions {
  /** Also descend into encapsulated messages (RELAY_MSG, LQ_RELAY_DATA). Default false. */
  messages?: boolean;
}

/**
 * Visits every option depth-first in wire order, descending into sub-options (and into
 * encapsulated messages only when asked). `parents` are the enclosing options, outermost first.
 */
export function walkOptions(
  options: readonly Dhcpv6Option[],
  visit: (option: Dhcpv6Option, parents: readonly Dhcpv6Option[]) => void,
  opts: WalkOptions = {},
): void {
  const parents: Dhcpv6Option[] = [];
  const go = (list: readonly Dhcpv6Option[]): void => {
    for (const o of list) {
      visit(o, parents);
      parents.push(o);
      if (o.options) go(o.options);
      if (opts.messages && o.message) go(o.message.options);
      parents.pop();
    }
  };
  go(options);
}

/** Decodes status texts (stateless: no `stream` option), made once rather than per call. */
const UTF8 = new TextDecoder();

/** The status of an option list (a message's or an IA's): undefined when there is none (= Success, RFC 8415 §7.5). */
export function statusOf(options: readonly Dhcpv6Option[]): { code: number; text: string } | undefined {
  const o = findOption(options, 13);
  if (!o || !intact(o) || o.length < 2) return undefined;
  return { code: optionU16(o, 0), text: UTF8.decode(o.data.subarray(2)) };
}

/**
 * `statusOf(level)?.code` for the level a cursor is before, read in place; the cursor is left after
 * the status option (or at the end of the level).
 */
export function statusCodeAt(c: OptionCursor): number | undefined {
  while (c.next()) if (c.code === 13) return statusCodeHere(c);
  return undefined;
}

/**
 * The code of the Status Code option the cursor is on, as `statusOf` reads one: undefined unless it is
 * whole (captured in full, no anomaly) and at least 2 octets long.
 */
export function statusCodeHere(c: OptionCursor): number | undefined {
  return c.ok && c.end - c.start === c.length && c.length >= 2 ? c.u16(0) : undefined;
}

/**
 * Walks the leases of the IA_NA or IA_PD an OptionCursor is on, in place: IAADDR options in an IA_NA,
 * IAPREFIX in an IA_PD (RFC 8415 §21.4, §21.6, §21.21, §21.22). `open` then `next()` until false; each
 * `next()` stands on a lease with its `preferred` and `valid` lifetimes (`whole` false, and both 0, when
 * the capture cut it or it is malformed). `failed` is set, and `next()` returns false, at the IA's first
 * Status Code option when it is not Success or cannot be read: an IA with a failing status assigns nothing.
 */
export class IaLeases {
  preferred = 0;
  valid = 0;
  whole = true;
  failed = false;
  private readonly sub = new OptionCursor();
  private lease = 0;
  private statusSeen = false;

  /** Before the first lease of the IA `ia` is on (option `code`, 3 or 25); false when it holds no options. */
  open(ia: OptionCursor, code: number): boolean {
    this.lease = code === 3 ? 5 : 26;
    this.failed = false;
    this.statusSeen = false;
    return ia.enter(this.sub);
  }

  next(): boolean {
    const c = this.sub;
    while (c.next()) {
      if (c.code === 13 && !this.statusSeen) {
        this.statusSeen = true;
        const st = statusCodeHere(c);
        if (st === undefined || st !== 0) {
          this.failed = true;
          return false;
        }
      } else if (c.code === this.lease) {
        // IAADDR: address(16) preferred(4) valid(4); IAPREFIX: preferred(4) valid(4) length(1) prefix(16).
        const v4 = this.lease === 5;
        this.whole = c.ok && c.end - c.start >= (v4 ? 24 : 25);
        this.preferred = this.whole ? c.u32(v4 ? 16 : 0) : 0;
        this.valid = this.whole ? c.u32(v4 ? 20 : 4) : 0;
        return true;
      }
    }
    return false;
  }
}

/**
 * Code of the first top-level OPTION_STATUS_CODE, read from its captured octets; undefined when there
 * is none or it holds fewer than 2 octets. Cheaper than statusOf (no text) for hot paths.
 */
export function topStatusCode(options: readonly Dhcpv6Option[]): number | undefined {
  const o = findOption(options, 13);
  return o && optionBodyLength(o) >= 2 ? optionU16(o, 0) : undefined;
}

/** The cursor of messageStatusCode (used without nesting). */
const statusCursor = new OptionCursor();

/**
 * `topStatusCode(m.options)`, read with a cursor: it builds no option object, so asking a message an
 * open transaction keeps (in old space) leaves nothing new hanging off it for the next scavenge to copy.
 */
export function messageStatusCode(m: Dhcpv6Message): number | undefined {
  const c = statusCursor;
  c.open(m);
  while (c.next()) if (c.code === 13) return c.end - c.start >= 2 ? c.u16(0) : undefined;
  return undefined;
}

/** True when the options carry no status code or Success (RFC 8415 §7.5, RFC 5007 §4.3.3). */
export function isSuccess(options: readonly Dhcpv6Option[]): boolean {
  const s = statusOf(options);
  return s === undefined || s.code === 0;
}

/** Hex of a DUID-carrying option's body (CLIENTID, SERVERID, RELAY_ID); compare DUIDs only as bytes (RFC 8415 §11). */
export function duidHex(option: Dhcpv6Option | undefined): string | undefined {
  return option ? bodyHex(option) : undefined;
}

/** The Preference value (RFC 8415 §21.8); undefined when absent or malformed (callers treat absent as 0). */
export function preferenceOf(message: Dhcpv6Message): number | undefined {
  const o = optionOf(message, 7);
  return o && intact(o) && o.length === 1 ? optionU8(o, 0) : undefined;
}

/** The client/server message inside a relay chain, with the relay messages outermost first. */
export function innermostMessage(message: Dhcpv6Message): { message: Dhcpv6Message; relays: Dhcpv6Message[] } {
  const relays: Dhcpv6Message[] = [];
  let m = message;
  while (m.format === 'relay') {
    const inner = optionOf(m, 9)?.message;
    if (!inner) break;
    relays.push(m);
    m = inner;
  }
  return { message: m, relays };
}

/** The structured value of an option, decoded on demand (undefined when malformed or without fields). */
export function optionValue(option: Dhcpv6Option, codec: Dhcpv6Codec = defaultCodec): OptionValue | undefined {
  return codec.optionValue(option);
}
