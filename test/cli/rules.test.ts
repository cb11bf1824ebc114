// `dhcp6audit rules`: the catalog as a table and as JSON under both profiles (enabled flags follow the
// profile), and one rule explained with its traps.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runCli } from '../kit/cli.js';
import { loadRules } from '../../src/engine/load.js';

const profile = (name: string): { disabledRules: string[] } => JSON.parse(readFileSync(`rules/profiles/${name}.json`, 'utf8')) as { disabledRules: string[] };

describe('dhcp6audit rules', () => {
  const catalog = loadRules().map((r) => r.id).sort();

  for (const name of ['rfc5460', 'draft-01']) {
    it(`lists every rule with its enabled flag under ${name}`, async () => {
      const r = await runCli(['rules', '--format', 'json', '--profile', name]);
      expect(r.code).toBe(0);
      const list = JSON.parse(r.stdout) as Array<{ id: string; level: string; actor: string; spec: { doc: string; section: string }; summary: string; enabled: boolean }>;
      expect(list.map((x) => x.id)).toEqual(catalog);
      const off = profile(name).disabledRules.filter((id) => catalog.includes(id)).sort();
      expect(list.filter((x) => !x.enabled).map((x) => x.id)).toEqual(off);
      for (const x of list) expect(x.summary.length).toBeGreaterThan(10);

      const table = await runCli(['rules', '--profile', name, '--no-color']);
      const lines = table.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^RULE\s+LEVEL\s+ACTOR\s+SECTION\s+ON\s+SUMMARY$/);
      expect(lines).toHaveLength(catalog.length + 2);
      expect(lines[lines.length - 1]).toBe(`${catalog.length} rules · profile ${name}`);
      for (const id of off) expect(lines.find((l) => l.startsWith(`${id} `))).toMatch(/\sno\s/);
    });
  }

  it('draft-01 disables the rules that need RFC 5460 code points', async () => {
    const list = JSON.parse((await runCli(['rules', '--format', 'json', '--profile', 'draft-01'])).stdout) as Array<{ id: string; enabled: boolean }>;
    expect(list.find((x) => x.id === 'BLQ-MSGTYPES-ALLOWED')?.enabled).toBe(false);
    expect(list.find((x) => x.id === 'BLQ-XID-DATA')?.enabled).toBe(true);
  });

  it('explains one rule with its traps, case-insensitively, as text and JSON', async () => {
    const r = await runCli(['rules', 'blq-xid-data', '--no-color']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('BLQ-XID-DATA');
    expect(lines[1]).toBe('MUST · actor: server · RFC 5460 §5.2.1 · scope: query · enabled in profile rfc5460');
    expect(r.stdout).toContain('Traps (what would make a naive check raise a false alarm):');
    expect(r.stdout).toMatch(/^ {2}unknown-xid: LEASEQUERY-DATA with xid \{xid\}/m);
    const j = JSON.parse((await runCli(['rules', 'BLQ-XID-DATA', '--format', 'json', '--profile', 'draft-01'])).stdout) as { id: string; traps: string; enabled: boolean };
    expect(j.id).toBe('BLQ-XID-DATA');
    expect(j.traps).toMatch(/inconclusive/);
    expect(j.enabled).toBe(true);
  });

  it('an unknown id is one line and exit 2, with suggestions', async () => {
    const r = await runCli(['rules', 'BLQ-XID-NOPE']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^dhcp6audit: no rule 'BLQ-XID-NOPE' \(did you mean BLQ-[A-Z-]+(, BLQ-[A-Z-]+)*\?\)\n$/);
  });
});
