// --format text: a summary line, then findings grouped by input and by connection / client session,
// each with rule id, level, sentence, evidence frames, RFC section and a Wireshark display filter.
import type { Finding } from '../engine/types.js';
import type { Reporter, ReportContext } from './types.js';
import { formatXid, groupFindings, plural, statsLine, wiresharkFilter } from './common.js';

function badge(f: Finding, ctx: ReportContext): string {
  const c = ctx.chalk;
  if (f.verdict === 'inconclusive') return c.cyan('inconclusive');
  if (f.severity === 'error') return c.red.bold('error');
  if (f.severity === 'warning') return c.yellow('warning');
  return c.blue('info');
}

export const textReporter: Reporter = (report, ctx) => {
  const c = ctx.chalk;
  const s = report.stats;
  const lines: string[] = [];
  lines.push(c.bold(`dhcp6audit ${report.tool.version}`) + c.dim(` · profile ${report.profile}`));
  lines.push(statsLine(s));
  const sum = report.summary;
  lines.push(
    `findings: ${c.red(`${sum.error} error`)}, ${c.yellow(`${sum.warning} warning`)}, ${c.blue(`${sum.info} info`)}, ` +
      `${c.cyan(`${sum.inconclusive} inconclusive`)}`,
  );
  for (const { input, scopes } of groupFindings(report)) {
    const line = report.inputs[input];
    if (report.inputs.length > 1 || line.error) {
      lines.push('', c.bold(`== ${line.path}`) + c.dim(` (${line.format}, ${plural(line.frames, 'frame')})`));
      if (line.error) lines.push(c.red(`   could not read: ${line.error}`));
    }
    for (const { scope, findings } of scopes) {
      lines.push('', c.bold(scope));
      for (const f of findings) {
        const xid = f.xid !== undefined ? c.dim(` xid ${formatXid(f.xid)}`) : '';
        lines.push(`  ${badge(f, ctx)} ${c.bold(f.ruleId)} ${c.dim(`(${f.level})`)}${xid}`);
        lines.push(`    ${f.message}`);
        lines.push(c.dim(`    frames ${f.frames.join(', ') || '-'} · ${f.spec.doc} §${f.spec.section}` +
          (f.frames.length ? ` · wireshark: ${wiresharkFilter(f.frames)}` : '')));
      }
    }
  }
  const capped = Object.entries(report.suppressed).filter(([, n]) => n > 0);
  if (capped.length) {
    lines.push('', c.dim(`more findings over the per-rule cap: ${capped.map(([id, n]) => `${id} ${n}`).join(', ')}`));
  }
  if (report.findings.length === 0) lines.push('', c.green('no findings'));
  return `${lines.join('\n')}\n`;
};

/** One line per finding, printed as soon as it is decided in live mode. */
export function findingLine(f: Finding, ctx: ReportContext, inputName?: string): string {
  const c = ctx.chalk;
  const where = f.connection ? `bulk ${f.connection}` : f.client ? `client ${f.client.duid ?? f.client.address ?? ''}` : '';
  const xid = f.xid !== undefined ? ` xid ${formatXid(f.xid)}` : '';
  return `${badge(f, ctx)} ${c.bold(f.ruleId)}${c.dim(`${xid}${where ? ` ${where}` : ''}${inputName ? ` (${inputName})` : ''}`)}: ` +
    `${f.message} ${c.dim(`[frames ${f.frames.join(', ') || '-'}; ${f.spec.doc} §${f.spec.section}]`)}\n`;
}
