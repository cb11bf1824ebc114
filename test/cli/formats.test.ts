// Every report format on fixture captures: JSON schema-valid, JUnit parsed back and counted, Markdown
// tables, text grouping and stable order, several inputs in one run, XML escaping of hostile text.
import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { runCli } from '../kit/cli.js';
import { assertValidReport } from '../kit/schemas.js';
import { all, parseXml } from './xml.js';
import { analyze } from '../../src/index.js';
import { ReportDetails } from '../../src/report/details.js';
import { junitReporter } from '../../src/report/junit.js';
import { captureTimeText, escapeXml, failsRun, ruleScopeKind, scopeKey } from '../../src/report/common.js';
import { reporters } from '../../src/report/index.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding, Report } from '../../src/engine/types.js';
import { UdpScenario, duidLL, m, opt, scenarioPcapng } from '../kit/udp-scenario.js';

const SAMPLE = 'fixtures/sample/sample.pcapng';
const IA_NA = '../shared/captures/tcpdump__tests__dhcpv6-ia-na.pcap';

async function jsonReport(args: string[]): Promise<Report> {
  const r = await runCli(['check', ...args, '-f', 'json']);
  const report = JSON.parse(r.stdout) as Report;
  assertValidReport(report);
  return report;
}

describe('--format json', () => {
  it('is the schema-valid report with the sample findings and no ladder data', async () => {
    const r = await runCli(['check', SAMPLE, '-f', 'json']);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as Report & Record<string, unknown>;
    assertValidReport(report);
    expect(Object.keys(report).sort()).toEqual(['findings', 'inputs', 'profile', 'stats', 'summary', 'suppressed', 'tool']);
    expect(report.findings.map((f) => [f.ruleId, f.frames])).toContainEqual(['BLQ-NO-DONE-AFTER-EMPTY', [32, 34]]);
    expect(report.findings.map((f) => [f.ruleId, f.frames])).toContainEqual(['V6-PREF-COLLECT-FIRST-RT', [7, 8, 9, 10]]);
    expect(report.stats.frames).toBe(39);
    expect(report.stats.bulkConnections).toBe(1);
    expect(report.stats.clientSessions).toBe(2);
  });
});

