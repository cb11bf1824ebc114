// --format html rendered in headless Chromium: the summary, the findings filter (driven by the page's
// own script), and one ladder per bulk connection and client session with lanes, messages and the
// evidence highlighted. Also keeps the committed sample report (fixtures/report/sample.html) in step.
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { runCli } from '../kit/cli.js';
import { analyze } from '../../src/index.js';
import { ReportDetails } from '../../src/report/details.js';
import { htmlReporter } from '../../src/report/html.js';
import { dumpDom, ladders } from './chromium.js';

const SAMPLE = 'fixtures/sample/sample.pcapng';
const COMMITTED = 'fixtures/report/sample.html';

const hl = (l: { messages: Array<{ frame: number; classes: string[] }> }, cls: string): number[] =>
  l.messages.filter((m) => m.classes.includes(cls)).map((m) => m.frame);

describe('--format html in headless Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dhcp6audit-html-'));
  const file = join(dir, 'report.html');

  it('renders the summary, the findings table with working filters, and the ladders', async () => {
    const r = await runCli(['check', SAMPLE, '-f', 'html', '-o', file]);
    expect(r.code).toBe(1);
    const html = readFileSync(file, 'utf8');
    // Self-contained: no external resource of any kind.
    expect(html).not.toMatch(/\s(src|href)=/);
    expect(html).not.toMatch(/@import|url\(http/);
    expect(html).toContain(`default-src 'none'`);

    const dom = await dumpDom(file, 'severity=error');
    expect(dom).toContain('data-ready="1"');
    const rows = [...dom.matchAll(/<tr class="finding" data-grade="(\w+)" data-rule="([^"]+)" data-input="0"( hidden="")?>/g)];
    const json = JSON.parse((await runCli(['check', SAMPLE, '-f', 'json'])).stdout) as { findings: Array<{ ruleId: string; severity: string; verdict: string }> };
    expect(rows).toHaveLength(json.findings.length);
    const shown = rows.filter((m) => m[3] === undefined);
    expect(shown.map((m) => m[1]).every((g) => g === 'error')).toBe(true);
    expect(shown).toHaveLength(json.findings.filter((f) => f.verdict === 'violation' && f.severity === 'error').length);
    expect(dom).toContain(`${shown.length} of ${rows.length} shown`);
    const byRule = await dumpDom(file, 'rule=BLQ-NO-DONE-AFTER-EMPTY');
    expect([...byRule.matchAll(/<tr class="finding"[^>]*data-rule="([^"]+)"[^>]*data-input="0">/g)].map((m) => m[1])).toEqual(['BLQ-NO-DONE-AFTER-EMPTY']);

    const ls = ladders(dom);
    expect(ls.map((l) => [l.kind, l.lanes.length, l.messages.length])).toEqual([
      ['bulk', 2, 12], ['session', 4, 6], ['session', 4, 6],
    ]);
    const [bulk, s1, s2] = ls;
    expect(bulk.scope).toBe('[2001:db8::9]:40123 > [2001:db8::1]:547');
    expect(bulk.lanes).toEqual(['requestor [2001:db8::9]:40123', 'server [2001:db8::1]:547']);
    // RFC 5460 §6.5.1 interleaving: two queries in one segment, answers interleaved by xid.
    expect(bulk.messages.map((m) => [m.frame, m.type, m.xid, m.from, m.to])).toEqual([
      [16, 'LEASEQUERY', 3, 0, 1], [16, 'LEASEQUERY', 4, 0, 1],
      [18, 'LEASEQUERY-REPLY', 3, 1, 0], [20, 'LEASEQUERY-REPLY', 4, 1, 0],
      [22, 'LEASEQUERY-DATA', 3, 1, 0], [24, 'LEASEQUERY-DATA', 4, 1, 0], [26, 'LEASEQUERY-DONE', 3, 1, 0],
      [28, 'LEASEQUERY-DATA', 4, 1, 0], [28, 'LEASEQUERY-DONE', 4, 1, 0],
      [30, 'LEASEQUERY', 5, 0, 1], [32, 'LEASEQUERY-REPLY', 5, 1, 0], [34, 'LEASEQUERY-DONE', 5, 1, 0],
    ]);
    expect(hl(bulk, 'hl')).toEqual([32, 34]);
    expect(hl(bulk, 'hl-error')).toEqual([32, 34]);

    expect(s1.scope).toBe('00030001020000000201');
    expect(s1.lanes).toEqual([
      'client fe80::201 (DUID 00030001020000000201)', 'server fe80::51 (DUID 00030001020000000051)',
      'server fe80::52 (DUID 00030001020000000052)', 'server fe80::53 (DUID 00030001020000000053)',
    ]);
    expect(s1.messages.map((m) => [m.frame, m.type, m.from, m.to])).toEqual([
      [1, 'SOLICIT', 0, -1], [2, 'ADVERTISE', 1, 0], [3, 'ADVERTISE', 2, 0], [4, 'ADVERTISE', 3, 0],
      [5, 'REQUEST', 0, 2], [6, 'REPLY', 2, 0],
    ]);
    // Only an info finding (RED-SERVER-PREFERENCE-SUPPORT, frames 2-4) for the patient client.
    expect(hl(s1, 'hl-info')).toEqual([2, 3, 4]);
    expect(hl(s1, 'hl-error')).toEqual([]);
    // The impatient client: its Solicit, the Advertises before its Request, and the Request are error evidence.
    expect(s2.messages.map((m) => m.frame)).toEqual([7, 8, 9, 10, 11, 12]);
    expect(hl(s2, 'hl-error')).toEqual([7, 8, 9, 10]);
    expect(hl(s2, 'hl-info')).toEqual([11]);
    expect(hl(s2, 'hl')).toEqual([7, 8, 9, 10, 11]);
  });

  it('says in the page when ladders or messages were capped', async () => {
    const details = new ReportDetails({ ladders: true, limits: { 'report.ladders': 2, 'report.ladder-messages': 5 } });
    const report = await analyze([SAMPLE], { details });
    const page = join(dir, 'capped.html');
    writeFileSync(page, htmlReporter(report, { chalk: new Chalk({ level: 0 }), failOn: 'error', details }));
    const dom = await dumpDom(page);
    const ls = ladders(dom);
    expect(ls.map((l) => l.messages.length)).toEqual([5, 5]);
    expect(dom).toContain('7 more messages not drawn (report.ladder-messages).');
    expect(dom).toContain('1 more connections/sessions were not drawn (report.ladders = 2)');
  });

  it('keeps the committed sample report in step with the sample capture', async () => {
    const r = await runCli(['check', SAMPLE, '-f', 'html', '--fail-on', 'never']);
    if (process.env.UPDATE_FIXTURES === '1' || !existsSync(COMMITTED)) writeFileSync(COMMITTED, r.stdout);
    const fresh = ladders(r.stdout);
    const committed = ladders(readFileSync(COMMITTED, 'utf8'));
    // Same diagrams (the capture decides them); highlights may move as rules are added.
    expect(committed.map((l) => [l.kind, l.scope, l.lanes, l.messages.map((m) => m.frame)]))
      .toEqual(fresh.map((l) => [l.kind, l.scope, l.lanes, l.messages.map((m) => m.frame)]));
    expect(committed.length).toBe(3);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
});
