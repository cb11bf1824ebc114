// Live mode on a real interface: dhcp6audit runs `-i IFACE` (tcpdump) inside a network namespace while
// a scripted UDP sender in another namespace sends DHCPv6 to addresses created there. The finding
// prints while the capture runs; SIGINT ends it with the full report and the exit code of --fail-on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Lab, have, skipReason, sleep } from './harness.js';
import { createCodec } from '../../src/dhcpv6/index.js';
import { encodeMessage } from '../../src/dhcpv6/encode.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = `${ROOT}bin/dhcp6audit.js`;
const skip = skipReason() ?? (have('tcpdump') ? undefined : 'live-mode test needs tcpdump');
if (skip) console.warn(`interop/live-mode skipped: ${skip}`);

// An Advertise whose Preference option is two octets long (RFC 8415 §21.8 wants one): judged at once.
const codec = createCodec();
const ADVERTISE = Buffer.from(encodeMessage(codec, {
  msgType: 2, xid: 0x4242, options: [
    { code: 1, hex: '00030001020000000001' }, { code: 2, hex: '00030001020000000101' }, { code: 7, hex: '00ff' },
  ],
})).toString('hex');

const SENDER = `
const s = require('node:dgram').createSocket({ type: 'udp6' });
s.bind(547, '2001:db8:5::2', () => s.send(Buffer.from(process.argv[1], 'hex'), 546, '2001:db8:5::1', () => s.close()));
`;

describe.skipIf(skip !== undefined)('live mode on a namespace interface', () => {
  let lab: Lab;
  let audit: ChildProcess | undefined;

  beforeAll(() => {
    if (!existsSync(`${ROOT}dist/cli/main.js`)) throw new Error('dist/ is missing: run `npm run build` first');
    lab = new Lab('live');
    const br = lab.addBridge();
    lab.attach('cli', br, { ifname: 'cli0', addrs: ['2001:db8:5::1/64'] });
    lab.attach('srv', br, { ifname: 'srv0', addrs: ['2001:db8:5::2/64'] });
  });

  afterAll(async () => {
    if (audit?.pid !== undefined && audit.exitCode === null) process.kill(audit.pid, 'SIGKILL');
    await lab?.close();
  });

  it('prints the finding while capturing and the report on SIGINT', async () => {
    audit = spawn('ip', ['netns', 'exec', lab.host('cli'), process.execPath, BIN, 'check', '-i', 'cli0', '--fail-on', 'error'], {
      stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', PATH: `${process.env.PATH}:/usr/sbin:/sbin` },
    });
    let out = '';
    let err = '';
    audit.stdout!.setEncoding('utf8').on('data', (s: string) => { out += s; });
    audit.stderr!.setEncoding('utf8').on('data', (s: string) => { err += s; });
    const exit = new Promise<number | null>((resolve) => audit!.once('close', (code) => resolve(code)));
    const line = /^error V6-PREF-OPTION-FORMAT xid 0x004242 client 00030001020000000001: The Advertise's Preference option is 2 octets long/m;
    // tcpdump needs a moment to start listening: resend until the finding shows (the test timeout bounds it).
    let sent = 0;
    while (!line.test(out)) {
      if (audit.exitCode !== null) throw new Error(`dhcp6audit ended early: ${err}`);
      lab.exec('srv', [process.execPath, '-e', SENDER, ADVERTISE]);
      sent++;
      await sleep(300);
    }
    expect(out).not.toContain('findings:');
    process.kill(audit.pid!, 'SIGINT');
    expect(await exit).toBe(1);
    expect(out).toMatch(/^dhcp6audit 0\.1\.0 · profile rfc5460$/m);
    const frames = /^(\d+) frames? \((\d+) DHCPv6/m.exec(out);
    expect(frames).not.toBeNull();
    expect(Number(frames![1])).toBeGreaterThanOrEqual(1);
    expect(Number(frames![1])).toBeLessThanOrEqual(sent);
    expect(out).toContain('  error V6-PREF-OPTION-FORMAT (MUST) xid 0x004242');
    expect(err).toBe('');
  });
});
