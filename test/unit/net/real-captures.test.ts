// The published captures in ../shared/captures: every frame classified once, DHCPv6 UDP found.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createCaptureParser } from '../../../src/capture/sniff.js';
import type { Frame } from '../../../src/capture/types.js';
import { accountingOk, run } from './harness.js';

const dir = '/work/shared/captures';
const files = existsSync(dir) ? readdirSync(dir).filter((f) => /\.pcap(ng)?$/.test(f)).sort() : [];

describe.runIf(files.length > 0)('real captures', () => {
  for (const file of files) {
    it(file, () => {
      const frames: Frame[] = [];
      const p = createCaptureParser({ info: () => {}, frame: (f) => frames.push(f), anomaly: () => {} });
      p.push(readFileSync(`${dir}/${file}`));
      p.end();
      const r = run(frames, {}, 1, (d) => (d.srcPort === 546 || d.srcPort === 547 || d.dstPort === 546 || d.dstPort === 547 ? 'dhcpv6' : 'other'));
      expect(accountingOk(r)).toBe(true);
      expect(r.udp.filter((d) => d.dstPort === 547 || d.dstPort === 546).length).toBeGreaterThan(0);
    });
  }
});

describe.runIf(files.includes('tcpdump__tests__dhcp6_reconf_asan.pcap'))('a snaplen-cut first fragment', () => {
  it('is decoded as a truncated UDP datagram (as tshark does), not reassembled', () => {
    const frames: Frame[] = [];
    const p = createCaptureParser({ info: () => {}, frame: (f) => frames.push(f), anomaly: () => {} });
    p.push(readFileSync(`${dir}/tcpdump__tests__dhcp6_reconf_asan.pcap`));
    p.end();
    const r = run(frames, {}, 1, (d) => (d.truncated ? 'malformed' : 'dhcpv6'));
    expect(r.udp.map((d) => [d.frame, d.ipVersion, d.truncated, d.src, d.dst])).toEqual([[1, 4, true, '251.73.86.150', '126.172.217.192']]);
    expect(r.classes.get(1)).toBe('malformed');
  });
});
