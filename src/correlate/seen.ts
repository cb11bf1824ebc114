// Numbers by key text (a DUID or an address), in typed arrays: an open-addressing table of 64-bit
// key fingerprints. The client correlator keeps the clients it has seen lately (with the time) in
// two, and V6-XID-RETRANSMIT-SAME its client slots in one. A Map of strings would keep a key string
// and an entry per client for seconds to minutes, long enough to outlive V8's young generation;
// these arrays live outside the JavaScript heap.

/** Initial slots (a power of two); the table doubles when half full. */
const INITIAL_SLOTS = 1024;

// A 64-bit fingerprint is two independent 32-bit hashes (FNV-1a and a multiply-xorshift) taken in one
// pass, of a string's character codes or of octets; the last one taken is in hashHi / hashLo.
let hashHi = 0;
let hashLo = 0;

function fingerprint(key: string): void {
  let a = 0x811c9dc5 ^ key.length;
  let b = 0x9747b28c;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  settle(a, b);
}

/**
 * The 64-bit fingerprint of the texts joined by `|` (`${a}|${b}|${c}`), written to out[0] and out[1]
 * without building the joined text: SeenTable.get(joined) finds what setBy(out, …) stored, and back.
 */
export function fingerprintJoined(a: string, b: string, c: string, out: Int32Array): void {
  let x = 0x811c9dc5 ^ (a.length + b.length + c.length + 2);
  let y = 0x9747b28c;
  for (let part = 0; part < 3; part++) {
    const t = part === 0 ? a : part === 1 ? b : c;
    if (part !== 0) {
      x = Math.imul(x ^ 0x7c, 0x01000193); // '|'
      y = Math.imul(y ^ 0x7c, 0x5bd1e995);
      y ^= y >>> 15;
    }
    for (let i = 0; i < t.length; i++) {
      const ch = t.charCodeAt(i);
      x = Math.imul(x ^ ch, 0x01000193);
      y = Math.imul(y ^ ch, 0x5bd1e995);
      y ^= y >>> 15;
    }
  }
  settle(x, y);
  out[0] = hashHi;
  out[1] = hashLo;
}

