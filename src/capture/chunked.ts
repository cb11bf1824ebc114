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
  private carry: Uint8Array | null = null;
  private carryLen = 0;
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
    while (this.carryLen > 0) {
      if (off >= chunk.length) return;
      let carry = this.carry!;
      const want = Math.max(this.need, this.carryLen + 1);
      if (carry.length < want) {
        const grown = new Uint8Array(want);
        grown.set(carry.subarray(0, this.carryLen));
        carry = this.carry = grown;
      }
      const take = Math.min(want - this.carryLen, chunk.length - off);
      carry.set(chunk.subarray(off, off + take), this.carryLen);
      this.carryLen += take;
      off += take;
      if (this.carryLen < want) return;
      const view = carry.subarray(0, this.carryLen);
      this.base = this.carryBase;
      const stop = this.run(view, 0);
      if (this.stopped) { this.carry = null; this.carryLen = 0; return; }
      const rest = this.carryLen - stop;
      if (rest === 0) {
        this.carry = null;
        this.carryLen = 0;
      } else {
        // Frames handed out may view `carry`: the remainder goes to a fresh buffer.
        const next = new Uint8Array(Math.max(this.need, rest));
        next.set(view.subarray(stop));
        this.carry = next;
        this.carryLen = rest;
        this.carryBase += stop;
      }
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
      this.carryLen = rest;
      this.carryBase = chunkBase + stop;
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    if (this.stopped) return;
    if (this.carryLen > 0) {
      this.base = this.carryBase;
      const view = this.carry!.subarray(0, this.carryLen);
      this.carry = null;
      this.carryLen = 0;
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