describe('--format junit', () => {
  it('has one testsuite per input and one testcase per rule and scope, failures and totals that add up', async () => {
    const details = new ReportDetails();
    const report = await analyze([SAMPLE], { details });
    const r = await runCli(['check', SAMPLE, '-f', 'junit']);
    expect(r.code).toBe(1);
    const doc = parseXml(r.stdout);
    expect(doc.name).toBe('testsuites');
    const suites = all(doc, 'testsuite');
    expect(suites).toHaveLength(1);
    expect(suites[0].attrs.name).toBe(SAMPLE);
    const cases = all(suites[0], 'testcase');

    // The scopes seen: one bulk connection, the two clients, no UDP leasequery requestor.
    const scopes = details.scopesOf(0);
    expect(scopes.connections).toEqual(['[2001:db8::9]:40123 > [2001:db8::1]:547']);
    expect(scopes.clients.sort()).toEqual(['00030001020000000201', '00030001020000000202']);
    expect(scopes.requestors).toEqual([]);
    const perRule = (id: string): number => {
      const k = ruleScopeKind(id);
      return k === 'connection' ? 1 : k === 'client' ? 2 : 1;
    };
    const expectedCases = details.rules.reduce((n, rule) => n + perRule(rule.id), 0);
    expect(details.rules.length).toBeGreaterThan(40);
    expect(cases).toHaveLength(expectedCases);
    expect(suites[0].attrs.tests).toBe(String(expectedCases));
    expect(doc.attrs.tests).toBe(String(expectedCases));

    // Failures: one per (rule, scope) holding an error-level violation.
    const failing = new Set(report.findings.filter((f) => failsRun(f, 'error')).map((f) => `${f.ruleId}|${scopeKey(f)}`));
    const failed = cases.filter((c) => all(c, 'failure').length > 0);
    expect(failed).toHaveLength(failing.size);
    expect(suites[0].attrs.failures).toBe(String(failing.size));
    const done = failed.find((c) => c.attrs.classname === 'BLQ-NO-DONE-AFTER-EMPTY')!;
    expect(done.attrs.name).toBe('BLQ-NO-DONE-AFTER-EMPTY bulk connection [2001:db8::9]:40123 > [2001:db8::1]:547');
    expect(all(done, 'failure')[0].attrs.type).toBe('error');
    expect(all(done, 'failure')[0].text).toContain('frame.number in {32 34}');
    const pref = failed.find((c) => c.attrs.classname === 'V6-PREF-COLLECT-FIRST-RT')!;
    expect(pref.attrs.name).toBe('V6-PREF-COLLECT-FIRST-RT client 00030001020000000202');
    // The same rule on the other client passes.
    const other = cases.find((c) => c.attrs.name === 'V6-PREF-COLLECT-FIRST-RT client 00030001020000000201')!;
    expect(other.children).toEqual([]);
  });

  it('lists a client seen only through messages of unassigned types as a client scope (V6-VAL-UNKNOWN-MSGTYPE passes for it)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'junit-unknown-'));
    try {
      const file = join(dir, 'u.pcapng');
      writeFileSync(file, scenarioPcapng(new UdpScenario().send(0, 'fe80::7', 'ff02::1:2', m(40, 0x77, opt.clientId(duidLL(7))))));
      const details = new ReportDetails();
      await analyze([file], { details });
      expect(details.scopesOf(0).clients).toEqual([duidLL(7)]);
      const r = await runCli(['check', file, '-f', 'junit']);
      const names = all(parseXml(r.stdout), 'testcase').map((c) => c.attrs.name);
      expect(names).toContain(`V6-VAL-UNKNOWN-MSGTYPE client ${duidLL(7)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts more failures with a lower --fail-on, none with never', async () => {
    const report = await jsonReport([SAMPLE]);
    for (const failOn of ['warning', 'info', 'never'] as const) {
      const r = await runCli(['check', SAMPLE, '-f', 'junit', '--fail-on', failOn]);
      const doc = parseXml(r.stdout);
      const expected = new Set(report.findings.filter((f) => failsRun(f, failOn)).map((f) => `${f.ruleId}|${scopeKey(f)}`)).size;
      expect(all(doc, 'failure')).toHaveLength(expected);
      expect(doc.attrs.failures).toBe(String(expected));
      expect(r.code).toBe(expected > 0 ? 1 : 0);
    }
    expect(new Set(report.findings.filter((f) => failsRun(f, 'info')).map((f) => `${f.ruleId}|${scopeKey(f)}`)).size).toBeGreaterThan(2);
  });

  it('escapes markup, drops characters illegal in XML 1.0, and marks inconclusive findings skipped', () => {
    const hostile = 'a <b> & "c" \'d\' \u0001\u0008\uFFFE\uD800 e \u{1F600}';
    const base: Finding = {
      ruleId: 'BLQ-XID-DATA', level: 'MUST', severity: 'error', verdict: 'violation', message: hostile, input: 0,
      frames: [3, 4], time: 1, xid: 7, connection: '[2001:db8::9]:1 > [2001:db8::1]:547', spec: { doc: 'RFC 5460', section: '6.3' },
    };
    const report: Report = {
      tool: { name: 'dhcp6audit', version: '0.1.0' }, profile: 'rfc5460',
      inputs: [{ path: 'we<ird>&"name\u0002.pcap', format: 'pcap', frames: 9 }],
      stats: { frames: 9, dhcpv6Frames: 9, otherFrames: 0, malformedFrames: 0, droppedFrames: 0, duplicateFrames: 0, dhcpv6Messages: 9, udpTransactions: 0, bulkConnections: 1, bulkQueries: 1, clientSessions: 0 },
      findings: [base, { ...base, ruleId: 'BLQ-XID-DONE', verdict: 'inconclusive', message: 'cannot tell' }],
      suppressed: {}, summary: { error: 1, warning: 0, info: 0, inconclusive: 1 },
    };
    const xml = junitReporter(report, { chalk: new Chalk({ level: 0 }), failOn: 'error' });
    const doc = parseXml(xml);
    expect(all(doc, 'testsuite')[0].attrs.name).toBe('we<ird>&"name.pcap');
    const failure = all(doc, 'failure')[0];
    expect(failure.attrs.message).toBe('a <b> & "c" \'d\'  e \u{1F600}');
    expect(all(doc, 'skipped')).toHaveLength(1);
    expect(all(doc, 'skipped')[0].attrs.message).toBe('inconclusive: cannot tell');
    expect(doc.attrs).toMatchObject({ tests: '2', failures: '1', skipped: '1', errors: '0' });
    expect(escapeXml('\u0000x\uFFFF')).toBe('x');
  });

  it('reports an unreadable input as a testcase error beside a readable one', async () => {
    const r = await runCli(['check', SAMPLE, '../shared/captures/MANIFEST.md', '-f', 'junit']);
    const doc = parseXml(r.stdout);
    const suites = all(doc, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual([SAMPLE, '../shared/captures/MANIFEST.md']);
    expect(all(suites[1], 'error')).toHaveLength(1);
    expect(all(suites[1], 'error')[0].attrs.message).toMatch(/not a pcap or pcapng capture/);
    expect(suites[1].attrs).toMatchObject({ tests: '1', errors: '1' });
  });
});

describe('--format markdown', () => {
  it('has a summary table and one table row per finding under its connection or client', async () => {
    const report = await jsonReport([SAMPLE]);
    const r = await runCli(['check', SAMPLE, '-f', 'markdown']);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('## dhcp6audit 0.1.0 report (profile `rfc5460`)');
    expect(lines).toContain(`| \`${SAMPLE}\` | pcapng | 39 |`);
    const s = report.stats;
    expect(lines).toContain(`| ${s.frames} | ${s.dhcpv6Frames} | ${s.otherFrames} | ${s.malformedFrames} | ${s.droppedFrames} | ${s.duplicateFrames} | ${s.dhcpv6Messages} | 1 | 3 | 2 | 4 |`);
    const rows = lines.filter((l) => /^\| (🔴|🟠|🔵|⚪)/.test(l));
    expect(rows).toHaveLength(report.findings.length);
    expect(rows.find((l) => l.includes('`BLQ-NO-DONE-AFTER-EMPTY`'))).toContain('32, 34<br>`frame.number in {32 34}`');
    expect(lines).toContain('#### bulk connection [2001:db8::9]:40123 &gt; [2001:db8::1]:547');
  });
});

