// `dhcp6audit decode`: one JSON object per DHCPv6 message, in frame order, each line valid against
// schemas/decode.schema.json (DESIGN.md contract), on every shared capture and on a bulk capture.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../kit/cli.js';
import { assertValidDecodeLine } from '../kit/schemas.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = join(root, '..', 'shared', 'captures');
const sharedFiles = readdirSync(shared).filter((n) => /\.pcap(ng)?$/.test(n)).sort();

function lines(stdout: string): Array<Record<string, unknown>> {
  return stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe('decode command', () => {
  for (const name of sharedFiles) {
    it(`${name}: every line matches the decode schema, in frame order`, async () => {
      const r = await runCli(['decode', join(shared, name)]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const out = lines(r.stdout);
      let last = 0;
      for (const line of out) {
        assertValidDecodeLine(line);
        expect(line.input).toBe(0);
        expect(line.frame as number).toBeGreaterThanOrEqual(last);
        last = line.frame as number;
      }
      if (name !== 'tcpdump__tests__dhcp6_reconf_asan.pcap') expect(out.length).toBeGreaterThan(0);
    });
  }

  it('decodes the mud capture exactly: five relayed Solicits carrying a MUD URL', async () => {
    const out = lines((await runCli(['decode', join(shared, 'tcpdump__tests__dhcpv6-mud.pcap')])).stdout);
    expect(out.map((l) => [l.frame, l.msgName, l.transport, l.dstPort])).toEqual(
      [1, 2, 3, 4, 5].map((f) => [f, 'RELAY-FORW', 'udp', 547]));
    const inner = (out[0].options as Array<{ code: number; message?: { msgName: string; options: Array<{ code: number; name: string; value?: { url?: string } }> } }>)
      .find((o) => o.code === 9)!.message!;
    expect(inner.msgName).toBe('SOLICIT');
    const mud = inner.options.find((o) => o.code === 112)!;
    expect(mud.name).toBe('OPTION_MUD_URL_V6');
  });

  it('decodes a bulk leasequery stream with 24-bit xids at the frames that complete each message', async () => {
    const r = await runCli(['decode', join(root, 'fixtures', 'net', 'tcp-reorder.pcap')]);
    const out = lines(r.stdout);
    for (const line of out) assertValidDecodeLine(line);
    expect(out.every((l) => l.transport === 'tcp')).toBe(true);
    expect(out[0]).toMatchObject({ frame: 4, msgType: 14, msgName: 'LEASEQUERY', srcPort: 40001, dstPort: 547 });
    expect(out.slice(1).every((l) => l.frame === 8)).toBe(true);
    expect(out.map((l) => l.xid)).toEqual(out.map(() => out[0].xid));
    expect(out[0].xid as number).toBeGreaterThan(0xffff); // the high octet of the 24-bit xid is kept
    expect(out.at(-1)!.msgName).toBe('LEASEQUERY-DONE');
  });

  it('a missing file is one line on stderr and exit 2', async () => {
    const r = await runCli(['decode', join(root, 'no-such-file.pcap')]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^dhcp6audit: cannot open .*no-such-file\.pcap/);
  });
});
