// The progress line: its text (bytes, frames, rate, ETA), the one-second delay, redraw throttling and
// clearing; and that the CLI draws it only when stderr is a terminal.
import { describe, expect, it } from 'vitest';
import { formatProgress, ProgressLine } from '../../src/cli/progress.js';
import { main } from '../../src/cli/main.js';

describe('progress line', () => {
  it('formats bytes, share, frames, rate and ETA', () => {
    expect(formatProgress({ name: 'big.pcap', bytesRead: 12_000_000, totalBytes: 48_000_000, frames: 81234, elapsed: 1.5 }))
      .toBe('big.pcap: 12.0 MB of 48.0 MB (25%) · 81234 frames · 8.0 MB/s · ETA 5s');
    expect(formatProgress({ name: 'stdin', bytesRead: 2048, frames: 3, elapsed: 2 })).toBe('stdin: 2.0 kB · 3 frames · 1.0 kB/s');
    expect(formatProgress({ name: 'x', bytesRead: 1e9, totalBytes: 5e9, frames: 1, elapsed: 100 })).toMatch(/ETA 6m40s$/);
  });

  it('appears only after a second, redraws at most every 200 ms, and clears itself', () => {
    let t = 0;
    let out = '';
    const p = new ProgressLine({ write: (s: string) => { out += s; } }, ['a.pcap'], () => t);
    p.update(0, 100, 1000, 1);
    t = 999;
    p.update(0, 200, 1000, 2);
    expect(out).toBe('');
    t = 1000;
    p.update(0, 500, 1000, 5);
    expect(out).toBe('\ra.pcap: 500 B of 1.0 kB (50%) · 5 frames · 500 B/s · ETA 1s\u001b[K');
    t = 1100;
    p.update(0, 600, 1000, 6);
    expect(out.split('\r')).toHaveLength(2);
    t = 1200;
    p.update(0, 700, 1000, 7);
    expect(out.split('\r')).toHaveLength(3);
    p.clear();
    expect(out.endsWith('\r\u001b[K')).toBe(true);
  });

  it('is never written when stderr is not a terminal', async () => {
    let err = '';
    const code = await main(['check', 'fixtures/sample/sample.pcapng', '--fail-on', 'never'], {
      stdout: { write: () => true, isTTY: false }, stderr: { write: (s: string) => { err += s; return true; }, isTTY: false }, env: {},
    });
    expect(code).toBe(0);
    expect(err).toBe('');
  });
});