describe('--format text', () => {
  it('prints the summary, findings grouped by scope with filter and section, identically on two runs', async () => {
    const a = await runCli(['check', SAMPLE, '--no-color']);
    const b = await runCli(['check', SAMPLE, '--no-color']);
    expect(a.stdout).toBe(b.stdout);
    const lines = a.stdout.split('\n');
    expect(lines[1]).toBe('39 frames (39 DHCPv6, 0 other, 0 malformed, 0 dropped) · 24 messages · 1 bulk connection, 3 queries · 2 client sessions, 4 UDP transactions');
    const i = lines.indexOf('bulk connection [2001:db8::9]:40123 > [2001:db8::1]:547');
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]).toBe('  error BLQ-NO-DONE-AFTER-EMPTY (MUST NOT) xid 0x000005');
    expect(lines[i + 3]).toBe('    frames 32, 34 · RFC 5460 §6.3 · wireshark: frame.number in {32 34}');
    expect(a.stdout).not.toMatch(/\u001b\[/);
    const coloured = await runCli(['check', SAMPLE, '--color']);
    expect(coloured.stdout).toMatch(/\u001b\[/);
  });
});

describe('several captures in one run', () => {
  it('gives one report with a section per input and totals across them', async () => {
    const one = await jsonReport([SAMPLE]);
    const two = await jsonReport([IA_NA]);
    const both = await jsonReport([SAMPLE, IA_NA]);
    expect(both.inputs.map((i) => [i.path, i.frames])).toEqual([[SAMPLE, 39], [IA_NA, 4]]);
    for (const k of Object.keys(both.stats) as Array<keyof Report['stats']>) expect(both.stats[k]).toBe(one.stats[k] + two.stats[k]);
    expect(both.findings.filter((f) => f.input === 0).map((f) => f.ruleId)).toEqual(one.findings.map((f) => f.ruleId));
    expect(both.findings.filter((f) => f.input === 1).map((f) => f.ruleId)).toEqual(two.findings.map((f) => f.ruleId));
    expect(both.summary.error).toBe(one.summary.error + two.summary.error);
    const text = await runCli(['check', SAMPLE, IA_NA, '--no-color']);
    expect(text.stdout).toContain(`== ${SAMPLE} (pcapng, 39 frames)`);
    expect(text.stdout).toContain(`== ${IA_NA} (pcap, 4 frames)`);
  });
});

describe('capture times beyond what a Date holds', () => {
  it('every format renders a capture whose interface resolution puts timestamps past ±8.64e12 s', async () => {
    // The sample again, with if_tsresol 0 (whole seconds) and the clock moved 1e13 s on: pcapng allows
    // it, and the HTML ladders once threw "Invalid time value" on it (found by the pipeline fuzz test).
    const { readRecords } = await import('../kit/capture-mutate.js');
    const { writePcapng } = await import('../../src/capture/writer.js');
    const recs = readRecords(new Uint8Array(readFileSync(SAMPLE))).recs;
    const bytes = writePcapng({
      interfaces: [{ linkType: recs[0].linkType, tsresol: 0 }],
      packets: recs.map((x, i) => ({ interfaceId: 0, tsSec: 1e13 + i, tsNsec: 0, data: x.data, origLength: x.origLength })),
    });
    const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-time-'));
    try {
      const file = join(dir, 'far-future.pcapng');
      writeFileSync(file, bytes);
      const details = new ReportDetails({ ladders: true });
      const report = await analyze([file], { details });
      expect(report.stats.frames).toBe(39);
      expect(report.stats.clientSessions).toBe(2);
      const ctx = { chalk: new Chalk({ level: 0 }), failOn: 'error' as const, details };
      for (const [name, reporter] of reporters) {
        expect(() => reporter(report, ctx), name).not.toThrow();
      }
      const html = reporters.get('html')!(report, ctx);
      expect(html).toContain(`frame 7 · ${1e13 + 6} s after the epoch`);
      expect(captureTimeText(0)).toBe('1970-01-01T00:00:00.000Z');
      // The annotated copy keeps them: nanoseconds cannot count that far in 64 bits, so its interface
      // takes a coarser resolution instead of a wrapped timestamp.
      const { annotateCapture } = await import('../../src/report/annotate.js');
      const { readCapture } = await import('../../src/capture/source.js');
      const copy = join(dir, 'annotated.pcapng');
      await annotateCapture({ path: file }, report.findings, 0, copy);
      const times: number[] = [];
      await readCapture({ path: copy }, { info: () => undefined, frame: (f) => { times.push(f.tsSec); }, anomaly: () => undefined });
      expect(times).toEqual(recs.map((_, i) => 1e13 + i));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
