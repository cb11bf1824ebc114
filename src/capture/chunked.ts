// Chunk assembly shared by the pcap and pcapng push parsers: records are parsed in place inside
// each chunk; only a record that spans chunks is copied (into a fresh buffer, never reused).

/**
 * Base of a push parser. Subclasses implement `run`, which parses whole units from `buf[pos..]`
 * and returns where it stopped, setting `need` to the number of bytes (counted from the stop)
 * it must see before it can make progress. Absolute input offsets are `base + position`.
 */
export abstract class ChunkedParser {
  /** Absolute input offset of `buf[0]` for the buffer `run` is working on. */
  protected base = 0;
  /** Bytes needed from the stop position before `run` can progress (set by `run`). */
  protected need = 0;
  /** Set by a subclass when it will not read any more input (bad magic, bad header). */
  protected stopped = false;
  private total = 0;
  /** Bytes carried over from earlier chunks: carry[carryStart..carryEnd). Never overwritten once written. */
  private carry: Uint8Array | null = null;
  private carryStart = 0;
  private carryEnd = 0;
  /** Absolute input offset of carry[carryStart]. */
  private carryBase = 0;
  private ended = false;

  /** Parses from `pos` as far as whole units allow; returns the stop position (see class doc). */
  protected abstract run(buf: Uint8Array, pos: number): number;
  /** Called once at the end with the bytes never consumed (possibly empty). */
  protected abstract finish(buf: Uint8Array, pos: number): void;

  push(chunk: Uint8Array): void {
    if (this.ended || this.stopped || chunk.length === 0) return;
    const chunkBase = this.total;
    this.total += chunk.length;
    let off = 0;
    while (this.carryEnd > this.carryStart) {
      if (off >= chunk.length) return;
      const have = this.carryEnd - this.carryStart;
      const want = Math.max(this.need, have + 1);
      if (this.carryStart + want > this.carry!.length) {
        // Room to slide: a resync scan that keeps needing `want` bytes moves on without recopying.
        const grown = new Uint8Array(Math.max(want * 2, 4096));
        grown.set(this.carry!.subarray(this.carryStart, this.carryEnd));
        this.carry = grown;
        this.carryStart = 0;
        this.carryEnd = have;
      }
      const carry = this.carry!;
      const take = Math.min(want - have, chunk.length - off);
      carry.set(chunk.subarray(off, off + take), this.carryEnd);
      this.carryEnd += take;
      off += take;
      if (this.carryEnd - this.carryStart < want) return;
      const view = carry.subarray(this.carryStart, this.carryEnd);
      this.base = this.carryBase;
      const stop = this.run(view, 0);
      if (this.stopped) { this.dropCarry(); return; }
      // Frames handed out view carry[..stop): that region is never written again.
      this.carryStart += stop;
      this.carryBase += stop;
      if (this.carryStart === this.carryEnd) this.dropCarry();
    }
    if (off >= chunk.length) return;
    this.base = chunkBase;
    const stop = this.run(chunk, off);
    if (this.stopped) return;
    const rest = chunk.length - stop;
    if (rest > 0) {
      const next = new Uint8Array(Math.max(this.need, rest));
      next.set(chunk.subarray(stop));
      this.carry = next;
      this.carryStart = 0;
      this.carryEnd = rest;
      this.carryBase = chunkBase + stop;
    }
  }

  private dropCarry(): void {
    this.carry = null;
    this.carryStart = 0;
    this.carryEnd = 0;
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stopped) return;
    if (this.carryEnd > this.carryStart) {
      this.base = this.carryBase;
      const view = this.carry!.subarray(this.carryStart, this.carryEnd);
      this.dropCarry();
      this.finish(view, 0);
    } else {
      this.base = this.total;
      this.finish(new Uint8Array(0), 0);
    }
  }

  /** Total bytes pushed so far. */
  protected get bytesPushed(): number {
    return this.total;
  }
}
