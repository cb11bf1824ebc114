// V6-XID-RETRANSMIT-SAME: a retransmission keeps the transaction-id (RFC 8415 §15, §16.1). Flags a
// client message with a new xid that continues an unanswered exchange: same type and IA/ORO content,
// Elapsed Time carrying on from the previous exchange's rather than restarting at 0.
import type { Events } from '../../correlate/events.js';
import type { Dhcpv6Message } from '../../dhcpv6/types.js';
import type { RuleModule } from '../../engine/types.js';
import type { Transmission } from '../../correlate/client-events.js';
import { framesOf, partyOf } from '../client-common.js';
import { OptionCursor } from '../../dhcpv6/helpers.js';
import { fingerprintOctets, SeenTable } from '../../correlate/seen.js';

/**
 * Exchanges remembered (a client's latest of each message type); beyond it, the least recently active
 * clients are forgotten first.
 */
const MAX_EXCHANGES = 10000;

/** IA_NA, IA_TA, IA_PD and ORO: what a retransmission repeats. */
function isContent(code: number): boolean {
  return code === 3 || code === 4 || code === 25 || code === 6;
}

const cur = new OptionCursor();

/**
 * Writes the IA and ORO options of a message (code, option-len, body length, body, in wire order) into
 * `out` from its start when they fit, and returns their length either way.
 */
function contentInto(m: Dhcpv6Message, out: Uint8Array): number {
  let k = 0;
  cur.open(m);
  while (cur.next()) {
    const code = cur.code;
    if (!isContent(code)) continue;
    const b = cur.bytes;
    const s = cur.start;
    const d = cur.end - s;
    if (k + 6 + d <= out.length) {
      out[k] = code >> 8; out[k + 1] = code & 0xff; out[k + 2] = cur.length >> 8; out[k + 3] = cur.length & 0xff;
      out[k + 4] = d >> 8; out[k + 5] = d & 0xff;
      for (let i = 0; i < d; i++) out[k + 6 + i] = b[s + i];
    }
    k += 6 + d;
  }
  return k;
}

/** Where a message's content is written (grown when needed), to be measured and hashed. */
let scratch = new Uint8Array(256);

/** The content of `m` in scratch[0..n); returns n. */
function scratchContent(m: Dhcpv6Message): number {
  let n = contentInto(m, scratch);
  if (n > scratch.length) {
    scratch = new Uint8Array(n * 2);
    n = contentInto(m, scratch);
  }
  return n;
}

/** Frames of an exchange's last transmission kept in place; longer lists (many hops) go to a map. */
const INLINE_FRAMES = 4;

/** The fingerprint of the content in scratch (see fingerprintOctets). */
const sum = new Int32Array(2);

/**
 * The latest exchange of each message type per client, for at most MAX_EXCHANGES exchanges; beyond
 * it the least recently active clients are forgotten first. Everything is kept in typed arrays,
 * allocated once: an object, a key string and a content buffer per exchange would each outlive V8's
 * young generation. An exchange's IA/ORO content is kept as its length and a 64-bit fingerprint,
 * so telling a retransmission's content from a new one's errs only on a hash collision (a chance
 * of about 2^-64 per comparison), and only then for the same client, type and Elapsed Time.
 */
class Exchanges {
  /** Client key (DUID text, else address) → client slot. */
  private readonly byKey = new SeenTable();
  private readonly keyOf: Array<string | undefined>;
  /** Each client's first exchange, and the clients from least to most recently active. */
  private readonly firstOf: Int32Array;
  private readonly older: Int32Array;
  private readonly newer: Int32Array;
  private oldest = NONE;
  private newest = NONE;
  private freeClients: number[] = [];
  clients = 0;
  /** Exchanges held over all clients. */
  count = 0;

  // One exchange per slot: a client's are chained through `next`.
  readonly msgType: Int32Array;
  readonly xid: Int32Array;
  readonly next: Int32Array;
  readonly firstResponse: Float64Array;
  readonly time: Float64Array;
  /** Elapsed Time of the last transmission, -1 when absent. */
  readonly elapsed: Int32Array;
  /** Content length, -1 when the exchange can never be compared with a later one. */
  readonly contentLength: Int32Array;
  readonly hashA: Int32Array;
  readonly hashB: Int32Array;
  readonly frameCount: Int32Array;
  readonly frames: Float64Array;
  private readonly longFrames = new Map<number, readonly number[]>();
  private freeExchanges: number[] = [];

  constructor(capacity: number) {
    this.keyOf = new Array<string | undefined>(capacity).fill(undefined);
    this.firstOf = new Int32Array(capacity);
    this.older = new Int32Array(capacity);
    this.newer = new Int32Array(capacity);
    this.msgType = new Int32Array(capacity);
    this.xid = new Int32Array(capacity);
    this.next = new Int32Array(capacity);
    this.firstResponse = new Float64Array(capacity);
    this.time = new Float64Array(capacity);
    this.elapsed = new Int32Array(capacity);
    this.contentLength = new Int32Array(capacity);
    this.hashA = new Int32Array(capacity);
    this.hashB = new Int32Array(capacity);
    this.frameCount = new Int32Array(capacity);
    this.frames = new Float64Array(capacity * INLINE_FRAMES);
    for (let i = capacity - 1; i >= 0; i--) {
      this.freeClients.push(i);
      this.freeExchanges.push(i);
    }
  }

