// Duplicate frames from several capture points (DESIGN.md "Duplicates"): the same IP packet from the
// same source within `dedup.window` is one transmission. Hashes the IP packet without the hop limit /
// TTL (and the IPv4 header checksum, which follows the TTL) with FNV-1a 32, then compares the octets.

/** Octets hashed from the start and from the end of a packet (a 1500-octet segment costs ~100, not 1500). */
const HASH_HEAD = 72;
const HASH_TAIL = 32;

interface Entry {
  hash: number;
  frame: number;
  time: number;
  data: Uint8Array;
  start: number;
  end: number;
  version: 4 | 6;
}

/** A bounded window of recent IP packets. */
export class DuplicateWindow {
  private readonly ring: (Entry | undefined)[];
  private head = 0;
  private count = 0;
  private readonly byHash = new Map<number, Entry>();
  /** Called once when the window had to forget packets that were still within `dedup.window`. */
  onLimit: ((frame: number, time: number) => void) | null = null;
  private limitReported = false;

  constructor(private readonly window: number, capacity: number) {
    this.ring = new Array<Entry | undefined>(Math.max(1, capacity));
  }

  /**
   * Returns the frame number of an earlier identical packet within the window, or 0 after remembering
   * this one. `data[start, end)` is the IP packet as captured.
   */
  check(data: Uint8Array, start: number, end: number, version: 4 | 6, frame: number, time: number): number {
    if (this.window <= 0) return 0;
    this.expire(time);
    const skipA = version === 6 ? start + 7 : start + 8; // hop limit / TTL
    const skipB = version === 6 ? -1 : start + 10; // IPv4 header checksum (2 octets)
    // The hash covers the headers and the first octets (addresses, ports, sequence numbers and the
    // transport checksum, which sums the whole payload), the last octets and the length; `same()`
    // then compares every octet, so a weaker hash only costs a comparison, never a wrong verdict.
    let h = Math.imul(0x811c9dc5 ^ (end - start), 0x01000193);
    const headEnd = Math.min(end, start + HASH_HEAD);
    for (let i = start; i < headEnd; i++) {
      if (i === skipA || i === skipB || i === skipB + 1) continue;
      h ^= data[i];
      h = Math.imul(h, 0x01000193);
    }
    for (let i = Math.max(headEnd, end - HASH_TAIL); i < end; i++) {
      h ^= data[i];
      h = Math.imul(h, 0x01000193);
    }
    h >>>= 0;
    const prev = this.byHash.get(h);
    if (prev && prev.version === version && prev.end - prev.start === end - start && Math.abs(time - prev.time) <= this.window
      && same(prev, data, start, end, skipA, skipB)) {
      return prev.frame;
    }
    const e: Entry = { hash: h, frame, time, data, start, end, version };
    if (this.count === this.ring.length) {
      if (!this.limitReported && this.onLimit) { this.limitReported = true; this.onLimit(frame, time); }
      this.evictOldest();
    }
    this.ring[(this.head + this.count) % this.ring.length] = e;
    this.count++;
    this.byHash.set(h, e);
    return 0;
  }

  private expire(now: number): void {
    while (this.count > 0) {
      const e = this.ring[this.head]!;
      if (now - e.time <= this.window && now >= e.time - this.window) break;
      this.evictOldest();
    }
  }

  private evictOldest(): void {
    const e = this.ring[this.head]!;
    this.ring[this.head] = undefined;
    this.head = (this.head + 1) % this.ring.length;
    this.count--;
    if (this.byHash.get(e.hash) === e) this.byHash.delete(e.hash);
  }
}

function same(e: Entry, data: Uint8Array, start: number, end: number, skipA: number, skipB: number): boolean {
  const d = e.data;
  const shift = e.start - start;
  for (let i = start; i < end; i++) {
    if (i === skipA || i === skipB || i === skipB + 1) continue;
    if (d[i + shift] !== data[i]) return false;
  }
  return true;
}