/** The 64-bit fingerprint of bytes[0..n), written to out[0] and out[1]. */
export function fingerprintOctets(bytes: Uint8Array, n: number, out: Int32Array): void {
  let a = 0x811c9dc5 ^ n;
  let b = 0x9747b28c;
  for (let i = 0; i < n; i++) {
    const c = bytes[i];
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  settle(a, b);
  out[0] = hashHi;
  out[1] = hashLo;
}

function settle(a: number, b: number): void {
  hashHi = a | 0;
  hashLo = (b ^ (b >>> 13)) | 0;
}

/** The slot where the probe of fingerprint (hi, lo) starts, in a table of mask + 1 slots. */
function home(hi: number, lo: number, mask: number): number {
  return (hi ^ Math.imul(lo, 0x27d4eb2d)) & mask;
}

/** The slot where `key`'s probe starts in a table of `slots` slots (tests build wrapping runs with it). */
export function homeSlot(key: string, slots: number): number {
  fingerprint(key);
  return home(hashHi, hashLo, slots - 1);
}

/**
 * Values by key. Keys are compared by a 64-bit fingerprint: two different keys share one
 * with a chance of about n²/2⁶⁵ (below 10⁻⁹ for 100 000 live clients).
 */
export class SeenTable {
  private hi = new Int32Array(INITIAL_SLOTS);
  private lo = new Int32Array(INITIAL_SLOTS);
  private value = new Float64Array(INITIAL_SLOTS);
  private used = new Uint8Array(INITIAL_SLOTS);
  private count = 0;

  /** Entries held. */
  get size(): number {
    return this.count;
  }

  /** The slot holding the current fingerprint, or the empty slot where it would go. */
  private slot(): number {
    const mask = this.used.length - 1;
    let i = home(hashHi, hashLo, mask);
    while (this.used[i] !== 0 && (this.hi[i] !== hashHi || this.lo[i] !== hashLo)) i = (i + 1) & mask;
    return i;
  }

  set(key: string, value: number): void {
    fingerprint(key);
    this.store(value);
  }

  /** Stores `value` under the current fingerprint. */
  private store(value: number): void {
    const i = this.slot();
    if (this.used[i] === 0) {
      this.used[i] = 1;
      this.hi[i] = hashHi;
      this.lo[i] = hashLo;
      this.count++;
    }
    this.value[i] = value;
    if (this.count * 2 > this.used.length) this.rebuild(this.used.length * 2, -Infinity);
  }

  /** `get` by a fingerprint (fingerprintJoined, fingerprintOctets): fp[0], fp[1]. */
  getBy(fp: Int32Array): number | undefined {
    hashHi = fp[0];
    hashLo = fp[1];
    const i = this.slot();
    return this.used[i] !== 0 ? this.value[i] : undefined;
  }

  /** `set` by a fingerprint. */
  setBy(fp: Int32Array, value: number): void {
    hashHi = fp[0];
    hashLo = fp[1];
    this.store(value);
  }

  /** `delete` by a fingerprint. */
  deleteBy(fp: Int32Array): boolean {
    hashHi = fp[0];
    hashLo = fp[1];
    return this.remove();
  }

  /** The value last set for `key`, or undefined. */
  get(key: string): number | undefined {
    fingerprint(key);
    const i = this.slot();
    return this.used[i] !== 0 ? this.value[i] : undefined;
  }

  /** Removes `key`; returns whether it was there. */
  delete(key: string): boolean {
    fingerprint(key);
    return this.remove();
  }

  /** Removes the current fingerprint's entry; returns whether it was there. */
  private remove(): boolean {
    let i = this.slot();
    if (this.used[i] === 0) return false;
    // Linear probing: close the gap by moving back each later entry of the run that may sit in it.
    const mask = this.used.length - 1;
    for (let j = (i + 1) & mask; this.used[j] !== 0; j = (j + 1) & mask) {
      const h = home(this.hi[j], this.lo[j], mask);
      // The entry at j may move to i unless its home lies cyclically in (i, j].
      if (i <= j ? h > i && h <= j : h > i || h <= j) continue;
      this.hi[i] = this.hi[j];
      this.lo[i] = this.lo[j];
      this.value[i] = this.value[j];
      i = j;
    }
    this.used[i] = 0;
    this.count--;
    return true;
  }

  /** Drops every entry whose value is below `min` (one pass, the table rebuilt). */
  dropBelow(min: number): void {
    let keep = 0;
    for (let i = 0; i < this.used.length; i++) if (this.used[i] !== 0 && this.value[i] >= min) keep++;
    let slots = INITIAL_SLOTS;
    while (keep * 2 > slots) slots *= 2;
    this.rebuild(slots, min);
  }

  clear(): void {
    this.rebuild(INITIAL_SLOTS, Infinity);
  }

  private rebuild(slots: number, min: number): void {
    const { hi, lo, value, used } = this;
    this.hi = new Int32Array(slots);
    this.lo = new Int32Array(slots);
    this.value = new Float64Array(slots);
    this.used = new Uint8Array(slots);
    this.count = 0;
    for (let i = 0; i < used.length; i++) {
      if (used[i] === 0 || value[i] < min) continue;
      hashHi = hi[i];
      hashLo = lo[i];
      const j = this.slot();
      this.used[j] = 1;
      this.hi[j] = hashHi;
      this.lo[j] = hashLo;
      this.value[j] = value[i];
      this.count++;
    }
  }
}

/** A copy of typed array `a`, `n` long (n ≥ a.length), the rest zero. */
export function grown<T extends Int32Array | Uint8Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  b.set(a);
  return b;
}

/**
 * Small-integer slots for keys given as fingerprints (fingerprintJoined): a key keeps its slot until
 * released, and freed slots are reused, lowest first after each growth. The owner keeps what it knows
 * of each key in typed arrays indexed by slot: `grow(slots, from)` is called whenever the pool doubles
 * (from 256), before the new slots are handed out, so it can grow those arrays to match.
 */
export class KeySlots {
  private readonly byKey = new SeenTable();
  /** Each slot's key, to find its table entry again when the slot is released. */
  private keyHi = new Int32Array(0);
  private keyLo = new Int32Array(0);
  private free: number[] = [];
  private readonly scratch = new Int32Array(2);
  /** Slots in use. */
  used = 0;

  constructor(private readonly grow: (slots: number, from: number) => void) {}

  /** The key's slot, or undefined. */
  find(key: Int32Array): number | undefined {
    return this.byKey.getBy(key);
  }

  /** A new slot for a key not in use (find gave undefined). */
  add(key: Int32Array): number {
    if (this.free.length === 0) {
      const from = this.keyHi.length;
      const n = Math.max(256, from * 2);
      this.keyHi = grown(this.keyHi, n);
      this.keyLo = grown(this.keyLo, n);
      for (let s = n - 1; s >= from; s--) this.free.push(s);
      this.grow(n, from);
    }
    const s = this.free.pop()!;
    this.byKey.setBy(key, s);
    this.keyHi[s] = key[0];
    this.keyLo[s] = key[1];
    this.used++;
    return s;
  }

  /** Frees slot `s` and forgets its key. */
  release(s: number): void {
    const key = this.scratch;
    key[0] = this.keyHi[s];
    key[1] = this.keyLo[s];
    this.byKey.deleteBy(key);
    this.free.push(s);
    this.used--;
  }

  /** Frees every slot (the owner's arrays keep their size). */
  clear(): void {
    this.byKey.clear();
    this.free = [];
    for (let s = this.keyHi.length - 1; s >= 0; s--) this.free.push(s);
    this.used = 0;
  }
}
