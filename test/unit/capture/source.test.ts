// readCapture: files, streams (stdin-like, any chunking), '-' for stdin, gzip by magic, streaming
// delivery, missing files, bad magic, corrupt gzip, progress.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import { gzipSync, gunzipSync, constants as zc } from 'node:zlib';
import { readCapture, InputError, type CaptureInput } from '../../../src/capture/source.js';
import type { Frame } from '../../../src/capture/types.js';
import { Collector, randomChunks } from './collect.js';
import { LINKTYPE_ETHERNET, LINKTYPE_RAW, sameTraffic } from './traffic.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const fixture = (name: string) => join(root, 'fixtures', 'capture', name);
const FORMATS: Array<[string, 'pcap' | 'pcap-ns' | 'pcapng']> = [
  ['same-traffic.pcap', 'pcap'], ['same-traffic-ns.pcap', 'pcap-ns'], ['same-traffic-be.pcap', 'pcap'], ['two-interfaces.pcapng', 'pcapng'],
];

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'dhcp6audit-capture-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

/** Frame content independent of the link layer: the IPv6 packet with its timestamp. */
function neutral(f: Frame): [number, number, number, string] {
  const ip = f.linkType === LINKTYPE_ETHERNET ? f.data.subarray(14) : f.data;
  return [f.index, f.tsSec, f.tsNsec, Buffer.from(ip).toString('hex')];
}

const reference = sameTraffic().map((t, i): [number, number, number, string] => [i + 1, t.tsSec, t.tsNsec, Buffer.from(t.ip).toString('hex')]);

function streamOf(bytes: Uint8Array, seed: number): PassThrough {
  const s = new PassThrough();
  const chunks = randomChunks(bytes, seed, 57);
  // Written asynchronously, as a pipe would deliver them.
  (async () => {
    for (const c of chunks) { s.write(c); await new Promise((r) => setImmediate(r)); }
    s.end();
  })();
  return s;
}

async function read(input: CaptureInput, options = {}) {
  const c = new Collector();
  const summary = await readCapture(input, c, options);
  return { c, summary };
}

