// --format junit: one testsuite per input capture, one testcase per rule evaluated (per bulk connection,
// client or requestor where that is the rule's scope); failures for violations at or above --fail-on,
// skipped for inconclusive findings. Well-formed XML 1.0: escaped, illegal characters dropped.
import type { Finding, Report } from '../engine/types.js';
import type { EvaluatedRule, InputScopes } from './details.js';
import type { Reporter, ReportContext } from './types.js';
import { escapeXml, failsRun, gradeOf, ruleScopeKind, scopeKey, wiresharkFilter } from './common.js';

interface Case {
  classname: string;
  name: string;
  failures: Finding[];
  skipped: Finding[];
  notes: Finding[];
  error?: string;
}

function describe(f: Finding): string {
  const where = f.frames.length ? ` frames ${f.frames.join(', ')} (${wiresharkFilter(f.frames)})` : '';
  return `[${gradeOf(f)}] ${f.ruleId} (${f.level}, ${f.spec.doc} §${f.spec.section})${where}: ${f.message}`;
}

const KIND_WORD = { connection: 'bulk connection', client: 'client', requestor: 'requestor', input: 'capture' } as const;

function casesFor(rule: EvaluatedRule, findings: Finding[], scopes: InputScopes, ctx: ReportContext): Case[] {
  const kind = ruleScopeKind(rule.id);
  const listed = kind === 'connection' ? scopes.connections : kind === 'client' ? scopes.clients : kind === 'requestor' ? scopes.requestors : [];
  const more = kind === 'connection' ? scopes.moreConnections : kind === 'client' ? scopes.moreClients : kind === 'requestor' ? scopes.moreRequestors : 0;
  const byScope = new Map<string, Finding[]>();
  for (const s of listed) byScope.set(s, []);
  for (const f of findings) {
    const k = kind === 'input' ? '' : scopeKey(f);
    let list = byScope.get(k);
    if (!list) byScope.set(k, (list = []));
    list.push(f);
  }
  if (byScope.size === 0) byScope.set('', []);
  const cases: Case[] = [];
  for (const [scope, list] of byScope) {
    const c: Case = {
      classname: rule.id,
      name: scope ? `${rule.id} ${KIND_WORD[kind]} ${scope}` : (kind === 'input' ? rule.id : `${rule.id} (no ${KIND_WORD[kind]} seen)`),
      failures: [], skipped: [], notes: [],
    };
    for (const f of list) {
      if (failsRun(f, ctx.failOn)) c.failures.push(f);
      else if (f.verdict === 'inconclusive') c.skipped.push(f);
      else c.notes.push(f);
    }
    cases.push(c);
  }
  if (more > 0) {
    cases.push({ classname: rule.id, name: `${rule.id} ${more} more ${KIND_WORD[kind]}s (not listed, no findings)`, failures: [], skipped: [], notes: [] });
  }
  return cases;
}

function renderCase(c: Case): string {
  const open = `    <testcase classname="${escapeXml(c.classname)}" name="${escapeXml(c.name)}" time="0"`;
  const body: string[] = [];
  if (c.error !== undefined) {
    body.push(`      <error message="${escapeXml(c.error)}" type="input"/>`);
  } else if (c.failures.length) {
    const first = c.failures[0];
    const msg = c.failures.length > 1 ? `${first.message} (+${c.failures.length - 1} more)` : first.message;
    body.push(`      <failure message="${escapeXml(msg)}" type="${first.severity}">${escapeXml(c.failures.map(describe).join('\n'))}</failure>`);
  } else if (c.skipped.length) {
    body.push(`      <skipped message="${escapeXml(`inconclusive: ${c.skipped[0].message}`)}"/>`);
  }
  const out = [...(c.failures.length ? c.skipped : []), ...c.notes];
  if (out.length) body.push(`      <system-out>${escapeXml(out.map(describe).join('\n'))}</system-out>`);
  return body.length ? `${open}>\n${body.join('\n')}\n    </testcase>` : `${open}/>`;
}

function counts(cases: Case[]): { tests: number; failures: number; errors: number; skipped: number } {
  return {
    tests: cases.length,
    failures: cases.filter((c) => c.error === undefined && c.failures.length > 0).length,
    errors: cases.filter((c) => c.error !== undefined).length,
    skipped: cases.filter((c) => c.error === undefined && c.failures.length === 0 && c.skipped.length > 0).length,
  };
}

export const junitReporter: Reporter = (report: Report, ctx) => {
  const rules: EvaluatedRule[] = ctx.details?.rules.length
    ? ctx.details.rules
    : [...new Set(report.findings.map((f) => f.ruleId))].sort().map((id) => ({ id, scope: '', summary: '' }));
  const suites: string[] = [];
  const total = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  report.inputs.forEach((input, i) => {
    let cases: Case[];
    if (input.error) {
      cases = [{ classname: 'dhcp6audit', name: 'read capture', failures: [], skipped: [], notes: [], error: input.error }];
    } else {
      const scopes = ctx.details?.scopesOf(i) ?? { connections: [], clients: [], requestors: [], moreConnections: 0, moreClients: 0, moreRequestors: 0 };
      const mine = report.findings.filter((f) => f.input === i);
      cases = rules.flatMap((r) => casesFor(r, mine.filter((f) => f.ruleId === r.id), scopes, ctx));
      // Findings of rules the details did not list (cannot happen with details from analyze()).
      const known = new Set(rules.map((r) => r.id));
      for (const id of [...new Set(mine.map((f) => f.ruleId))].filter((x) => !known.has(x)).sort()) {
        cases.push(...casesFor({ id, scope: '', summary: '' }, mine.filter((f) => f.ruleId === id), scopes, ctx));
      }
    }
    const n = counts(cases);
    total.tests += n.tests; total.failures += n.failures; total.errors += n.errors; total.skipped += n.skipped;
    suites.push(
      `  <testsuite name="${escapeXml(input.path)}" tests="${n.tests}" failures="${n.failures}" errors="${n.errors}" skipped="${n.skipped}" time="0">\n` +
      `    <properties>\n` +
      `      <property name="profile" value="${escapeXml(report.profile)}"/>\n` +
      `      <property name="format" value="${escapeXml(input.format)}"/>\n` +
      `      <property name="frames" value="${input.frames}"/>\n` +
      `      <property name="fail-on" value="${ctx.failOn}"/>\n` +
      `    </properties>\n` +
      (cases.length ? `${cases.map(renderCase).join('\n')}\n` : '') +
      `  </testsuite>`,
    );
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites name="dhcp6audit ${escapeXml(report.tool.version)}" tests="${total.tests}" failures="${total.failures}" errors="${total.errors}" skipped="${total.skipped}" time="0">\n` +
    `${suites.join('\n')}\n</testsuites>\n`;
};
junitReporter.needs = { scopes: true };
