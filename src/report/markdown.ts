// --format markdown: a summary table and the findings per input and connection / client session,
// for pasting into a pull request or a ticket (GitHub-flavoured tables; pipes and newlines escaped).
import type { Reporter } from './types.js';
import { failsRun, formatXid, gradeOf, groupFindings, wiresharkFilter } from './common.js';

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'));
}

const ICON = { error: '🔴 error', warning: '🟠 warning', info: '🔵 info', inconclusive: '⚪ inconclusive' } as const;

export const markdownReporter: Reporter = (report, ctx) => {
  const s = report.stats;
  const sum = report.summary;
  const failing = report.findings.filter((f) => failsRun(f, ctx.failOn)).length;
  const out: string[] = [];
  out.push(`## dhcp6audit ${report.tool.version} report (profile \`${report.profile}\`)`, '');
  out.push(failing ? `**${failing} violation${failing === 1 ? '' : 's'} at or above \`--fail-on ${ctx.failOn}\`.**`
    : `**No violation at or above \`--fail-on ${ctx.failOn}\`.**`, '');
  out.push('| Input | Format | Frames |', '|---|---|---:|');
  for (const i of report.inputs) out.push(`| \`${cell(i.path)}\` | ${cell(i.format)}${i.error ? ` (${cell(i.error)})` : ''} | ${i.frames} |`);
  out.push('');
  out.push('| Frames | DHCPv6 | Other | Malformed | Dropped | Duplicate | Messages | Bulk connections | Queries | Client sessions | UDP transactions |');
  out.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  out.push(`| ${s.frames} | ${s.dhcpv6Frames} | ${s.otherFrames} | ${s.malformedFrames} | ${s.droppedFrames} | ${s.duplicateFrames} | ` +
    `${s.dhcpv6Messages} | ${s.bulkConnections} | ${s.bulkQueries} | ${s.clientSessions} | ${s.udpTransactions} |`);
  out.push('');
  out.push('| Errors | Warnings | Info | Inconclusive |', '|---:|---:|---:|---:|', `| ${sum.error} | ${sum.warning} | ${sum.info} | ${sum.inconclusive} |`);
  for (const { input, scopes } of groupFindings(report)) {
    if (scopes.length === 0) continue;
    out.push('', report.inputs.length > 1 ? `### Findings in \`${cell(report.inputs[input].path)}\`` : '### Findings');
    for (const { scope, findings } of scopes) {
      out.push('', `#### ${cell(scope)}`, '', '| | Rule | Level | Xid | Frames | Section | Finding |', '|---|---|---|---|---|---|---|');
      for (const f of findings) {
        out.push(`| ${ICON[gradeOf(f)]} | \`${f.ruleId}\` | ${f.level} | ${formatXid(f.xid)} | ` +
          `${f.frames.length ? `${f.frames.join(', ')}<br>\`${cell(wiresharkFilter(f.frames))}\`` : ''} | ${cell(`${f.spec.doc} §${f.spec.section}`)} | ${cell(f.message)} |`);
      }
    }
  }
  const capped = Object.entries(report.suppressed).filter(([, n]) => n > 0);
  if (capped.length) out.push('', `More findings over the per-rule cap: ${capped.map(([id, n]) => `\`${id}\` ${n}`).join(', ')}.`);
  if (report.findings.length === 0) out.push('', 'No findings.');
  return `${out.join('\n')}\n`;
};
