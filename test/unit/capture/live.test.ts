// Live capture: the tcpdump argv and BPF filter (checked by tcpdump itself on a crafted capture),
// --capture-command through /bin/sh, stderr passed to a callback, stop() ending the child.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureFilter, liveCommand, startLiveCapture } from '../../../src/capture/live.js';
import { readCapture } from '../../../src/capture/source.js';
import type { Frame } from '../../../src/capture/types.js';
import { writePcap } from '../../kit/pcap-writer.js';
import { ethernet, ipPacket, ipv4Fragments, ipv6Fragments, tcpSegment, udp } from '../../kit/packets.js';
import { Collector } from './collect.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const sameTraffic = join(root, 'fixtures', 'capture', 'same-traffic.pcap');
const FILTER = 'udp port 546 or udp port 547 or tcp port 547 or (ip6 and ip6[6] = 44) or (ip and ip[6:2] & 0x3fff != 0)';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'dhcp6audit-live-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

describe('live capture command line', () => {
  it('builds the filter from the DHCPv6 ports, the bulk ports and fragments', () => {
    expect(captureFilter([])).toBe(FILTER);
    expect(captureFilter([5470, 547, 3000, 5470])).toBe(
      'udp port 546 or udp port 547 or tcp port 547 or tcp port 3000 or tcp port 5470 or (ip6 and ip6[6] = 44) or (ip and ip[6:2] & 0x3fff != 0)',
    );
    expect(() => captureFilter([0])).toThrow(RangeError);
    expect(() => captureFilter([70000])).toThrow('bad TCP port 70000');
  });

  it('runs tcpdump unbuffered, numeric, to stdout, on the interface', () => {
    expect(liveCommand({ interface: 'eth1', bulkPorts: [] })).toEqual(['tcpdump', '-U', '-n', '-w', '-', '-i', 'eth1', FILTER]);
    expect(liveCommand({ bulkPorts: [], tcpdump: '/usr/sbin/tcpdump' })).toEqual(['/usr/sbin/tcpdump', '-U', '-n', '-w', '-', FILTER]);
    expect(liveCommand({ interface: 'eth1', command: 'dumpcap -w - -i eth1', bulkPorts: [5470] })).toEqual(['/bin/sh', '-c', 'dumpcap -w - -i eth1']);
  });

  it('selects DHCPv6, bulk TCP and every fragment, and nothing else (as tcpdump compiles it)', () => {
    const dhcp = new Uint8Array(40).fill(1);
    const big = new Uint8Array(3000).fill(2);
    const v6 = (sp: number, dp: number, payload: Uint8Array) => ethernet({ payload: ipPacket('2001:db8::1', '2001:db8::2', 17, udp({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: sp, dstPort: dp, payload })) });
    const tcp = (dp: number) => ethernet({ payload: ipPacket('2001:db8::1', '2001:db8::2', 6, tcpSegment({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 40000, dstPort: dp, seq: 1, ack: true, ackNumber: 1 })) });
    const frag6 = ipv6Fragments({ src: '2001:db8::1', dst: '2001:db8::2', nextHeader: 17, payload: udp({ src: '2001:db8::1', dst: '2001:db8::2', srcPort: 547, dstPort: 547, payload: big }) }, 1280);
    const frag4 = ipv4Fragments({ src: '192.0.2.1', dst: '192.0.2.2', protocol: 17, payload: udp({ src: '192.0.2.1', dst: '192.0.2.2', srcPort: 547, dstPort: 547, payload: big }) }, 1400);
    expect(frag6.length).toBe(3);
    expect(frag4.length).toBe(3);
    const wanted = [v6(546, 547, dhcp), v6(547, 546, dhcp), tcp(547), tcp(5470), ...frag6.map((p) => ethernet({ payload: p })), ...frag4.map((p) => ethernet({ payload: p }))];
    const unwanted = [v6(53, 53, dhcp), tcp(80), tcp(5471)];
    const frames = [...wanted, ...unwanted];
    const file = join(tmp, 'filter.pcap');
    writeFileSync(file, writePcap({ linkType: 1, records: frames.map((data, i) => ({ tsSec: 1000 + i, tsNsec: 0, data })) }));
    const filter = captureFilter([5470]);
    const out = execFileSync('tcpdump', ['-n', '-tt', '-r', file, filter], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const seconds = out.split('\n').filter(Boolean).map((l) => Number(l.split('.')[0]));
    // Frames 0..9 are wanted (2 UDP, 2 TCP, 3 + 3 fragments); 10..12 are not.
    expect(seconds).toEqual([1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]);
  });
});

describe('live capture process', () => {
  it('reads a --capture-command through /bin/sh and passes its stderr to the callback', async () => {
    const errors: string[] = [];
    const live = startLiveCapture({ command: `echo listening >&2; cat '${sameTraffic}'`, bulkPorts: [], onStderr: (s) => errors.push(s) });
    expect(live.command).toEqual(['/bin/sh', '-c', `echo listening >&2; cat '${sameTraffic}'`]);
    const c = new Collector();
    const summary = await readCapture({ stream: live.stream, name: 'live' }, c);
    expect(summary).toMatchObject({ format: 'pcap', frames: 4, failed: false });
    expect(c.frames.map((f) => f.index)).toEqual([1, 2, 3, 4]);
    expect(await live.exited).toEqual({ code: 0, signal: null });
    expect(errors.join('')).toBe('listening\n');
    await live.stop(); // already exited: resolves at once
  });

  it('stop() ends a capture that is still running, and the frames read so far are kept', async () => {
    const live = startLiveCapture({ command: `cat '${sameTraffic}'; exec sleep 30`, bulkPorts: [] });
    const c = new Collector();
    let got!: () => void;
    const four = new Promise<void>((r) => { got = r; });
    const sink = { info: c.info.bind(c), anomaly: c.anomaly.bind(c), frame: (f: Frame) => { c.frame(f); if (c.frames.length === 4) got(); } };
    const reading = readCapture({ stream: live.stream, name: 'live' }, sink);
    await four;
    await live.stop();
    expect((await live.exited).signal).toBe('SIGTERM');
    const summary = await reading;
    expect(summary.frames).toBe(4);
    expect(c.anomalies).toEqual([]);
  });

  it('reports a capture program that cannot be started as an input error', async () => {
    const live = startLiveCapture({ bulkPorts: [], tcpdump: join(tmp, 'no-such-tcpdump'), interface: 'lo' });
    await expect(readCapture({ stream: live.stream, name: 'live' }, new Collector())).rejects.toThrow(
      `cannot read live: cannot run ${join(tmp, 'no-such-tcpdump')}: not found`,
    );
  });
});
