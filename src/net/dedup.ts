// Duplicate frames from several capture points (DESIGN.md "Duplicates"): the same IP packet from the
// same source within `dedup.window` is one transmission. Packets are compared without the hop limit /
// TTL (and the IPv4 header checksum, which follows the TTL). No per-packet objects: the window is a
// ring of typed arrays plus an open-addressing table of ring slots keyed by a hash of the headers.

/**
 * Octets hashed from the start of a short packet (see hashPacket). `same()` compares every octet on a
 * hash match, so a weaker hash only costs a comparison, never a wrong verdict.
 */
const HASH_HEAD = 64;

/** Initial size of the hash table (a power of two). */
const INITIAL_TABLE = 64;

/** A bounded window of recent IP packets. */
export class DuplicateWindow {
  /** Ring of remembered packets, oldest at `head`: frame, time, the packet's octets and its hash. */
  private readonly frames: Float64Array;
  private readonly times: Float64Array;
  private readonly starts: Int32Array;
  private readonly ends: Int32Array;
  private readonly hashes: Int32Array;
  private readonly versions: Uint8Array;
  private readonly datas: (Uint8Array | null)[];
  private readonly capacity: number;
  private head = 0;
  private count = 0;
  /**
   * Linear-probing table of ring slots + 1 (0 = empty), one per distinct packet content: the newest
   * remembered copy. Deletion shifts later entries back (no tombstones), so probes stay short. It starts
   * small (a window usually holds a few dozen packets, and a small table stays in the CPU cache) and
   * doubles, up to `maxSize`, to keep the load factor <= 1/2.
   */
  private table: Int32Array;
  private mask: number;
  private readonly maxSize: number;
  /** Called once when the window had to forget packets that were still within `dedup.window`. */
  onLimit: ((frame: number, time: number) => void) | null = null;
  private limitReported = false;
  /** Set by probe(): whether the position it returned holds a copy of the packet. */
  private matched = false;

  constructor(private readonly window: number, capacity: number) {
    const cap = Math.max(1, capacity);
    this.capacity = cap;
    this.frames = new Float64Array(cap);
    this.times = new Float64Array(cap);
    this.starts = new Int32Array(cap);
    this.ends = new Int32Array(cap);
    this.hashes = new Int32Array(cap);
    this.versions = new Uint8Array(cap);
    this.datas = new Array<Uint8Array | null>(cap).fill(null);
    let size = 16;
    while (size < 2 * cap) size *= 2;
    this.maxSize = size;
    this.table = new Int32Array(Math.min(size, INITIAL_TABLE));
    this.mask = this.table.length - 1;
  }

  /**
   * Returns the frame number of an earlier identical packet within the window, or 0 after remembering
   * this one. `data[start, end)` is the IP packet as captured.
   */
  check(data: Uint8Array, start: number, end: number, version: 4 | 6, frame: number, time: number): number {
    if (this.window <= 0) return 0;
    if (this.count > 0) this.expire(time);
    const h = hashPacket(data, start, end, version);
    let pos = this.probe(h, data, start, end, version);
    if (this.matched) {
      const r = this.table[pos] - 1;
      // The newest copy of this content: a duplicate when within the window, else this one replaces it.
      if (Math.abs(time - this.times[r]) <= this.window) return this.frames[r];
    }
    if (this.count === this.capacity) {
      if (!this.limitReported && this.onLimit) { this.limitReported = true; this.onLimit(frame, time); }
      this.evictOldest();
      pos = this.probe(h, data, start, end, version); // the eviction may have moved table entries
    }
    if (2 * (this.count + 1) > this.table.length && this.table.length < this.maxSize) {
      this.grow();
      pos = this.probe(h, data, start, end, version);
    }
    let slot = this.head + this.count;
    if (slot >= this.capacity) slot -= this.capacity;
    this.frames[slot] = frame;
    this.times[slot] = time;
    this.starts[slot] = start;
    this.ends[slot] = end;
    this.hashes[slot] = h;
    this.versions[slot] = version;
    this.datas[slot] = data;
    this.count++;
    this.table[pos] = slot + 1;
    return 0;
  }

  /**
   * The table position of the newest remembered copy of this packet (sets `matched`), or else of the
   * empty slot where its probe ends.
   */
  private probe(h: number, data: Uint8Array, start: number, end: number, version: 4 | 6): number {
    const table = this.table;
    const mask = this.mask;
    const len = end - start;
    let pos = h & mask;
    for (;;) {
      const v = table[pos];
      if (v === 0) { this.matched = false; return pos; }
      const r = v - 1;
      if (this.hashes[r] === h && this.versions[r] === version && this.ends[r] - this.starts[r] === len
        && same(this.datas[r]!, this.starts[r], data, start, end, version)) {
        this.matched = true;
        return pos;
      }
      pos = (pos + 1) & mask;
    }
  }

