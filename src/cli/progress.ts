// The progress line on stderr (only when stderr is a terminal): bytes read, frames, rate and ETA,
// shown once an input has taken more than a second, redrawn at most a few times a second.

/** What the progress line shows. */
export interface ProgressState {
  name: string;
  bytesRead: number;
  totalBytes?: number;
  frames: number;
  /** Seconds since the input started. */
  elapsed: number;
}

function size(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} B`;
}

function duration(s: number): string {
  if (s >= 3600) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.ceil(s)}s`;
}

/** One line, e.g. `big.pcap: 12.0 MB of 48.0 MB (25%) · 81234 frames · 8.0 MB/s · ETA 5s`. */
export function formatProgress(p: ProgressState): string {
  const rate = p.elapsed > 0 ? p.bytesRead / p.elapsed : 0;
  const parts = [`${p.name}: ${size(p.bytesRead)}`];
  if (p.totalBytes) parts[0] += ` of ${size(p.totalBytes)} (${Math.floor((100 * p.bytesRead) / p.totalBytes)}%)`;
  parts.push(`${p.frames} frames`, `${size(rate)}/s`);
  if (p.totalBytes && rate > 0) parts.push(`ETA ${duration(Math.max(0, p.totalBytes - p.bytesRead) / rate)}`);
  return parts.join(' · ');
}

/** Draws the line on a terminal stream; `now` is injectable for tests (milliseconds). */
export class ProgressLine {
  private start = 0;
  private lastDraw = 0;
  private drawn = false;
  private input = -1;

  constructor(
    private readonly out: { write(s: string): unknown },
    private readonly names: string[],
    private readonly now: () => number = Date.now,
    /** Milliseconds before the line first appears. */
    private readonly delay = 1000,
    /** Milliseconds between redraws. */
    private readonly every = 200,
  ) {}

  update(input: number, bytesRead: number, totalBytes: number | undefined, frames: number): void {
    const t = this.now();
    if (input !== this.input) {
      this.input = input;
      this.start = t;
    }
    if (t - this.start < this.delay || t - this.lastDraw < this.every) return;
    this.lastDraw = t;
    this.drawn = true;
    const line = formatProgress({ name: this.names[input] ?? `input ${input}`, bytesRead, totalBytes, frames, elapsed: (t - this.start) / 1000 });
    this.out.write(`\r${line}\u001b[K`);
  }

  /** Erases the line, if one was drawn. */
  clear(): void {
    if (this.drawn) this.out.write('\r\u001b[K');
    this.drawn = false;
  }
}