  /** The client's slot, now the most recently active (added when new). */
  client(key: string): number {
    const known = this.byKey.get(key);
    let c: number;
    if (known !== undefined) {
      c = known;
      this.unlink(c);
    } else {
      c = this.freeClients.pop()!;
      this.byKey.set(key, c);
      this.keyOf[c] = key;
      this.firstOf[c] = NONE;
      this.clients++;
    }
    this.older[c] = this.newest;
    this.newer[c] = NONE;
    if (this.newest !== NONE) this.newer[this.newest] = c;
    else this.oldest = c;
    this.newest = c;
    return c;
  }

  /** The client's exchange of this message type, or NONE. */
  find(c: number, msgType: number): number {
    for (let e = this.firstOf[c]; e !== NONE; e = this.next[e]) if (this.msgType[e] === msgType) return e;
    return NONE;
  }

  /** A new exchange of this type for client `c`. */
  add(c: number, msgType: number): number {
    const e = this.freeExchanges.pop()!;
    this.msgType[e] = msgType;
    this.next[e] = this.firstOf[c];
    this.firstOf[c] = e;
    this.count++;
    return e;
  }

  /** Forgets the least recently active client and its exchanges. */
  evictOldest(): void {
    const c = this.oldest;
    if (c === NONE) return;
    this.unlink(c);
    for (let e = this.firstOf[c]; e !== NONE; e = this.next[e]) {
      this.longFrames.delete(e);
      this.freeExchanges.push(e);
      this.count--;
    }
    this.byKey.delete(this.keyOf[c]!);
    this.keyOf[c] = undefined;
    this.freeClients.push(c);
    this.clients--;
  }

  setFrames(e: number, frames: readonly number[]): void {
    this.frameCount[e] = frames.length;
    if (frames.length > INLINE_FRAMES) { this.longFrames.set(e, frames); return; }
    this.longFrames.delete(e);
    for (let i = 0; i < frames.length; i++) this.frames[e * INLINE_FRAMES + i] = frames[i];
  }

  framesOf(e: number): number[] {
    const n = this.frameCount[e];
    if (n > INLINE_FRAMES) return [...this.longFrames.get(e)!];
    const out = new Array<number>(n);
    for (let i = 0; i < n; i++) out[i] = this.frames[e * INLINE_FRAMES + i];
    return out;
  }

  private unlink(c: number): void {
    const o = this.older[c];
    const n = this.newer[c];
    if (o !== NONE) this.newer[o] = n; else this.oldest = n;
    if (n !== NONE) this.older[n] = o; else this.newest = o;
  }
}

const NONE = -1;

export const v6XidRetransmitSame: RuleModule<Events> = {
  create(ctx) {
    const slack = typeof ctx.options.slack === 'number' ? ctx.options.slack : 0.1;
    // At most MAX_EXCHANGES + 1 exchanges and clients at once (one is added before the oldest go).
    const ex = new Exchanges(MAX_EXCHANGES + 2);
    return {
      'udp:transaction-end': (tx) => {
        const c = ex.client(tx.client.duid ?? tx.client.address ?? '');
        let e = ex.find(c, tx.msgType);
        const first = tx.requests[0];
        const last = tx.requests[tx.requests.length - 1];
        const firstResponse = tx.responses.length ? tx.responses[0].time : Infinity;
        // Judged before the exchange is overwritten with this one: its xid and frames are the finding's.
        const finding = e !== NONE && continues(e, tx.xid, first);
        const oldXid = finding ? ex.xid[e] : 0;
        const oldFrames = finding ? ex.framesOf(e) : [];
        // Remember this exchange in place.
        if (e === NONE) {
          e = ex.add(c, tx.msgType);
          while (ex.count > MAX_EXCHANGES && ex.clients > 1) ex.evictOldest();
        }
        ex.xid[e] = tx.xid;
        ex.firstResponse[e] = firstResponse;
        ex.time[e] = last.time;
        ex.elapsed[e] = last.elapsed ?? -1;
        ex.setFrames(e, last.frames);
        ex.contentLength[e] = -1;
        // Only an exchange a later one could be compared with keeps its content: one whose last
        // transmission has Elapsed Time and came before any response.
        if (last.elapsed !== undefined && firstResponse > last.time) {
          const n = scratchContent(last.message);
          fingerprintOctets(scratch, n, sum);
          ex.contentLength[e] = n;
          ex.hashA[e] = sum[0];
          ex.hashB[e] = sum[1];
        }
        if (!finding) return;
        ctx.report({
          messageId: 'new-xid', frames: framesOf({ frames: oldFrames } as unknown as Transmission, first), time: first.time, xid: tx.xid,
          client: partyOf(tx.client), data: { old: oldXid, new: tx.xid, elapsed: first.elapsed! },
        });
      },
    };

    /** Whether exchange `xid` starting with `first` continues exchange `e` under a new xid (read before `e` is updated). */
    function continues(e: number, xid: number, first: Transmission): boolean {
      const time = ex.time[e];
      const elapsed = ex.elapsed[e];
      if (ex.xid[e] === xid || time >= first.time || ex.firstResponse[e] <= first.time) return false;
      if (first.elapsed === undefined || first.elapsed === 0 || first.elapsed === 0xffff || elapsed < 0) return false;
      if (ex.contentLength[e] < 0) return false;
      const n = scratchContent(first.message);
      if (n !== ex.contentLength[e]) return false;
      fingerprintOctets(scratch, n, sum);
      if (sum[0] !== ex.hashA[e] || sum[1] !== ex.hashB[e]) return false;
      // Elapsed Time continuity (RFC 8415 §21.9): a restarted exchange would begin again near 0.
      const expected = elapsed / 100 + (first.time - time);
      return Math.abs(first.elapsed / 100 - expected) <= slack + 0.05 * expected;
    }
  },
};