  /** Doubles the table and re-inserts the ring, oldest first, so the newest copy of each content wins. */
  private grow(): void {
    this.table = new Int32Array(this.table.length * 2);
    this.mask = this.table.length - 1;
    for (let k = 0; k < this.count; k++) {
      let r = this.head + k;
      if (r >= this.capacity) r -= this.capacity;
      const pos = this.probe(this.hashes[r], this.datas[r]!, this.starts[r], this.ends[r], this.versions[r] as 4 | 6);
      this.table[pos] = r + 1;
    }
  }

  private expire(now: number): void {
    const w = this.window;
    while (this.count > 0) {
      const t = this.times[this.head];
      if (now - t <= w && now >= t - w) break;
      this.evictOldest();
    }
  }

  private evictOldest(): void {
    const r = this.head;
    this.datas[r] = null;
    this.head = r + 1 === this.capacity ? 0 : r + 1;
    this.count--;
    // Remove the slot from the table if it is still the newest copy of its content.
    const table = this.table;
    const mask = this.mask;
    let pos = this.hashes[r] & mask;
    for (;;) {
      const v = table[pos];
      if (v === 0) return; // replaced by a newer copy
      if (v === r + 1) break;
      pos = (pos + 1) & mask;
    }
    // Backward-shift deletion (Knuth 6.4, algorithm R): move later members of the cluster into the hole.
    let hole = pos;
    let i = pos;
    for (;;) {
      i = (i + 1) & mask;
      const v = table[i];
      if (v === 0) break;
      const home = this.hashes[v - 1] & mask;
      // Move the entry at i into the hole unless its home lies cyclically in (hole, i].
      if (hole <= i ? (home <= hole || home > i) : (home <= hole && home > i)) {
        table[hole] = v;
        hole = i;
      }
    }
    table[hole] = 0;
  }
}

/** The big-endian 32-bit word at `i`. */
function word(d: Uint8Array, i: number): number {
  return (d[i] << 24) | (d[i + 1] << 16) | (d[i + 2] << 8) | d[i + 3];
}

/** One mixing step of the packet hash. */
function mix(h: number, w: number): number {
  const x = Math.imul(h ^ w, 0x9e3779b1);
  return x ^ (x >>> 15);
}

/**
 * Hash of the octets that tell packets apart, the length included; the hop limit / TTL and the IPv4
 * header checksum are left out. For the usual packets, a few fixed words: IPv6 payload length and next
 * header, the low words of both addresses, the ports, the UDP length and checksum or the TCP sequence
 * and acknowledgment numbers and checksum; IPv4 the same from its 20-octet header (options shift the
 * transport words, which only weakens the hash). The transport checksum covers the pseudo-header and
 * the whole payload, so these words tell almost every distinct pair of packets apart. Shorter packets
 * hash their first HASH_HEAD octets.
 */
function hashPacket(data: Uint8Array, start: number, end: number, version: 4 | 6): number {
  const len = end - start;
  let h = Math.imul(0x811c9dc5 ^ len, 0x01000193);
  const s = start;
  if (version === 6 && len >= 48) {
    h = mix(h, word(data, s + 4) & ~0xff); // payload length, next header (hop limit masked)
    h = mix(h, word(data, s + 20) ^ word(data, s + 36)); // low words of the addresses
    h = mix(h, word(data, s + 40)); // ports (UDP, TCP)
    h = mix(h, word(data, s + 44)); // UDP length and checksum; TCP sequence number
    if (len >= 60) {
      h = mix(h, word(data, s + 48)); // TCP acknowledgment number
      h = mix(h, word(data, s + 56)); // TCP checksum
    }
    return h;
  }
  if (version === 4 && len >= 28) {
    h = mix(h, word(data, s));
    h = mix(h, word(data, s + 4));
    h = mix(h, word(data, s + 8) & 0x00ff0000); // protocol (TTL and header checksum masked)
    h = mix(h, word(data, s + 12) ^ word(data, s + 16)); // addresses
    h = mix(h, word(data, s + 20));
    h = mix(h, word(data, s + 24));
    if (len >= 40) {
      h = mix(h, word(data, s + 28));
      h = mix(h, word(data, s + 36));
    }
    return h;
  }
  const headEnd = len < HASH_HEAD ? end : start + HASH_HEAD;
  let i = start;
  for (; i + 4 <= headEnd; i += 4) {
    let w = word(data, i);
    if (i - start === 4 && version === 6) w &= ~0xff; // hop limit (octet 7)
    else if (i - start === 8 && version === 4) w &= 0x00ff0000; // TTL (octet 8), header checksum (10-11)
    h = mix(h, w);
  }
  for (; i < headEnd; i++) h = Math.imul(h ^ data[i], 0x01000193);
  return h;
}

/** Compares two packets of the same length and version octet by octet, hop limit / TTL / IPv4 checksum aside. */
function same(d: Uint8Array, dStart: number, data: Uint8Array, start: number, end: number, version: 4 | 6): boolean {
  const shift = dStart - start;
  const skipA = version === 6 ? start + 7 : start + 8;
  const skipB = version === 6 ? -1 : start + 10;
  for (let i = start; i < end; i++) {
    if (i === skipA || i === skipB || i === skipB + 1) continue;
    if (d[i + shift] !== data[i]) return false;
  }
  return true;
}