describe('readCapture', () => {
  it('gives identical frames for pcap µs, ns, big-endian and two-interface pcapng, plain and gzip, from files and streams', async () => {
    let n = 0;
    for (const [name, format] of FORMATS) {
      const bytes = readFileSync(fixture(name));
      const gz = join(tmp, `${name}.gz`);
      writeFileSync(gz, gzipSync(bytes));
      const inputs: Array<[CaptureInput, boolean]> = [
        [{ path: fixture(name) }, false],
        [{ path: gz }, true],
        [{ stream: streamOf(bytes, 1 + n), name: 'stdin' }, false],
        [{ stream: streamOf(gzipSync(bytes), 100 + n), name: 'stdin' }, true],
      ];
      for (const [input, compressed] of inputs) {
        const { c, summary } = await read(input);
        expect(c.frames.map(neutral), `${name} ${JSON.stringify(Object.keys(input))} gz=${compressed}`).toEqual(reference);
        expect(c.anomalies).toEqual([]);
        expect(summary).toMatchObject({ format, compressed, frames: 4, failed: false });
        expect(c.infos).toHaveLength(1);
        expect(c.infos[0]).toMatchObject({ format, compressed });
        const links = c.frames.map((f) => [f.interfaceId, f.linkType]);
        expect(links).toEqual(format === 'pcapng'
          ? [[0, LINKTYPE_ETHERNET], [1, LINKTYPE_RAW], [0, LINKTYPE_ETHERNET], [1, LINKTYPE_RAW]]
          : [[0, LINKTYPE_ETHERNET], [0, LINKTYPE_ETHERNET], [0, LINKTYPE_ETHERNET], [0, LINKTYPE_ETHERNET]]);
        n++;
      }
    }
    expect(n).toBe(16);
  });

  it("reads '-' from process.stdin", async () => {
    const bytes = readFileSync(fixture('two-interfaces.pcapng'));
    const fake = streamOf(gzipSync(bytes), 5);
    const desc = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', { value: fake, configurable: true });
    try {
      const { c, summary } = await read({ path: '-' });
      expect(c.frames.map(neutral)).toEqual(reference);
      expect(summary).toMatchObject({ format: 'pcapng', compressed: true, frames: 4, failed: false });
    } finally {
      Object.defineProperty(process, 'stdin', desc);
    }
  });

  it('emits frames before the input ends', async () => {
    const bytes = readFileSync(fixture('same-traffic.pcap'));
    const s = new PassThrough();
    const c = new Collector();
    let firstFrame!: () => void;
    const seen = new Promise<void>((r) => { firstFrame = r; });
    const sink = { info: c.info.bind(c), anomaly: c.anomaly.bind(c), frame: (f: Frame) => { c.frame(f); firstFrame(); } };
    const done = readCapture({ stream: s, name: 'pipe' }, sink);
    s.write(bytes.subarray(0, 24 + 96 + 96 + 10)); // two whole records and a bit
    await seen;
    expect(c.frames.map((f) => f.index)).toEqual([1, 2]);
    s.end(bytes.subarray(24 + 96 + 96 + 10));
    const summary = await done;
    expect(summary.frames).toBe(4);
    expect(c.frames.map((f) => f.index)).toEqual([1, 2, 3, 4]);
  });

  it('rejects a missing file or a directory with a one-line InputError', async () => {
    const missing = join(tmp, 'nope.pcap');
    await expect(read({ path: missing })).rejects.toThrow(InputError);
    await expect(read({ path: missing })).rejects.toThrow(`cannot open ${missing}: no such file`);
    const dir = join(tmp, 'adir');
    mkdirSync(dir);
    await expect(read({ path: dir })).rejects.toThrow(`cannot open ${dir}: is a directory`);
  });

  it('resolves failed with an error line for a bad magic or an empty file', async () => {
    const bad = join(tmp, 'bad.pcap');
    writeFileSync(bad, Buffer.from('hello, this is not a capture'));
    const r = await read({ path: bad });
    expect(r.summary).toEqual({ compressed: false, frames: 0, bytesRead: 28, failed: true, error: 'not a pcap or pcapng capture (magic 68 65 6c 6c)' });
    expect(r.c.anomalies.map((a) => a.name)).toEqual(['capture.bad_magic']);
    const empty = join(tmp, 'empty.pcap');
    writeFileSync(empty, new Uint8Array(0));
    const e = await read({ path: empty });
    expect(e.summary).toEqual({ compressed: false, frames: 0, bytesRead: 0, failed: true, error: 'empty input' });
    expect(e.c.anomalies.map((a) => a.name)).toEqual(['capture.empty']);
    const gzBad = await read({ stream: streamOf(gzipSync(Buffer.from('not a capture either')), 3), name: 'x.gz' });
    expect(gzBad.summary).toMatchObject({ compressed: true, failed: true, error: 'not a pcap or pcapng capture (magic 6e 6f 74 20)' });
  });

  it('reports a corrupt gzip checksum after all frames', async () => {
    const bytes = readFileSync(fixture('same-traffic.pcap'));
    const gz = gzipSync(bytes);
    gz[gz.length - 8] ^= 0xff; // CRC32 of the trailer
    const { c, summary } = await read({ stream: streamOf(gz, 8), name: 'x.gz' });
    expect(c.frames).toHaveLength(4);
    expect(c.anomalies.map((a) => [a.name, a.offset, a.frame])).toEqual([['capture.gzip_error', 408, 5]]);
    expect(summary).toMatchObject({ compressed: true, frames: 4, failed: false });
  });

  it('keeps the frames before a gzip stream that is cut short', async () => {
    const bytes = readFileSync(fixture('corrupt-record-length.pcap')).subarray(0, 504); // five good records
    const gz = gzipSync(Buffer.concat([bytes, bytes.subarray(24)]), { level: 1 });
    const cut = gz.subarray(0, Math.floor(gz.length * 0.7));
    const partial = gunzipSync(cut, { finishFlush: zc.Z_SYNC_FLUSH });
    const whole = Math.floor((partial.length - 24) / 96);
    const { c } = await read({ stream: streamOf(cut, 9), name: 'cut.gz' });
    expect(c.frames).toHaveLength(whole);
    expect(whole).toBeGreaterThan(0);
    const tail = (partial.length - 24) % 96 !== 0 ? ['pcap.truncated_record'] : [];
    expect(c.anomalies.map((a) => a.name)).toEqual(['capture.gzip_error', ...tail]);
    expect(c.anomalies[0].offset).toBe(partial.length);
  });

  it('keeps the frames read before a stream error and names the error', async () => {
    const bytes = readFileSync(fixture('same-traffic.pcap'));
    const s = new PassThrough();
    const done = read({ stream: s, name: 'pipe' });
    s.write(bytes.subarray(0, 24 + 96 * 2 + 30));
    setImmediate(() => s.destroy(new Error('connection reset')));
    const { c, summary } = await done;
    expect(c.frames.map((f) => f.index)).toEqual([1, 2]);
    expect(c.anomalies.map((a) => [a.name, a.offset, a.frame])).toEqual([
      ['capture.read_error', 246, 3], ['pcap.truncated_record', 216, 3],
    ]);
    expect(c.anomalies[0].message).toBe('reading stopped after 246 bytes: connection reset');
    expect(summary).toMatchObject({ frames: 2, failed: false, bytesRead: 246 });
  });

  it('lets an error thrown by the sink through, from files, streams and gzip, instead of calling it a read error', async () => {
    // A bug further down the pipeline (a check, a correlator) is not damage to the capture: before,
    // it became `capture.read_error` and the rest of the input was silently not read.
    const bytes = readFileSync(fixture('same-traffic.pcap'));
    const gz = join(tmp, 'sink-error.pcap.gz');
    writeFileSync(gz, gzipSync(bytes));
    const inputs: CaptureInput[] = [
      { path: fixture('same-traffic.pcap') }, { path: gz },
      { stream: streamOf(bytes, 3), name: 'pipe' }, { stream: streamOf(gzipSync(bytes), 4), name: 'pipe.gz' },
    ];
    for (const input of inputs) {
      const c = new Collector();
      const sink = { ...c, info: c.info.bind(c), anomaly: c.anomaly.bind(c), frame: (f: Frame) => {
        if (f.index === 2) throw new TypeError('a check went wrong');
        c.frame(f);
      } };
      await expect(readCapture(input, sink), JSON.stringify(input)).rejects.toThrow(new TypeError('a check went wrong'));
      expect(c.anomalies.map((a) => a.name)).toEqual([]);
      expect(c.frames.map((f) => f.index)).toEqual([1]);
    }
  });

  it('rejects a stream that fails before its first byte', async () => {
    const s = new PassThrough();
    setImmediate(() => s.destroy(new Error('broken pipe')));
    await expect(read({ stream: s, name: 'pipe' })).rejects.toThrow('cannot read pipe: broken pipe');
  });

  it('reports progress against the file size', async () => {
    const path = fixture('two-interfaces.pcapng');
    const calls: Array<[number, number | undefined]> = [];
    const { summary } = await read({ path }, { onProgress: (a: number, b: number | undefined) => calls.push([a, b]) });
    const size = readFileSync(path).length;
    expect(calls.at(-1)).toEqual([size, size]);
    expect(summary.bytesRead).toBe(size);
  });

  it('applies capture.* limits by name', async () => {
    // With a 100-byte block cap every 112-byte EPB of eth0 is a bad block length.
    const { c } = await read({ path: fixture('two-interfaces.pcapng') }, { limits: { 'capture.max-block-length': 100 } });
    expect(c.frames.map((f) => f.interfaceId)).toEqual([1, 1]);
    expect(c.anomalies.map((a) => [a.name, a.offset])).toEqual([
      ['pcapng.bad_block_length', 100], ['pcapng.resync', 212], ['pcapng.bad_block_length', 312], ['pcapng.resync', 424],
    ]);
  });
});
